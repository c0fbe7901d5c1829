//! Numeric functions: `min`, `max`, `abs`, `ceil`, `floor`, `log`, `pow`, `signum`,
//! `parseint`, `sum`, `range`.

use labform_sdk::Value;

use super::spec::{f, fv, int_at, list_at, num_at, p, Func, A, LIST_N, N};
use super::{FnResult, FunctionContext, FunctionError};

pub(crate) const FUNCS: &[Func] = &[
    fv("min", &[], p("numbers", N), min),
    fv("max", &[], p("numbers", N), max),
    f("abs", &[p("num", N)], abs),
    f("ceil", &[p("num", N)], ceil),
    f("floor", &[p("num", N)], floor),
    f("log", &[p("num", N), p("base", N)], log),
    f("pow", &[p("num", N), p("power", N)], pow),
    f("signum", &[p("num", N)], signum),
    f("parseint", &[p("number", A), p("base", N)], parseint),
    f("sum", &[p("list", LIST_N)], sum),
    fv("range", &[], p("params", N), range),
];

/// A finite result, or an error: infinities and NaN cannot be represented in state.
fn number(n: f64) -> FnResult {
    if n.is_finite() {
        Ok(Value::Number(n))
    } else {
        Err(FunctionError::new("the result is not a finite number"))
    }
}

fn numbers(a: &[Value]) -> Result<Vec<f64>, FunctionError> {
    if a.is_empty() {
        return Err(FunctionError::new("must pass at least one number"));
    }
    (0..a.len()).map(|i| num_at(a, i)).collect()
}

fn min(a: &[Value], _: &FunctionContext) -> FnResult {
    number(numbers(a)?.into_iter().fold(f64::INFINITY, f64::min))
}

fn max(a: &[Value], _: &FunctionContext) -> FnResult {
    number(numbers(a)?.into_iter().fold(f64::NEG_INFINITY, f64::max))
}

fn abs(a: &[Value], _: &FunctionContext) -> FnResult {
    number(num_at(a, 0)?.abs())
}

fn ceil(a: &[Value], _: &FunctionContext) -> FnResult {
    number(num_at(a, 0)?.ceil())
}

fn floor(a: &[Value], _: &FunctionContext) -> FnResult {
    number(num_at(a, 0)?.floor())
}

fn log(a: &[Value], _: &FunctionContext) -> FnResult {
    number(num_at(a, 0)?.ln() / num_at(a, 1)?.ln())
}

fn pow(a: &[Value], _: &FunctionContext) -> FnResult {
    number(num_at(a, 0)?.powf(num_at(a, 1)?))
}

fn signum(a: &[Value], _: &FunctionContext) -> FnResult {
    // Terraform reads the argument as a whole number.
    let n = int_at(a, 0)?;
    number(if n > 0 {
        1.0
    } else if n < 0 {
        -1.0
    } else {
        0.0
    })
}

/// Parses an integer in base 2 to 62 as Go's `big.Int.SetString` does: an optional sign, then
/// digits `0-9a-zA-Z` (case-insensitive up to base 36, lower case first above it).
fn parseint(a: &[Value], _: &FunctionContext) -> FnResult {
    let text = match &a[0] {
        Value::String(s) => s.as_str(),
        other => {
            return Err(FunctionError::arg(
                0,
                format!("first argument must be a string, not {}", other.kind_name()),
            ))
        }
    };
    let base = int_at(a, 1)?;
    if !(2..=62).contains(&base) {
        return Err(FunctionError::arg(
            1,
            "base must be a whole number between 2 and 62 inclusive",
        ));
    }
    let fail = || FunctionError::arg(0, format!("cannot parse `{text}` as a base {base} integer"));
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() {
        return Err(fail());
    }
    let mut value = 0f64;
    for c in digits.chars() {
        let d = match c {
            '0'..='9' => c as i64 - '0' as i64,
            'a'..='z' => c as i64 - 'a' as i64 + 10,
            'A'..='Z' if base <= 36 => c as i64 - 'A' as i64 + 10,
            'A'..='Z' => c as i64 - 'A' as i64 + 36,
            _ => return Err(fail()),
        };
        if d >= base {
            return Err(fail());
        }
        value = value * base as f64 + d as f64;
    }
    number(if negative { -value } else { value })
}

fn sum(a: &[Value], _: &FunctionContext) -> FnResult {
    let items = list_at(a, 0)?;
    if items.is_empty() {
        return Err(FunctionError::arg(0, "cannot sum an empty list"));
    }
    let mut total = 0f64;
    for item in items {
        match item {
            Value::Number(n) => total += n,
            _ => {
                return Err(FunctionError::arg(
                    0,
                    "argument must be list, set, or tuple of number values",
                ))
            }
        }
    }
    number(total)
}

/// At most this many elements, as in Terraform, so that a typo cannot exhaust memory.
const RANGE_LIMIT: usize = 1024;

fn range(a: &[Value], _: &FunctionContext) -> FnResult {
    let nums = (0..a.len())
        .map(|i| num_at(a, i))
        .collect::<Result<Vec<f64>, _>>()?;
    if nums.iter().any(|n| !n.is_finite()) {
        return Err(FunctionError::new("range arguments must be finite numbers"));
    }
    let (start, end, step) = match nums.as_slice() {
        [end] => (0.0, *end, if *end < 0.0 { -1.0 } else { 1.0 }),
        [start, end] => (*start, *end, if end < start { -1.0 } else { 1.0 }),
        [start, end, step] => (*start, *end, *step),
        _ => return Err(FunctionError::new("must have one, two, or three arguments")),
    };
    if step == 0.0 {
        return Err(FunctionError::arg(2, "step must not be zero"));
    }
    let down = step < 0.0;
    if down && end > start {
        return Err(FunctionError::arg(
            1,
            "end must be less than start when step is negative",
        ));
    }
    if !down && end < start {
        return Err(FunctionError::arg(
            1,
            "end must be greater than start when step is positive",
        ));
    }
    let mut out = Vec::new();
    for i in 0.. {
        // Computing each element from the start (rounded to 15 significant digits) keeps
        // decimal steps such as 0.1 from accumulating binary rounding error.
        let x = decimal_round(start + step * i as f64);
        if (down && x <= end) || (!down && x >= end) {
            break;
        }
        if out.len() >= RANGE_LIMIT {
            return Err(FunctionError::new(
                "more than 1024 values were generated; either decrease the difference between start and end or use a smaller step",
            ));
        }
        out.push(Value::Number(x));
    }
    Ok(Value::List(out))
}

fn decimal_round(x: f64) -> f64 {
    format!("{x:.14e}").parse().unwrap_or(x)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;

    #[test]
    fn arithmetic_matches_the_docs() {
        assert_eq!(call_ok("min", vec![n(12.0), n(54.0), n(3.0)]), n(3.0));
        assert_eq!(call_ok("max", vec![n(12.0), n(54.0), n(3.0)]), n(54.0));
        assert_eq!(call_ok("max", vec![s("7"), n(3.0)]), n(7.0));
        assert!(try_call("min", vec![]).is_err());
        assert_eq!(call_ok("abs", vec![n(-12.4)]), n(12.4));
        assert_eq!(call_ok("ceil", vec![n(5.1)]), n(6.0));
        assert_eq!(call_ok("floor", vec![n(4.9)]), n(4.0));
        assert_eq!(call_ok("log", vec![n(16.0), n(2.0)]), n(4.0));
        assert!(try_call("log", vec![n(-1.0), n(10.0)]).is_err());
        assert_eq!(call_ok("pow", vec![n(3.0), n(2.0)]), n(9.0));
        assert_eq!(call_ok("pow", vec![n(4.0), n(0.0)]), n(1.0));
        assert_eq!(call_ok("signum", vec![n(-13.0)]), n(-1.0));
        assert_eq!(call_ok("signum", vec![n(0.0)]), n(0.0));
        assert_eq!(call_ok("signum", vec![n(344.0)]), n(1.0));
        assert!(try_call("signum", vec![n(1.5)]).is_err());
        assert_eq!(call_ok("sum", vec![nums(&[10.0, 13.0, 6.0, 4.5])]), n(33.5));
        assert!(try_call("sum", vec![list(vec![])]).is_err());
    }

    #[test]
    fn parseint_matches_the_docs() {
        assert_eq!(call_ok("parseint", vec![s("100"), n(10.0)]), n(100.0));
        assert_eq!(call_ok("parseint", vec![s("FF"), n(16.0)]), n(255.0));
        assert_eq!(call_ok("parseint", vec![s("-10"), n(16.0)]), n(-16.0));
        assert_eq!(
            call_ok("parseint", vec![s("1011111011101111"), n(2.0)]),
            n(48879.0)
        );
        assert_eq!(call_ok("parseint", vec![s("aA"), n(62.0)]), n(656.0));
        assert!(try_call("parseint", vec![s("12"), n(2.0)]).is_err());
        assert!(try_call("parseint", vec![s("FF"), n(63.0)]).is_err());
        assert!(try_call("parseint", vec![s(""), n(10.0)]).is_err());
        assert!(try_call("parseint", vec![n(10.0), n(10.0)]).is_err());
    }

    #[test]
    fn range_matches_the_docs() {
        assert_eq!(call_ok("range", vec![n(3.0)]), nums(&[0.0, 1.0, 2.0]));
        assert_eq!(
            call_ok("range", vec![n(1.0), n(4.0)]),
            nums(&[1.0, 2.0, 3.0])
        );
        assert_eq!(
            call_ok("range", vec![n(1.0), n(8.0), n(2.0)]),
            nums(&[1.0, 3.0, 5.0, 7.0])
        );
        assert_eq!(
            call_ok("range", vec![n(1.0), n(4.0), n(0.5)]),
            nums(&[1.0, 1.5, 2.0, 2.5, 3.0, 3.5])
        );
        assert_eq!(
            call_ok("range", vec![n(4.0), n(1.0)]),
            nums(&[4.0, 3.0, 2.0])
        );
        assert_eq!(
            call_ok("range", vec![n(10.0), n(5.0), n(-2.0)]),
            nums(&[10.0, 8.0, 6.0])
        );
        assert_eq!(call_ok("range", vec![n(-3.0)]), nums(&[0.0, -1.0, -2.0]));
        assert_eq!(
            call_ok("range", vec![n(0.0), n(0.3), n(0.1)]),
            nums(&[0.0, 0.1, 0.2])
        );
        assert_eq!(call_ok("range", vec![n(0.0)]), nums(&[]));
        assert!(try_call("range", vec![n(1.0), n(4.0), n(-1.0)]).is_err());
        assert!(try_call("range", vec![n(1.0), n(4.0), n(0.0)]).is_err());
        assert!(call_err("range", vec![n(1e300)])
            .message
            .contains("more than 1024"));
        assert!(try_call("range", vec![]).is_err());
        assert!(try_call("range", vec![n(1.0), n(2.0), n(3.0), n(4.0)]).is_err());
    }
}
