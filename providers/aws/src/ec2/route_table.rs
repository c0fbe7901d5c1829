//! `aws_route_table`: a route table with inline `route` blocks. Without any `route` block the
//! routes are left alone (others, e.g. `aws_route`, may manage them).

use std::sync::Arc;

use aws_sdk_ec2::types::ResourceType;
use labform_sdk::{
    async_trait, by_id, Attribute, BlockSchema, Marked, NestedBlock, OpContext, PlannedChange,
    ProviderError, Resource, Result, StackFilter, Value,
};

use crate::adopt;
use crate::client::Aws;
use crate::ec2::route::{describe_table, route_block_schema, RouteSpec};
use crate::ec2::{arn, retag, tag_map, tag_spec};
use crate::retry;
use crate::schema_util::{self as su, s, sset};
use crate::unfinished::{made, read_back};
use crate::{errors, tags};

labform_sdk::typed! {
    pub struct RouteTable("aws_route_table", "route table") { aws: Arc<Aws> }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    let sc = BlockSchema::new()
        .attr("vpc_id", Attribute::required(s()).force_new())
        .attr("propagating_vgws", Attribute::optional_computed(sset()))
        .attrs(&["arn", "owner_id"], Attribute::computed(s()))
        .block("route", NestedBlock::set(route_block_schema()));
    su::timeouts(
        su::tagged(su::regional(sc)),
        &["create", "update", "delete"],
    )
}

impl RouteTable {
    /// The value of one described object (`current` supplies what the API does not return).
    fn value_of(&self, t: &aws_sdk_ec2::types::RouteTable, current: &Value) -> Value {
        let id = t.route_table_id().unwrap_or("");
        let owner = t.owner_id().unwrap_or("").to_string();
        let (tags, tags_all) =
            tags::split_remote(&self.aws, tag_map(t.tags()), current.get("tags"));
        let routes: Vec<Value> = t
            .routes()
            .iter()
            .filter_map(RouteSpec::from_api)
            .map(|r| r.to_block())
            .collect();
        let vgws: Vec<Value> = t
            .propagating_vgws()
            .iter()
            .filter_map(|g| g.gateway_id())
            .map(Value::from)
            .collect();
        let mut v = self.schema.empty_value();
        su::keep(&mut v, current, &["timeouts"]);
        v.set("id", id.into());
        v.set("arn", arn(&self.aws, &owner, "route-table", id).into());
        v.set("owner_id", owner.into());
        v.set("region", self.aws.region.as_str().into());
        v.set("vpc_id", t.vpc_id().unwrap_or("").into());
        v.set("propagating_vgws", su::set_of(vgws));
        v.set("route", su::set_of(routes));
        v.set("tags", tags);
        v.set("tags_all", tags_all);
        v
    }

    /// Makes the table's routes exactly `want`.
    async fn sync_routes(&self, id: &str, want: &[RouteSpec]) -> Result<()> {
        let have = crate::ec2::route::table_routes(&self.aws, id)
            .await?
            .unwrap_or_default();
        for r in &have {
            if !want.contains(r) {
                r.delete(&self.aws, id).await?;
            }
        }
        for r in want {
            if !have.contains(r) {
                r.create(&self.aws, id).await?;
            }
        }
        Ok(())
    }
}

fn specs(v: &Value) -> Result<Vec<RouteSpec>> {
    v.list_attr("route")
        .iter()
        .map(RouteSpec::from_block)
        .collect()
}

#[async_trait]
impl Resource for RouteTable {
    async fn read_id(&self, id: &str, current: &Value) -> Result<Option<Value>> {
        let table = describe_table(&self.aws, id).await?;
        Ok(table.map(|t| self.value_of(&t, current)))
    }

    /// Found by the per-instance mark its create wrote through `TagSpecifications`.
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        adopt::ec2_read_by_mark(self, &self.aws, ResourceType::RouteTable, token, intent).await
    }

    fn validate(&self, config: &Value) -> Result<()> {
        for r in config.list_attr("route") {
            if r.is_wholly_known() {
                RouteSpec::from_block(r)?;
            }
        }
        Ok(())
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        let mut p = su::plan(&self.aws, &self.schema, prior, config)?;
        // No `route` blocks: the routes are not managed here; keep what is there.
        if config.list_attr("route").is_empty() {
            if let Some(prior) = prior {
                p.planned.set("route", prior.get("route").clone());
            }
        }
        if prior.is_none() && config.get("propagating_vgws").is_null() {
            p.planned.set("propagating_vgws", Value::List(vec![]));
        }
        Ok(p)
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let vpc = su::req(planned, "vpc_id")?;
        let want = specs(planned)?;
        let all = tags::for_create(&self.aws, planned.get("tags"), ctx);
        let out = self
            .aws
            .ec2
            .create_route_table()
            .vpc_id(vpc)
            .tag_specifications(tag_spec(ResourceType::RouteTable, &all))
            .send()
            .await
            .map_err(|e| errors::sdk(&format!("creating a route table in vpc `{vpc}`"), e))?;
        let id = out
            .route_table()
            .and_then(|t| t.route_table_id())
            .unwrap_or("")
            .to_string();
        for r in &want {
            if let Err(e) = r.create(&self.aws, &id).await {
                return Err(read_back(self, &id, made(planned, &id), e).await);
            }
        }
        by_id::created(self, &id, planned).await
    }

    async fn update(&self, prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let id = su::req(prior, "id")?;
        if prior.get("route") != planned.get("route") {
            self.sync_routes(id, &specs(planned)?).await?;
        }
        retag(&self.aws, id, prior, planned).await?;
        by_id::updated(self, id, planned).await
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        let Some(id) = prior.str_attr("id") else {
            return Ok(());
        };
        // Subnet associations would block the delete: remove them first, as Terraform does.
        let Some(table) = describe_table(&self.aws, id).await? else {
            return Ok(());
        };
        for a in table.associations() {
            if a.main() == Some(true) {
                return Err(ProviderError::conflict(format!(
                    "route table `{id}` is the main route table of its vpc"
                ))
                .with_hint("make another table the main one first"));
            }
            if let Some(assoc) = a.route_table_association_id() {
                let ec2 = &self.aws.ec2;
                let answer = ec2
                    .disassociate_route_table()
                    .association_id(assoc)
                    .send()
                    .await;
                // Already gone counts as disassociated.
                errors::found(&format!("disassociating route table `{id}`"), answer)?;
            }
        }
        retry::delete(&format!("deleting route table `{id}`"), || {
            self.aws.ec2.delete_route_table().route_table_id(id).send()
        })
        .await
    }

    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>> {
        let empty = self.schema.empty_value();
        crate::ec2::list_described(
            filter,
            "route tables",
            |f| {
                self.aws
                    .ec2
                    .describe_route_tables()
                    .set_filters(Some(f))
                    .send()
            },
            |out| {
                out.route_tables()
                    .iter()
                    .map(|x| self.value_of(x, &empty))
                    .collect()
            },
        )
        .await
    }
}
