//! Type conversion functions (`tostring`, `tonumber`, `tobool`, `tolist`, `toset`, `tomap`)
//! and the sensitivity functions, which act on marks: the evaluator answers them itself, so
//! these entries only give them their signatures (arity errors, `names()`).

use labform_sdk::types::normalize_set;
use labform_sdk::{Type, Value};

use super::spec::{f, p, Func, A};
use super::unify::unify;
use super::{FnResult, FunctionContext, FunctionError};

pub(crate) const FUNCS: &[Func] = &[
    f("tostring", &[p("v", A).nullable().unknown()], tostring),
    f("tonumber", &[p("v", A).nullable().unknown()], tonumber),
    f("tobool", &[p("v", A).nullable().unknown()], tobool),
    f("tolist", &[p("v", A).nullable().unknown()], tolist),
    f("toset", &[p("v", A).nullable().unknown()], toset),
    f("tomap", &[p("v", A).nullable().unknown()], tomap),
    f("sensitive", &[p("value", A).nullable().unknown()], identity),
    f(
        "nonsensitive",
        &[p("value", A).nullable().unknown()],
        identity,
    ),
    f(
        "ephemeralasnull",
        &[p("value", A).nullable().unknown()],
        identity,
    ),
    f(
        "issensitive",
        &[p("value", A).nullable().unknown()],
        issensitive,
    ),
];

fn identity(a: &[Value], _: &FunctionContext) -> FnResult {
    Ok(a[0].clone())
}

/// Marks are not seen at this level: the evaluator answers `issensitive` itself.
fn issensitive(_: &[Value], _: &FunctionContext) -> FnResult {
    Ok(Value::Bool(false))
}

/// Terraform's name for the kind of a value in conversion errors.
fn type_word(v: &Value) -> &'static str {
    match v {
        Value::List(_) => "tuple",
        Value::Object(_) => "object",
        other => other.kind_name(),
    }
}

fn cannot(v: &Value, to: &str) -> FunctionError {
    FunctionError::arg(0, format!("cannot convert {} to {to}", type_word(v)))
}

fn tostring(a: &[Value], _: &FunctionContext) -> FnResult {
    match &a[0] {
        v @ (Value::List(_) | Value::Object(_)) => Err(cannot(v, "string")),
        v => Type::String
            .convert(v)
            .map_err(|e| FunctionError::arg(0, e)),
    }
}

fn tonumber(a: &[Value], _: &FunctionContext) -> FnResult {
    match &a[0] {
        Value::String(s) => s
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite() && !s.contains(char::is_whitespace))
            .map(Value::Number)
            .ok_or_else(|| {
                FunctionError::arg(
                    0,
                    format!("cannot convert `{s}` to number; given string must be a decimal representation of a number"),
                )
            }),
        v @ (Value::Null | Value::Unknown | Value::Number(_)) => Ok(v.clone()),
        v => Err(cannot(v, "number")),
    }
}

fn tobool(a: &[Value], _: &FunctionContext) -> FnResult {
    match &a[0] {
        Value::String(s) if s == "true" => Ok(Value::Bool(true)),
        Value::String(s) if s == "false" => Ok(Value::Bool(false)),
        Value::String(s) => Err(FunctionError::arg(
            0,
            format!("cannot convert `{s}` to bool; only the strings `true` or `false` are allowed"),
        )),
        v @ (Value::Null | Value::Unknown | Value::Bool(_)) => Ok(v.clone()),
        v => Err(cannot(v, "bool")),
    }
}

fn tolist(a: &[Value], _: &FunctionContext) -> FnResult {
    match &a[0] {
        Value::List(items) => unify(items.clone())
            .map(Value::List)
            .map_err(|_| cannot(&a[0], "list of any single type")),
        v @ (Value::Null | Value::Unknown) => Ok(v.clone()),
        v => Err(cannot(v, "list of any single type")),
    }
}

fn toset(a: &[Value], _: &FunctionContext) -> FnResult {
    match &a[0] {
        // Elements that are not yet known could turn out equal, so the set itself is unknown.
        Value::List(items) if !items.iter().all(Value::is_wholly_known) => Ok(Value::Unknown),
        Value::List(items) => unify(items.clone())
            .map(|items| Value::List(normalize_set(items)))
            .map_err(|_| cannot(&a[0], "set of any single type")),
        v @ (Value::Null | Value::Unknown) => Ok(v.clone()),
        v => Err(cannot(v, "set of any single type")),
    }
}

fn tomap(a: &[Value], _: &FunctionContext) -> FnResult {
    match &a[0] {
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().cloned().collect();
            let values = unify(map.values().cloned().collect())
                .map_err(|_| cannot(&a[0], "map of any single type"))?;
            Ok(Value::Object(keys.into_iter().zip(values).collect()))
        }
        v @ (Value::Null | Value::Unknown) => Ok(v.clone()),
        v => Err(cannot(v, "map of any single type")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use labform_sdk::Value;

    #[test]
    fn primitive_conversions_match_the_docs() {
        assert_eq!(call_ok("tostring", vec![s("hello")]), s("hello"));
        assert_eq!(call_ok("tostring", vec![n(1.0)]), s("1"));
        assert_eq!(call_ok("tostring", vec![n(5.5)]), s("5.5"));
        assert_eq!(call_ok("tostring", vec![b(true)]), s("true"));
        assert_eq!(call_ok("tostring", vec![Value::Null]), Value::Null);
        assert_eq!(call_ok("tostring", vec![Value::Unknown]), Value::Unknown);
        assert_eq!(
            call_err("tostring", vec![list(vec![])]).message,
            "invalid value for `v` parameter: cannot convert tuple to string"
        );
        assert_eq!(call_ok("tonumber", vec![n(1.0)]), n(1.0));
        assert_eq!(call_ok("tonumber", vec![s("1")]), n(1.0));
        assert_eq!(call_ok("tonumber", vec![s("-2.5")]), n(-2.5));
        assert_eq!(call_ok("tonumber", vec![Value::Null]), Value::Null);
        let err = call_err("tonumber", vec![s("no")]);
        assert_eq!(
            err.message,
            "invalid value for `v` parameter: cannot convert `no` to number; given string must be a decimal representation of a number"
        );
        assert!(try_call("tonumber", vec![s("NaN")]).is_err());
        assert!(try_call("tonumber", vec![s("inf")]).is_err());
        assert_eq!(call_ok("tobool", vec![s("true")]), b(true));
        assert_eq!(call_ok("tobool", vec![b(false)]), b(false));
        assert_eq!(call_ok("tobool", vec![Value::Null]), Value::Null);
        assert!(try_call("tobool", vec![s("no")]).is_err());
        assert!(try_call("tobool", vec![n(1.0)]).is_err());
    }

    #[test]
    fn collection_conversions_match_the_docs() {
        assert_eq!(
            call_ok("tolist", vec![list(vec![s("a"), s("b"), s("c")])]),
            strs(&["a", "b", "c"])
        );
        assert_eq!(
            call_ok("tolist", vec![list(vec![s("a"), n(1.0), b(true)])]),
            strs(&["a", "1", "true"])
        );
        assert!(try_call("tolist", vec![obj(vec![])]).is_err());
        assert_eq!(
            call_ok("toset", vec![strs(&["a", "b", "c"])]),
            strs(&["a", "b", "c"])
        );
        assert_eq!(
            call_ok("toset", vec![list(vec![s("a"), n(1.0), b(true)])]),
            strs(&["1", "a", "true"])
        );
        assert_eq!(
            call_ok("toset", vec![strs(&["c", "b", "b"])]),
            strs(&["b", "c"])
        );
        assert_eq!(
            call_ok("toset", vec![list(vec![s("a"), Value::Unknown])]),
            Value::Unknown
        );
        assert_eq!(
            call_ok("tomap", vec![obj(vec![("a", s("foo")), ("b", b(true))])]),
            obj(vec![("a", s("foo")), ("b", s("true"))])
        );
        assert!(try_call("tomap", vec![strs(&["a"])]).is_err());
        assert_eq!(call_ok("sensitive", vec![s("x")]), s("x"));
        assert_eq!(
            call_ok("nonsensitive", vec![Value::Unknown]),
            Value::Unknown
        );
    }
}
