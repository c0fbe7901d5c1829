//! Reading an instance back: its attributes, groups, flags and root volume.

use aws_sdk_ec2::types::InstanceAttributeName;
use labform_sdk::{Result, Value};

use crate::ec2::instance::Instance;
use crate::ec2::{arn, tag_map};
use crate::schema_util as su;
use crate::{errors, tags};

impl Instance {
    /// [`labform_sdk::Resource::read_id`] of an instance.
    pub(super) async fn read_instance(&self, id: &str, current: &Value) -> Result<Option<Value>> {
        let Some((i, owner)) = self.describe_owned(id).await? else {
            return Ok(None);
        };
        let state = i
            .state()
            .and_then(|s| s.name())
            .map(|n| n.as_str().to_string())
            .unwrap_or_default();
        if state == "terminated" || state == "shutting-down" {
            return Ok(None);
        }
        let (tags, tags_all) =
            tags::split_remote(&self.aws, tag_map(i.tags()), current.get("tags"));
        // Launched through a network interface specification, the groups may show only there.
        let mut group_ids: Vec<Value> = i
            .security_groups()
            .iter()
            .filter_map(|g| g.group_id())
            .map(Value::from)
            .collect();
        if group_ids.is_empty() {
            if let Some(eni) = i
                .network_interfaces()
                .iter()
                .find(|n| n.attachment().and_then(|a| a.device_index()) == Some(0))
            {
                group_ids = eni
                    .groups()
                    .iter()
                    .filter_map(|g| g.group_id())
                    .map(Value::from)
                    .collect();
            }
        }
        let group_names: Vec<Value> = if current.list_attr("security_groups").is_empty() {
            Vec::new()
        } else {
            i.security_groups()
                .iter()
                .filter_map(|g| g.group_name())
                .map(Value::from)
                .collect()
        };
        let eni = i.network_interfaces().first();
        let mut v = self.schema.empty_value();
        su::keep(
            &mut v,
            current,
            &[
                "user_data",
                "user_data_base64",
                "user_data_replace_on_change",
                "get_password_data",
                "force_destroy",
                "volume_tags",
                "timeouts",
            ],
        );
        let mut v = su::bool_defaults(
            v,
            &[
                ("user_data_replace_on_change", false),
                ("get_password_data", false),
                ("force_destroy", false),
            ],
        );
        v.set("id", id.into());
        v.set("arn", arn(&self.aws, &owner, "instance", id).into());
        v.set("region", self.aws.region.as_str().into());
        v.set("ami", i.image_id().unwrap_or("").into());
        v.set(
            "instance_type",
            i.instance_type().map(|t| t.as_str()).unwrap_or("").into(),
        );
        v.set("subnet_id", i.subnet_id().unwrap_or("").into());
        v.set(
            "availability_zone",
            i.placement()
                .and_then(|p| p.availability_zone())
                .unwrap_or("")
                .into(),
        );
        v.set("key_name", i.key_name().unwrap_or("").into());
        v.set("private_ip", i.private_ip_address().unwrap_or("").into());
        v.set("public_ip", i.public_ip_address().unwrap_or("").into());
        v.set("private_dns", i.private_dns_name().unwrap_or("").into());
        v.set("public_dns", i.public_dns_name().unwrap_or("").into());
        v.set(
            "associate_public_ip_address",
            i.public_ip_address().is_some_and(|p| !p.is_empty()).into(),
        );
        v.set("instance_state", state.into());
        v.set("vpc_security_group_ids", su::set_of(group_ids));
        v.set("security_groups", su::set_of(group_names));
        v.set(
            "source_dest_check",
            i.source_dest_check().unwrap_or(true).into(),
        );
        v.set(
            "monitoring",
            i.monitoring()
                .and_then(|m| m.state())
                .is_some_and(|s| s.as_str() == "enabled" || s.as_str() == "pending")
                .into(),
        );
        v.set(
            "primary_network_interface_id",
            eni.and_then(|e| e.network_interface_id())
                .unwrap_or("")
                .into(),
        );
        v.set("outpost_arn", i.outpost_arn().unwrap_or("").into());
        v.set(
            "instance_lifecycle",
            i.instance_lifecycle()
                .map(|l| l.as_str())
                .unwrap_or("")
                .into(),
        );
        v.set("password_data", "".into());
        for (name, attr) in [
            (
                "disable_api_termination",
                InstanceAttributeName::DisableApiTermination,
            ),
            ("disable_api_stop", InstanceAttributeName::DisableApiStop),
        ] {
            v.set(name, self.bool_attribute(id, attr).await.into());
        }
        if !current.list_attr("root_block_device").is_empty() {
            v.set(
                "root_block_device",
                Value::List(self.root_block(&i, current).await?.into_iter().collect()),
            );
        }
        v.set("tags", tags);
        v.set("tags_all", tags_all);
        Ok(Some(v))
    }
}

impl Instance {
    pub(super) async fn bool_attribute(&self, id: &str, attr: InstanceAttributeName) -> bool {
        match self
            .aws
            .ec2
            .describe_instance_attribute()
            .instance_id(id)
            .attribute(attr.clone())
            .send()
            .await
        {
            Ok(o) => match attr {
                InstanceAttributeName::DisableApiTermination => {
                    o.disable_api_termination().and_then(|b| b.value())
                }
                _ => o.disable_api_stop().and_then(|b| b.value()),
            }
            .unwrap_or(false),
            Err(_) => false,
        }
    }

    /// The root volume as a `root_block_device` block.
    pub(super) async fn root_block(
        &self,
        i: &aws_sdk_ec2::types::Instance,
        current: &Value,
    ) -> Result<Option<Value>> {
        let root_name = i.root_device_name().unwrap_or("");
        let Some(m) = i
            .block_device_mappings()
            .iter()
            .find(|m| m.device_name() == Some(root_name))
        else {
            return Ok(None);
        };
        let Some(vol_id) = m.ebs().and_then(|e| e.volume_id()) else {
            return Ok(None);
        };
        let vols = self
            .aws
            .ec2
            .describe_volumes()
            .volume_ids(vol_id)
            .send()
            .await
            .map_err(|e| errors::sdk(&format!("reading volume `{vol_id}`"), e))?;
        let vol = vols.volumes().first();
        let prior = current
            .single_block("root_block_device")
            .cloned()
            .unwrap_or_default();
        let num = |x: Option<i32>| {
            x.map(|n| Value::Number(f64::from(n)))
                .unwrap_or(Value::Number(0.0))
        };
        Ok(Some(Value::from_pairs([
            (
                "delete_on_termination",
                m.ebs()
                    .and_then(|e| e.delete_on_termination())
                    .unwrap_or(true)
                    .into(),
            ),
            ("device_name", root_name.into()),
            (
                "encrypted",
                vol.and_then(|v| v.encrypted()).unwrap_or(false).into(),
            ),
            ("iops", num(vol.and_then(|v| v.iops()))),
            (
                "kms_key_id",
                vol.and_then(|v| v.kms_key_id()).unwrap_or("").into(),
            ),
            ("throughput", num(vol.and_then(|v| v.throughput()))),
            ("volume_id", vol_id.into()),
            ("volume_size", num(vol.and_then(|v| v.size()))),
            (
                "volume_type",
                vol.and_then(|v| v.volume_type())
                    .map(|t| Value::from(t.as_str()))
                    .unwrap_or_else(|| prior.get("volume_type").clone()),
            ),
        ])))
    }
}
