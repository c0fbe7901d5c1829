//! Names: S3 bucket naming rules (checked before any call, as AWS would) and generated unique
//! names for `bucket_prefix`, `name_prefix` and friends (random, or derived from a create token).

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use labform_sdk::{ProviderError, Result, Value};

/// The length of the suffix Terraform appends to a prefix.
pub const UNIQUE_SUFFIX_LEN: usize = 26;

/// `prefix` followed by 26 random lowercase hex characters; `terraform-` when no prefix.
pub fn unique_name(prefix: Option<&str>) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut out = prefix.unwrap_or("terraform-").to_string();
    while out.len() < prefix.map_or(10, str::len) + UNIQUE_SUFFIX_LEN {
        let mut h = RandomState::new().build_hasher();
        h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
        h.write_u128(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0),
        );
        out.push_str(&format!("{:016x}", h.finish()));
    }
    out.truncate(prefix.map_or(10, str::len) + UNIQUE_SUFFIX_LEN);
    out
}

/// `prefix` followed by 26 lowercase hex characters derived from `token` (the create token):
/// the same token always gives the same name, so a create interrupted before state recorded the
/// name finds its object again by that name.
pub fn derived_name(prefix: &str, token: &str) -> String {
    use md5::{Digest, Md5};
    let mut suffix = hex::encode(Md5::digest(token.as_bytes()));
    suffix.truncate(UNIQUE_SUFFIX_LEN);
    format!("{prefix}{suffix}")
}

/// The name a create gives an object whose type takes a name or a prefix (`name` /
/// `name_prefix`, `identifier` / `identifier_prefix`): the configured name, else the prefix
/// (default `terraform-`) plus a suffix [`derived_name`] makes from the create token (random
/// without one), so an interrupted create finds its object again by that name.
pub fn name_or_prefixed(v: &Value, name: &str, prefix: &str, token: Option<&str>) -> String {
    if let Some(n) = v.str_attr(name).filter(|n| !n.is_empty()) {
        return n.to_string();
    }
    let prefix = v
        .str_attr(prefix)
        .filter(|p| !p.is_empty())
        .unwrap_or("terraform-");
    match token {
        Some(t) => derived_name(prefix, t),
        None => unique_name(Some(prefix)),
    }
}

/// Checks a name-or-prefix pair of arguments: at most one is set, and each that is set passes
/// `check(attribute, text, is_prefix)`.
pub fn check_name_or_prefix(
    config: &Value,
    name: &str,
    prefix: &str,
    check: fn(&str, &str, bool) -> Result<()>,
) -> Result<()> {
    labform_sdk::validate::at_most_one(config, &[name, prefix])?;
    if let Some(text) = config.str_attr(name) {
        check(name, text, false)?;
    }
    match config.str_attr(prefix) {
        Some(text) => check(prefix, text, true),
        None => Ok(()),
    }
}

/// What a create's plan knows when the name is configured: the prefix is recorded empty, as the
/// provider records it, and (for types whose id is the name) the id is the name.
pub fn plan_named(planned: &mut Value, config: &Value, name: &str, prefix: &str, id_is_name: bool) {
    if let Some(text) = config.str_attr(name) {
        if id_is_name {
            planned.set("id", text.into());
        }
        planned.set(prefix, "".into());
    }
}

/// Checks a database identifier (an RDS `identifier` or, with `prefix`, an `identifier_prefix`;
/// a Redshift `cluster_identifier`) as the providers do: lowercase letters, digits and hyphens,
/// a letter first, no two hyphens in a row, no hyphen at the end (a prefix may end in one), at
/// most 63 characters with the suffix.
pub fn check_db_identifier(attr: &str, id: &str, prefix: bool) -> Result<()> {
    let max = if prefix { 63 - UNIQUE_SUFFIX_LEN } else { 63 };
    let why = if id.is_empty() || id.len() > max {
        Some(format!("it must be 1 to {max} characters long"))
    } else if !id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        Some("only lowercase letters, digits and hyphens are allowed".to_string())
    } else if !id.starts_with(|c: char| c.is_ascii_lowercase()) {
        Some("the first character must be a letter".to_string())
    } else if id.contains("--") {
        Some("it cannot contain two consecutive hyphens".to_string())
    } else if !prefix && id.ends_with('-') {
        Some("it cannot end with a hyphen".to_string())
    } else {
        None
    };
    match why {
        Some(why) => Err(ProviderError::invalid(format!(
            "invalid `{attr}` `{id}`: {why}"
        ))),
        None => Ok(()),
    }
}

/// Checks a general-purpose bucket name against the S3 rules.
pub fn check_bucket_name(name: &str) -> Result<()> {
    let bad = |why: &str| {
        Err(ProviderError::invalid(format!("invalid bucket name `{name}`: {why}")).with_hint(
            "bucket names are 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit",
        ))
    };
    if name.len() < 3 || name.len() > 63 {
        return bad("it must be between 3 and 63 characters long");
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '.' || *c == '-'))
    {
        if c.is_ascii_uppercase() {
            return bad("it must not contain uppercase letters");
        }
        return bad(&format!("it must not contain `{c}`"));
    }
    let first = name.chars().next().unwrap_or('-');
    let last = name.chars().last().unwrap_or('-');
    if !first.is_ascii_alphanumeric() || !last.is_ascii_alphanumeric() {
        return bad("it must start and end with a letter or digit");
    }
    if name.contains("..") || name.contains(".-") || name.contains("-.") {
        return bad("it must not contain two adjacent dots or a dot next to a hyphen");
    }
    if name.split('.').count() == 4
        && name
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        return bad("it must not look like an ip address");
    }
    for prefix in ["xn--", "sthree-", "amzn-s3-demo-"] {
        if name.starts_with(prefix) {
            return bad(&format!("it must not start with `{prefix}`"));
        }
    }
    for suffix in ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] {
        if name.ends_with(suffix) {
            return bad(&format!("it must not end with `{suffix}`"));
        }
    }
    Ok(())
}

/// Checks a `bucket_prefix`: the generated name must still be valid.
pub fn check_bucket_prefix(prefix: &str) -> Result<()> {
    if prefix.len() > 63 - UNIQUE_SUFFIX_LEN {
        return Err(ProviderError::invalid(format!(
            "`bucket_prefix` `{prefix}` is too long: at most {} characters leave room for the unique suffix",
            63 - UNIQUE_SUFFIX_LEN
        )));
    }
    let sample = format!("{prefix}{}", "a".repeat(UNIQUE_SUFFIX_LEN));
    check_bucket_name(&sample).map_err(|e| {
        ProviderError::invalid(format!(
            "invalid `bucket_prefix` `{prefix}`: {}",
            e.message.split(": ").last().unwrap_or("")
        ))
        .with_hint(e.hint.unwrap_or_default())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_identifiers_follow_the_rules() {
        assert!(check_db_identifier("identifier", "lab-db-1", false).is_ok());
        assert!(check_db_identifier("identifier_prefix", "lab-", true).is_ok());
        for bad in ["Lab", "1lab", "lab--db", "lab-", "lab_db", ""] {
            assert!(
                check_db_identifier("identifier", bad, false).is_err(),
                "{bad}"
            );
        }
        assert!(check_db_identifier("identifier_prefix", &"a".repeat(38), true).is_err());
    }

    #[test]
    fn bucket_rules_match_aws() {
        assert!(check_bucket_name("my-data-lake.raw").is_ok());
        assert!(check_bucket_name("ab").is_err());
        assert!(check_bucket_name("My-Bucket")
            .unwrap_err()
            .message
            .contains("uppercase"));
        assert!(check_bucket_name("bucket_name").is_err());
        assert!(check_bucket_name("-bucket").is_err());
        assert!(check_bucket_name("a..b").is_err());
        assert!(check_bucket_name("192.168.5.4").is_err());
        assert!(check_bucket_name("xn--bucket").is_err());
        assert!(check_bucket_name("bucket-s3alias").is_err());
        assert!(check_bucket_name(&"a".repeat(64)).is_err());
    }

    #[test]
    fn unique_names_have_the_terraform_shape() {
        let a = unique_name(Some("lake-"));
        let b = unique_name(Some("lake-"));
        assert_eq!(a.len(), 5 + 26);
        assert_ne!(a, b);
        assert!(a[5..]
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_eq!(unique_name(None).len(), 36);
        assert!(check_bucket_prefix("lake-").is_ok());
        assert!(check_bucket_prefix("Lake").is_err());
        assert!(check_bucket_prefix(&"a".repeat(38)).is_err());
    }

    #[test]
    fn derived_names_are_stable_per_token_and_valid() {
        let a = derived_name("lake-", "0b6f3c1e-2c55-4f0e-9a39-3f1f8d1c2a77");
        assert_eq!(
            a,
            derived_name("lake-", "0b6f3c1e-2c55-4f0e-9a39-3f1f8d1c2a77")
        );
        assert_ne!(a, derived_name("lake-", "another-token"));
        assert_eq!(a.len(), 5 + UNIQUE_SUFFIX_LEN);
        assert!(check_bucket_name(&a).is_ok());
        let longest = "p".repeat(63 - UNIQUE_SUFFIX_LEN);
        assert!(check_bucket_name(&derived_name(&longest, "t")).is_ok());
    }
}
