//! Data sources: AMIs, availability zones, the caller, the region, IAM policies and policy
//! documents, and lookups of VPCs, subnets and security groups.

use aws_sdk_ec2::types::Filter;
use labform_sdk::{Attribute, BlockSchema, Result, Value};

use crate::schema_util as su;

pub mod ami;
pub mod availability_zones;
pub mod caller_identity;
pub mod iam_policy;
pub mod iam_policy_document;
pub mod region;
pub mod security_group;
pub mod subnet;
pub mod subnets;
pub mod vpc;

/// The schema of a data source that looks objects up with `filter` blocks: `sc` plus `region`,
/// `id` as given, the `filter` blocks and a `read` timeout.
pub fn lookup_schema(sc: BlockSchema, id: Attribute) -> BlockSchema {
    su::timeouts(su::filter_block(su::regional(sc)).attr("id", id), &["read"])
}

/// The `filter { name, values }` blocks of a configuration, plus `tags` as `tag:<key>` filters.
pub fn filters(config: &Value, with_tags: bool) -> Vec<Filter> {
    let mut out: Vec<Filter> = config
        .list_attr("filter")
        .iter()
        .filter_map(|f| {
            let name = f.str_attr("name")?;
            Some(
                Filter::builder()
                    .name(name)
                    .set_values(Some(f.string_list_attr("values")))
                    .build(),
            )
        })
        .collect();
    if with_tags {
        for (k, v) in config.string_map_attr("tags") {
            out.push(Filter::builder().name(format!("tag:{k}")).values(v).build());
        }
    }
    out
}

/// A message for a lookup that must match exactly one object.
pub fn exactly_one(kind: &str, found: usize) -> Option<labform_sdk::ProviderError> {
    match found {
        1 => None,
        0 => Some(
            labform_sdk::ProviderError::not_found(format!("no matching {kind} found"))
                .with_hint("check the filters, ids and tags of the data source (and the region)"),
        ),
        n => Some(
            labform_sdk::ProviderError::invalid(format!(
                "{n} {kind}s match; the data source needs exactly one"
            ))
            .with_hint("narrow the lookup with more `filter` blocks, `tags` or an `id`"),
        ),
    }
}

/// The one object a lookup found, or the error [`exactly_one`] gives.
pub fn the_one<'a, T>(kind: &str, found: &'a [T]) -> Result<&'a T> {
    match exactly_one(kind, found.len()) {
        Some(e) => Err(e),
        None => Ok(&found[0]),
    }
}

/// Filters for a describe call: `None` when there are none (the API lists everything then).
pub fn some_filters(
    mut flt: Vec<Filter>,
    config: &Value,
    by: &[(&str, &str)],
) -> Option<Vec<Filter>> {
    for (attr, name) in by {
        if let Some(x) = config.str_attr(attr) {
            flt.push(crate::ec2::filter(name, &[x]));
        }
    }
    (!flt.is_empty()).then_some(flt)
}

/// The data source's value: `config` with every attribute of `schema` but `tags` that the
/// matching resource's mapping (`mapped`) holds. (A data source's `tags` are every tag the
/// object carries: a resource's hide the provider's default tags and labform's marks.)
pub fn from_resource(schema: &labform_sdk::BlockSchema, config: &Value, mapped: &Value) -> Value {
    let mut v = config.clone();
    for name in schema.attributes.keys() {
        let from = mapped.get(name);
        if name != "tags" && !from.is_null() {
            v.set(name.as_str(), from.clone());
        }
    }
    v
}
