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

fn timeadd(a: &[Value], _: &FunctionContext) -> FnResult {
    let t = parse_timestamp(str_at(a, 0)?).map_err(|e| FunctionError::arg(0, e))?;
    let nanos =
        labform_sdk::go_duration_nanos(str_at(a, 1)?).map_err(|e| FunctionError::arg(1, e))?;
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
