//! Data sources: AMIs, availability zones, the caller, the region, IAM policies and policy
//! documents, and lookups of VPCs, subnets and security groups.

use aws_sdk_ec2::types::Filter;
use labform_sdk::Value;

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
