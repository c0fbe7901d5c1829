//! `aws_internet_gateway`: an internet gateway and its attachment to a VPC (changed in place).

use std::sync::Arc;

use aws_sdk_ec2::types::ResourceType;
use labform_sdk::{
    async_trait, by_id, Attribute, BlockSchema, Marked, OpContext, PlannedChange, Resource, Result,
    StackFilter, Value,
};

use crate::adopt;
use crate::client::Aws;
use crate::ec2::{arn, or_held, retag, some_str, tag_map, tag_spec, vpc_dependents};
use crate::retry::{self, with_backoff};
use crate::schema_util::{self as su, s};
use crate::unfinished::made;
use crate::{errors, tags};

labform_sdk::typed! {
    pub struct InternetGateway("aws_internet_gateway", "internet gateway") { aws: Arc<Aws> }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    let sc = BlockSchema::new()
        .attr("vpc_id", Attribute::optional_computed(s()))
        .attrs(&["arn", "owner_id"], Attribute::computed(s()));
    su::timeouts(
        su::tagged(su::regional(sc)),
        &["create", "update", "delete"],
    )
}

impl InternetGateway {
    async fn attach(&self, id: &str, vpc: &str) -> Result<()> {
        with_backoff(|| async {
            self.aws
                .ec2
                .attach_internet_gateway()
                .internet_gateway_id(id)
                .vpc_id(vpc)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| {
                    errors::sdk(
                        &format!("attaching internet gateway `{id}` to vpc `{vpc}`"),
                        e,
                    )
                })
        })
        .await
    }

    /// Detaches, retrying while instances in the VPC still hold public addresses.
    async fn detach(&self, id: &str, vpc: &str) -> Result<()> {
        let r = with_backoff(|| async {
            match self
                .aws
                .ec2
                .detach_internet_gateway()
                .internet_gateway_id(id)
                .vpc_id(vpc)
                .send()
                .await
            {
                Ok(_) => Ok(()),
                Err(e) if errors::is_not_found(&e) => Ok(()),
                Err(e) if errors::code(&e).as_deref() == Some("Gateway.NotAttached") => Ok(()),
                Err(e) => Err(errors::sdk(
                    &format!("detaching internet gateway `{id}` from vpc `{vpc}`"),
                    e,
                )),
            }
        })
        .await;
        or_held(r, || vpc_dependents(&self.aws, vpc)).await
    }

    /// The value of one described object (`current` supplies what the API does not return).
    fn value_of(&self, g: &aws_sdk_ec2::types::InternetGateway, current: &Value) -> Value {
        let id = g.internet_gateway_id().unwrap_or("");
        let owner = g.owner_id().unwrap_or("").to_string();
        let (tags, tags_all) =
            tags::split_remote(&self.aws, tag_map(g.tags()), current.get("tags"));
        let vpc = g
            .attachments()
            .first()
            .and_then(|a| a.vpc_id())
            .unwrap_or("");
        let mut v = self.schema.empty_value();
        su::keep(&mut v, current, &["timeouts"]);
        v.set("id", id.into());
        v.set("arn", arn(&self.aws, &owner, "internet-gateway", id).into());
        v.set("owner_id", owner.into());
        v.set("region", self.aws.region.as_str().into());
        v.set("vpc_id", vpc.into());
        v.set("tags", tags);
        v.set("tags_all", tags_all);
        v
    }
}

#[async_trait]
impl Resource for InternetGateway {
    async fn read_id(&self, id: &str, current: &Value) -> Result<Option<Value>> {
        let answer = self
            .aws
            .ec2
            .describe_internet_gateways()
            .internet_gateway_ids(id)
            .send()
            .await;
        errors::found_first(&format!("reading internet gateway `{id}`"), answer, |out| {
            out.internet_gateways()
                .first()
                .map(|x| self.value_of(x, current))
        })
    }

    /// Found by the per-instance mark its create wrote through `TagSpecifications`.
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        adopt::ec2_read_by_mark(
            self,
            &self.aws,
            ResourceType::InternetGateway,
            token,
            intent,
        )
        .await
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        let mut p = su::plan(&self.aws, &self.schema, prior, config)?;
        if prior.is_none() && config.get("vpc_id").is_null() {
            p.planned.set("vpc_id", "".into());
        }
        Ok(p)
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let all = tags::for_create(&self.aws, planned.get("tags"), ctx);
        let out = self
            .aws
            .ec2
            .create_internet_gateway()
            .tag_specifications(tag_spec(ResourceType::InternetGateway, &all))
            .send()
            .await
            .map_err(|e| errors::sdk("creating internet gateway", e))?;
        let id = out
            .internet_gateway()
            .and_then(|g| g.internet_gateway_id())
            .unwrap_or("")
            .to_string();
        if let Some(vpc) = some_str(planned, "vpc_id") {
            if let Err(e) = self.attach(&id, &vpc).await {
                let mut v = made(planned, &id);
                v.set("vpc_id", "".into());
                return Err(e.with_partial(v));
            }
        }
        by_id::created(self, &id, planned).await
    }

    async fn update(&self, prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let id = su::req(prior, "id")?;
        let (old, new) = (some_str(prior, "vpc_id"), some_str(planned, "vpc_id"));
        if old != new {
            if let Some(old) = &old {
                self.detach(id, old).await?;
            }
            if let Some(new) = &new {
                self.attach(id, new).await?;
            }
        }
        retag(&self.aws, id, prior, planned).await?;
        by_id::updated(self, id, planned).await
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        let Some(id) = prior.str_attr("id") else {
            return Ok(());
        };
        // Detach from wherever it is attached now, not only where state says.
        let current = self.read_id(id, prior).await?;
        let Some(current) = current else {
            return Ok(());
        };
        if let Some(vpc) = some_str(&current, "vpc_id") {
            self.detach(id, &vpc).await?;
        }
        retry::delete(&format!("deleting internet gateway `{id}`"), || {
            self.aws
                .ec2
                .delete_internet_gateway()
                .internet_gateway_id(id)
                .send()
        })
        .await
    }

    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>> {
        let empty = self.schema.empty_value();
        crate::ec2::list_described(
            filter,
            "internet gateways",
            |f| {
                self.aws
                    .ec2
                    .describe_internet_gateways()
                    .set_filters(Some(f))
                    .send()
            },
            |out| {
                out.internet_gateways()
                    .iter()
                    .map(|x| self.value_of(x, &empty))
                    .collect()
            },
        )
        .await
    }
}
