//! Go duration strings (`30s`, `1m30s`, `500ms`, `-1.5h`), as Go's `time.ParseDuration` reads
//! them: hashicorp/time, Docker healthchecks, provider timeouts and `timeadd` all use this form.

use std::time::Duration;

/// Parses a Go duration into signed nanoseconds. The error names the text as Go's does.
pub fn go_duration_nanos(text: &str) -> Result<i128, String> {
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
    if !total.is_finite() || total > i64::MAX as f64 {
        return Err(invalid());
    }
    let nanos = total.round() as i128;
    Ok(if negative { -nanos } else { nanos })
}

/// Parses a Go duration that must not be negative (a timeout, a sleep).
pub fn go_duration(text: &str) -> Result<Duration, String> {
    let nanos = go_duration_nanos(text)?;
    u64::try_from(nanos)
        .map(Duration::from_nanos)
        .map_err(|_| format!("duration `{text}` must not be negative"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_go_parses() {
        assert_eq!(go_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(go_duration("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(go_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(go_duration("1.5h"), Ok(Duration::from_secs(5400)));
        assert_eq!(go_duration("0"), Ok(Duration::ZERO));
        assert_eq!(go_duration_nanos("-1s"), Ok(-1_000_000_000));
        assert_eq!(go_duration_nanos("2us"), Ok(2_000));
    }

    #[test]
    fn rejects_what_go_rejects() {
        for bad in ["", "10", "10 seconds", "3x", ".s", "-"] {
            assert!(go_duration_nanos(bad).is_err(), "{bad}");
        }
        assert!(go_duration("10").unwrap_err().contains("missing unit"));
        assert!(go_duration("-1s").unwrap_err().contains("negative"));
    }
}
