//! Tags: `tags_all` = provider `default_tags` + the resource's `tags` + labform's mark, planned
//! as a known value, and split back into `tags`/`tags_all` on read. The per-instance mark
//! (`labform-instance`) is written by create calls only and never shows in `tags`/`tags_all`.

use std::collections::BTreeMap;

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use labform_sdk::{OpContext, Result, Value, INSTANCE_KEY};

use crate::client::Aws;
use crate::errors;

/// The tags an object carries after apply; `Unknown` when the configured tags are not known yet.
pub fn planned_tags_all(aws: &Aws, tags: &Value) -> Value {
    if !tags.is_wholly_known() {
        return Value::Unknown;
    }
    Value::string_map(merged(aws, tags))
}

/// `default_tags`, then the resource's own `tags`, then the mark (which always wins: a sweep
/// relies on it).
pub fn merged(aws: &Aws, tags: &Value) -> BTreeMap<String, String> {
    let mut out = aws.default_tags.clone();
    out.extend(tags.string_map_attr_self());
    out.extend(aws.mark.clone());
    out
}

/// The tags a create call writes: [`merged`] plus the per-instance mark of this create (when the
/// engine gave one), so an interrupted run finds the object again by it.
pub fn for_create(aws: &Aws, tags: &Value, ctx: &OpContext) -> BTreeMap<String, String> {
    let mut out = merged(aws, tags);
    if let Some((k, v)) = ctx.instance_mark() {
        out.insert(k.to_string(), v.to_string());
    }
    out
}

/// `new` plus the per-instance mark found in `remote`: for APIs whose tag write replaces the
/// whole set (S3), so an in-place tag change keeps the mark.
pub fn keeping_mark(
    remote: &BTreeMap<String, String>,
    mut new: BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    if let Some(v) = remote.get(INSTANCE_KEY) {
        new.insert(INSTANCE_KEY.to_string(), v.clone());
    }
    new
}

/// Splits the tags found on an object into `(tags, tags_all)` as Terraform reads them: `tags_all`
/// is everything but `aws:` system tags and the per-instance mark; `tags` drops keys that only
/// come from `default_tags` or the mark with the same value, unless the configuration
/// (`prior_tags`) names them itself.
pub fn split_remote(
    aws: &Aws,
    remote: BTreeMap<String, String>,
    prior_tags: &Value,
) -> (Value, Value) {
    let all: BTreeMap<String, String> = labform_sdk::without_instance_mark(remote)
        .into_iter()
        .filter(|(k, _)| !k.starts_with("aws:"))
        .collect();
    let own = prior_tags.string_map_attr_self();
    let mut implied = aws.default_tags.clone();
    implied.extend(aws.mark.clone());
    let tags: BTreeMap<String, String> = all
        .iter()
        .filter(|(k, v)| own.contains_key(*k) || implied.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let tags_value = if tags.is_empty() && prior_tags.is_null() {
        Value::Null
    } else {
        Value::string_map(tags)
    };
    (tags_value, Value::string_map(all))
}

/// The tags of a `tags_all` value as a map.
pub fn as_map(v: &Value) -> BTreeMap<String, String> {
    v.string_map_attr_self()
}

/// What an update adds/changes and removes to take an object's tags from what `prior` recorded
/// (`tags_all`) to what `planned` asks for ([`merged`]).
pub fn changes(
    aws: &Aws,
    prior: &Value,
    planned: &Value,
) -> (BTreeMap<String, String>, Vec<String>) {
    diff(
        &as_map(prior.get("tags_all")),
        &merged(aws, planned.get("tags")),
    )
}

/// What to add/change and what to remove to go from `old` to `new` tags.
pub fn diff(
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
) -> (BTreeMap<String, String>, Vec<String>) {
    let set = new
        .iter()
        .filter(|(k, v)| old.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let removed = old
        .keys()
        .filter(|k| !new.contains_key(*k))
        .cloned()
        .collect();
    (set, removed)
}

/// A map of strings read from a value that is itself the map.
pub trait SelfMap {
    fn string_map_attr_self(&self) -> BTreeMap<String, String>;
}

impl SelfMap for Value {
    fn string_map_attr_self(&self) -> BTreeMap<String, String> {
        self.as_object()
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_string())))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The values whose `tags_all` `filter` selects, each once (by `id`), with those tags as marks.
pub fn marked(values: Vec<Value>, filter: &labform_sdk::StackFilter) -> Vec<labform_sdk::Marked> {
    filter.select(values.into_iter().map(|v| {
        let tags = as_map(v.get("tags_all"));
        labform_sdk::Marked::new(v, tags)
    }))
}

/// A [`write`] batch for a service that takes any number of tags a call.
pub const UNLIMITED: usize = usize::MAX;

/// Adds (or overwrites) `set` and removes `removed` (as [`changes`] answers them) through the
/// service's own calls, at most `batch` tags a call: `untag` gets the keys to remove, `tag` the
/// tags to add or change, each called only when there is something to do. `what` names the
/// object in errors.
pub async fn write<UF, TF, U, T, E1, E2, R1, R2>(
    what: &str,
    (set, removed): (BTreeMap<String, String>, Vec<String>),
    batch: usize,
    untag: impl Fn(Vec<String>) -> UF,
    tag: impl Fn(BTreeMap<String, String>) -> TF,
) -> Result<()>
where
    UF: std::future::Future<Output = Result<U, SdkError<E1, R1>>>,
    TF: std::future::Future<Output = Result<T, SdkError<E2, R2>>>,
    E1: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    E2: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R1: errors::HasStatus + std::fmt::Debug,
    R2: errors::HasStatus + std::fmt::Debug,
{
    for keys in removed.chunks(batch) {
        untag(keys.to_vec())
            .await
            .map_err(|e| errors::sdk(&format!("untagging {what}"), e))?;
    }
    let set: Vec<(String, String)> = set.into_iter().collect();
    for tags in set.chunks(batch) {
        tag(tags.iter().cloned().collect())
            .await
            .map_err(|e| errors::sdk(&format!("tagging {what}"), e))?;
    }
    Ok(())
}
