//! Date and time functions: `timestamp`, `formatdate`, `timeadd`, `timecmp`. Timestamps are
//! RFC 3339 strings; results keep the offset of their input, as Terraform's do.

use chrono::{TimeDelta, Utc};
use labform_sdk::Value;

use super::dateformat::format_date;
use super::rfc3339::{parse_timestamp, rfc3339};
use super::spec::{f, p, str_at, Func, S};
use super::{FnResult, FunctionContext, FunctionError};

pub(crate) const FUNCS: &[Func] = &[
    f("timestamp", &[], timestamp),
    f("formatdate", &[p("format", S), p("time", S)], formatdate),
    f("timeadd", &[p("timestamp", S), p("duration", S)], timeadd),
    f(
        "timecmp",
        &[p("timestamp_a", S), p("timestamp_b", S)],
        timecmp,
    ),
];

fn timestamp(_: &[Value], _: &FunctionContext) -> FnResult {
    Ok(Value::String(rfc3339(&Utc::now().fixed_offset())))
}

fn formatdate(a: &[Value], _: &FunctionContext) -> FnResult {
    let spec = str_at(a, 0)?;
    let t = parse_timestamp(str_at(a, 1)?).map_err(|e| FunctionError::arg(1, e))?;
    format_date(spec, &t)
        .map(Value::String)
        .map_err(|e| FunctionError::arg(0, e))
}

/// Go's `time.ParseDuration`, in nanoseconds.
fn parse_duration(text: &str) -> Result<i128, String> {
    let invalid = || format!("time: invalid duration `{text}`");
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = &rest[..num_len];
        if number.is_empty() || number == "." {
            return Err(invalid());
        }
        let value: f64 = number.parse().map_err(|_| invalid())?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let scale = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            "" => return Err(format!("time: missing unit in duration `{text}`")),
            other => return Err(format!("time: unknown unit `{other}` in duration `{text}`")),
        };
        total += value * scale;
    }
    // Go durations are int64 nanoseconds.
    if total > i64::MAX as f64 {
        return Err(invalid());
    }
    let nanos = total.round() as i128;
    Ok(if negative { -nanos } else { nanos })
}

fn timeadd(a: &[Value], _: &FunctionContext) -> FnResult {
    let t = parse_timestamp(str_at(a, 0)?).map_err(|e| FunctionError::arg(0, e))?;
    let nanos = parse_duration(str_at(a, 1)?).map_err(|e| FunctionError::arg(1, e))?;
    let delta = TimeDelta::try_seconds((nanos / 1_000_000_000) as i64)
        .and_then(|d| d.checked_add(&TimeDelta::nanoseconds((nanos % 1_000_000_000) as i64)))
        .ok_or_else(|| FunctionError::arg(1, "duration is out of range"))?;
    let sum = t
        .checked_add_signed(delta)
        .ok_or_else(|| FunctionError::new("the resulting time is out of range"))?;
    Ok(Value::String(rfc3339(&sum)))
}

fn timecmp(a: &[Value], _: &FunctionContext) -> FnResult {
    let x = parse_timestamp(str_at(a, 0)?).map_err(|e| FunctionError::arg(0, e))?;
    let y = parse_timestamp(str_at(a, 1)?).map_err(|e| FunctionError::arg(1, e))?;
    Ok(Value::Number(match x.cmp(&y) {
        std::cmp::Ordering::Less => -1.0,
        std::cmp::Ordering::Equal => 0.0,
        std::cmp::Ordering::Greater => 1.0,
    }))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use labform_sdk::Value;

    fn fd(spec: &str, t: &str) -> Value {
        call_ok("formatdate", vec![s(spec), s(t)])
    }

    #[test]
    fn formatdate_matches_the_docs() {
        assert_eq!(
            fd("DD MMM YYYY hh:mm ZZZ", "2018-01-02T23:12:01Z"),
            s("02 Jan 2018 23:12 UTC")
        );
        assert_eq!(
            fd("EEEE, DD-MMM-YY hh:mm:ss ZZZ", "2018-01-02T23:12:01Z"),
            s("Tuesday, 02-Jan-18 23:12:01 UTC")
        );
        assert_eq!(
            fd("EEE, DD MMM YYYY hh:mm:ss ZZZ", "2018-01-02T23:12:01-08:00"),
            s("Tue, 02 Jan 2018 23:12:01 -0800")
        );
        assert_eq!(
            fd("MMM DD, YYYY", "2018-01-02T23:12:01Z"),
            s("Jan 02, 2018")
        );
        assert_eq!(fd("HH:mmaa", "2018-01-02T23:12:01Z"), s("11:12pm"));
        assert_eq!(
            fd("YYYY-MM-DD'T'hh:mm:ssZ", "2018-01-02T03:04:05+05:30"),
            s("2018-01-02T03:04:05+05:30")
        );
        assert_eq!(
            fd("h:m:s D/M 'o''clock' ''", "2018-01-02T03:04:05.123Z"),
            s("3:4:5 2/1 o'clock '")
        );
        assert_eq!(
            fd("MMMM ZZZZZ Z", "2018-09-02T03:04:05Z"),
            s("September +00:00 Z")
        );
        assert!(try_call("formatdate", vec![s("YYY"), s("2018-01-02T23:12:01Z")]).is_err());
        assert!(try_call("formatdate", vec![s("'open"), s("2018-01-02T23:12:01Z")]).is_err());
        assert!(try_call("formatdate", vec![s("x"), s("2018-01-02T23:12:01Z")]).is_err());
        let err = call_err("formatdate", vec![s("YYYY"), s("2018-01-02")]);
        assert!(
            err.message.contains("not a valid RFC3339 timestamp"),
            "{}",
            err.message
        );
        assert!(try_call("formatdate", vec![s("YYYY"), s("2018-02-30T00:00:00Z")]).is_err());
        assert!(try_call("formatdate", vec![s("YYYY"), s("2018-01-02 23:12:01Z")]).is_err());
        assert!(try_call("formatdate", vec![s("YYYY"), s("2é18-01-02T23:12:01Z")]).is_err());
        assert!(try_call("formatdate", vec![s("YYYY"), s("2018-01-02T23:12:01+0é:0")]).is_err());
    }

    #[test]
    fn timeadd_and_timecmp_match_the_docs() {
        assert_eq!(
            call_ok("timeadd", vec![s("2017-11-22T00:00:00Z"), s("10m")]),
            s("2017-11-22T00:10:00Z")
        );
        assert_eq!(
            call_ok("timeadd", vec![s("2017-11-22T00:00:00Z"), s("-1h30m")]),
            s("2017-11-21T22:30:00Z")
        );
        assert_eq!(
            call_ok("timeadd", vec![s("2017-11-22T00:00:00+01:00"), s("1.5h")]),
            s("2017-11-22T01:30:00+01:00")
        );
        assert_eq!(
            call_ok("timeadd", vec![s("2017-11-22T00:00:00.5Z"), s("1s")]),
            s("2017-11-22T00:00:01Z")
        );
        assert!(try_call("timeadd", vec![s("2017-11-22T00:00:00Z"), s("1d")]).is_err());
        assert!(try_call("timeadd", vec![s("2017-11-22T00:00:00Z"), s("10")]).is_err());
        assert!(try_call(
            "timeadd",
            vec![s("2017-11-22T00:00:00Z"), s("99999999999999h")]
        )
        .is_err());
        assert_eq!(
            call_ok(
                "timecmp",
                vec![s("2017-11-22T00:00:00Z"), s("2017-11-22T00:00:00Z")]
            ),
            n(0.0)
        );
        assert_eq!(
            call_ok(
                "timecmp",
                vec![s("2017-11-22T00:00:00Z"), s("2017-11-22T01:00:00Z")]
            ),
            n(-1.0)
        );
        assert_eq!(
            call_ok(
                "timecmp",
                vec![s("2017-11-22T01:00:00Z"), s("2017-11-22T00:00:00Z")]
            ),
            n(1.0)
        );
        assert_eq!(
            call_ok(
                "timecmp",
                vec![s("2017-11-22T01:00:00Z"), s("2017-11-22T00:00:00-01:00")]
            ),
            n(0.0)
        );
    }

    #[test]
    fn timestamp_is_rfc3339_utc() {
        let Value::String(t) = call_ok("timestamp", vec![]) else {
            panic!("not a string")
        };
        assert_eq!(t.len(), 20, "{t}");
        assert!(t.ends_with('Z'));
        assert!(super::super::rfc3339::parse_timestamp(&t).is_ok());
    }
}
