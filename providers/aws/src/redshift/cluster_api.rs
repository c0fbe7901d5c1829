//! The Redshift calls `aws_redshift_cluster` is built on: finding a cluster, waiting for a
//! status, and the ModifyCluster / ModifyClusterIamRoles requests an update makes.

use std::time::Duration;

use aws_sdk_redshift::types::Cluster;
use labform_sdk::wait::{self, Poll};
use labform_sdk::{OpContext, ProviderError, Result, Value};

use crate::client::Aws;
use crate::errors;
use crate::paging::all_items;
use crate::schema_util::int;

/// Statuses from which a cluster never becomes `available` by itself.
const FAILED: [&str; 4] = [
    "hardware-failure",
    "incompatible-hsm",
    "incompatible-network",
    "incompatible-parameters",
];

/// The cluster named `identifier`, `None` when there is none.
pub async fn by_identifier(aws: &Aws, identifier: &str) -> Result<Option<Cluster>> {
    errors::found_first(
        &format!("reading redshift cluster `{identifier}`"),
        aws.redshift
            .describe_clusters()
            .cluster_identifier(identifier)
            .send()
            .await,
        |o| o.clusters().first().cloned(),
    )
}

/// Every cluster of the region (with its tags: DescribeClusters carries them).
pub async fn all(aws: &Aws) -> Result<Vec<Cluster>> {
    all_items!(
        "listing redshift clusters",
        aws.redshift.describe_clusters()
    )
}

/// Waits until the cluster `identifier` is `available` (`gone`: until it no longer exists), for
/// at most `limit`. moto 5.1.22 answers `available` from the first describe on.
pub async fn wait(
    aws: &Aws,
    identifier: &str,
    gone: bool,
    limit: Duration,
    ctx: &OpContext,
) -> Result<()> {
    let what = format!("redshift cluster `{identifier}`");
    let goal = if gone { "gone" } else { "available" };
    wait::until(&what, goal, limit, ctx, || async {
        let found = by_identifier(aws, identifier).await?;
        Ok(match (gone, found) {
            (true, None) => Poll::Done,
            (false, None) => Poll::Failed(ProviderError::api(format!(
                "{what} disappeared while waiting for it to become `available`"
            ))),
            (true, Some(c)) => Poll::Pending(status(&c).to_string()),
            (false, Some(c)) => match status(&c) {
                "available" => Poll::Done,
                s if FAILED.contains(&s) => Poll::Failed(
                    ProviderError::api(format!("{what} is `{s}`: it will not become `available`"))
                        .with_hint("look at the cluster's events in the console, fix the cause, and replace it"),
                ),
                s => Poll::Pending(s.to_string()),
            },
        })
    })
    .await
}

fn status(c: &Cluster) -> &str {
    c.cluster_status().unwrap_or("unknown")
}

/// `single-node` or `multi-node`, from the number of nodes, as the provider decides it.
pub fn cluster_type(nodes: i64) -> &'static str {
    if nodes > 1 {
        "multi-node"
    } else {
        "single-node"
    }
}

/// A text the provider's nullable bools accept (Go's `strconv.ParseBool`) as a bool.
pub fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// Whether `v` asks for an encrypted cluster: `encrypted` is a string, "true" by default.
pub fn encrypted(v: &Value) -> bool {
    v.str_attr("encrypted").and_then(parse_bool).unwrap_or(true)
}

fn changed(prior: &Value, planned: &Value, name: &str) -> bool {
    prior.get(name) != planned.get(name)
}

fn text(v: &Value, name: &str) -> Option<String> {
    v.str_attr(name).map(str::to_string)
}

/// Sends the ModifyCluster call that takes the cluster from `prior` to `planned` (each changed
/// setting, as the provider sends them); `false` when nothing needs it.
pub async fn modify(aws: &Aws, prior: &Value, planned: &Value) -> Result<bool> {
    let identifier = prior.str_attr("cluster_identifier").unwrap_or_default();
    let mut req = aws.redshift.modify_cluster().cluster_identifier(identifier);
    let mut needed = false;
    let mut set = |name: &str| {
        let c = changed(prior, planned, name);
        needed |= c;
        c
    };
    if set("allow_version_upgrade") {
        req = req.allow_version_upgrade(planned.bool_attr("allow_version_upgrade", true));
    }
    if set("automated_snapshot_retention_period") {
        req = req.set_automated_snapshot_retention_period(int(
            planned,
            "automated_snapshot_retention_period",
        ));
    }
    if set("cluster_parameter_group_name") {
        req = req.set_cluster_parameter_group_name(text(planned, "cluster_parameter_group_name"));
    }
    // The API wants the node type, cluster type and node count together when any changes.
    if set("node_type") | set("number_of_nodes") | set("cluster_type") {
        let nodes = planned.i64_attr("number_of_nodes").unwrap_or(1);
        req = req
            .set_node_type(text(planned, "node_type"))
            .cluster_type(cluster_type(nodes));
        if nodes > 1 {
            req = req.set_number_of_nodes(int(planned, "number_of_nodes"));
        }
    }
    if set("cluster_version") {
        req = req.set_cluster_version(text(planned, "cluster_version"));
    }
    if set("encrypted") {
        req = req.encrypted(encrypted(planned));
    }
    if set("master_password") {
        req = req.set_master_user_password(text(planned, "master_password"));
    }
    if set("port") {
        req = req.set_port(int(planned, "port"));
    }
    if set("preferred_maintenance_window") {
        req = req.set_preferred_maintenance_window(text(planned, "preferred_maintenance_window"));
    }
    if set("publicly_accessible") {
        req = req.publicly_accessible(planned.bool_attr("publicly_accessible", false));
    }
    if set("vpc_security_group_ids") {
        req = req
            .set_vpc_security_group_ids(Some(planned.string_list_attr("vpc_security_group_ids")));
    }
    if !needed {
        return Ok(false);
    }
    req.send()
        .await
        .map_err(|e| errors::sdk(&format!("modifying redshift cluster `{identifier}`"), e))?;
    Ok(true)
}

/// Adds and removes IAM roles to take the cluster from `prior`'s `iam_roles` to `planned`'s;
/// `false` when they are the same. (moto 5.1.22 does not implement ModifyClusterIamRoles.)
pub async fn modify_iam_roles(aws: &Aws, prior: &Value, planned: &Value) -> Result<bool> {
    let old = prior.string_list_attr("iam_roles");
    let new = planned.string_list_attr("iam_roles");
    let add: Vec<String> = new.iter().filter(|r| !old.contains(r)).cloned().collect();
    let remove: Vec<String> = old.iter().filter(|r| !new.contains(r)).cloned().collect();
    if add.is_empty() && remove.is_empty() {
        return Ok(false);
    }
    let identifier = prior.str_attr("cluster_identifier").unwrap_or_default();
    aws.redshift
        .modify_cluster_iam_roles()
        .cluster_identifier(identifier)
        .set_add_iam_roles((!add.is_empty()).then_some(add))
        .set_remove_iam_roles((!remove.is_empty()).then_some(remove))
        .send()
        .await
        .map_err(|e| {
            errors::sdk(
                &format!("changing the iam roles of redshift cluster `{identifier}`"),
                e,
            )
        })?;
    Ok(true)
}
