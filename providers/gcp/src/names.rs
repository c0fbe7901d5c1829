//! Name rules Google enforces (and the emulators do not), checked before any API call.

use labform_sdk::{ProviderError, Result};

/// Cloud Storage bucket naming rules.
pub fn check_bucket_name(name: &str) -> Result<()> {
    let bad = |why: &str| {
        Err(ProviderError::invalid(format!("invalid bucket name `{name}`: {why}")).with_hint(
            "bucket names are 3-63 characters of lower-case letters, digits, `-`, `_` and `.`, start and end with a letter or digit, and are globally unique: prefix it with your project ID",
        ))
    };
    if name.len() < 3 {
        return bad("it is shorter than 3 characters");
    }
    if !name.contains('.') && name.len() > 63 {
        return bad("it is longer than 63 characters");
    }
    if name.len() > 222 {
        return bad("it is longer than 222 characters");
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(*c)))
    {
        if c.is_ascii_uppercase() {
            return bad("it contains upper-case letters");
        }
        return bad(&format!("it contains `{c}`"));
    }
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !alnum(name.chars().next()) || !alnum(name.chars().last()) {
        return bad("it must start and end with a letter or digit");
    }
    if name.contains('.')
        && name
            .split('.')
            .any(|part| part.is_empty() || part.len() > 63)
    {
        return bad("each dot-separated part must be 1-63 characters");
    }
    if name.split('.').count() == 4 && name.split('.').all(|p| p.parse::<u8>().is_ok()) {
        return bad("it looks like an IP address");
    }
    if name.starts_with("goog") {
        return bad("it starts with `goog`");
    }
    if name.contains("google") || name.contains("g00gle") {
        return bad("it contains `google`");
    }
    Ok(())
}

/// BigQuery dataset ID rules (`^[0-9A-Za-z_]+$`, at most 1024 characters).
pub fn check_dataset_id(id: &str) -> Result<()> {
    if id.is_empty()
        || id.len() > 1024
        || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        let hint = if id.contains('-') {
            "dataset IDs use letters, digits and underscores only: write `_` instead of `-`"
        } else {
            "dataset IDs are 1-1024 letters, digits and underscores"
        };
        return Err(ProviderError::invalid(format!("invalid dataset ID `{id}`")).with_hint(hint));
    }
    Ok(())
}

/// BigQuery table ID rules: 1-1024 characters; letters, marks, numbers, connectors, dashes
/// and spaces (we accept the ASCII subset plus any non-ASCII letter).
pub fn check_table_id(id: &str) -> Result<()> {
    if id.is_empty()
        || id.len() > 1024
        || !id.chars().all(|c| c.is_alphanumeric() || "_- ".contains(c))
    {
        return Err(ProviderError::invalid(format!("invalid table ID `{id}`"))
            .with_hint("table IDs are 1-1024 letters, digits, `_`, `-` and spaces"));
    }
    Ok(())
}

/// Project IDs: 6-30 characters, lower-case letters, digits and hyphens, starting with a letter.
/// A display name (`My First Project`) is the usual mistake.
pub fn check_project_id(project: &str) -> Result<()> {
    let ok = (6..=30).contains(&project.len())
        && project
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase())
        && !project.ends_with('-')
        && project
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    // Domain-scoped projects (`example.com:my-project`) are valid too.
    let scoped = project
        .split_once(':')
        .is_some_and(|(d, p)| !d.is_empty() && check_project_id(p).is_ok());
    if ok || scoped {
        return Ok(());
    }
    Err(ProviderError::invalid(format!("`{project}` is not a project ID")).with_hint(
        "use the project ID (lower case, like `my-project-123456`), not the project name: `gcloud projects list` shows both",
    ))
}

/// Label keys and values as Google accepts them.
pub fn check_labels<'a>(labels: impl IntoIterator<Item = (&'a String, &'a String)>) -> Result<()> {
    for (k, v) in labels {
        if k == labform_sdk::INSTANCE_KEY {
            return Err(ProviderError::invalid(format!(
                "the label `{k}` is reserved for labform"
            ))
            .with_hint("labform writes it on every object it creates to find it after a crash: pick another key"));
        }
        let key_ok = (1..=63).contains(&k.chars().count())
            && k.chars().next().is_some_and(|c| c.is_lowercase())
            && k.chars().all(label_char);
        if !key_ok {
            return Err(ProviderError::invalid(format!("invalid label key `{k}`"))
                .with_hint("label keys are 1-63 lower-case letters, digits, `_` and `-`, starting with a letter"));
        }
        if v.chars().count() > 63 || !v.chars().all(label_char) {
            return Err(
                ProviderError::invalid(format!("invalid value `{v}` for label `{k}`")).with_hint(
                    "label values are at most 63 lower-case letters, digits, `_` and `-`",
                ),
            );
        }
    }
    Ok(())
}

fn label_char(c: char) -> bool {
    c.is_lowercase()
        || c.is_ascii_digit()
        || c == '_'
        || c == '-'
        || (c.is_alphabetic() && !c.is_uppercase())
}

/// A stack name made fit to be a label value (lower case, `-` for anything else, 63 chars).
pub fn label_value(raw: &str) -> String {
    raw.chars()
        .map(|c| {
            if label_char(c.to_ascii_lowercase()) {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .take(63)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_names() {
        for ok in ["abc", "my-project-123-data-lake", "a.b.c", "a_b"] {
            assert!(check_bucket_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "ab",
            "Abc",
            "-abc",
            "abc-",
            "192.168.5.4",
            "goog-x",
            "my-google-x",
            "a b",
            &"x".repeat(64),
        ] {
            assert!(check_bucket_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dataset_ids() {
        assert!(check_dataset_id("trips_data_all").is_ok());
        let e = check_dataset_id("trips-data").unwrap_err();
        assert!(e.hint.unwrap().contains("`_`"));
    }

    #[test]
    fn project_ids() {
        assert!(check_project_id("dtc-de-course-412710").is_ok());
        assert!(check_project_id("example.com:my-proj").is_ok());
        assert!(check_project_id("My First Project").is_err());
    }

    #[test]
    fn labels_and_label_values() {
        let ok = [("env".to_string(), "dev".to_string())];
        assert!(check_labels(ok.iter().map(|(a, b)| (a, b))).is_ok());
        let bad = [("Env".to_string(), "dev".to_string())];
        assert!(check_labels(bad.iter().map(|(a, b)| (a, b))).is_err());
        let reserved = [("labform-instance".to_string(), "x".to_string())];
        let e = check_labels(reserved.iter().map(|(a, b)| (a, b))).unwrap_err();
        assert!(e.message.contains("reserved"), "{}", e.message);
        assert_eq!(label_value("My.Stack"), "my-stack");
    }
}
