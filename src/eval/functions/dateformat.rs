//! Terraform's `formatdate` specification language (`YYYY-MM-DD'T'hh:mm:ssZ` ...).

use chrono::{DateTime, Datelike, FixedOffset, Timelike};

use super::rfc3339::offset_string;

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
pub(crate) fn format_date(spec: &str, t: &DateTime<FixedOffset>) -> Result<String, String> {
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
