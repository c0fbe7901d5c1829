//! `data "aws_ami"`: one AMI chosen by owners, filters and `name_regex` (the newest with
//! `most_recent = true`).

use std::sync::Arc;

use labform_sdk::{
    async_trait, Attribute, BlockSchema, DataSource, ProviderError, Result, Type, Value,
};

use crate::client::Aws;
use crate::data::{filters, lookup_schema};
use crate::ec2::{some_list, tag_map};
use crate::errors;
use crate::schema_util::{self as su, b, s, slist, smap};

labform_sdk::typed! {
    pub struct Ami("aws_ami") { aws: Arc<Aws> }
    schema: schema()
}

const COMPUTED_STRINGS: [&str; 26] = [
    "architecture",
    "arn",
    "boot_mode",
    "creation_date",
    "deprecation_time",
    "description",
    "hypervisor",
    "image_id",
    "image_location",
    "image_owner_alias",
    "image_type",
    "imds_support",
    "kernel_id",
    "last_launched_time",
    "name",
    "owner_id",
    "platform",
    "platform_details",
    "ramdisk_id",
    "root_device_name",
    "root_device_type",
    "root_snapshot_id",
    "sriov_net_support",
    "state",
    "tpm_support",
    "usage_operation",
];

pub fn schema() -> BlockSchema {
    let mut sc = BlockSchema::new()
        .attr("owners", Attribute::optional(slist()))
        .attr("most_recent", Attribute::optional(b()).default(false))
        .attr("name_regex", Attribute::optional(s()))
        .attr("executable_users", Attribute::optional(slist()))
        .attr(
            "include_deprecated",
            Attribute::optional(b()).default(false),
        )
        .attr("allow_unsafe_filter", Attribute::optional(b()))
        .attrs(&["ena_support", "public"], Attribute::computed(b()))
        .attr("virtualization_type", Attribute::computed(s()))
        .attr("state_reason", Attribute::computed(smap()))
        .attr("tags", Attribute::optional_computed(smap()))
        .attr(
            "block_device_mappings",
            Attribute::computed(Type::set(Type::object(&[
                ("device_name", s()),
                ("ebs", smap()),
                ("no_device", s()),
                ("virtual_name", s()),
            ]))),
        )
        .attr(
            "product_codes",
            Attribute::computed(Type::set(Type::object(&[
                ("product_code_id", s()),
                ("product_code_type", s()),
            ]))),
        );
    for a in COMPUTED_STRINGS {
        sc = sc.attr(a, Attribute::computed(s()));
    }
    lookup_schema(sc, Attribute::computed(s()))
}

#[async_trait]
impl DataSource for Ami {
    async fn read(&self, config: &Value) -> Result<Value> {
        let owners = config.string_list_attr("owners");
        let flt = filters(config, false);
        let most_recent = config.bool_attr("most_recent", false);
        let by_owner = !owners.is_empty()
            || flt.iter().any(|f| {
                matches!(
                    f.name(),
                    Some("owner-id") | Some("owner-alias") | Some("image-id")
                )
            });
        if most_recent && !by_owner && !config.bool_attr("allow_unsafe_filter", false) {
            return Err(ProviderError::invalid("`most_recent = true` without `owners` (or an owner or image-id filter) could pick anyone's image")
                .with_hint("set `owners`, e.g. `owners = [\"amazon\"]` or the publisher's account id"));
        }
        let regex = match config.str_attr("name_regex") {
            Some(r) => Some(regex::Regex::new(r).map_err(|e| {
                ProviderError::invalid(format!(
                    "`name_regex` is not a valid regular expression: {e}"
                ))
            })?),
            None => None,
        };
        let out = self
            .aws
            .ec2
            .describe_images()
            .set_owners(some_list(&owners))
            .set_executable_users(some_list(&config.string_list_attr("executable_users")))
            .set_filters(some_list(&flt))
            .include_deprecated(config.bool_attr("include_deprecated", false))
            .send()
            .await
            .map_err(|e| errors::sdk("looking up amis", e))?;
        let mut images: Vec<_> = out
            .images()
            .iter()
            .filter(|i| {
                regex
                    .as_ref()
                    .is_none_or(|r| r.is_match(i.name().unwrap_or("")))
            })
            .collect();
        if images.is_empty() {
            return Err(
                ProviderError::not_found("your ami query returned no results").with_hint(
                    "check `owners`, the filters and the region; change the criteria and try again",
                ),
            );
        }
        if images.len() > 1 && !most_recent {
            return Err(ProviderError::invalid(format!(
                "your ami query returned {} results",
                images.len()
            ))
            .with_hint("set `most_recent = true` to take the newest, or narrow the criteria"));
        }
        images.sort_by(|a, b| {
            b.creation_date()
                .unwrap_or("")
                .cmp(a.creation_date().unwrap_or(""))
        });
        let i = images[0];
        let id = i.image_id().unwrap_or("");
        let root_name = i.root_device_name().unwrap_or("");
        let root_snapshot = i
            .block_device_mappings()
            .iter()
            .find(|m| m.device_name() == Some(root_name))
            .and_then(|m| m.ebs())
            .and_then(|e| e.snapshot_id())
            .unwrap_or("");
        let mut v = config.clone();
        let strs: [(&str, &str); 26] = [
            (
                "architecture",
                i.architecture().map(|x| x.as_str()).unwrap_or(""),
            ),
            ("arn", ""),
            ("boot_mode", i.boot_mode().map(|x| x.as_str()).unwrap_or("")),
            ("creation_date", i.creation_date().unwrap_or("")),
            ("deprecation_time", i.deprecation_time().unwrap_or("")),
            ("description", i.description().unwrap_or("")),
            (
                "hypervisor",
                i.hypervisor().map(|x| x.as_str()).unwrap_or(""),
            ),
            ("image_id", id),
            ("image_location", i.image_location().unwrap_or("")),
            ("image_owner_alias", i.image_owner_alias().unwrap_or("")),
            (
                "image_type",
                i.image_type().map(|x| x.as_str()).unwrap_or(""),
            ),
            (
                "imds_support",
                i.imds_support().map(|x| x.as_str()).unwrap_or(""),
            ),
            ("kernel_id", i.kernel_id().unwrap_or("")),
            ("last_launched_time", i.last_launched_time().unwrap_or("")),
            ("name", i.name().unwrap_or("")),
            ("owner_id", i.owner_id().unwrap_or("")),
            ("platform", i.platform().map(|x| x.as_str()).unwrap_or("")),
            ("platform_details", i.platform_details().unwrap_or("")),
            ("ramdisk_id", i.ramdisk_id().unwrap_or("")),
            ("root_device_name", root_name),
            (
                "root_device_type",
                i.root_device_type().map(|x| x.as_str()).unwrap_or(""),
            ),
            ("root_snapshot_id", root_snapshot),
            ("sriov_net_support", i.sriov_net_support().unwrap_or("")),
            ("state", i.state().map(|x| x.as_str()).unwrap_or("")),
            (
                "tpm_support",
                i.tpm_support().map(|x| x.as_str()).unwrap_or(""),
            ),
            ("usage_operation", i.usage_operation().unwrap_or("")),
        ];
        for (k, x) in strs {
            v.set(k, x.into());
        }
        v.set(
            "arn",
            format!(
                "arn:{}:ec2:{}::image/{id}",
                self.aws.partition(),
                self.aws.region
            )
            .into(),
        );
        v.set("id", id.into());
        v.set("region", self.aws.region.as_str().into());
        v.set("ena_support", i.ena_support().unwrap_or(false).into());
        v.set("public", i.public().unwrap_or(false).into());
        v.set(
            "virtualization_type",
            i.virtualization_type()
                .map(|x| x.as_str())
                .unwrap_or("")
                .into(),
        );
        v.set(
            "state_reason",
            Value::string_map([
                (
                    "code",
                    i.state_reason().and_then(|r| r.code()).unwrap_or("UNSET"),
                ),
                (
                    "message",
                    i.state_reason()
                        .and_then(|r| r.message())
                        .unwrap_or("UNSET"),
                ),
            ]),
        );
        v.set("tags", Value::string_map(tag_map(i.tags())));
        let mappings: Vec<Value> = i
            .block_device_mappings()
            .iter()
            .map(|m| {
                let ebs = m.ebs().map(|e| {
                    let flag = |b: Option<bool>| b.map(|b| b.to_string()).unwrap_or_default();
                    let map = vec![
                        ("delete_on_termination", flag(e.delete_on_termination())),
                        ("encrypted", flag(e.encrypted())),
                        ("snapshot_id", e.snapshot_id().unwrap_or("").to_string()),
                        (
                            "volume_size",
                            e.volume_size().map(|n| n.to_string()).unwrap_or_default(),
                        ),
                        (
                            "volume_type",
                            e.volume_type()
                                .map(|t| t.as_str().to_string())
                                .unwrap_or_default(),
                        ),
                    ];
                    Value::string_map(map)
                });
                Value::from_pairs([
                    ("device_name", m.device_name().unwrap_or("").into()),
                    ("ebs", ebs.unwrap_or_else(Value::object)),
                    ("no_device", m.no_device().unwrap_or("").into()),
                    ("virtual_name", m.virtual_name().unwrap_or("").into()),
                ])
            })
            .collect();
        v.set("block_device_mappings", Value::List(mappings));
        let codes: Vec<Value> = i
            .product_codes()
            .iter()
            .map(|c| {
                Value::from_pairs([
                    ("product_code_id", c.product_code_id().unwrap_or("").into()),
                    (
                        "product_code_type",
                        c.product_code_type()
                            .map(|t| t.as_str())
                            .unwrap_or("")
                            .into(),
                    ),
                ])
            })
            .collect();
        v.set("product_codes", Value::List(codes));
        let v = su::bool_defaults(v, &[("most_recent", false), ("include_deprecated", false)]);
        Ok(su::known(v))
    }
}
