//! The final snapshot a database takes when it is deleted (`aws_db_instance`,
//! `aws_redshift_cluster`): `skip_final_snapshot` and `final_snapshot_identifier` decide it, and
//! a delete that would need a snapshot nobody named fails before any call, as the provider does.

use labform_sdk::{ProviderError, Result, Value};

/// What a delete does about the final snapshot.
#[derive(Debug, PartialEq, Eq)]
pub enum FinalSnapshot {
    /// `skip_final_snapshot = true`: the data goes with the object.
    Skip,
    /// A snapshot of this name is taken before the object is deleted.
    Take(String),
}

/// The final-snapshot decision for deleting `what` (`db instance \`lab\``) as `prior` recorded
/// it. Without `skip_final_snapshot = true` a snapshot name is required: `required` is the
/// provider's message for its absence, which ends the delete before any call.
pub fn on_delete(prior: &Value, what: &str, required: &str) -> Result<FinalSnapshot> {
    if prior.bool_attr("skip_final_snapshot", false) {
        return Ok(FinalSnapshot::Skip);
    }
    match prior.str_attr("final_snapshot_identifier") {
        Some(name) if !name.is_empty() => Ok(FinalSnapshot::Take(name.to_string())),
        _ => Err(ProviderError::invalid(format!("deleting {what}: {required}")).with_hint(
            "set `skip_final_snapshot = true` (or name the snapshot in `final_snapshot_identifier`) and apply, then destroy",
        )),
    }
}

/// Checks `final_snapshot_identifier` as both services do: letters, digits and hyphens, no two
/// hyphens in a row, no hyphen at the end, at most 255 characters; `letter_first` when it must
/// begin with a letter (RDS).
pub fn check_identifier(config: &Value, letter_first: bool) -> Result<()> {
    let Some(name) = config.str_attr("final_snapshot_identifier") else {
        return Ok(());
    };
    let why = if name.is_empty() || name.len() > 255 {
        Some("it must be 1 to 255 characters long")
    } else if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        Some("it must only contain letters, digits and hyphens")
    } else if letter_first && !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        Some("it must begin with a letter")
    } else if name.contains("--") {
        Some("it cannot contain two consecutive hyphens")
    } else if name.ends_with('-') {
        Some("it cannot end in a hyphen")
    } else {
        None
    };
    match why {
        Some(why) => Err(ProviderError::invalid(format!(
            "invalid `final_snapshot_identifier` `{name}`: {why}"
        ))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prior(skip: Option<bool>, name: Option<&str>) -> Value {
        Value::from_pairs([
            ("skip_final_snapshot", skip.map_or(Value::Null, Value::from)),
            (
                "final_snapshot_identifier",
                name.map_or(Value::Null, Value::from),
            ),
        ])
    }

    #[test]
    fn a_snapshot_is_taken_unless_skipped_and_must_be_named() {
        let msg = "final_snapshot_identifier is required when skip_final_snapshot is false";
        assert_eq!(
            on_delete(&prior(Some(true), None), "db `d`", msg),
            Ok(FinalSnapshot::Skip)
        );
        assert_eq!(
            on_delete(&prior(Some(true), Some("last")), "db `d`", msg),
            Ok(FinalSnapshot::Skip)
        );
        assert_eq!(
            on_delete(&prior(Some(false), Some("last")), "db `d`", msg),
            Ok(FinalSnapshot::Take("last".into()))
        );
        // The default is to take one, so an unset skip with no name fails.
        for p in [prior(None, None), prior(Some(false), Some(""))] {
            let e = on_delete(&p, "db `d`", msg).unwrap_err();
            assert_eq!(e.message, format!("deleting db `d`: {msg}"));
            assert!(e
                .hint
                .unwrap_or_default()
                .contains("skip_final_snapshot = true"));
        }
    }

    #[test]
    fn snapshot_names_follow_the_rules() {
        let named = |n: &str| Value::from_pairs([("final_snapshot_identifier", Value::from(n))]);
        assert!(check_identifier(&named("lab-final-1"), true).is_ok());
        assert!(check_identifier(&named("1-final"), false).is_ok());
        for (bad, why) in [
            ("1-final", "begin with a letter"),
            ("a--b", "two consecutive hyphens"),
            ("ab-", "end in a hyphen"),
            ("a_b", "letters, digits and hyphens"),
        ] {
            let e = check_identifier(&named(bad), true).unwrap_err();
            assert!(e.message.contains(why), "{bad}: {e}");
        }
    }
}
