//! `coalesce`, `coalescelist` and `compact`: picking or keeping the non-empty values.

use labform_sdk::Value;

use super::spec::{f, fv, list_at, p, Func, A, LIST_S};
use super::unify::unify;
use super::{FnResult, FunctionContext, FunctionError};

pub(crate) const FUNCS: &[Func] = &[
    fv("coalesce", &[], p("vals", A).nullable().unknown(), coalesce),
    fv(
        "coalescelist",
        &[],
        p("vals", A).nullable().unknown(),
        coalescelist,
    ),
    f("compact", &[p("list", LIST_S)], compact),
];

/// The first argument that is neither null nor an empty string. An unknown argument before it
/// could be that value, so the result is then unknown.
fn coalesce(a: &[Value], _: &FunctionContext) -> FnResult {
    let args = unify(a.to_vec())
        .map_err(|_| FunctionError::new("all arguments must have the same type"))?;
    for arg in args {
        match arg {
            Value::Unknown => return Ok(Value::Unknown),
            Value::Null => {}
            Value::String(s) if s.is_empty() => {}
            other => return Ok(other),
        }
    }
    Err(FunctionError::new(
        "no non-null, non-empty-string arguments",
    ))
}

fn coalescelist(a: &[Value], _: &FunctionContext) -> FnResult {
    for (i, arg) in a.iter().enumerate() {
        match arg {
            Value::Unknown => return Ok(Value::Unknown),
            Value::Null => {}
            Value::List(items) if items.is_empty() => {}
            Value::List(_) => return Ok(arg.clone()),
            other => {
                return Err(FunctionError::arg(
                    i,
                    format!(
                        "coalescelist arguments must be lists or tuples, got {}",
                        other.kind_name()
                    ),
                ))
            }
        }
    }
    Err(FunctionError::new("no non-null arguments"))
}

fn compact(a: &[Value], _: &FunctionContext) -> FnResult {
    let kept = list_at(a, 0)?
        .iter()
        .filter(|v| !matches!(v, Value::Null) && v.as_str() != Some(""))
        .cloned()
        .collect();
    Ok(Value::List(kept))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use labform_sdk::Value;

    #[test]
    fn coalesce_matches_the_docs() {
        assert_eq!(call_ok("coalesce", vec![s("a"), s("b")]), s("a"));
        assert_eq!(call_ok("coalesce", vec![s(""), s("b")]), s("b"));
        assert_eq!(call_ok("coalesce", vec![n(1.0), n(2.0)]), n(1.0));
        assert_eq!(call_ok("coalesce", vec![Value::Null, n(2.0)]), n(2.0));
        assert_eq!(call_ok("coalesce", vec![n(1.0), s("hello")]), s("1"));
        assert_eq!(
            call_ok("coalesce", vec![Value::Null, Value::Unknown, s("x")]),
            Value::Unknown
        );
        assert_eq!(call_ok("coalesce", vec![s("a"), Value::Unknown]), s("a"));
        assert_eq!(
            call_err("coalesce", vec![Value::Null, s("")]).message,
            "no non-null, non-empty-string arguments"
        );
        assert!(try_call("coalesce", vec![]).is_err());
    }

    #[test]
    fn coalescelist_and_compact_match_the_docs() {
        assert_eq!(
            call_ok("coalescelist", vec![strs(&["a", "b"]), strs(&["c", "d"])]),
            strs(&["a", "b"])
        );
        assert_eq!(
            call_ok("coalescelist", vec![list(vec![]), strs(&["c", "d"])]),
            strs(&["c", "d"])
        );
        assert!(try_call("coalescelist", vec![list(vec![])]).is_err());
        assert!(try_call("coalescelist", vec![s("a")]).is_err());
        assert_eq!(
            call_ok(
                "compact",
                vec![list(vec![s("a"), s(""), s("b"), Value::Null, s("c")])]
            ),
            strs(&["a", "b", "c"])
        );
        assert_eq!(
            call_ok("compact", vec![list(vec![s("a"), Value::Unknown])]),
            Value::Unknown
        );
    }
}
