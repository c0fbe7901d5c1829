//! Terraform's type unification for untyped values: a collection whose primitive elements mix
//! strings, numbers and bools becomes a collection of strings.

use labform_sdk::Value;

use super::spec::fmt_num;

/// Converts the primitive elements of `items` to strings when their kinds differ. Errors when
/// primitives and structures are mixed (no single element type could hold them).
pub(crate) fn unify(items: Vec<Value>) -> Result<Vec<Value>, String> {
    let mut kinds = items.iter().filter_map(|v| match v {
        Value::Null | Value::Unknown => None,
        Value::Bool(_) => Some(0u8),
        Value::Number(_) => Some(1),
        Value::String(_) => Some(2),
        Value::List(_) => Some(3),
        Value::Object(_) => Some(4),
    });
    let Some(first) = kinds.next() else {
        return Ok(items);
    };
    let mut mixed = false;
    let mut structural = first >= 3;
    let mut primitive = first < 3;
    for k in kinds {
        mixed |= k != first;
        structural |= k >= 3;
        primitive |= k < 3;
    }
    if structural && primitive {
        return Err("all elements must have the same type".to_string());
    }
    if !mixed || structural {
        return Ok(items);
    }
    Ok(items.into_iter().map(to_string_value).collect())
}

fn to_string_value(v: Value) -> Value {
    match v {
        Value::Number(n) => Value::String(fmt_num(n)),
        Value::Bool(b) => Value::String(b.to_string()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_primitives_become_strings() {
        let got = unify(vec![
            Value::from("a"),
            Value::Number(1.0),
            Value::Bool(true),
            Value::Null,
        ]);
        assert_eq!(
            got,
            Ok(vec![
                Value::from("a"),
                Value::from("1"),
                Value::from("true"),
                Value::Null
            ])
        );
        let same = vec![Value::Number(1.0), Value::Number(2.0)];
        assert_eq!(unify(same.clone()), Ok(same));
        assert!(unify(vec![Value::from("a"), Value::List(vec![])]).is_err());
    }
}
