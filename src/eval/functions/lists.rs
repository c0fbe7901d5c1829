//! More list functions: `one`, `chunklist`, `alltrue`, `anytrue`, `matchkeys`, and the
//! `list()`/`map()` functions Terraform removed, kept to explain what replaced them.

use labform_sdk::Value;

use super::collections::known_list;
use super::spec::{f, fv, int_at, list_at, p, Func, A, LIST_A, LIST_B, N};
use super::{FnResult, FunctionContext, FunctionError};

pub(crate) const FUNCS: &[Func] = &[
    f("one", &[p("list", LIST_A).unknown()], one),
    f(
        "chunklist",
        &[p("list", LIST_A).unknown(), p("size", N)],
        chunklist,
    ),
    f("alltrue", &[p("list", LIST_B).unknown()], alltrue),
    f("anytrue", &[p("list", LIST_B).unknown()], anytrue),
    fv("list", &[], p("vals", A).nullable().unknown(), |_, _| {
        Err(FunctionError::new(
            "the `list` function was deprecated in Terraform v0.12 and is no longer available; use tolist([ ... ]) syntax to write a literal list",
        ))
    }),
    fv("map", &[], p("vals", A).nullable().unknown(), |_, _| {
        Err(FunctionError::new(
            "the `map` function was deprecated in Terraform v0.12 and is no longer available; use tomap({ ... }) syntax to write a literal map",
        ))
    }),
    f(
        "matchkeys",
        &[
            p("values", LIST_A).unknown(),
            p("keys", LIST_A),
            p("searchset", LIST_A),
        ],
        matchkeys,
    ),
];

fn one(a: &[Value], _: &FunctionContext) -> FnResult {
    let Some(items) = known_list(a, 0)? else {
        return Ok(Value::Unknown);
    };
    match items {
        [] => Ok(Value::Null),
        [only] => Ok(only.clone()),
        _ => Err(FunctionError::arg(
            0,
            "must be a list, set, or tuple value with either zero or one elements",
        )),
    }
}

fn chunklist(a: &[Value], _: &FunctionContext) -> FnResult {
    let size = int_at(a, 1)?;
    if size < 0 {
        return Err(FunctionError::arg(1, "the size argument must be positive"));
    }
    let Some(items) = known_list(a, 0)? else {
        return Ok(Value::Unknown);
    };
    if items.is_empty() {
        return Ok(Value::List(Vec::new()));
    }
    if size == 0 {
        return Ok(Value::List(vec![Value::List(items.to_vec())]));
    }
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    Ok(Value::List(
        items
            .chunks(size)
            .map(|c| Value::List(c.to_vec()))
            .collect(),
    ))
}

/// False as soon as an element is false or null; unknown when an unknown comes first.
fn alltrue(a: &[Value], _: &FunctionContext) -> FnResult {
    let Some(items) = known_list(a, 0)? else {
        return Ok(Value::Unknown);
    };
    for item in items {
        match item {
            Value::Unknown => return Ok(Value::Unknown),
            Value::Bool(true) => {}
            _ => return Ok(Value::Bool(false)),
        }
    }
    Ok(Value::Bool(true))
}

/// True as soon as an element is true; unknown when none is but some are unknown.
fn anytrue(a: &[Value], _: &FunctionContext) -> FnResult {
    let Some(items) = known_list(a, 0)? else {
        return Ok(Value::Unknown);
    };
    if items.contains(&Value::Bool(true)) {
        return Ok(Value::Bool(true));
    }
    if items.contains(&Value::Unknown) {
        return Ok(Value::Unknown);
    }
    Ok(Value::Bool(false))
}

fn matchkeys(a: &[Value], _: &FunctionContext) -> FnResult {
    let Some(values) = known_list(a, 0)? else {
        return Ok(Value::Unknown);
    };
    let keys = list_at(a, 1)?;
    let search = list_at(a, 2)?;
    if values.len() != keys.len() {
        return Err(FunctionError::new(
            "length of keys and values should be equal",
        ));
    }
    let out = values
        .iter()
        .zip(keys)
        .filter(|(_, k)| search.contains(k))
        .map(|(v, _)| v.clone())
        .collect();
    Ok(Value::List(out))
}
