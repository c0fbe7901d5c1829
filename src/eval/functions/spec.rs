//! How a function is described (parameters, their types, null and unknown handling) and the
//! generic part of every call: arity, null checks, argument conversion, unknown short-circuit.

use labform_sdk::{Type, Value};

use super::{FnResult, FunctionContext, FunctionError};

/// A parameter type. Arguments are converted to it as Terraform does (`5` to `"5"`, ...).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Ty {
    /// Any value, unconverted.
    Any,
    String,
    Number,
    Bool,
    List(&'static Ty),
    Set(&'static Ty),
    Map(&'static Ty),
}

impl Ty {
    pub(crate) fn to_type(self) -> Type {
        match self {
            Ty::Any => Type::Any,
            Ty::String => Type::String,
            Ty::Number => Type::Number,
            Ty::Bool => Type::Bool,
            Ty::List(t) => Type::list(t.to_type()),
            Ty::Set(t) => Type::set(t.to_type()),
            Ty::Map(t) => Type::map(t.to_type()),
        }
    }
}

/// One parameter of a function.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Param {
    pub name: &'static str,
    pub ty: Ty,
    /// Null is passed to the implementation instead of being an error.
    pub allow_null: bool,
    /// Unknown (anywhere inside) is passed to the implementation instead of making the result
    /// unknown.
    pub allow_unknown: bool,
}

/// A parameter that must be known and not null.
pub(crate) const fn p(name: &'static str, ty: Ty) -> Param {
    Param {
        name,
        ty,
        allow_null: false,
        allow_unknown: false,
    }
}

impl Param {
    pub(crate) const fn nullable(mut self) -> Self {
        self.allow_null = true;
        self
    }
    pub(crate) const fn unknown(mut self) -> Self {
        self.allow_unknown = true;
        self
    }
}

pub(crate) type Impl = fn(&[Value], &FunctionContext) -> FnResult;

/// A function: its fixed parameters, an optional variadic parameter, and its implementation.
pub(crate) struct Func {
    pub name: &'static str,
    pub params: &'static [Param],
    pub var: Option<Param>,
    pub imp: Impl,
}

/// A function with fixed parameters only.
pub(crate) const fn f(name: &'static str, params: &'static [Param], imp: Impl) -> Func {
    Func {
        name,
        params,
        var: None,
        imp,
    }
}

/// A function whose last parameter repeats.
pub(crate) const fn fv(
    name: &'static str,
    params: &'static [Param],
    var: Param,
    imp: Impl,
) -> Func {
    Func {
        name,
        params,
        var: Some(var),
        imp,
    }
}

pub(crate) const S: Ty = Ty::String;
pub(crate) const N: Ty = Ty::Number;
pub(crate) const A: Ty = Ty::Any;
pub(crate) const LIST_S: Ty = Ty::List(&Ty::String);
pub(crate) const LIST_N: Ty = Ty::List(&Ty::Number);
pub(crate) const LIST_B: Ty = Ty::List(&Ty::Bool);
pub(crate) const LIST_A: Ty = Ty::List(&Ty::Any);
pub(crate) const SET_A: Ty = Ty::Set(&Ty::Any);

/// Runs the generic checks, then the implementation.
pub(crate) fn invoke(func: &Func, args: Vec<Value>, ctx: &FunctionContext) -> FnResult {
    let fixed = func.params.len();
    if args.len() < fixed {
        let missing = func.params[args.len()].name;
        return Err(FunctionError::new(format!(
            "not enough function arguments: function `{}` expects {}{} argument(s); missing value for `{missing}`",
            func.name,
            if func.var.is_some() { "at least " } else { "" },
            fixed
        )));
    }
    if func.var.is_none() && args.len() > fixed {
        return Err(FunctionError::arg(
            fixed,
            format!(
                "too many function arguments: function `{}` expects only {fixed} argument(s)",
                func.name
            ),
        ));
    }
    let mut converted = Vec::with_capacity(args.len());
    let mut unknown = false;
    for (i, arg) in args.into_iter().enumerate() {
        let param = param_at(func, i);
        if arg.is_null() && !param.allow_null {
            return Err(arg_error(func, i, "argument must not be null"));
        }
        let arg = param
            .ty
            .to_type()
            .convert(&arg)
            .map_err(|e| arg_error(func, i, &e))?;
        if !param.allow_unknown && !arg.is_wholly_known() {
            unknown = true;
        }
        converted.push(arg);
    }
    if unknown {
        return Ok(Value::Unknown);
    }
    (func.imp)(&converted, ctx).map_err(|e| match e.arg {
        Some(i) if i < converted.len() => arg_error(func, i, &e.message),
        _ => e,
    })
}

fn param_at(func: &Func, i: usize) -> Param {
    match func.params.get(i) {
        Some(p) => *p,
        // invoke only asks for i beyond the fixed parameters when a variadic one exists.
        None => func.var.unwrap_or(p("args", Ty::Any)),
    }
}

fn arg_error(func: &Func, i: usize, message: &str) -> FunctionError {
    FunctionError::arg(
        i,
        format!(
            "invalid value for `{}` parameter: {message}",
            param_at(func, i).name
        ),
    )
}

// Accessors for converted arguments. `invoke` has already converted every argument to its
// parameter type, so a mismatch here is an internal inconsistency, reported as an error rather
// than a panic.

pub(crate) fn str_at(args: &[Value], i: usize) -> Result<&str, FunctionError> {
    match args.get(i) {
        Some(Value::String(s)) => Ok(s),
        other => Err(internal(i, "a string", other)),
    }
}

pub(crate) fn num_at(args: &[Value], i: usize) -> Result<f64, FunctionError> {
    match args.get(i) {
        Some(Value::Number(n)) => Ok(*n),
        other => Err(internal(i, "a number", other)),
    }
}

pub(crate) fn list_at(args: &[Value], i: usize) -> Result<&[Value], FunctionError> {
    match args.get(i) {
        Some(Value::List(items)) => Ok(items),
        other => Err(internal(i, "a list", other)),
    }
}

pub(crate) fn map_at(
    args: &[Value],
    i: usize,
) -> Result<&std::collections::BTreeMap<String, Value>, FunctionError> {
    match args.get(i) {
        Some(Value::Object(map)) => Ok(map),
        other => Err(internal(i, "a map", other)),
    }
}

/// A whole number argument within `i64`.
pub(crate) fn int_at(args: &[Value], i: usize) -> Result<i64, FunctionError> {
    let n = num_at(args, i)?;
    whole(n).ok_or_else(|| {
        if n.is_finite() && n.fract() != 0.0 {
            FunctionError::arg(i, format!("`{}` is not a whole number", fmt_num(n)))
        } else {
            FunctionError::arg(i, "value must be a whole number, between -9223372036854775808 and 9223372036854775807")
        }
    })
}

/// `n` as an integer when it is whole and fits comfortably in `i64`.
pub(crate) fn whole(n: f64) -> Option<i64> {
    (n.is_finite() && n.fract() == 0.0 && n.abs() < 9.2e18).then_some(n as i64)
}

pub(crate) fn fmt_num(n: f64) -> String {
    labform_sdk::value::format_number(n)
}

fn internal(i: usize, want: &str, got: Option<&Value>) -> FunctionError {
    FunctionError::arg(
        i,
        format!(
            "{want} is required, got {}",
            got.map(Value::kind_name).unwrap_or("nothing")
        ),
    )
}
