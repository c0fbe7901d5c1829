//! A stack's expiry: a ttl (`apply -ttl 8h`, `LABFORM_TTL`, `labform { ttl = "8h" }`) turned
//! into the `labform-expires` mark value recorded in state and written on every object, and the
//! rule that decides which setting wins.

use chrono::{DateTime, Datelike, Timelike, Utc};
use labform_sdk::{expires_mark, go_duration};

/// A ttl as written: how long from now, or no expiry at all (`0`, `none`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ttl {
    For(std::time::Duration),
    Never,
}

/// Reads a ttl: a Go duration (`8h`, `90m`, `1h30m`), or `0` / `none` for no expiry.
pub fn parse_ttl(text: &str) -> Result<Ttl, String> {
    let t = text.trim();
    if t == "none" || t == "0" {
        return Ok(Ttl::Never);
    }
    match go_duration(t) {
        Ok(d) if d.is_zero() => Ok(Ttl::Never),
        Ok(d) => Ok(Ttl::For(d)),
        Err(e) => Err(format!(
            "invalid ttl `{text}`: {e}; expected a duration such as `8h`, `90m` or `1h30m`, or `none`"
        )),
    }
}

/// `at` as a `labform-expires` mark value.
pub fn mark_of(at: DateTime<Utc>) -> String {
    expires_mark(
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
    )
}

/// The mark value of the present moment, to compare expiries with.
pub fn now_mark() -> String {
    mark_of(Utc::now())
}

/// A mark value (`20261204t183000z`) as RFC 3339 (`2026-12-04T18:30:00Z`), for people.
pub fn mark_to_rfc3339(mark: &str) -> Option<String> {
    let t = chrono::NaiveDateTime::parse_from_str(mark, "%Y%m%dt%H%M%Sz").ok()?;
    Some(
        t.and_utc()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    )
}

/// The expiry this run records. An explicit ttl (`-ttl`, else `LABFORM_TTL`) sets it from now
/// (or clears it); without one the recorded expiry stays, so a later apply neither extends nor
/// drops it; the stack's `labform { ttl }` applies only when nothing is recorded yet (its first
/// apply), so that re-planning an unchanged stack stays "No changes".
pub fn resolve(
    explicit: Option<Ttl>,
    recorded: Option<&str>,
    block: Option<Ttl>,
    now: DateTime<Utc>,
) -> Option<String> {
    let from = |ttl: Ttl| match ttl {
        Ttl::Never => None,
        Ttl::For(d) => chrono::Duration::from_std(d)
            .ok()
            .and_then(|d| now.checked_add_signed(d))
            .map(mark_of),
    };
    match (explicit, recorded) {
        (Some(ttl), _) => from(ttl),
        (None, Some(r)) => Some(r.to_string()),
        (None, None) => block.and_then(from),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn ttls_read_as_go_durations_or_none() {
        assert_eq!(parse_ttl("8h"), Ok(Ttl::For(Duration::from_secs(8 * 3600))));
        assert_eq!(parse_ttl("1h30m"), Ok(Ttl::For(Duration::from_secs(5400))));
        assert_eq!(parse_ttl("0"), Ok(Ttl::Never));
        assert_eq!(parse_ttl("none"), Ok(Ttl::Never));
        assert_eq!(parse_ttl("0s"), Ok(Ttl::Never));
        for bad in ["8", "8 hours", "1d", "-1h", ""] {
            assert!(parse_ttl(bad).unwrap_err().contains("invalid ttl"), "{bad}");
        }
    }

    #[test]
    fn flag_or_env_wins_then_state_then_block() {
        let now = at("2026-12-04T10:00:00Z");
        let eight = Some(Ttl::For(Duration::from_secs(8 * 3600)));
        let one = Some(Ttl::For(Duration::from_secs(3600)));
        let rec = Some("20261204t120000z");
        assert_eq!(
            resolve(eight, rec, one, now).as_deref(),
            Some("20261204t180000z")
        );
        assert_eq!(resolve(Some(Ttl::Never), rec, one, now), None);
        assert_eq!(resolve(None, rec, one, now).as_deref(), rec);
        assert_eq!(
            resolve(None, None, one, now).as_deref(),
            Some("20261204t110000z")
        );
        assert_eq!(resolve(None, None, None, now), None);
    }

    #[test]
    fn marks_read_back_as_rfc3339() {
        let m = mark_of(at("2026-12-31T23:59:07Z"));
        assert_eq!(m, "20261231t235907z");
        assert_eq!(mark_to_rfc3339(&m).as_deref(), Some("2026-12-31T23:59:07Z"));
        assert_eq!(mark_to_rfc3339("soon"), None);
    }
}
