//! List functions: `length`, `element`, `index`, `contains`, `concat`, `distinct`, `flatten`,
//! `reverse`, `slice`, `sort`, `one`, `chunklist`, `alltrue`, `anytrue`, `matchkeys`.

use labform_sdk::Value;

use super::spec::{f, fv, int_at, list_at, p, Func, A, LIST_A, LIST_S, N};
use super::strings::char_count;
use super::{FnResult, FunctionContext, FunctionError};

pub(crate) const FUNCS: &[Func] = &[
    f("length", &[p("value", A).unknown()], length),
    f(
        "element",
        &[p("list", LIST_A).unknown(), p("index", N)],
        element,
    ),
    f("index", &[p("list", LIST_A), p("value", A)], index),
    f(
        "contains",
        &[p("list", LIST_A).unknown(), p("value", A).unknown()],
        contains,
    ),
    fv("concat", &[], p("seqs", A).unknown(), concat),
    f("distinct", &[p("list", LIST_A)], distinct),
    f("flatten", &[p("list", LIST_A).unknown()], flatten),
    f("reverse", &[p("list", LIST_A).unknown()], reverse),
    f(
        "slice",
        &[
            p("list", LIST_A).unknown(),
            p("start_index", N),
            p("end_index", N),
        ],
        slice,
    ),
    f("sort", &[p("list", LIST_S)], sort),
];

/// The list argument `i`, or `None` when it is unknown (the result is then unknown too).
pub(crate) fn known_list(a: &[Value], i: usize) -> Result<Option<&[Value]>, FunctionError> {
    match a.get(i) {
        Some(Value::Unknown) => Ok(None),
        _ => list_at(a, i).map(Some),
    }
}

fn length(a: &[Value], _: &FunctionContext) -> FnResult {
    let len = match &a[0] {
        Value::Unknown => return Ok(Value::Unknown),
        Value::String(s) => char_count(s),
        Value::List(items) => items.len(),
        Value::Object(map) => map.len(),
        _ => {
            return Err(FunctionError::arg(
                0,
                "argument must be a string, a collection type, or a structural type",
            ))
        }
    };
    Ok(Value::Number(len as f64))
}

fn element(a: &[Value], _: &FunctionContext) -> FnResult {
    let Some(items) = known_list(a, 0)? else {
        return Ok(Value::Unknown);
    };
    let index = int_at(a, 1)?;
    if items.is_empty() {
        return Err(FunctionError::arg(
            0,
            "cannot use element function with an empty list",
        ));
    }
    if index < 0 {
        return Err(FunctionError::arg(
            1,
            "cannot use element function with a negative index",
        ));
    }
    Ok(items[(index as u64 % items.len() as u64) as usize].clone())
}

fn index(a: &[Value], _: &FunctionContext) -> FnResult {
    let items = list_at(a, 0)?;
    if items.is_empty() {
        return Err(FunctionError::arg(0, "cannot search an empty list"));
    }
    match items.iter().position(|v| *v == a[1]) {
        Some(i) => Ok(Value::Number(i as f64)),
        None => Err(FunctionError::new("item not found")),
    }
}

/// True when some element equals the value; unknown when none does but an unknown element
/// still might.
fn contains(a: &[Value], _: &FunctionContext) -> FnResult {
    let Some(items) = known_list(a, 0)? else {
        return Ok(Value::Unknown);
    };
    if items.is_empty() {
        return Ok(Value::Bool(false));
    }
    if !a[1].is_wholly_known() {
        return Ok(Value::Unknown);
    }
    if items.contains(&a[1]) {
        return Ok(Value::Bool(true));
    }
    if items.iter().all(Value::is_wholly_known) {
        Ok(Value::Bool(false))
    } else {
        Ok(Value::Unknown)
    }
}

fn concat(a: &[Value], _: &FunctionContext) -> FnResult {
    if a.is_empty() {
        return Err(FunctionError::new("at least one argument is required"));
    }
    let mut out = Vec::new();
    for (i, arg) in a.iter().enumerate() {
        match arg {
            Value::Unknown => return Ok(Value::Unknown),
            Value::List(items) => out.extend(items.iter().cloned()),
            other => {
                return Err(FunctionError::arg(
                    i,
                    format!(
                        "all arguments must be lists or tuples; got {}",
                        other.kind_name()
                    ),
                ))
            }
        }
    }
    Ok(Value::List(out))
}

fn distinct(a: &[Value], _: &FunctionContext) -> FnResult {
    let mut out: Vec<Value> = Vec::new();
    for item in list_at(a, 0)? {
        if !out.contains(item) {
            out.push(item.clone());
        }
    }
    Ok(Value::List(out))
}

fn flatten(a: &[Value], _: &FunctionContext) -> FnResult {
    let Some(items) = known_list(a, 0)? else {
        return Ok(Value::Unknown);
    };
    let mut out = Vec::new();
    if !flatten_into(items, &mut out) {
        return Ok(Value::Unknown);
    }
    Ok(Value::List(out))
}

/// False when an unknown list element makes the shape of the result unknown.
fn flatten_into(items: &[Value], out: &mut Vec<Value>) -> bool {
    for item in items {
        match item {
            Value::Unknown => return false,
            Value::List(inner) => {
                if !flatten_into(inner, out) {
                    return false;
                }
            }
            other => out.push(other.clone()),
        }
    }
    true
}

fn reverse(a: &[Value], _: &FunctionContext) -> FnResult {
    let Some(items) = known_list(a, 0)? else {
        return Ok(Value::Unknown);
    };
    Ok(Value::List(items.iter().rev().cloned().collect()))
}

fn slice(a: &[Value], _: &FunctionContext) -> FnResult {
    let start = int_at(a, 1)?;
    let end = int_at(a, 2)?;
    if start < 0 {
        return Err(FunctionError::arg(
            1,
            "start index must not be less than zero",
        ));
    }
    if end < 0 {
        return Err(FunctionError::arg(
            2,
            "end index must not be less than zero",
        ));
    }
    let Some(items) = known_list(a, 0)? else {
        return Ok(Value::Unknown);
    };
    if start > items.len() as i64 {
        return Err(FunctionError::arg(
            1,
            "start index must not be greater than the length of the list",
        ));
    }
    if end > items.len() as i64 {
        return Err(FunctionError::arg(
            2,
            "end index must not be greater than the length of the list",
        ));
    }
    if start > end {
        return Err(FunctionError::arg(
            1,
            "start index must not be greater than end index",
        ));
    }
    Ok(Value::List(items[start as usize..end as usize].to_vec()))
}

fn sort(a: &[Value], _: &FunctionContext) -> FnResult {
    let mut strings = Vec::new();
    for (i, item) in list_at(a, 0)?.iter().enumerate() {
        match item {
            Value::String(s) => strings.push(s.clone()),
            _ => {
                return Err(FunctionError::arg(
                    0,
                    format!("given list element {i} is null; a null string cannot be sorted"),
                ))
            }
        }
    }
    strings.sort();
    Ok(Value::List(
        strings.into_iter().map(Value::String).collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use labform_sdk::Value;

    #[test]
    fn length_matches_the_docs() {
        assert_eq!(call_ok("length", vec![list(vec![])]), n(0.0));
        assert_eq!(call_ok("length", vec![strs(&["a", "b"])]), n(2.0));
        assert_eq!(call_ok("length", vec![obj(vec![("a", s("b"))])]), n(1.0));
        assert_eq!(call_ok("length", vec![s("hello")]), n(5.0));
        assert_eq!(call_ok("length", vec![s("👾🕹️")]), n(2.0));
        assert_eq!(
            call_ok("length", vec![list(vec![Value::Unknown, Value::Unknown])]),
            n(2.0)
        );
        assert_eq!(call_ok("length", vec![Value::Unknown]), Value::Unknown);
        assert!(try_call("length", vec![n(1.0)]).is_err());
        assert!(try_call("length", vec![Value::Null]).is_err());
    }

    #[test]
    fn element_index_contains() {
        let abc = strs(&["a", "b", "c"]);
        assert_eq!(call_ok("element", vec![abc.clone(), n(1.0)]), s("b"));
        assert_eq!(call_ok("element", vec![abc.clone(), n(3.0)]), s("a"));
        assert_eq!(
            call_ok("element", vec![list(vec![s("a"), Value::Unknown]), n(0.0)]),
            s("a")
        );
        assert_eq!(
            call_err("element", vec![list(vec![]), n(0.0)]).message,
            "invalid value for `list` parameter: cannot use element function with an empty list"
        );
        assert!(try_call("element", vec![abc.clone(), n(-1.0)]).is_err());
        assert_eq!(call_ok("index", vec![abc.clone(), s("b")]), n(1.0));
        assert_eq!(
            call_err("index", vec![abc.clone(), s("z")]).message,
            "item not found"
        );
        assert_eq!(call_ok("contains", vec![abc.clone(), s("a")]), b(true));
        assert_eq!(call_ok("contains", vec![abc.clone(), s("d")]), b(false));
        assert_eq!(
            call_ok("contains", vec![list(vec![Value::Unknown]), s("d")]),
            Value::Unknown
        );
        assert_eq!(
            call_ok("contains", vec![list(vec![Value::Unknown, s("d")]), s("d")]),
            b(true)
        );
        assert_eq!(
            call_ok("contains", vec![list(vec![]), Value::Unknown]),
            b(false)
        );
        assert_eq!(
            call_err("index", vec![list(vec![]), s("a")]).message,
            "invalid value for `list` parameter: cannot search an empty list"
        );
    }

    #[test]
    fn concat_distinct_flatten_reverse() {
        assert_eq!(
            call_ok("concat", vec![strs(&["a", ""]), strs(&["b", "c"])]),
            strs(&["a", "", "b", "c"])
        );
        assert_eq!(
            call_ok("concat", vec![list(vec![Value::Unknown]), strs(&["b"])]),
            list(vec![Value::Unknown, s("b")])
        );
        assert_eq!(
            call_ok("concat", vec![Value::Unknown, strs(&["b"])]),
            Value::Unknown
        );
        assert!(try_call("concat", vec![]).is_err());
        assert!(try_call("concat", vec![s("a")]).is_err());
        assert_eq!(
            call_ok("distinct", vec![strs(&["a", "b", "a", "c", "d", "b"])]),
            strs(&["a", "b", "c", "d"])
        );
        assert_eq!(
            call_ok(
                "flatten",
                vec![list(vec![strs(&["a", "b"]), list(vec![]), strs(&["c"])])]
            ),
            strs(&["a", "b", "c"])
        );
        assert_eq!(
            call_ok(
                "flatten",
                vec![list(vec![list(vec![s("a"), strs(&["b"])]), s("c")])]
            ),
            strs(&["a", "b", "c"])
        );
        assert_eq!(
            call_ok("flatten", vec![list(vec![list(vec![Value::Unknown])])]),
            Value::Unknown
        );
        assert_eq!(
            call_ok("reverse", vec![nums(&[1.0, 2.0, 3.0])]),
            nums(&[3.0, 2.0, 1.0])
        );
    }

    #[test]
    fn slice_sort_one_chunklist() {
        assert_eq!(
            call_ok("slice", vec![strs(&["a", "b", "c", "d"]), n(1.0), n(3.0)]),
            strs(&["b", "c"])
        );
        assert!(try_call("slice", vec![strs(&["a"]), n(-1.0), n(1.0)]).is_err());
        assert!(try_call("slice", vec![strs(&["a"]), n(0.0), n(2.0)]).is_err());
        assert!(try_call("slice", vec![strs(&["a", "b"]), n(2.0), n(1.0)]).is_err());
        assert_eq!(
            call_ok("sort", vec![strs(&["e", "d", "a", "x"])]),
            strs(&["a", "d", "e", "x"])
        );
        assert_eq!(
            call_ok("sort", vec![nums(&[10.0, 9.0])]),
            strs(&["10", "9"])
        );
        assert_eq!(call_ok("one", vec![list(vec![])]), Value::Null);
        assert_eq!(call_ok("one", vec![strs(&["hello"])]), s("hello"));
        assert!(try_call("one", vec![strs(&["a", "b"])]).is_err());
        assert_eq!(
            call_ok("chunklist", vec![strs(&["a", "b", "c", "d", "e"]), n(2.0)]),
            list(vec![strs(&["a", "b"]), strs(&["c", "d"]), strs(&["e"])])
        );
        assert_eq!(
            call_ok("chunklist", vec![strs(&["a", "b", "c", "d", "e"]), n(1.0)])
                .as_list()
                .map(|l| l.len()),
            Some(5)
        );
        assert!(try_call("chunklist", vec![strs(&["a"]), n(-1.0)]).is_err());
        assert_eq!(call_ok("chunklist", vec![strs(&[]), n(0.0)]), list(vec![]));
        assert_eq!(
            call_ok("chunklist", vec![strs(&["a", "b"]), n(0.0)]),
            list(vec![strs(&["a", "b"])])
        );
    }

    #[test]
    fn booleans_and_matchkeys() {
        assert_eq!(
            call_ok("alltrue", vec![list(vec![s("true"), b(true)])]),
            b(true)
        );
        assert_eq!(
            call_ok("alltrue", vec![list(vec![b(true), b(false)])]),
            b(false)
        );
        assert_eq!(call_ok("alltrue", vec![list(vec![])]), b(true));
        assert_eq!(call_ok("anytrue", vec![list(vec![s("true")])]), b(true));
        assert_eq!(call_ok("anytrue", vec![list(vec![])]), b(false));
        assert_eq!(
            call_ok("anytrue", vec![list(vec![Value::Unknown, b(true)])]),
            b(true)
        );
        assert_eq!(
            call_ok("anytrue", vec![list(vec![Value::Unknown, b(false)])]),
            Value::Unknown
        );
        assert_eq!(
            call_ok("alltrue", vec![list(vec![b(false), Value::Unknown])]),
            b(false)
        );
        assert_eq!(call_ok("alltrue", vec![list(vec![Value::Null])]), b(false));
        assert!(call_err("list", vec![s("a")]).message.contains("tolist"));
        assert_eq!(
            call_ok(
                "matchkeys",
                vec![
                    strs(&["i-123", "i-abc", "i-def"]),
                    strs(&["us-west", "us-east", "us-east"]),
                    strs(&["us-east"])
                ]
            ),
            strs(&["i-abc", "i-def"])
        );
        assert!(try_call("matchkeys", vec![strs(&["a"]), strs(&[]), strs(&[])]).is_err());
    }
}
