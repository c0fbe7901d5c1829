//! The RDS calls `aws_db_instance` is built on: finding an instance by identifier or resource
//! id, the ModifyDBInstance request an update makes, and waiting for a status.

use std::time::Duration;

use aws_sdk_rds::types::{DbInstance, Filter, PendingModifiedValues};
use labform_sdk::wait::{self, Poll};
use labform_sdk::{OpContext, ProviderError, Result, Value, STACK_ID_KEY};

use crate::client::Aws;
use crate::errors;
use crate::paging::all_items;
use crate::rds::tag_map;
use crate::schema_util::int;

/// Statuses from which an instance never becomes `available` by itself.
const FAILED: [&str; 5] = [
    "failed",
    "incompatible-parameters",
    "incompatible-restore",
    "incompatible-network",
    "inaccessible-encryption-credentials",
];

/// The instance named `identifier`, `None` when there is none.
pub async fn by_identifier(aws: &Aws, identifier: &str) -> Result<Option<DbInstance>> {
    errors::found_first(
        &format!("reading db instance `{identifier}`"),
        aws.rds
            .describe_db_instances()
            .db_instance_identifier(identifier)
            .send()
            .await,
        |o| o.db_instances().first().cloned(),
    )
}

/// Whether `id` has the shape of a DBI resource id (`db-` and letters/digits), which is what
/// the provider records as `id`.
pub fn is_resource_id(id: &str) -> bool {
    id.strip_prefix("db-")
        .is_some_and(|rest| rest.len() >= 2 && rest.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The instance whose DBI resource id is `id`, else the one whose identifier is `id`, as the
/// provider looks instances up. `identifier` (the recorded one) is asked first: it answers in
/// one call, and moto gives every instance the same resource id, so a filter on it alone
/// cannot tell them apart there. The filtered call is checked again here too: an endpoint
/// that ignores the filter (moto) answers every instance, and one that answers several with
/// that id has none to tell. An answer marked as another stack's is never this one: moto's
/// shared resource id would otherwise return another stack's instance once this one is gone.
pub async fn find(aws: &Aws, id: &str, identifier: Option<&str>) -> Result<Option<DbInstance>> {
    if !is_resource_id(id) {
        return by_identifier(aws, id).await;
    }
    if let Some(name) = identifier {
        if let Some(d) = by_identifier(aws, name).await? {
            if d.dbi_resource_id() == Some(id) {
                return Ok(Some(d));
            }
        }
    }
    let by_resource = all_items!(
        &format!("reading db instance `{id}`"),
        aws.rds
            .describe_db_instances()
            .filters(Filter::builder().name("dbi-resource-id").values(id).build())
    )?;
    let mut matching: Vec<DbInstance> = by_resource
        .into_iter()
        .filter(|d| d.dbi_resource_id() == Some(id) && !of_another_stack(aws, d))
        .collect();
    // Resource ids are unique: several answers mean the endpoint cannot find by them.
    match (matching.pop(), matching.is_empty()) {
        (Some(d), true) => Ok(Some(d)),
        // An instance whose identifier has the shape of a resource id.
        _ => by_identifier(aws, id).await,
    }
}

/// Whether the instance carries a stack id other than the one this provider marks with.
fn of_another_stack(aws: &Aws, d: &DbInstance) -> bool {
    let ours = aws.mark.get(STACK_ID_KEY);
    ours.is_some()
        && tag_map(d.tag_list())
            .get(STACK_ID_KEY)
            .is_some_and(|id| Some(id) != ours)
}

/// Every instance of the region.
pub async fn all(aws: &Aws) -> Result<Vec<DbInstance>> {
    all_items!("listing db instances", aws.rds.describe_db_instances())
}

/// What an instance is waited for.
#[derive(Clone, Copy, PartialEq)]
pub enum Goal {
    /// `available`; with `settled`, also no modification left pending (an update applied
    /// immediately, which may show `available` for a moment before it starts).
    Available { settled: bool },
    /// Deleted.
    Gone,
}

/// Waits until the instance `identifier` reaches `goal`, for at most `limit`.
pub async fn wait(
    aws: &Aws,
    identifier: &str,
    goal: Goal,
    limit: Duration,
    ctx: &OpContext,
) -> Result<()> {
    let what = format!("db instance `{identifier}`");
    let goal_name = if goal == Goal::Gone {
        "gone"
    } else {
        "available"
    };
    wait::until(&what, goal_name, limit, ctx, || async {
        let found = by_identifier(aws, identifier).await?;
        Ok(match (goal, found) {
            (Goal::Gone, None) => Poll::Done,
            (_, None) => Poll::Failed(ProviderError::api(format!(
                "{what} disappeared while waiting for it to become `available`"
            ))),
            (Goal::Gone, Some(d)) => Poll::Pending(status(&d).to_string()),
            (Goal::Available { settled }, Some(d)) => {
                let now = status(&d);
                let pending = d
                    .pending_modified_values()
                    .is_some_and(|p| p != &PendingModifiedValues::builder().build());
                match now {
                    "available" | "storage-optimization" if !(settled && pending) => Poll::Done,
                    s if FAILED.contains(&s) => Poll::Failed(ProviderError::api(format!(
                        "{what} is `{s}`: it will not become `available`"
                    ))
                    .with_hint("look at the instance's events in the console, fix the cause, and replace it")),
                    "available" => Poll::Pending("available, modifications pending".into()),
                    s => Poll::Pending(s.to_string()),
                }
            }
        })
    })
    .await
}

fn status(d: &DbInstance) -> &str {
    d.db_instance_status().unwrap_or("unknown")
}

fn changed(prior: &Value, planned: &Value, name: &str) -> bool {
    prior.get(name) != planned.get(name)
}

/// Sends the ModifyDBInstance call that takes the instance from `prior` to `planned` (each
/// changed setting, as the provider sends them); `false` when nothing needs it.
pub async fn modify(aws: &Aws, prior: &Value, planned: &Value) -> Result<bool> {
    let identifier = prior.str_attr("identifier").unwrap_or_default();
    let mut req = aws
        .rds
        .modify_db_instance()
        .db_instance_identifier(identifier)
        .apply_immediately(planned.bool_attr("apply_immediately", false));
    let mut needed = false;
    let mut set = |name: &str| {
        let c = changed(prior, planned, name);
        needed |= c;
        c
    };
    if set("identifier") {
        req =
            req.set_new_db_instance_identifier(planned.str_attr("identifier").map(str::to_string));
    }
    if set("allocated_storage") {
        req = req.set_allocated_storage(int(planned, "allocated_storage"));
    }
    if set("instance_class") {
        req = req.set_db_instance_class(planned.str_attr("instance_class").map(str::to_string));
    }
    if set("storage_type") {
        req = req.set_storage_type(planned.str_attr("storage_type").map(str::to_string));
    }
    if set("engine_version") {
        req = req.set_engine_version(planned.str_attr("engine_version").map(str::to_string));
    }
    if set("password") {
        req = req.set_master_user_password(planned.str_attr("password").map(str::to_string));
    }
    if set("port") {
        req = req.set_db_port_number(int(planned, "port"));
    }
    if set("publicly_accessible") {
        req = req.publicly_accessible(planned.bool_attr("publicly_accessible", false));
    }
    if set("vpc_security_group_ids") && !planned.list_attr("vpc_security_group_ids").is_empty() {
        req = req
            .set_vpc_security_group_ids(Some(planned.string_list_attr("vpc_security_group_ids")));
    }
    if set("db_subnet_group_name") {
        req = req
            .set_db_subnet_group_name(planned.str_attr("db_subnet_group_name").map(str::to_string));
    }
    if set("parameter_group_name") {
        req = req.set_db_parameter_group_name(
            planned.str_attr("parameter_group_name").map(str::to_string),
        );
    }
    if set("backup_retention_period") {
        req = req.set_backup_retention_period(int(planned, "backup_retention_period"));
    }
    if set("backup_window") {
        req =
            req.set_preferred_backup_window(planned.str_attr("backup_window").map(str::to_string));
    }
    if set("maintenance_window") {
        req = req.set_preferred_maintenance_window(
            planned.str_attr("maintenance_window").map(str::to_string),
        );
    }
    if set("multi_az") {
        req = req.multi_az(planned.bool_attr("multi_az", false));
    }
    if set("deletion_protection") {
        req = req.deletion_protection(planned.bool_attr("deletion_protection", false));
    }
    if set("auto_minor_version_upgrade") {
        req = req.auto_minor_version_upgrade(planned.bool_attr("auto_minor_version_upgrade", true));
    }
    if set("copy_tags_to_snapshot") {
        req = req.copy_tags_to_snapshot(planned.bool_attr("copy_tags_to_snapshot", false));
    }
    if !needed {
        return Ok(false);
    }
    req.send()
        .await
        .map_err(|e| errors::sdk(&format!("modifying db instance `{identifier}`"), e))?;
    Ok(true)
}
