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

/// The result of a conditional converted to the type both results unify to, as Terraform
/// does (`true ? 1 : "2"` is `"1"`): a number or bool meets a string as a string; tuples of
/// one length and objects with the same attributes unify element by element; otherwise
/// collections unify their elements. `Err` names the two kinds that have no common type.
pub fn conform(chosen: Value, other: &Value) -> Result<Value, (String, String)> {
    use Value::*;
    match (chosen, other) {
        (v @ (Null | Unknown), _) => Ok(v),
        (v, Null | Unknown) => Ok(v),
        (v @ String(_), String(_) | Number(_) | Bool(_)) => Ok(v),
        (v @ (Number(_) | Bool(_)), String(_)) => Ok(to_string_value(v)),
        (v @ Number(_), Number(_)) | (v @ Bool(_), Bool(_)) => Ok(v),
        (List(a), List(b)) if a.len() == b.len() => a
            .into_iter()
            .zip(b)
            .map(|(x, y)| conform(x, y))
            .collect::<Result<Vec<_>, _>>()
            .map(List),
        (List(a), List(b)) => Ok(List(elements_unified(a, b.iter()))),
        (Object(a), Object(b)) if a.keys().eq(b.keys()) => a
            .into_iter()
            .map(|(k, x)| {
                let y = b.get(&k).unwrap_or(&Null);
                conform(x, y).map(|v| (k, v))
            })
            .collect::<Result<_, _>>()
            .map(Object),
        (Object(a), Object(b)) => {
            let keys: Vec<std::string::String> = a.keys().cloned().collect();
            let values = elements_unified(a.into_values().collect(), b.values());
            Ok(Object(keys.into_iter().zip(values).collect()))
        }
        (v, o) => Err((kind(&v).to_string(), kind(o).to_string())),
    }
}

/// `mine` unified with `theirs` into one element type; left as it is when they do not unify
/// (structures of different shapes, which Terraform would also reject later).
fn elements_unified<'a>(mine: Vec<Value>, theirs: impl Iterator<Item = &'a Value>) -> Vec<Value> {
    let n = mine.len();
    let mut all = mine.clone();
    all.extend(theirs.cloned());
    match unify(all) {
        Ok(mut u) => {
            u.truncate(n);
            u
        }
        Err(_) => mine,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null | Value::Unknown => "dynamic",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::List(_) => "tuple",
        Value::Object(_) => "object",
    }
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

    #[test]
    fn conditional_results_meet_in_a_common_type() {
        let n = Value::Number(1.0);
        assert_eq!(conform(n.clone(), &Value::from("2")), Ok(Value::from("1")));
        assert_eq!(conform(Value::from("2"), &n), Ok(Value::from("2")));
        assert!(conform(n.clone(), &Value::Bool(true)).is_err());
        assert_eq!(conform(Value::Null, &n), Ok(Value::Null));
        let tuple = Value::List(vec![n.clone(), Value::from("a")]);
        let other = Value::List(vec![Value::from("b"), Value::Number(2.0)]);
        assert_eq!(
            conform(tuple, &other),
            Ok(Value::List(vec![Value::from("1"), Value::from("a")]))
        );
        let shorter = Value::List(vec![Value::from("a"), Value::from("b")]);
        assert_eq!(
            conform(Value::List(vec![n.clone()]), &shorter),
            Ok(Value::List(vec![Value::from("1")]))
        );
    }
}
