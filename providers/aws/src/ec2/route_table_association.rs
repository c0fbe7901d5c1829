//! `aws_route_table_association`: a subnet's (or gateway's) association with a route table;
//! changing the table re-associates in place (and the association id changes).

use std::sync::Arc;

use labform_sdk::{
    async_trait, Attribute, BlockSchema, OpContext, PlannedChange, ProviderError, ReadBack,
    Resource, Result, Value,
};

use crate::client::Aws;
use crate::ec2::{filter, some_str};
use crate::errors;
use crate::retry::{self, with_backoff};
use crate::schema_util::{self as su, s};

labform_sdk::typed! {
    pub struct Association("aws_route_table_association") { aws: Arc<Aws> }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    let sc = BlockSchema::new()
        .attr("route_table_id", Attribute::required(s()))
        .attrs(
            &["subnet_id", "gateway_id"],
            Attribute::optional(s()).force_new(),
        );
    // The id changes when the association moves to another table.
    su::timeouts(su::regional(sc), &["create", "update", "delete"])
        .attr("id", Attribute::computed(s()).changes_on_update())
}

impl Association {
    async fn read_assoc(&self, id: &str, current: &Value) -> Result<Option<Value>> {
        let out = self
            .aws
            .ec2
            .describe_route_tables()
            .filters(filter("association.route-table-association-id", &[id]))
            .send()
            .await
            .map_err(|e| errors::sdk(&format!("reading route table association `{id}`"), e))?;
        for t in out.route_tables() {
            for a in t.associations() {
                if a.route_table_association_id() == Some(id) {
                    let state = a
                        .association_state()
                        .and_then(|s| s.state())
                        .map(|s| s.as_str().to_string());
                    if matches!(
                        state.as_deref(),
                        Some("disassociated") | Some("disassociating")
                    ) {
                        return Ok(None);
                    }
                    let mut v = self.schema.empty_value();
                    su::keep(&mut v, current, &["timeouts"]);
                    v.set("id", id.into());
                    v.set("region", self.aws.region.as_str().into());
                    v.set("route_table_id", t.route_table_id().unwrap_or("").into());
                    v.set(
                        "subnet_id",
                        a.subnet_id().map(Value::from).unwrap_or(Value::Null),
                    );
                    v.set(
                        "gateway_id",
                        a.gateway_id().map(Value::from).unwrap_or(Value::Null),
                    );
                    return Ok(Some(v));
                }
            }
        }
        Ok(None)
    }
}

#[async_trait]
impl Resource for Association {
    /// A subnet (or gateway) has at most one association: found by it, and taken as this
    /// create's only when it is with the intent's route table (an association with another table
    /// was not made by this create: `None`, and the create then reports the clash).
    async fn find_interrupted(&self, intent: &Value, _token: &str) -> Result<Option<Value>> {
        let table = su::req(intent, "route_table_id")?;
        let (key, holder) = match (
            some_str(intent, "subnet_id"),
            some_str(intent, "gateway_id"),
        ) {
            (Some(s), _) => ("association.subnet-id", s),
            (None, Some(g)) => ("association.gateway-id", g),
            (None, None) => return Ok(None),
        };
        let out = self
            .aws
            .ec2
            .describe_route_tables()
            .filters(filter(key, &[holder.as_str()]))
            .send()
            .await
            .map_err(|e| errors::sdk(&format!("looking for the association of `{holder}`"), e))?;
        let tables = out.route_tables().iter();
        let ours = tables.filter(|t| t.route_table_id() == Some(table));
        match association_of(ours, &holder) {
            Some(id) => self.read_assoc(&id, intent).await,
            None => Ok(None),
        }
    }

    fn validate(&self, config: &Value) -> Result<()> {
        let set = ["subnet_id", "gateway_id"]
            .iter()
            .filter(|a| !config.get(a).is_null())
            .count();
        if set != 1 && config.is_wholly_known() {
            return Err(ProviderError::invalid(
                "exactly one of `subnet_id` and `gateway_id` must be set",
            ));
        }
        Ok(())
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        su::plan(&self.aws, &self.schema, prior, config)
    }

    async fn create(&self, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let table = su::req(planned, "route_table_id")?;
        let subnet = some_str(planned, "subnet_id");
        let gateway = some_str(planned, "gateway_id");
        let out = with_backoff(|| async {
            self.aws
                .ec2
                .associate_route_table()
                .route_table_id(table)
                .set_subnet_id(subnet.clone())
                .set_gateway_id(gateway.clone())
                .send()
                .await
                .map_err(|e| errors::sdk(&format!("associating route table `{table}`"), e))
        })
        .await?;
        let id = out.association_id().unwrap_or("").to_string();
        self.read_assoc(&id, planned)
            .await?
            .or_vanished(&format!("route table association `{id}`"))
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        match current.str_attr("id") {
            Some(id) => self.read_assoc(id, current).await,
            None => Ok(None),
        }
    }

    async fn update(&self, prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let id = su::req(prior, "id")?;
        let table = su::req(planned, "route_table_id")?;
        let out = self
            .aws
            .ec2
            .replace_route_table_association()
            .association_id(id)
            .route_table_id(table)
            .send()
            .await
            .map_err(|e| {
                errors::sdk(
                    &format!("moving association `{id}` to route table `{table}`"),
                    e,
                )
            })?;
        let new_id = out.new_association_id().unwrap_or(id).to_string();
        self.read_assoc(&new_id, planned)
            .await?
            .or_gone(&format!("route table association `{new_id}`"))
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        let Some(id) = prior.str_attr("id") else {
            return Ok(());
        };
        retry::delete(&format!("removing route table association `{id}`"), || {
            self.aws
                .ec2
                .disassociate_route_table()
                .association_id(id)
                .send()
        })
        .await
    }

    async fn import(&self, id: &str) -> Result<Value> {
        let Some((target, table)) = id.split_once('/') else {
            return Err(ProviderError::invalid(format!("import id `{id}` must be `<subnet_id>/<route_table_id>` or `<gateway_id>/<route_table_id>`")));
        };
        let out = self
            .aws
            .ec2
            .describe_route_tables()
            .route_table_ids(table)
            .send()
            .await
            .map_err(|e| errors::sdk(&format!("reading route table `{table}`"), e))?;
        let assoc = association_of(out.route_tables(), target).ok_or_else(|| {
            ProviderError::not_found(format!(
                "`{target}` is not associated with route table `{table}`"
            ))
        })?;
        self.read_assoc(&assoc, &self.schema.empty_value())
            .await?
            .or_absent(&format!("association `{assoc}`"))
    }
}

/// The id of the association that ties `target` (a subnet or gateway) to one of `tables`.
fn association_of<'a>(
    tables: impl IntoIterator<Item = &'a aws_sdk_ec2::types::RouteTable>,
    target: &str,
) -> Option<String> {
    tables
        .into_iter()
        .flat_map(|t| t.associations())
        .find(|a| a.subnet_id() == Some(target) || a.gateway_id() == Some(target))
        .and_then(|a| a.route_table_association_id())
        .map(str::to_string)
}
