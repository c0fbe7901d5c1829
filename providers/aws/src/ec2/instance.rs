//! `aws_instance`: an EC2 instance. Create waits until it runs, destroy until it is terminated;
//! `instance_type` and `user_data` change in place by stopping and starting it.

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_ec2::operation::modify_instance_attribute::builders::ModifyInstanceAttributeFluentBuilder;
use aws_sdk_ec2::types::{
    AttributeBooleanValue, AttributeValue, BlockDeviceMapping, EbsBlockDevice,
    InstanceNetworkInterfaceSpecification, InstanceType, Placement, ResourceType,
    RunInstancesMonitoringEnabled, SecureBlobAttributeValue, VolumeType,
};
use base64::Engine;
use labform_sdk::{
    async_trait, by_id, Attribute, BlockSchema, Marked, NestedBlock, OpContext, PlannedChange,
    ProviderError, Resource, Result, StackFilter, Value,
};

use crate::client::Aws;
use crate::ec2::{retag, some_list, some_str, tag_spec};
use crate::schema_util::{self as su, b, n, s, smap, sset, timeout};
use crate::unfinished::{made, read_back};
use crate::{errors, tags};

pub struct Instance {
    pub(super) aws: Arc<Aws>,
    pub(super) schema: BlockSchema,
}

labform_sdk::typed!(impl Instance("aws_instance", "instance"));

pub fn schema() -> BlockSchema {
    let root = BlockSchema::new()
        .attr(
            "delete_on_termination",
            Attribute::optional(b()).default(true),
        )
        .attr("device_name", Attribute::computed(s()))
        .attr("encrypted", Attribute::optional_computed(b()).force_new())
        .attr("iops", Attribute::optional_computed(n()))
        .attr("kms_key_id", Attribute::optional_computed(s()).force_new())
        .attr("throughput", Attribute::optional_computed(n()))
        .attr("volume_id", Attribute::computed(s()))
        .attr("volume_size", Attribute::optional_computed(n()))
        .attr("volume_type", Attribute::optional_computed(s()));
    let sc = BlockSchema::new()
        .attr("ami", Attribute::optional_computed(s()).force_new())
        .attr("instance_type", Attribute::optional_computed(s()))
        .attr("subnet_id", Attribute::optional_computed(s()).force_new())
        .attr(
            "vpc_security_group_ids",
            Attribute::optional_computed(sset()),
        )
        .attr(
            "security_groups",
            Attribute::optional_computed(sset()).force_new(),
        )
        .attr(
            "associate_public_ip_address",
            Attribute::optional_computed(b()).force_new(),
        )
        .attr("key_name", Attribute::optional_computed(s()).force_new())
        .attr(
            "availability_zone",
            Attribute::optional_computed(s()).force_new(),
        )
        .attr("private_ip", Attribute::optional_computed(s()).force_new())
        .attrs(&["user_data", "user_data_base64"], Attribute::optional(s()))
        .attr(
            "user_data_replace_on_change",
            Attribute::optional(b()).default(false),
        )
        .attr("source_dest_check", Attribute::optional(b()).default(true))
        .attrs(
            &["monitoring", "disable_api_termination", "disable_api_stop"],
            Attribute::optional_computed(b()),
        )
        .attrs(
            &["get_password_data", "force_destroy"],
            Attribute::optional(b()).default(false),
        )
        .attr("volume_tags", Attribute::optional(smap()))
        .attr("arn", Attribute::computed(s()))
        .attr(
            "instance_state",
            Attribute::computed(s()).changes_on_update(),
        )
        .attrs(
            &["public_ip", "public_dns"],
            Attribute::computed(s()).changes_on_update(),
        )
        .attrs(
            &[
                "private_dns",
                "primary_network_interface_id",
                "outpost_arn",
                "password_data",
                "instance_lifecycle",
            ],
            Attribute::computed(s()),
        )
        .block("root_block_device", NestedBlock::list(root).max(1));
    su::timeouts(
        su::tagged(su::regional(sc)),
        &["create", "read", "update", "delete"],
    )
}

impl Instance {
    pub fn new(aws: Arc<Aws>) -> Self {
        Instance {
            aws,
            schema: schema(),
        }
    }

    fn user_data_b64(v: &Value) -> Option<String> {
        if let Some(b64) = v.str_attr("user_data_base64").filter(|s| !s.is_empty()) {
            return Some(b64.to_string());
        }
        v.str_attr("user_data")
            .filter(|s| !s.is_empty())
            .map(|u| base64::engine::general_purpose::STANDARD.encode(u))
    }

    async fn root_device_name(&self, ami: &str) -> Result<String> {
        let out = self
            .aws
            .ec2
            .describe_images()
            .image_ids(ami)
            .send()
            .await
            .map_err(|e| errors::sdk(&format!("reading ami `{ami}`"), e))?;
        Ok(out
            .images()
            .first()
            .and_then(|i| i.root_device_name())
            .unwrap_or("/dev/xvda")
            .to_string())
    }

    /// Changes one attribute of instance `id`: the ModifyInstanceAttribute call `set` fills
    /// in; `what` says what it changes, for the error.
    async fn modify(
        &self,
        id: &str,
        what: &str,
        set: impl FnOnce(ModifyInstanceAttributeFluentBuilder) -> ModifyInstanceAttributeFluentBuilder,
    ) -> Result<()> {
        set(self.aws.ec2.modify_instance_attribute().instance_id(id))
            .send()
            .await
            .map(|_| ())
            .map_err(|e| errors::sdk(what, e))
    }

    async fn modify_bool(&self, id: &str, name: &str, value: bool) -> Result<()> {
        let v = AttributeBooleanValue::builder().value(value).build();
        let what = format!("setting `{name}` on instance `{id}`");
        self.modify(id, &what, |req| match name {
            "source_dest_check" => req.source_dest_check(v),
            "disable_api_termination" => req.disable_api_termination(v),
            _ => req.disable_api_stop(v),
        })
        .await
    }
}

#[async_trait]
impl Resource for Instance {
    async fn read_id(&self, id: &str, current: &Value) -> Result<Option<Value>> {
        self.read_instance(id, current).await
    }

    fn blank(&self) -> Value {
        su::bool_defaults(self.schema.empty_value(), &[("source_dest_check", true)])
    }

    /// Found by the client token its `RunInstances` carried; terminated instances do not count.
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        let Some(id) = self.launched_with(token).await? else {
            return Ok(None);
        };
        self.read_id(&id, &made(intent, &id)).await
    }

    fn validate(&self, config: &Value) -> Result<()> {
        if config.get("ami").is_null() {
            return Err(ProviderError::invalid(
                "`ami` must be set (launch templates are not supported yet)",
            ));
        }
        if config.get("instance_type").is_null() {
            return Err(ProviderError::invalid(
                "`instance_type` must be set (launch templates are not supported yet)",
            ));
        }
        if !config.get("user_data").is_null() && !config.get("user_data_base64").is_null() {
            return Err(ProviderError::invalid(
                "only one of `user_data` and `user_data_base64` can be set",
            ));
        }
        if let Some(u) = config.str_attr("user_data") {
            if u.len() > 16384 {
                return Err(ProviderError::invalid(
                    "`user_data` is longer than 16384 bytes",
                ));
            }
        }
        if let Some(t) = config
            .single_block("root_block_device")
            .and_then(|r| r.str_attr("volume_type"))
        {
            if !["standard", "io1", "io2", "gp2", "sc1", "st1", "gp3"].contains(&t) {
                return Err(ProviderError::invalid(format!(
                    "`root_block_device.volume_type` `{t}` is not an EBS volume type"
                )));
            }
        }
        Ok(())
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        let mut p = su::plan(&self.aws, &self.schema, prior, config)?;
        if let Some(prior) = prior {
            let ud_changed = ["user_data", "user_data_base64"]
                .iter()
                .any(|a| prior.get(a) != config.get(a));
            if ud_changed
                && config.bool_attr("user_data_replace_on_change", false)
                && p.requires_replace.is_empty()
            {
                let mut fresh = su::plan(&self.aws, &self.schema, None, config)?;
                fresh.requires_replace.push(vec!["user_data".into()]);
                p = fresh;
            }
            // A stop/start gives a new public address.
            if p.requires_replace.is_empty()
                && (ud_changed || prior.get("instance_type") != p.planned.get("instance_type"))
            {
                p.planned.set("public_ip", Value::Unknown);
                p.planned.set("public_dns", Value::Unknown);
            }
        }
        Ok(p)
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let ami = su::req(planned, "ami")?.to_string();
        let itype = su::req(planned, "instance_type")?;
        let all = tags::for_create(&self.aws, planned.get("tags"), ctx);
        let mut vol_tags = self.aws.mark.clone();
        vol_tags.extend(planned.string_map_attr("volume_tags"));
        let groups = planned.string_list_attr("vpc_security_group_ids");
        let subnet = some_str(planned, "subnet_id");
        let mut req = self
            .aws
            .ec2
            .run_instances()
            .image_id(&ami)
            .instance_type(InstanceType::from(itype))
            .min_count(1)
            .max_count(1)
            .set_client_token(ctx.create_token().map(str::to_string))
            .set_key_name(some_str(planned, "key_name"))
            .set_user_data(Self::user_data_b64(planned))
            .tag_specifications(tag_spec(ResourceType::Instance, &all))
            .tag_specifications(tag_spec(ResourceType::Volume, &vol_tags));
        if let Some(public) = planned.get("associate_public_ip_address").as_bool() {
            // The public-address switch only exists on a network interface specification.
            let eni = InstanceNetworkInterfaceSpecification::builder()
                .device_index(0)
                .associate_public_ip_address(public)
                .set_subnet_id(subnet.clone())
                .set_groups(some_list(&groups))
                .set_private_ip_address(some_str(planned, "private_ip"))
                .build();
            req = req.network_interfaces(eni);
        } else {
            req = req
                .set_subnet_id(subnet.clone())
                .set_security_group_ids(some_list(&groups))
                .set_private_ip_address(some_str(planned, "private_ip"));
        }
        req = req.set_security_groups(some_list(&planned.string_list_attr("security_groups")));
        if let Some(az) = some_str(planned, "availability_zone") {
            req = req.placement(Placement::builder().availability_zone(az).build());
        }
        if planned.get("monitoring").as_bool() == Some(true) {
            req = req.monitoring(
                RunInstancesMonitoringEnabled::builder()
                    .enabled(true)
                    .build(),
            );
        }
        if let Some(b) = planned.get("disable_api_termination").as_bool() {
            req = req.disable_api_termination(b);
        }
        if let Some(b) = planned.get("disable_api_stop").as_bool() {
            req = req.disable_api_stop(b);
        }
        if let Some(root) = planned.single_block("root_block_device") {
            let mut ebs = EbsBlockDevice::builder()
                .delete_on_termination(root.bool_attr("delete_on_termination", true));
            if let Some(size) = root.i64_attr("volume_size").filter(|s| *s > 0) {
                ebs = ebs.volume_size(size as i32);
            }
            if let Some(t) = some_str(root, "volume_type") {
                ebs = ebs.volume_type(VolumeType::from(t.as_str()));
            }
            if let Some(iops) = root.i64_attr("iops").filter(|s| *s > 0) {
                ebs = ebs.iops(iops as i32);
            }
            if let Some(tp) = root.i64_attr("throughput").filter(|s| *s > 0) {
                ebs = ebs.throughput(tp as i32);
            }
            if let Some(enc) = root.get("encrypted").as_bool() {
                ebs = ebs.encrypted(enc);
            }
            if let Some(k) = some_str(root, "kms_key_id") {
                ebs = ebs.kms_key_id(k);
            }
            let device = self.root_device_name(&ami).await?;
            req = req.block_device_mappings(
                BlockDeviceMapping::builder()
                    .device_name(device)
                    .ebs(ebs.build())
                    .build(),
            );
        }
        let out = req
            .send()
            .await
            .map_err(|e| match errors::code(&e).as_deref() {
                Some("InvalidAMIID.NotFound") | Some("InvalidAMIID.Malformed") => {
                    ProviderError::invalid(format!(
                        "ami `{ami}` does not exist in region `{}`",
                        self.aws.region
                    ))
                    .with_hint(
                        "AMI ids differ per region: look it up with a `data \"aws_ami\"` block",
                    )
                }
                _ => errors::sdk("launching an instance", e),
            })?;
        let id = out
            .instances()
            .first()
            .and_then(|i| i.instance_id())
            .unwrap_or("")
            .to_string();
        let state = made(planned, &id);
        if let Err(e) = self
            .wait_for(
                &id,
                "running",
                timeout(planned, "create", Duration::from_secs(600)),
                ctx,
            )
            .await
        {
            return Err(read_back(self, &id, state, e).await);
        }
        if !planned.bool_attr("source_dest_check", true) {
            self.modify_bool(&id, "source_dest_check", false).await?;
        }
        self.read_id(&id, &state).await?.ok_or_else(|| {
            ProviderError::api(format!(
                "instance `{id}` was terminated right after it started"
            ))
        })
    }

    async fn update(&self, prior: &Value, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let id = su::req(prior, "id")?;
        let limit = timeout(planned, "update", Duration::from_secs(600));
        let type_changed = prior.get("instance_type") != planned.get("instance_type");
        let ud_changed = ["user_data", "user_data_base64"]
            .iter()
            .any(|a| prior.get(a) != planned.get(a));
        if type_changed || ud_changed {
            ctx.progress("stopping the instance to change it");
            self.aws
                .ec2
                .stop_instances()
                .instance_ids(id)
                .send()
                .await
                .map_err(|e| errors::sdk(&format!("stopping instance `{id}`"), e))?;
            self.wait_for(id, "stopped", limit, ctx).await?;
            if type_changed {
                let t = su::req(planned, "instance_type")?;
                let what = format!("changing the type of instance `{id}` to `{t}`");
                let value = AttributeValue::builder().value(t).build();
                self.modify(id, &what, |req| req.instance_type(value))
                    .await?;
            }
            if ud_changed {
                let raw = match Self::user_data_b64(planned) {
                    Some(b64) => base64::engine::general_purpose::STANDARD
                        .decode(b64)
                        .unwrap_or_default(),
                    None => Vec::new(),
                };
                let what = format!("changing the user data of instance `{id}`");
                let value = SecureBlobAttributeValue::builder()
                    .value(aws_smithy_types::Blob::new(raw))
                    .build();
                self.modify(id, &what, |req| req.user_data(value)).await?;
            }
            self.aws
                .ec2
                .start_instances()
                .instance_ids(id)
                .send()
                .await
                .map_err(|e| errors::sdk(&format!("starting instance `{id}`"), e))?;
            self.wait_for(id, "running", limit, ctx).await?;
        }
        if prior.get("vpc_security_group_ids") != planned.get("vpc_security_group_ids") {
            let groups = planned.string_list_attr("vpc_security_group_ids");
            if !groups.is_empty() {
                let what = format!("changing the security groups of instance `{id}`");
                self.modify(id, &what, |req| req.set_groups(Some(groups)))
                    .await?;
            }
        }
        for name in [
            "source_dest_check",
            "disable_api_termination",
            "disable_api_stop",
        ] {
            if let Some(want) = planned.get(name).as_bool() {
                if prior.get(name).as_bool() != Some(want) {
                    self.modify_bool(id, name, want).await?;
                }
            }
        }
        if let Some(want) = planned.get("monitoring").as_bool() {
            if prior.get("monitoring").as_bool() != Some(want) {
                let what = format!("changing monitoring of instance `{id}`");
                if want {
                    self.aws
                        .ec2
                        .monitor_instances()
                        .instance_ids(id)
                        .send()
                        .await
                        .map_err(|e| errors::sdk(&what, e))?;
                } else {
                    self.aws
                        .ec2
                        .unmonitor_instances()
                        .instance_ids(id)
                        .send()
                        .await
                        .map_err(|e| errors::sdk(&what, e))?;
                }
            }
        }
        retag(&self.aws, id, prior, planned).await?;
        by_id::updated(self, id, planned).await
    }

    async fn delete(&self, prior: &Value, ctx: &OpContext) -> Result<()> {
        let Some(id) = prior.str_attr("id") else {
            return Ok(());
        };
        if self.describe(id).await?.is_none() {
            return Ok(());
        }
        if prior.bool_attr("disable_api_termination", false) {
            self.modify_bool(id, "disable_api_termination", false)
                .await?;
        }
        match self
            .aws
            .ec2
            .terminate_instances()
            .instance_ids(id)
            .send()
            .await
        {
            Ok(_) => {}
            Err(e) if errors::is_not_found(&e) => return Ok(()),
            Err(e) => return Err(errors::sdk(&format!("terminating instance `{id}`"), e)),
        }
        self.wait_for(
            id,
            "terminated",
            timeout(prior, "delete", Duration::from_secs(1200)),
            ctx,
        )
        .await
    }

    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>> {
        // Volumes and attributes need calls of their own: read every instance in full.
        crate::ec2::list_read(
            self,
            filter,
            "instances",
            |f| {
                let alive = ["pending", "running", "stopping", "stopped"];
                let ec2 = &self.aws.ec2;
                ec2.describe_instances()
                    .set_filters(Some(f))
                    .filters(crate::ec2::filter("instance-state-name", &alive))
                    .send()
            },
            |out| {
                let all = out.reservations().iter().flat_map(|r| r.instances());
                all.filter_map(|i| {
                    let launched = i.launch_time().map(|t| t.to_string());
                    Some((i.instance_id()?.to_string(), launched))
                })
                .collect()
            },
        )
        .await
    }
}
