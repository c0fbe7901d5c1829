//! What the Glue resource types share: the catalog id (the account's unless configured), ARNs,
//! tags read and written by ARN, and adopting a named object an interrupted create made.

use std::collections::BTreeMap;

use labform_sdk::{ProviderError, Result, Value};

use crate::client::Aws;
use crate::{adopt, errors, tags};

/// The catalog an object lives in: `catalog_id` when set, else the account's.
pub async fn catalog(aws: &Aws, v: &Value) -> Result<String> {
    match v.str_attr("catalog_id") {
        Some(c) if !c.is_empty() => Ok(c.to_string()),
        _ => aws.account_id().await,
    }
}

/// `arn:<partition>:glue:<region>:<account>:<path>` (`database/lake`, `crawler/raw`).
pub fn arn(aws: &Aws, account: &str, path: &str) -> String {
    format!(
        "arn:{}:glue:{}:{account}:{path}",
        aws.partition(),
        aws.region
    )
}

/// The tags of the object `arn` as stored (empty when it has none or is gone); `what` names
/// it in errors (`glue crawler \`raw\``).
pub async fn tags_of(aws: &Aws, arn: &str, what: &str) -> Result<BTreeMap<String, String>> {
    match aws.glue.get_tags().resource_arn(arn).send().await {
        Ok(t) => Ok(t
            .tags()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()),
        Err(e) if errors::is_not_found(&e) => Ok(BTreeMap::new()),
        Err(e) => Err(errors::sdk(&format!("reading the tags of {what}"), e)),
    }
}

/// Takes the tags of `arn` from what `prior` recorded to what `planned` asks for.
pub async fn update_tags(
    aws: &Aws,
    arn: &str,
    what: &str,
    prior: &Value,
    planned: &Value,
) -> Result<()> {
    let client = &aws.glue;
    tags::write(
        what,
        tags::changes(aws, prior, planned),
        tags::UNLIMITED,
        |keys| {
            client
                .untag_resource()
                .resource_arn(arn)
                .set_tags_to_remove(Some(keys))
                .send()
        },
        |set| {
            client
                .tag_resource()
                .resource_arn(arn)
                .set_tags_to_add(Some(set.into_iter().collect()))
                .send()
        },
    )
    .await
}

/// Sets `tags` and `tags_all` of `v` from the tags found on the object.
pub fn set_tags(aws: &Aws, v: &mut Value, remote: BTreeMap<String, String>, current: &Value) {
    let (tags, tags_all) = tags::split_remote(aws, remote, current.get("tags"));
    v.set("tags", tags);
    v.set("tags_all", tags_all);
}

/// The object `found` (read by its unique name) when its tags show that the interrupted
/// create with `token` made it; an error naming it and `removal` when they do not.
pub async fn adopt_named(
    aws: &Aws,
    found: Option<Value>,
    what: &str,
    token: &str,
    removal: &str,
) -> Result<Option<Value>> {
    let Some(found) = found else {
        return Ok(None);
    };
    let arn = found.str_attr("arn").unwrap_or_default();
    adopt::check_ours(what, &tags_of(aws, arn, what).await?, token, removal)?;
    Ok(Some(found))
}

/// The `CatalogId` a call names: none for the account's own catalog (an empty `catalog`).
pub fn catalog_id(catalog: &str) -> Option<String> {
    (!catalog.is_empty()).then(|| catalog.to_string())
}

/// The `CATALOG:NAME` parts of an import id; the account's catalog when only a name is given.
pub fn split_id(id: &str) -> (&str, &str) {
    id.split_once(':').unwrap_or(("", id))
}

/// A string map attribute as the API takes it; `None` when unset.
pub fn string_map(v: &Value, name: &str) -> Option<std::collections::HashMap<String, String>> {
    v.get(name)
        .as_object()
        .map(|_| v.string_map_attr(name).into_iter().collect())
}

/// A string map from the API as a value: null when the API has none and `current` had none
/// configured, so an unset argument reads back unset.
pub fn map_value(
    found: Option<&std::collections::HashMap<String, String>>,
    current: &Value,
    name: &str,
) -> Value {
    match found.filter(|m| !m.is_empty()) {
        Some(m) => Value::string_map(m.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
        None if current.get(name).as_object().is_some() => Value::object(),
        None => Value::Null,
    }
}

/// A string list from the API as a value.
pub fn str_list(items: &[String]) -> Value {
    Value::List(items.iter().map(|s| Value::from(s.as_str())).collect())
}

/// A string from the API as a value: null when absent or empty.
pub fn opt_str(s: Option<&str>) -> Value {
    s.filter(|s| !s.is_empty()).map_or(Value::Null, Value::from)
}

/// A number attribute as the API's `i32`.
pub fn int(v: &Value, name: &str) -> Option<i32> {
    v.i64_attr(name).and_then(|i| i32::try_from(i).ok())
}

/// A string list from the API as a value: null when the API has none and `current` had none
/// configured, so an unset argument reads back unset.
pub fn list_value(items: &[String], current: &Value, name: &str) -> Value {
    if items.is_empty() && current.get(name).is_null() {
        Value::Null
    } else {
        str_list(items)
    }
}

/// The hint when the name of a create is taken.
const TAKEN: &str = "import it into the state, or choose another name";

/// The error of a create call; a name already taken says how to go on.
pub fn create_error<E, R>(what: &str, e: aws_sdk_glue::error::SdkError<E, R>) -> ProviderError
where
    E: aws_sdk_glue::error::ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: errors::HasStatus + std::fmt::Debug,
{
    errors::on_create(what, "AlreadyExistsException", TAKEN)(e)
}

/// Whether `value` is one of `allowed` (case as given); an error naming `name` otherwise.
pub fn check_one_of(name: &str, value: Option<&str>, allowed: &[&str]) -> Result<()> {
    match value {
        Some(v) if !allowed.contains(&v) => Err(ProviderError::invalid(format!(
            "`{name} = \"{v}\"` is not one of {}",
            allowed.join(", ")
        ))),
        _ => Ok(()),
    }
}
