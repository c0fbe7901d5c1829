//! Shorthands for the unit tests of the function library.

use std::collections::BTreeMap;
use std::path::Path;

use labform_sdk::Value;

use super::{call, FunctionContext, FunctionError};

pub(crate) fn s(v: &str) -> Value {
    Value::String(v.to_string())
}

pub(crate) fn n(v: f64) -> Value {
    Value::Number(v)
}

pub(crate) fn b(v: bool) -> Value {
    Value::Bool(v)
}

pub(crate) fn list(items: Vec<Value>) -> Value {
    Value::List(items)
}

pub(crate) fn strs(items: &[&str]) -> Value {
    Value::List(items.iter().map(|i| s(i)).collect())
}

pub(crate) fn nums(items: &[f64]) -> Value {
    Value::List(items.iter().map(|i| n(*i)).collect())
}

pub(crate) fn obj(pairs: Vec<(&str, Value)>) -> Value {
    Value::from_pairs(pairs)
}

/// A stand-in template engine: replaces `${name}` with the string form of variable `name`.
fn render(template: &str, vars: &BTreeMap<String, Value>) -> Result<Value, String> {
    let mut out = template.to_string();
    for (k, v) in vars {
        let text = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        out = out.replace(&format!("${{{k}}}"), &text);
    }
    Ok(Value::String(out))
}

pub(crate) fn call_in(dir: &Path, name: &str, args: Vec<Value>) -> Result<Value, FunctionError> {
    let ctx = FunctionContext {
        base_dir: dir,
        render_template: &render,
    };
    call(name, args, &ctx)
}

pub(crate) fn try_call(name: &str, args: Vec<Value>) -> Result<Value, FunctionError> {
    call_in(Path::new("/nonexistent-labform-test-dir"), name, args)
}

#[track_caller]
pub(crate) fn call_ok(name: &str, args: Vec<Value>) -> Value {
    match try_call(name, args) {
        Ok(v) => v,
        Err(e) => panic!("{name} failed: {}", e.message),
    }
}

#[track_caller]
pub(crate) fn call_err(name: &str, args: Vec<Value>) -> FunctionError {
    match try_call(name, args) {
        Ok(v) => panic!("{name} succeeded with {v}, expected an error"),
        Err(e) => e,
    }
}
