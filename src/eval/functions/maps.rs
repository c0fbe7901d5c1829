//! Map and object functions: `keys`, `values`, `lookup`, `merge`, `zipmap`, `transpose`.

use std::collections::BTreeMap;

use labform_sdk::{Type, Value};

use super::spec::{f, fv, list_at, map_at, p, str_at, Func, Ty, A, LIST_A, LIST_S, S};
use super::{FnResult, FunctionContext, FunctionError};

const MAP_LIST_S: Ty = Ty::Map(&LIST_S);

pub(crate) const FUNCS: &[Func] = &[
    f("keys", &[p("inputMap", A).unknown()], keys),
    f("values", &[p("values", A).unknown()], values),
    fv(
        "lookup",
        &[p("inputMap", A).unknown(), p("key", S)],
        p("default", A).nullable().unknown(),
        lookup,
    ),
    fv("merge", &[], p("maps", A).nullable().unknown(), merge),
    f(
        "zipmap",
        &[p("keys", LIST_S), p("values", LIST_A).unknown()],
        zipmap,
    ),
    f("transpose", &[p("values", MAP_LIST_S)], transpose),
];

/// The object argument `i`; `Ok(None)` when it is unknown.
fn object_arg<'a>(
    a: &'a [Value],
    i: usize,
    what: &str,
) -> Result<Option<&'a BTreeMap<String, Value>>, FunctionError> {
    match &a[i] {
        Value::Unknown => Ok(None),
        Value::Object(map) => Ok(Some(map)),
        _ => Err(FunctionError::arg(i, what.to_string())),
    }
}

fn keys(a: &[Value], _: &FunctionContext) -> FnResult {
    let Some(map) = object_arg(a, 0, "must have map or object type")? else {
        return Ok(Value::Unknown);
    };
    Ok(Value::List(
        map.keys().map(|k| Value::String(k.clone())).collect(),
    ))
}

fn values(a: &[Value], _: &FunctionContext) -> FnResult {
    let Some(map) = object_arg(a, 0, "values() requires a map as the first argument")? else {
        return Ok(Value::Unknown);
    };
    Ok(Value::List(map.values().cloned().collect()))
}

fn lookup(a: &[Value], _: &FunctionContext) -> FnResult {
    if a.len() > 3 {
        return Err(FunctionError::new(format!(
            "lookup() takes two or three arguments, got {}",
            a.len()
        )));
    }
    let key = str_at(a, 1)?;
    let Some(map) = object_arg(a, 0, "lookup() requires a map as the first argument")? else {
        return Ok(Value::Unknown);
    };
    match (map.get(key), a.get(2)) {
        (Some(v), _) => Ok(v.clone()),
        (None, Some(default)) => {
            // The default takes the type of the map's values when they agree on one.
            let mut kinds = map
                .values()
                .filter(|v| !v.is_null() && !v.is_unknown())
                .map(Value::kind_name);
            match (kinds.next(), default) {
                (Some("string"), d) if kinds.all(|k| k == "string") => Type::String
                    .convert(d)
                    .map_err(|e| FunctionError::arg(2, e)),
                _ => Ok(default.clone()),
            }
        }
        (None, None) => Err(FunctionError::arg(
            0,
            format!("the given object has no attribute `{key}`"),
        )),
    }
}

fn merge(a: &[Value], _: &FunctionContext) -> FnResult {
    if !a.is_empty() && a.iter().all(Value::is_null) {
        return Ok(Value::Null);
    }
    let mut out = BTreeMap::new();
    for (i, arg) in a.iter().enumerate() {
        match arg {
            Value::Null => {}
            Value::Unknown => return Ok(Value::Unknown),
            Value::Object(map) => out.extend(map.iter().map(|(k, v)| (k.clone(), v.clone()))),
            other => {
                return Err(FunctionError::arg(
                    i,
                    format!(
                        "arguments must be maps or objects, got {}",
                        other.kind_name()
                    ),
                ))
            }
        }
    }
    Ok(Value::Object(out))
}

fn zipmap(a: &[Value], _: &FunctionContext) -> FnResult {
    let keys = list_at(a, 0)?;
    let Value::List(values) = &a[1] else {
        return Ok(Value::Unknown);
    };
    if keys.len() != values.len() {
        return Err(FunctionError::new(format!(
            "number of keys ({}) does not match number of values ({})",
            keys.len(),
            values.len()
        )));
    }
    let mut out = BTreeMap::new();
    for (i, (k, v)) in keys.iter().zip(values).enumerate() {
        match k {
            Value::String(k) => {
                out.insert(k.clone(), v.clone());
            }
            _ => {
                return Err(FunctionError::arg(
                    0,
                    format!("keys list has null value at index {i}"),
                ))
            }
        }
    }
    Ok(Value::Object(out))
}

fn transpose(a: &[Value], _: &FunctionContext) -> FnResult {
    let mut out: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for (key, list) in map_at(a, 0)? {
        let Value::List(items) = list else {
            return Err(FunctionError::arg(
                0,
                format!("the value for key `{key}` is null"),
            ));
        };
        for item in items {
            match item {
                Value::String(s) => out
                    .entry(s.clone())
                    .or_default()
                    .push(Value::String(key.clone())),
                _ => {
                    return Err(FunctionError::arg(
                        0,
                        "input must be a map of lists of strings",
                    ))
                }
            }
        }
    }
    Ok(Value::Object(
        out.into_iter().map(|(k, v)| (k, Value::List(v))).collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use labform_sdk::Value;

    #[test]
    fn keys_and_values_match_the_docs() {
        let m = obj(vec![("a", n(1.0)), ("c", n(2.0)), ("d", n(3.0))]);
        assert_eq!(call_ok("keys", vec![m.clone()]), strs(&["a", "c", "d"]));
        assert_eq!(call_ok("values", vec![m]), nums(&[1.0, 2.0, 3.0]));
        let partial = obj(vec![("a", Value::Unknown)]);
        assert_eq!(call_ok("keys", vec![partial.clone()]), strs(&["a"]));
        assert_eq!(call_ok("values", vec![partial]), list(vec![Value::Unknown]));
        assert_eq!(call_ok("keys", vec![Value::Unknown]), Value::Unknown);
        assert!(try_call("keys", vec![strs(&["a"])]).is_err());
    }

    #[test]
    fn lookup_matches_the_docs() {
        let m = obj(vec![("a", s("ay")), ("b", s("bee"))]);
        assert_eq!(
            call_ok("lookup", vec![m.clone(), s("a"), s("what?")]),
            s("ay")
        );
        assert_eq!(
            call_ok("lookup", vec![m.clone(), s("c"), s("what?")]),
            s("what?")
        );
        assert_eq!(call_ok("lookup", vec![m.clone(), s("c"), n(1.0)]), s("1"));
        let err = call_err("lookup", vec![m.clone(), s("c")]);
        assert_eq!(
            err.message,
            "invalid value for `inputMap` parameter: the given object has no attribute `c`"
        );
        assert!(try_call("lookup", vec![m.clone(), s("c"), s("x"), s("y")]).is_err());
        let partial = obj(vec![("a", s("x")), ("b", Value::Unknown)]);
        assert_eq!(call_ok("lookup", vec![partial, s("a")]), s("x"));
    }

    #[test]
    fn merge_matches_the_docs() {
        assert_eq!(
            call_ok(
                "merge",
                vec![
                    obj(vec![("a", s("b")), ("c", s("d"))]),
                    obj(vec![("e", s("f")), ("c", s("z"))])
                ]
            ),
            obj(vec![("a", s("b")), ("c", s("z")), ("e", s("f"))])
        );
        assert_eq!(
            call_ok(
                "merge",
                vec![
                    obj(vec![("a", s("b"))]),
                    Value::Null,
                    obj(vec![("x", Value::Unknown)])
                ]
            ),
            obj(vec![("a", s("b")), ("x", Value::Unknown)])
        );
        assert_eq!(call_ok("merge", vec![]), obj(vec![]));
        assert_eq!(
            call_ok("merge", vec![obj(vec![]), Value::Unknown]),
            Value::Unknown
        );
        assert!(try_call("merge", vec![strs(&["a"])]).is_err());
    }

    #[test]
    fn zipmap_and_transpose_match_the_docs() {
        assert_eq!(
            call_ok("zipmap", vec![strs(&["a", "b"]), nums(&[1.0, 2.0])]),
            obj(vec![("a", n(1.0)), ("b", n(2.0))])
        );
        assert!(try_call("zipmap", vec![strs(&["a"]), nums(&[])]).is_err());
        assert_eq!(
            call_ok(
                "transpose",
                vec![obj(vec![
                    ("a", strs(&["1", "2"])),
                    ("b", strs(&["2", "3"]))
                ])]
            ),
            obj(vec![
                ("1", strs(&["a"])),
                ("2", strs(&["a", "b"])),
                ("3", strs(&["b"]))
            ])
        );
    }
}
