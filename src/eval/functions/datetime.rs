//! Date and time functions: `timestamp`, `formatdate`, `timeadd`, `timecmp`. Timestamps are
//! RFC 3339 strings; results keep the offset of their input, as Terraform's do.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeDelta, Timelike, Utc};
use labform_sdk::Value;

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

/// Go's `time.RFC3339` layout: whole seconds, `Z` for a zero offset.
fn rfc3339(t: &DateTime<FixedOffset>) -> String {
    let offset = t.offset().local_minus_utc();
    let zone = if offset == 0 {
        "Z".to_string()
    } else {
        offset_string(offset, true)
    };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{zone}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

fn offset_string(seconds: i32, colon: bool) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let m = seconds.unsigned_abs() / 60;
    if colon {
        format!("{sign}{:02}:{:02}", m / 60, m % 60)
    } else {
        format!("{sign}{:02}{:02}", m / 60, m % 60)
    }
}

/// Parses an RFC 3339 timestamp as Go's `time.Parse(time.RFC3339, ...)` does (fractional
/// seconds allowed, upper-case `T` and `Z` required).
pub(crate) fn parse_timestamp(text: &str) -> Result<DateTime<FixedOffset>, String> {
    let err = |m: String| format!("not a valid RFC3339 timestamp: {m}");
    let mut rest = text;
    let mut field = |width: usize, what: &str, sep: Option<char>| -> Result<u32, String> {
        if rest.len() < width {
            return Err(err(format!("end of string before {what}")));
        }
        let Some((digits, tail)) = rest.get(..width).zip(rest.get(width..)) else {
            return Err(err(format!("cannot use `{rest}` as {what}")));
        };
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err(format!("cannot use `{digits}` as {what}")));
        }
        rest = tail;
        if let Some(sep) = sep {
            match rest.chars().next() {
                Some(c) if c == sep => rest = &rest[c.len_utf8()..],
                Some(_) if sep == 'T' => {
                    return Err(err("missing required time introducer 'T'".to_string()))
                }
                Some(c) => return Err(err(format!("found `{c}` where `{sep}` is expected"))),
                None => return Err(err(format!("end of string where `{sep}` is expected"))),
            }
        }
        digits
            .parse::<u32>()
            .map_err(|_| err(format!("cannot use `{digits}` as {what}")))
    };
    let year = field(4, "year", Some('-'))?;
    let month = field(2, "month", Some('-'))?;
    let day = field(2, "day of month", Some('T'))?;
    let hour = field(2, "hour", Some(':'))?;
    let minute = field(2, "minute", Some(':'))?;
    let second = field(2, "second", None)?;
    let mut nanos = 0u32;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits: String = frac.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() {
            return Err(err("cannot use `.` as second".to_string()));
        }
        let padded = format!("{:0<9}", &digits[..digits.len().min(9)]);
        nanos = padded.parse().unwrap_or(0);
        rest = &frac[digits.len()..];
    }
    let offset = match rest {
        "Z" => 0,
        _ if rest.len() == 6
            && rest.is_ascii()
            && (rest.starts_with('+') || rest.starts_with('-'))
            && &rest[3..4] == ":" =>
        {
            let h: i32 = rest[1..3]
                .parse()
                .map_err(|_| err(format!("cannot use `{rest}` as UTC offset")))?;
            let m: i32 = rest[4..6]
                .parse()
                .map_err(|_| err(format!("cannot use `{rest}` as UTC offset")))?;
            if h > 23 || m > 59 {
                return Err(err("time zone offset out of range".to_string()));
            }
            let s = h * 3600 + m * 60;
            if rest.starts_with('-') {
                -s
            } else {
                s
            }
        }
        "" => return Err(err("end of string before UTC offset".to_string())),
        _ => return Err(err(format!("cannot use `{rest}` as UTC offset"))),
    };
    if !(1..=12).contains(&month) {
        return Err(err("month out of range".to_string()));
    }
    let date = NaiveDate::from_ymd_opt(year as i32, month, day)
        .ok_or_else(|| err("day out of range".to_string()))?;
    if hour > 23 {
        return Err(err("hour out of range".to_string()));
    }
    if minute > 59 {
        return Err(err("minute out of range".to_string()));
    }
    if second > 59 {
        return Err(err("second out of range".to_string()));
    }
    let naive = date
        .and_hms_nano_opt(hour, minute, second, nanos)
        .ok_or_else(|| err("time out of range".to_string()))?;
    let zone = FixedOffset::east_opt(offset)
        .ok_or_else(|| err("time zone offset out of range".to_string()))?;
    naive
        .and_local_timezone(zone)
        .single()
        .ok_or_else(|| err("time out of range".to_string()))
}

fn formatdate(a: &[Value], _: &FunctionContext) -> FnResult {
    let spec = str_at(a, 0)?;
    let t = parse_timestamp(str_at(a, 1)?).map_err(|e| FunctionError::arg(1, e))?;
    format_date(spec, &t)
        .map(Value::String)
        .map_err(|e| FunctionError::arg(0, e))
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Applies Terraform's date format: runs of one letter are verbs, `'...'` is literal text
/// (`''` a quote), anything else is copied.
fn format_date(spec: &str, t: &DateTime<FixedOffset>) -> Result<String, String> {
    let chars: Vec<char> = spec.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            if chars.get(i + 1) == Some(&'\'') {
                out.push('\'');
                i += 2;
                continue;
            }
            let mut j = i + 1;
            loop {
                match chars.get(j) {
                    None => return Err("unterminated literal '".to_string()),
                    Some('\'') if chars.get(j + 1) == Some(&'\'') => {
                        out.push('\'');
                        j += 2;
                    }
                    Some('\'') => break,
                    Some(other) => {
                        out.push(*other);
                        j += 1;
                    }
                }
            }
            i = j + 1;
            continue;
        }
        if !c.is_ascii_alphabetic() {
            out.push(c);
            i += 1;
            continue;
        }
        let mut len = 1;
        while chars.get(i + len) == Some(&c) {
            len += 1;
        }
        let token: String = chars[i..i + len].iter().collect();
        i += len;
        out.push_str(&format_verb(c, len, &token, t)?);
    }
    Ok(out)
}

fn format_verb(
    c: char,
    len: usize,
    token: &str,
    t: &DateTime<FixedOffset>,
) -> Result<String, String> {
    let bad = |rule: &str| Err(format!("invalid date format verb `{token}`: {rule}"));
    let num = |v: u32| -> Result<String, String> {
        match len {
            1 => Ok(v.to_string()),
            2 => Ok(format!("{v:02}")),
            _ => Err(String::new()),
        }
    };
    let two = |v: u32, rule: &str| num(v).or_else(|_| bad(rule));
    match c {
        'Y' => match len {
            2 => Ok(format!("{:02}", t.year().rem_euclid(100))),
            4 => Ok(format!("{:04}", t.year())),
            _ => bad("year must either be `YY` or `YYYY`"),
        },
        'M' => match len {
            1 | 2 => two(t.month(), ""),
            3 => Ok(MONTHS[t.month0() as usize][..3].to_string()),
            4 => Ok(MONTHS[t.month0() as usize].to_string()),
            _ => bad("month must be `M`, `MM`, `MMM`, or `MMMM`"),
        },
        'D' => two(t.day(), "day of month must either be `D` or `DD`"),
        'E' => {
            let name = DAYS[t.weekday().num_days_from_monday() as usize];
            match len {
                3 => Ok(name[..3].to_string()),
                4 => Ok(name.to_string()),
                _ => bad("day of week must either be `EEE` or `EEEE`"),
            }
        }
        'h' => two(t.hour(), "24-hour must either be `h` or `hh`"),
        'H' => {
            let h = match t.hour() % 12 {
                0 => 12,
                h => h,
            };
            two(h, "12-hour must either be `H` or `HH`")
        }
        'A' | 'a' if len == 2 => {
            let pm = t.hour() >= 12;
            Ok(match (c, pm) {
                ('A', false) => "AM",
                ('A', true) => "PM",
                (_, false) => "am",
                (_, true) => "pm",
            }
            .to_string())
        }
        'A' | 'a' => bad(&format!("must be `{c}{c}`")),
        'm' => two(t.minute(), "minute must either be `m` or `mm`"),
        's' => two(t.second(), "second must either be `s` or `ss`"),
        'Z' => {
            let offset = t.offset().local_minus_utc();
            match len {
                1 if offset == 0 => Ok("Z".to_string()),
                1 | 5 => Ok(offset_string(offset, true)),
                3 if offset == 0 => Ok("UTC".to_string()),
                3 | 4 => Ok(offset_string(offset, false)),
                _ => bad("timezone must be Z, ZZZZ, or ZZZZZ"),
            }
        }
        _ => Err(format!("invalid date format verb `{token}`")),
    }
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
        assert!(super::parse_timestamp(&t).is_ok());
    }
}
