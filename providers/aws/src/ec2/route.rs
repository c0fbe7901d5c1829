//! `aws_route`: one route in a route table, and the route plumbing `aws_route_table` shares
//! (a route as an object with `cidr_block`/`ipv6_cidr_block`/`destination_prefix_list_id` and
//! one target).

use std::sync::Arc;

use aws_sdk_ec2::types::RouteTable;
use labform_sdk::{
    async_trait, Attribute, BlockSchema, OpContext, PlannedChange, ProviderError, ReadBack,
    Resource, Result, Value,
};

use crate::client::Aws;
use crate::ec2::some_str;
use crate::errors;
use crate::retry::{self, with_backoff};
use crate::schema_util::{self as su, s};

/// Route target attributes, shared by `aws_route` and the `route` blocks of `aws_route_table`.
pub const TARGETS: [&str; 11] = [
    "gateway_id",
    "nat_gateway_id",
    "network_interface_id",
    "transit_gateway_id",
    "vpc_peering_connection_id",
    "vpc_endpoint_id",
    "egress_only_gateway_id",
    "carrier_gateway_id",
    "local_gateway_id",
    "core_network_arn",
    "odb_network_arn",
];

/// `req` (a CreateRoute or DeleteRoute builder: different types) with the destination of
/// `spec` set.
macro_rules! to_dest {
    ($req:expr, $spec:expr) => {
        match $spec.dest.0 {
            "cidr_block" => $req.destination_cidr_block(&$spec.dest.1),
            "ipv6_cidr_block" => $req.destination_ipv6_cidr_block(&$spec.dest.1),
            _ => $req.destination_prefix_list_id(&$spec.dest.1),
        }
    };
}

/// `req` (a CreateRoute or ReplaceRoute builder: different types) with the targets both take
/// set as `spec` has them (unset when it has none).
macro_rules! with_targets {
    ($req:expr, $spec:expr) => {
        $req.set_gateway_id($spec.target("gateway_id"))
            .set_nat_gateway_id($spec.target("nat_gateway_id"))
            .set_network_interface_id($spec.target("network_interface_id"))
            .set_transit_gateway_id($spec.target("transit_gateway_id"))
            .set_vpc_peering_connection_id($spec.target("vpc_peering_connection_id"))
            .set_vpc_endpoint_id($spec.target("vpc_endpoint_id"))
            .set_egress_only_internet_gateway_id($spec.target("egress_only_gateway_id"))
            .set_carrier_gateway_id($spec.target("carrier_gateway_id"))
            .set_local_gateway_id($spec.target("local_gateway_id"))
            .set_core_network_arn($spec.target("core_network_arn"))
    };
}

/// A route as the table's `route` block spells it.
#[derive(Clone, Debug, PartialEq)]
pub struct RouteSpec {
    /// (`cidr_block` | `ipv6_cidr_block` | `destination_prefix_list_id`, value)
    pub dest: (&'static str, String),
    pub targets: Vec<(&'static str, String)>,
}

impl RouteSpec {
    /// From a `route` block object.
    pub fn from_block(v: &Value) -> Result<RouteSpec> {
        let dest = ["cidr_block", "ipv6_cidr_block", "destination_prefix_list_id"]
            .into_iter()
            .find_map(|d| some_str(v, d).map(|x| (d, x)))
            .ok_or_else(|| ProviderError::invalid("a route needs a destination: `cidr_block`, `ipv6_cidr_block` or `destination_prefix_list_id`"))?;
        let targets: Vec<_> = TARGETS
            .iter()
            .filter_map(|t| some_str(v, t).map(|x| (*t, x)))
            .collect();
        if targets.is_empty() {
            return Err(ProviderError::invalid(format!(
                "the route to `{}` needs a target such as `gateway_id`",
                dest.1
            )));
        }
        Ok(RouteSpec { dest, targets })
    }

    /// From an API route; `None` for the local route and propagated routes, which nobody
    /// configures.
    pub fn from_api(r: &aws_sdk_ec2::types::Route) -> Option<RouteSpec> {
        let origin = r.origin().map(|o| o.as_str()).unwrap_or("");
        if origin == "CreateRouteTable"
            || origin == "EnableVgwRoutePropagation"
            || r.gateway_id() == Some("local")
        {
            return None;
        }
        let dest = if let Some(c) = r.destination_cidr_block() {
            ("cidr_block", c.to_string())
        } else if let Some(c) = r.destination_ipv6_cidr_block() {
            ("ipv6_cidr_block", c.to_string())
        } else {
            (
                "destination_prefix_list_id",
                r.destination_prefix_list_id()?.to_string(),
            )
        };
        let mut targets: Vec<(&'static str, String)> = Vec::new();
        let push =
            |targets: &mut Vec<(&'static str, String)>, name: &'static str, v: Option<&str>| {
                if let Some(v) = v.filter(|v| !v.is_empty()) {
                    targets.push((name, v.to_string()));
                }
            };
        match r.gateway_id() {
            Some(g) if g.starts_with("vpce-") => push(&mut targets, "vpc_endpoint_id", Some(g)),
            g => push(&mut targets, "gateway_id", g),
        }
        push(&mut targets, "nat_gateway_id", r.nat_gateway_id());
        push(&mut targets, "transit_gateway_id", r.transit_gateway_id());
        push(
            &mut targets,
            "vpc_peering_connection_id",
            r.vpc_peering_connection_id(),
        );
        push(
            &mut targets,
            "egress_only_gateway_id",
            r.egress_only_internet_gateway_id(),
        );
        push(&mut targets, "carrier_gateway_id", r.carrier_gateway_id());
        push(&mut targets, "local_gateway_id", r.local_gateway_id());
        push(&mut targets, "core_network_arn", r.core_network_arn());
        push(&mut targets, "odb_network_arn", r.odb_network_arn());
        // An instance target shows as its interface.
        let eni = r.network_interface_id();
        if r.instance_id().is_none() || targets.is_empty() {
            if let Some(e) = eni.filter(|e| !e.is_empty()) {
                targets.push(("network_interface_id", e.to_string()));
            }
        }
        Some(RouteSpec { dest, targets })
    }

    /// As a `route` block object (every attribute present, null when unset).
    pub fn to_block(&self) -> Value {
        let mut v = route_block_schema().empty_value();
        v.set(self.dest.0, self.dest.1.as_str().into());
        for (k, x) in &self.targets {
            v.set(*k, x.as_str().into());
        }
        v
    }

    /// The value of target attribute `name` (`gateway_id`), if the route has that target.
    pub fn target(&self, name: &str) -> Option<String> {
        self.targets
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    }

    pub async fn create(&self, aws: &Aws, table: &str) -> Result<()> {
        let req = to_dest!(aws.ec2.create_route().route_table_id(table), self);
        let req = with_targets!(req, self).set_odb_network_arn(self.target("odb_network_arn"));
        let dest = &self.dest.1;
        with_backoff(|| async {
            req.clone().send().await.map(|_| ()).map_err(|e| {
                errors::sdk(
                    &format!("adding the route to `{dest}` in route table `{table}`"),
                    e,
                )
            })
        })
        .await
    }

    pub async fn delete(&self, aws: &Aws, table: &str) -> Result<()> {
        let req = to_dest!(aws.ec2.delete_route().route_table_id(table), self);
        retry::delete(
            &format!(
                "removing the route to `{}` from route table `{table}`",
                self.dest.1
            ),
            || req.clone().send(),
        )
        .await
    }
}

/// The attributes of a `route` block in `aws_route_table`.
pub fn route_block_schema() -> BlockSchema {
    let mut b = BlockSchema::new().attrs(
        &[
            "cidr_block",
            "ipv6_cidr_block",
            "destination_prefix_list_id",
        ],
        Attribute::optional(s()),
    );
    for t in TARGETS {
        b = b.attr(t, Attribute::optional(s()));
    }
    b
}

/// A route table as the API describes it now (`None` when it is gone).
pub async fn describe_table(aws: &Aws, table: &str) -> Result<Option<RouteTable>> {
    let ec2 = &aws.ec2;
    let answer = ec2
        .describe_route_tables()
        .route_table_ids(table)
        .send()
        .await;
    errors::found_first(&format!("reading route table `{table}`"), answer, |out| {
        out.route_tables().first().cloned()
    })
}

/// The routes of a table as the API has them now (`None` when the table is gone).
pub async fn table_routes(aws: &Aws, table: &str) -> Result<Option<Vec<RouteSpec>>> {
    let table = describe_table(aws, table).await?;
    Ok(table.map(|t| t.routes().iter().filter_map(RouteSpec::from_api).collect()))
}

labform_sdk::typed! {
    pub struct Route("aws_route") { aws: Arc<Aws> }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    let mut sc = BlockSchema::new()
        .attr("route_table_id", Attribute::required(s()).force_new())
        .attr(
            "destination_cidr_block",
            Attribute::optional(s()).force_new(),
        )
        .attr(
            "destination_ipv6_cidr_block",
            Attribute::optional(s()).force_new(),
        )
        .attr(
            "destination_prefix_list_id",
            Attribute::optional(s()).force_new(),
        )
        .attrs(
            &["instance_id", "instance_owner_id", "origin", "state"],
            Attribute::computed(s()),
        );
    for t in TARGETS {
        sc = if t == "network_interface_id" {
            sc.attr(t, Attribute::optional_computed(s()))
        } else {
            sc.attr(t, Attribute::optional(s()))
        };
    }
    su::timeouts(su::regional(sc), &["create", "update", "delete"])
}

/// The `aws_route` value as a table-style route.
fn spec_of(v: &Value) -> Result<RouteSpec> {
    let mut block = route_block_schema().empty_value();
    block.set("cidr_block", v.get("destination_cidr_block").clone());
    block.set(
        "ipv6_cidr_block",
        v.get("destination_ipv6_cidr_block").clone(),
    );
    block.set(
        "destination_prefix_list_id",
        v.get("destination_prefix_list_id").clone(),
    );
    for t in TARGETS {
        block.set(t, v.get(t).clone());
    }
    RouteSpec::from_block(&block)
}

/// Terraform's route id: `r-` + table id + a hash of the destination.
pub fn route_id(table: &str, dest: &str) -> String {
    format!("r-{table}{}", crc32(dest.as_bytes()))
}

fn crc32(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

impl Route {
    async fn read_route(&self, current: &Value) -> Result<Option<Value>> {
        let table = su::req(current, "route_table_id")?;
        let want = spec_of(current)?;
        let Some(t) = describe_table(&self.aws, table).await? else {
            return Ok(None);
        };
        let Some(r) = t
            .routes()
            .iter()
            .find(|r| RouteSpec::from_api(r).is_some_and(|s| s.dest == want.dest))
        else {
            return Ok(None);
        };
        let Some(found) = RouteSpec::from_api(r) else {
            return Ok(None);
        };
        let mut v = self.schema.empty_value();
        su::keep(&mut v, current, &["timeouts"]);
        v.set("route_table_id", table.into());
        v.set("id", route_id(table, &want.dest.1).into());
        v.set("region", self.aws.region.as_str().into());
        let dest_attr = match want.dest.0 {
            "cidr_block" => "destination_cidr_block",
            "ipv6_cidr_block" => "destination_ipv6_cidr_block",
            _ => "destination_prefix_list_id",
        };
        v.set(dest_attr, want.dest.1.as_str().into());
        for (k, x) in &found.targets {
            v.set(*k, x.as_str().into());
        }
        v.set(
            "network_interface_id",
            r.network_interface_id().unwrap_or("").into(),
        );
        v.set("instance_id", r.instance_id().unwrap_or("").into());
        v.set(
            "instance_owner_id",
            r.instance_owner_id().unwrap_or("").into(),
        );
        v.set(
            "origin",
            r.origin().map(|o| o.as_str()).unwrap_or("").into(),
        );
        v.set("state", r.state().map(|o| o.as_str()).unwrap_or("").into());
        Ok(Some(v))
    }
}

#[async_trait]
impl Resource for Route {
    /// A route has no id, tags or token: a table holds one route per destination, so it is found
    /// by table and destination, and taken as this create's only when it has the intent's
    /// targets (a route with other targets was not made by this create: `None`, and the create
    /// then reports the clash).
    async fn find_interrupted(&self, intent: &Value, _token: &str) -> Result<Option<Value>> {
        let want = spec_of(intent)?;
        let Some(found) = self.read(intent).await? else {
            return Ok(None);
        };
        let same = want
            .targets
            .iter()
            .all(|(k, v)| found.str_attr(k) == Some(v.as_str()));
        Ok(same.then_some(found))
    }

    fn validate(&self, config: &Value) -> Result<()> {
        let dests = [
            "destination_cidr_block",
            "destination_ipv6_cidr_block",
            "destination_prefix_list_id",
        ];
        let set = dests.iter().filter(|d| !config.get(d).is_null()).count();
        if set > 1 {
            return Err(ProviderError::invalid("only one of `destination_cidr_block`, `destination_ipv6_cidr_block` and `destination_prefix_list_id` can be set"));
        }
        if set == 0 {
            return Err(ProviderError::invalid("one of `destination_cidr_block`, `destination_ipv6_cidr_block` or `destination_prefix_list_id` must be set"));
        }
        Ok(())
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        let mut p = su::plan(&self.aws, &self.schema, prior, config)?;
        if let (Some(table), Ok(spec)) = (config.str_attr("route_table_id"), spec_of(config)) {
            p.planned.set("id", route_id(table, &spec.dest.1).into());
        }
        Ok(p)
    }

    async fn create(&self, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let table = su::req(planned, "route_table_id")?;
        let spec = spec_of(planned)?;
        spec.create(&self.aws, table).await?;
        self.read_route(planned).await?.ok_or_else(|| {
            ProviderError::api(format!(
                "the route to `{}` vanished right after it was created",
                spec.dest.1
            ))
        })
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        if current.str_attr("route_table_id").is_none() {
            return Ok(None);
        }
        self.read_route(current).await
    }

    async fn update(&self, _prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let table = su::req(planned, "route_table_id")?;
        let spec = spec_of(planned)?;
        let req = self.aws.ec2.replace_route().route_table_id(table);
        with_targets!(req, spec)
            .set_destination_cidr_block(
                planned
                    .str_attr("destination_cidr_block")
                    .map(str::to_string),
            )
            .set_destination_ipv6_cidr_block(
                planned
                    .str_attr("destination_ipv6_cidr_block")
                    .map(str::to_string),
            )
            .set_destination_prefix_list_id(
                planned
                    .str_attr("destination_prefix_list_id")
                    .map(str::to_string),
            )
            .send()
            .await
            .map_err(|e| {
                errors::sdk(
                    &format!("replacing the route to `{}` in `{table}`", spec.dest.1),
                    e,
                )
            })?;
        self.read_route(planned).await?.ok_or_else(|| {
            ProviderError::not_found(format!("the route to `{}` is gone", spec.dest.1))
        })
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        let Some(table) = prior.str_attr("route_table_id") else {
            return Ok(());
        };
        let Ok(spec) = spec_of(prior) else {
            return Ok(());
        };
        spec.delete(&self.aws, table).await
    }

    async fn import(&self, id: &str) -> Result<Value> {
        let Some((table, dest)) = id.split_once('_') else {
            return Err(ProviderError::invalid(format!(
                "import id `{id}` must be `<route_table_id>_<destination>`"
            )));
        };
        let mut current = self.schema.empty_value();
        current.set("route_table_id", table.into());
        let attr = if dest.starts_with("pl-") {
            "destination_prefix_list_id"
        } else if dest.contains(':') {
            "destination_ipv6_cidr_block"
        } else {
            "destination_cidr_block"
        };
        current.set(attr, dest.into());
        current.set("gateway_id", "import".into());
        self.read_route(&current)
            .await?
            .or_absent(&format!("route `{id}`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert!(route_id("rtb-1", "0.0.0.0/0").starts_with("r-rtb-1"));
    }
}
