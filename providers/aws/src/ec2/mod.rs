//! EC2: VPC networking, security groups, instances and key pairs, plus the helpers they share
//! (tags, filters, waiting, "what still holds this").

use std::collections::BTreeMap;

use aws_sdk_ec2::types::{Filter, ResourceType, Tag, TagSpecification};
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use labform_sdk::{by_id, Marked, Resource, Result, StackFilter, Value};

use crate::client::Aws;
use crate::errors;

mod holders;
pub mod instance;
mod instance_find;
mod instance_read;
mod instance_wait;
pub mod internet_gateway;
pub mod key_pair;
pub mod permissions;
pub mod route;
pub mod route_table;
pub mod route_table_association;
pub mod security_group;
pub mod security_group_rule;
mod sg_api;
pub mod subnet;
pub mod vpc;
pub mod vpc_sg_rule;

pub use holders::{or_held, vpc_dependents};

/// A tag specification for a create call.
pub fn tag_spec(kind: ResourceType, tags: &BTreeMap<String, String>) -> TagSpecification {
    let mut spec = TagSpecification::builder().resource_type(kind);
    for (k, v) in tags {
        spec = spec.tags(Tag::builder().key(k).value(v).build());
    }
    spec.build()
}

/// Tags of an EC2 object as a map.
pub fn tag_map(tags: &[Tag]) -> BTreeMap<String, String> {
    tags.iter()
        .filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or("").to_string())))
        .collect()
}

/// One `Filter { name, values }`.
pub fn filter(name: &str, values: &[&str]) -> Filter {
    Filter::builder()
        .name(name)
        .set_values(Some(values.iter().map(|v| v.to_string()).collect()))
        .build()
}

/// Moves an object's tags from `old` to `new` with CreateTags / DeleteTags.
pub async fn sync_tags(
    aws: &Aws,
    id: &str,
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
) -> Result<()> {
    let (set, removed) = crate::tags::diff(old, new);
    if !removed.is_empty() {
        let tags = removed
            .iter()
            .map(|k| Tag::builder().key(k).build())
            .collect();
        aws.ec2
            .delete_tags()
            .resources(id)
            .set_tags(Some(tags))
            .send()
            .await
            .map_err(|e| errors::sdk(&format!("removing tags from `{id}`"), e))?;
    }
    if !set.is_empty() {
        let tags = set
            .iter()
            .map(|(k, v)| Tag::builder().key(k).value(v).build())
            .collect();
        aws.ec2
            .create_tags()
            .resources(id)
            .set_tags(Some(tags))
            .send()
            .await
            .map_err(|e| errors::sdk(&format!("tagging `{id}`"), e))?;
    }
    Ok(())
}

/// Moves an object's tags from what `prior` recorded (`tags_all`) to what `planned` asks for.
pub async fn retag(
    aws: &Aws,
    id: &str,
    prior: &labform_sdk::Value,
    planned: &labform_sdk::Value,
) -> Result<()> {
    let old = crate::tags::as_map(prior.get("tags_all"));
    sync_tags(
        aws,
        id,
        &old,
        &crate::tags::merged(aws, planned.get("tags")),
    )
    .await
}

/// An `arn:aws:ec2:<region>:<owner>:<kind>/<id>`.
pub fn arn(aws: &Aws, owner: &str, kind: &str, id: &str) -> String {
    format!(
        "arn:{}:ec2:{}:{owner}:{kind}/{id}",
        aws.partition(),
        aws.region
    )
}

/// A list argument of an API call: `None` (left out of the call) when it is empty.
pub fn some_list<T: Clone>(items: &[T]) -> Option<Vec<T>> {
    (!items.is_empty()).then(|| items.to_vec())
}

/// Whether a value is known and a non-empty string.
pub fn some_str(v: &labform_sdk::Value, name: &str) -> Option<String> {
    v.str_attr(name)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The objects `filter` selects, from `list` called once per tag query of the filter (EC2
/// filters by tag server side: one call for the stack's id, one for its name to find objects
/// marked the old way), each kept once and only when [`StackFilter::matches`] its `tags_all`.
pub async fn list_marked<F, Fut>(filter: &StackFilter, list: F) -> Result<Vec<Marked>>
where
    F: Fn(Vec<Filter>) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<Value>>>,
{
    let mut found = Vec::new();
    for query in filter.queries() {
        let filters = query
            .iter()
            .map(|(k, v)| self::filter(&format!("tag:{k}"), &[v]))
            .collect();
        found.extend(list(filters).await?);
    }
    Ok(crate::tags::marked(found, filter))
}

/// [`list_marked`] for types whose describe answer holds all their value: `describe` sends the
/// call with the tag filters, `values` maps its answer.
pub async fn list_described<Out, E, R, Fut>(
    filter: &StackFilter,
    what: &str,
    describe: impl Fn(Vec<Filter>) -> Fut,
    values: impl Fn(Out) -> Vec<Value>,
) -> Result<Vec<Marked>>
where
    Fut: std::future::Future<Output = Result<Out, SdkError<E, R>>>,
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: errors::HasStatus + std::fmt::Debug,
{
    list_marked(filter, |filters| {
        let call = describe(filters);
        let values = &values;
        async move {
            call.await
                .map(values)
                .map_err(|e| errors::sdk(&format!("listing {what}"), e))
        }
    })
    .await
}

/// [`list_marked`] for types whose value needs more than the describe answer: `ids` takes the
/// ids out of it, each with when the object was made where the answer says, then read in full
/// by `resource`.
pub async fn list_read<T, Out, E, R, Fut>(
    resource: &T,
    filter: &StackFilter,
    what: &str,
    describe: impl Fn(Vec<Filter>) -> Fut,
    ids: impl Fn(Out) -> Vec<(String, Option<String>)>,
) -> Result<Vec<Marked>>
where
    T: Resource,
    Fut: std::future::Future<Output = Result<Out, SdkError<E, R>>>,
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: errors::HasStatus + std::fmt::Debug,
{
    let created = std::sync::Mutex::new(BTreeMap::new());
    let found = list_marked(filter, |filters| {
        let call = describe(filters);
        let (ids, created) = (&ids, &created);
        async move {
            let out = call
                .await
                .map_err(|e| errors::sdk(&format!("listing {what}"), e))?;
            let listed = ids(out);
            let names: Vec<String> = listed.iter().map(|(id, _)| id.clone()).collect();
            if let Ok(mut times) = created.lock() {
                times.extend(listed.into_iter().filter_map(|(id, at)| Some((id, at?))));
            }
            by_id::read_all(resource, &names).await
        }
    })
    .await?;
    let times = created.into_inner().unwrap_or_default();
    Ok(found
        .into_iter()
        .map(|m| {
            let at = m.value.str_attr("id").and_then(|id| times.get(id)).cloned();
            m.created(at)
        })
        .collect())
}
