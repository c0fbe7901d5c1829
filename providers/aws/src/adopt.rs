//! Finding the object of an interrupted create (`Resource::find_interrupted`): by the
//! per-instance mark an EC2 create wrote in its `TagSpecifications`, or, for types with a unique
//! name, by that name once the object proves to be this create's.

use std::collections::BTreeMap;
use std::future::Future;

use aws_sdk_ec2::types::ResourceType;
use labform_sdk::{ProviderError, Resource, Result, Value, INSTANCE_KEY};

use crate::client::Aws;
use crate::ec2::filter;
use crate::errors;

/// The id of the EC2 object of `kind` whose create call wrote `labform-instance = token`.
/// One DescribeTags call serves every taggable EC2 type.
pub async fn ec2_marked_id(aws: &Aws, kind: ResourceType, token: &str) -> Result<Option<String>> {
    let out = aws
        .ec2
        .describe_tags()
        .filters(filter("resource-type", &[kind.as_str()]))
        .filters(filter("key", &[INSTANCE_KEY]))
        .filters(filter("value", &[token]))
        .send()
        .await
        .map_err(|e| {
            errors::sdk(
                &format!("looking for the {} of an interrupted create", kind.as_str()),
                e,
            )
        })?;
    Ok(out
        .tags()
        .iter()
        .find_map(|t| t.resource_id())
        .map(str::to_string))
}

/// The object of `kind` an interrupted create made, read by `read(id)`; `None` when it made
/// none. A marked object that has since been deleted reads as `None` too (DescribeTags may
/// still list it for a while).
pub async fn by_ec2_mark<F, Fut>(
    aws: &Aws,
    kind: ResourceType,
    token: &str,
    read: F,
) -> Result<Option<Value>>
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = Result<Option<Value>>>,
{
    match ec2_marked_id(aws, kind, token).await? {
        Some(id) => read(id).await,
        None => Ok(None),
    }
}

/// [`by_ec2_mark`] for a type that reads by id: the object is read as `read` reads it.
pub async fn ec2_read_by_mark<T: Resource>(
    resource: &T,
    aws: &Aws,
    kind: ResourceType,
    token: &str,
    intent: &Value,
) -> Result<Option<Value>> {
    by_ec2_mark(aws, kind, token, |id| async move {
        resource.read_id(&id, intent).await
    })
    .await
}

/// Checks that an object found by its unique name is the one the interrupted create made: it
/// carries `labform-instance = token`. Anything else may be somebody else's object and is
/// never adopted silently: the error names it (`what`) and how to remove it (`removal`).
pub fn check_ours(
    what: &str,
    remote: &BTreeMap<String, String>,
    token: &str,
    removal: &str,
) -> Result<()> {
    let why = match remote.get(INSTANCE_KEY) {
        Some(t) if t == token => return Ok(()),
        Some(_) => "it was made by another labform create",
        None => "it does not carry the mark of that create",
    };
    Err(ProviderError::conflict(format!(
        "{what} exists, but the interrupted create cannot be shown to have made it: {why}"
    ))
    .with_hint(format!(
        "if it is a leftover, remove it (`{removal}`) and run again; if it must stay, give this resource another name and drop the interrupted create with `labform state rm`"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_object_with_this_creates_mark_is_ours() {
        let mark = |t: &str| BTreeMap::from([(INSTANCE_KEY.to_string(), t.to_string())]);
        assert!(check_ours("bucket `b`", &mark("t1"), "t1", "rm").is_ok());
        let other = check_ours("bucket `b`", &mark("t2"), "t1", "aws s3 rb s3://b").unwrap_err();
        assert!(other.message.contains("another labform create"), "{other}");
        assert!(other
            .hint
            .unwrap_or_default()
            .contains("`aws s3 rb s3://b`"));
        let none = check_ours("bucket `b`", &BTreeMap::new(), "t1", "rm").unwrap_err();
        assert!(none.message.contains("bucket `b` exists"), "{none}");
    }
}
