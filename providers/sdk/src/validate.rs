//! Configuration checks many resource types share.

use crate::error::{ProviderError, Result};
use crate::value::Value;

/// Fails when more than one of the attributes `names` is set to a known value (Terraform's
/// `ConflictsWith` / `ExactlyOneOf` without the "one").
pub fn at_most_one(config: &Value, names: &[&str]) -> Result<()> {
    let set = |n: &str| {
        let v = config.get(n);
        !v.is_null() && v.is_wholly_known()
    };
    if names.iter().filter(|n| set(n)).count() < 2 {
        return Ok(());
    }
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    let list = match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.join(""),
    };
    Err(ProviderError::invalid(format!(
        "only one of {list} can be set"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_set_attributes_conflict() {
        let both = Value::from_pairs([("name", "a".into()), ("name_prefix", "b".into())]);
        let err = at_most_one(&both, &["name", "name_prefix"]).unwrap_err();
        assert_eq!(
            err.message,
            "only one of `name` and `name_prefix` can be set"
        );
        let three = at_most_one(&both, &["x", "name", "name_prefix"]).unwrap_err();
        assert_eq!(
            three.message,
            "only one of `x`, `name` and `name_prefix` can be set"
        );
        let unknown = Value::from_pairs([("name", "a".into()), ("name_prefix", Value::Unknown)]);
        assert!(at_most_one(&unknown, &["name", "name_prefix"]).is_ok());
        assert!(at_most_one(&Value::object(), &["name", "name_prefix"]).is_ok());
    }
}
