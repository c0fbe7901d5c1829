//! Terraform's built-in function library (`upper`, `cidrsubnet`, `jsonencode`, ...), with
//! Terraform's argument conversions, unknown-value propagation and error messages.
//!
//! Every function is described by a [`spec::Func`] (its parameters and their types); [`call`]
//! checks the arity, rejects nulls where Terraform does, converts each argument to its
//! parameter type, short-circuits to `Unknown` when an argument the function cannot handle
//! unknown is not wholly known, and only then runs the implementation.

mod coalesce;
mod collections;
mod conversion;
mod crypto;
mod dateformat;
mod datetime;
mod encoding;
mod files;
mod format;
mod glob;
mod gocase;
mod gofmt;
mod gzip;
mod json;
mod lists;
mod maps;
mod network;
mod numeric;
pub(crate) mod paths;
mod printf;
mod regex;
mod rfc3339;
mod sets;
mod spec;
mod strings;
mod suggest;
#[cfg(test)]
mod testutil;
pub(crate) mod unify;
mod yaml;

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::OnceLock;

use labform_sdk::Value;

use spec::Func;

/// What a function call may need from the evaluator.
pub struct FunctionContext<'a> {
    /// Directory that relative paths in file(), templatefile() etc. resolve against (the stack
    /// dir; Terraform uses the working dir which is the stack dir here).
    pub base_dir: &'a Path,
    /// Renders a template string with the given variables (the evaluator's template engine);
    /// used by templatefile.
    #[allow(clippy::type_complexity)]
    pub render_template: &'a dyn Fn(&str, &BTreeMap<String, Value>) -> Result<Value, String>,
}

/// A failed function call. `message` is lower case with values in backticks; `arg` is the
/// 0-based index of the argument at fault, when one is.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionError {
    pub message: String,
    pub arg: Option<usize>,
}

impl FunctionError {
    /// An error about the call as a whole.
    pub(crate) fn new(message: impl Into<String>) -> Self {
        FunctionError {
            message: message.into(),
            arg: None,
        }
    }

    /// An error about argument `index` (0-based). [`call`] prefixes the parameter's name.
    pub(crate) fn arg(index: usize, message: impl Into<String>) -> Self {
        FunctionError {
            message: message.into(),
            arg: Some(index),
        }
    }
}

impl fmt::Display for FunctionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FunctionError {}

/// The result type of every function implementation.
pub(crate) type FnResult = Result<Value, FunctionError>;

fn all_funcs() -> impl Iterator<Item = &'static Func> {
    [
        strings::FUNCS,
        regex::FUNCS,
        format::FUNCS,
        collections::FUNCS,
        lists::FUNCS,
        coalesce::FUNCS,
        maps::FUNCS,
        sets::FUNCS,
        numeric::FUNCS,
        conversion::FUNCS,
        encoding::FUNCS,
        gzip::FUNCS,
        json::FUNCS,
        yaml::FUNCS,
        crypto::FUNCS,
        files::FUNCS,
        paths::FUNCS,
        network::FUNCS,
        datetime::FUNCS,
    ]
    .into_iter()
    .flatten()
}

fn lookup(name: &str) -> Option<&'static Func> {
    static TABLE: OnceLock<BTreeMap<&'static str, &'static Func>> = OnceLock::new();
    TABLE
        .get_or_init(|| all_funcs().map(|f| (f.name, f)).collect())
        .get(name)
        .copied()
}

/// Every supported function name, sorted (for "did you mean").
pub fn names() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES
        .get_or_init(|| {
            let mut names: Vec<&'static str> = all_funcs().map(|f| f.name).collect();
            names.sort_unstable();
            names
        })
        .as_slice()
}

/// Whether `name` is impure (its result changes from call to call). Terraform makes these
/// return unknown while planning, so that the value is taken at apply time.
pub fn is_impure(name: &str) -> bool {
    matches!(name, "timestamp" | "uuid")
}

/// Calls function `name`. Errors: unknown function (message suggests the nearest name), wrong
/// arity, wrong argument type, domain errors; messages lower case, values in backticks.
///
/// An argument that is (or holds) `Value::Unknown` makes the result `Value::Unknown`, except
/// for functions whose result is still known (`length`, `concat`, `merge`, `keys`, ...).
pub fn call(name: &str, args: Vec<Value>, ctx: &FunctionContext) -> Result<Value, FunctionError> {
    let Some(func) = lookup(name) else {
        let mut message = format!("there is no function named `{name}`");
        if let Some(near) = suggest::nearest(name, names()) {
            message.push_str(&format!("; did you mean `{near}`?"));
        }
        return Err(FunctionError::new(message));
    };
    spec::invoke(func, args, ctx)
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;

    #[test]
    fn unknown_function_suggests_the_nearest_name() {
        let err = call_err("uppr", vec![s("a")]);
        assert_eq!(
            err.message,
            "there is no function named `uppr`; did you mean `upper`?"
        );
        let err = call_err("zzzzzzzz", vec![]);
        assert_eq!(err.message, "there is no function named `zzzzzzzz`");
    }

    #[test]
    fn names_are_sorted_unique_and_callable() {
        let all = names();
        assert!(all.len() > 100, "only {} functions", all.len());
        assert!(
            all.windows(2).all(|w| w[0] < w[1]),
            "duplicate or unsorted names"
        );
        for name in all {
            assert!(lookup(name).is_some());
        }
    }

    #[test]
    fn arity_errors_name_the_function_and_parameter() {
        let err = call_err("upper", vec![]);
        assert_eq!(
            err.message,
            "not enough function arguments: function `upper` expects 1 argument(s); missing value for `str`"
        );
        let err = call_err("upper", vec![s("a"), s("b")]);
        assert_eq!(
            err.message,
            "too many function arguments: function `upper` expects only 1 argument(s)"
        );
        assert_eq!(err.arg, Some(1));
    }

    #[test]
    fn null_and_type_errors_point_at_the_argument() {
        let err = call_err("upper", vec![Value::Null]);
        assert_eq!(
            err.message,
            "invalid value for `str` parameter: argument must not be null"
        );
        assert_eq!(err.arg, Some(0));
        let err = call_err("upper", vec![list(vec![s("a")])]);
        assert_eq!(err.arg, Some(0));
        assert!(
            err.message
                .starts_with("invalid value for `str` parameter: "),
            "{}",
            err.message
        );
    }

    /// Odd arguments of every kind, for the no-panic sweep.
    fn odd_values() -> Vec<Value> {
        vec![
            Value::Null,
            Value::Unknown,
            s(""),
            s("é☃ 🤷\u{301}"),
            s("-1"),
            s("%[99999]d %.q %"),
            s("10.0.0.0/8"),
            s("2018-01-02T23:12:01+01:00"),
            s("/(/"),
            n(0.0),
            n(-1.5),
            n(1e300),
            n(f64::NAN),
            n(f64::INFINITY),
            b(true),
            list(vec![]),
            list(vec![
                n(1.0),
                s("a"),
                Value::Null,
                list(vec![Value::Unknown]),
            ]),
            obj(vec![("a", list(vec![s("x")])), ("b", Value::Unknown)]),
        ]
    }

    #[test]
    fn no_function_panics_on_odd_arguments() {
        let dir = tempfile::tempdir().expect("tempdir");
        let pool = odd_values();
        for name in names() {
            let _ = call_in(dir.path(), name, vec![]);
            for x in &pool {
                let _ = call_in(dir.path(), name, vec![x.clone()]);
                for y in &pool {
                    let _ = call_in(dir.path(), name, vec![x.clone(), y.clone()]);
                }
            }
            for (i, x) in pool.iter().enumerate() {
                for y in pool.iter().skip(i % 3).step_by(3) {
                    for z in pool.iter().skip(i % 5).step_by(5) {
                        let _ = call_in(dir.path(), name, vec![x.clone(), y.clone(), z.clone()]);
                    }
                }
            }
        }
    }

    #[test]
    fn impure_functions_are_flagged() {
        assert!(is_impure("uuid") && is_impure("timestamp"));
        assert!(!is_impure("upper"));
    }

    #[test]
    fn unknown_arguments_give_unknown_results() {
        assert_eq!(call_ok("upper", vec![Value::Unknown]), Value::Unknown);
        assert_eq!(
            call_ok("join", vec![s(","), list(vec![s("a"), Value::Unknown])]),
            Value::Unknown
        );
    }
}
