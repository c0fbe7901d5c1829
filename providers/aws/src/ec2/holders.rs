//! What still holds an object whose delete keeps failing (instances in a subnet, rules naming
//! a group), named in the error's hint so the user knows what to delete first.

use std::future::Future;

use labform_sdk::{ErrorKind, ProviderError, Result};

use crate::client::Aws;
use crate::ec2::filter;

/// `r`, its error (one that retries could not clear) with a hint naming what still holds the
/// object: `holders` is asked only then.
pub async fn or_held<T, H>(r: Result<T>, holders: impl FnOnce() -> H) -> Result<T>
where
    H: Future<Output = String>,
{
    match r {
        Err(e) => Err(held_by(e, holders().await)),
        ok => ok,
    }
}

/// Adds "still held by ..." to a delete error that retries could not clear.
fn held_by(err: ProviderError, holders: String) -> ProviderError {
    if err.kind == ErrorKind::Conflict {
        let hint = format!(
            "still held by {holders}; delete those first (or run destroy again once they are gone)"
        );
        err.with_hint(hint)
    } else {
        err
    }
}

/// The holders found, for the hint.
fn listing(found: Vec<String>) -> String {
    if found.is_empty() {
        "nothing visible (it may clear up shortly)".into()
    } else {
        found.join(", ")
    }
}

/// What still sits in a VPC, for the message when its delete keeps failing.
pub async fn vpc_dependents(aws: &Aws, vpc_id: &str) -> String {
    let by_vpc = || filter("vpc-id", &[vpc_id]);
    let mut found = Vec::new();
    if let Ok(o) = aws.ec2.describe_subnets().filters(by_vpc()).send().await {
        found.extend(
            o.subnets()
                .iter()
                .filter_map(|s| s.subnet_id().map(|i| format!("subnet `{i}`"))),
        );
    }
    if let Ok(o) = aws
        .ec2
        .describe_internet_gateways()
        .filters(filter("attachment.vpc-id", &[vpc_id]))
        .send()
        .await
    {
        found.extend(o.internet_gateways().iter().filter_map(|g| {
            g.internet_gateway_id()
                .map(|i| format!("internet gateway `{i}`"))
        }));
    }
    if let Ok(o) = aws
        .ec2
        .describe_security_groups()
        .filters(by_vpc())
        .send()
        .await
    {
        found.extend(
            o.security_groups()
                .iter()
                .filter(|g| g.group_name() != Some("default"))
                .filter_map(|g| g.group_id().map(|i| format!("security group `{i}`"))),
        );
    }
    if let Ok(o) = aws
        .ec2
        .describe_route_tables()
        .filters(by_vpc())
        .send()
        .await
    {
        found.extend(
            o.route_tables()
                .iter()
                .filter(|t| !t.associations().iter().any(|a| a.main() == Some(true)))
                .filter_map(|t| t.route_table_id().map(|i| format!("route table `{i}`"))),
        );
    }
    if let Ok(o) = aws
        .ec2
        .describe_instances()
        .filters(by_vpc())
        .filters(filter(
            "instance-state-name",
            &["pending", "running", "stopping", "stopped", "shutting-down"],
        ))
        .send()
        .await
    {
        for r in o.reservations() {
            found.extend(
                r.instances()
                    .iter()
                    .filter_map(|i| i.instance_id().map(|i| format!("instance `{i}`"))),
            );
        }
    }
    listing(found)
}

/// What still uses a subnet.
pub async fn subnet_dependents(aws: &Aws, id: &str) -> String {
    listing(interfaces(aws, "subnet-id", id).await)
}

/// What still uses a security group: interfaces in it, and rules of other groups naming it.
pub async fn group_dependents(aws: &Aws, id: &str) -> String {
    let mut found = interfaces(aws, "group-id", id).await;
    for f in ["ip-permission.group-id", "egress.ip-permission.group-id"] {
        if let Ok(o) = aws
            .ec2
            .describe_security_groups()
            .filters(filter(f, &[id]))
            .send()
            .await
        {
            found.extend(
                o.security_groups()
                    .iter()
                    .filter(|g| g.group_id() != Some(id))
                    .filter_map(|g| {
                        g.group_id()
                            .map(|i| format!("rules of security group `{i}`"))
                    }),
            );
        }
    }
    listing(found)
}

/// The network interfaces `by` (a DescribeNetworkInterfaces filter) `id`, each with the
/// instance it is attached to.
async fn interfaces(aws: &Aws, by: &str, id: &str) -> Vec<String> {
    let Ok(o) = aws
        .ec2
        .describe_network_interfaces()
        .filters(filter(by, &[id]))
        .send()
        .await
    else {
        return Vec::new();
    };
    o.network_interfaces()
        .iter()
        .map(|n| {
            let owner = n
                .attachment()
                .and_then(|a| a.instance_id())
                .map(|i| format!(" (instance `{i}`)"))
                .unwrap_or_default();
            format!(
                "network interface `{}`{owner}",
                n.network_interface_id().unwrap_or("?")
            )
        })
        .collect()
}
