//! Set functions: `setunion`, `setintersection`, `setsubtract`, `setproduct`. Sets are sorted,
//! de-duplicated lists.

use labform_sdk::types::normalize_set;
use labform_sdk::Value;

use super::spec::{f, fv, list_at, p, Func, LIST_A, SET_A};
use super::unify::unify;
use super::{FnResult, FunctionContext, FunctionError};

pub(crate) const FUNCS: &[Func] = &[
    fv(
        "setunion",
        &[p("first_set", SET_A)],
        p("other_sets", SET_A),
        setunion,
    ),
    fv(
        "setintersection",
        &[p("first_set", SET_A)],
        p("other_sets", SET_A),
        setintersection,
    ),
    f("setsubtract", &[p("a", SET_A), p("b", SET_A)], setsubtract),
    fv("setproduct", &[], p("sets", LIST_A), setproduct),
];

/// All set arguments, their elements unified to one type across every set.
fn unified_sets(a: &[Value]) -> Result<Vec<Vec<Value>>, FunctionError> {
    let mut lens = Vec::with_capacity(a.len());
    let mut all = Vec::new();
    for i in 0..a.len() {
        let items = list_at(a, i)?;
        lens.push(items.len());
        all.extend(items.iter().cloned());
    }
    let mut all = unify(all)
        .map_err(|_| FunctionError::new("given sets must all have compatible element types"))?
        .into_iter();
    Ok(lens
        .into_iter()
        .map(|len| all.by_ref().take(len).collect())
        .collect())
}

fn setunion(a: &[Value], _: &FunctionContext) -> FnResult {
    let sets = unified_sets(a)?;
    Ok(Value::List(normalize_set(
        sets.into_iter().flatten().collect(),
    )))
}

fn setintersection(a: &[Value], _: &FunctionContext) -> FnResult {
    let mut sets = unified_sets(a)?.into_iter();
    let first = sets.next().unwrap_or_default();
    let rest: Vec<Vec<Value>> = sets.collect();
    let kept = first
        .into_iter()
        .filter(|v| rest.iter().all(|s| s.contains(v)))
        .collect();
    Ok(Value::List(normalize_set(kept)))
}

fn setsubtract(a: &[Value], _: &FunctionContext) -> FnResult {
    let sets = unified_sets(a)?;
    let (left, right) = (&sets[0], &sets[1]);
    let kept = left
        .iter()
        .filter(|v| !right.contains(v))
        .cloned()
        .collect();
    Ok(Value::List(normalize_set(kept)))
}

/// Every combination of one element from each argument, in argument order.
fn setproduct(a: &[Value], _: &FunctionContext) -> FnResult {
    if a.len() < 2 {
        return Err(FunctionError::new("at least two arguments are required"));
    }
    let mut total: usize = 1;
    for i in 0..a.len() {
        total = total.saturating_mul(list_at(a, i)?.len());
    }
    if total > 100_000 {
        return Err(FunctionError::new(format!(
            "the product would have {total} elements, which is too many"
        )));
    }
    let mut rows: Vec<Vec<Value>> = vec![Vec::new()];
    for i in 0..a.len() {
        let items = list_at(a, i)?;
        let mut next = Vec::with_capacity(rows.len() * items.len());
        for row in &rows {
            for item in items {
                let mut r = row.clone();
                r.push(item.clone());
                next.push(r);
            }
        }
        rows = next;
    }
    Ok(Value::List(rows.into_iter().map(Value::List).collect()))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;

    #[test]
    fn set_operations_match_the_docs() {
        assert_eq!(
            call_ok(
                "setunion",
                vec![strs(&["a", "b"]), strs(&["b", "c"]), strs(&["d"])]
            ),
            strs(&["a", "b", "c", "d"])
        );
        assert_eq!(
            call_ok(
                "setintersection",
                vec![strs(&["a", "b"]), strs(&["b", "c"]), strs(&["b", "d"])]
            ),
            strs(&["b"])
        );
        assert_eq!(
            call_ok(
                "setsubtract",
                vec![strs(&["a", "b", "c"]), strs(&["a", "c"])]
            ),
            strs(&["b"])
        );
        assert_eq!(
            call_ok("setunion", vec![strs(&["a"]), nums(&[1.0])]),
            strs(&["1", "a"])
        );
        assert_eq!(
            call_ok(
                "setproduct",
                vec![strs(&["development", "staging"]), strs(&["app1", "app2"])]
            ),
            list(vec![
                strs(&["development", "app1"]),
                strs(&["development", "app2"]),
                strs(&["staging", "app1"]),
                strs(&["staging", "app2"]),
            ])
        );
        assert_eq!(
            call_ok("setproduct", vec![strs(&["a"]), list(vec![])]),
            list(vec![])
        );
        assert!(try_call("setproduct", vec![strs(&["a"])]).is_err());
    }
}
