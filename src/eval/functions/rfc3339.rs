//! RFC 3339 timestamps as Go reads (`time.Parse(time.RFC3339, ...)`) and writes them.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike};

/// Go's `time.RFC3339` layout: whole seconds, `Z` for a zero offset.
pub(crate) fn rfc3339(t: &DateTime<FixedOffset>) -> String {
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

pub(crate) fn offset_string(seconds: i32, colon: bool) -> String {
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
