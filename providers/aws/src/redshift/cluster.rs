//! `aws_redshift_cluster`: a provisioned Redshift data warehouse. Its id is its
//! `cluster_identifier` (force-new); it is imported by identifier. Create and update wait for
//! `available`; delete takes the final snapshot `skip_final_snapshot` /
//! `final_snapshot_identifier` ask for and waits until it is gone, as the provider does.
//! Creating from a snapshot and the managed (Secrets Manager) password are not implemented.

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_redshift::types::Cluster as RsCluster;
use labform_sdk::{
    async_trait, by_id, Attribute, BlockSchema, Marked, OpContext, PlannedChange, ProviderError,
    Resource, Result, StackFilter, Value,
};

use crate::client::Aws;
use crate::database::{self, Timeouts};
use crate::final_snapshot;
use crate::names::check_db_identifier;
use crate::redshift::cluster_api::{self as api, cluster_type};
use crate::redshift::{arn, retag, sdk_tags, tag_map};
use crate::schema_util::{self as su, b, int, n, opt_int, opt_str, s, sset};
use crate::{adopt, errors, retry, tags};

/// The provider's default timeouts, in minutes.
const TIMEOUTS: Timeouts = Timeouts::minutes(75, 75, 40);

/// The provider's message when a delete needs a snapshot nobody named.
const SNAPSHOT_REQUIRED: &str =
    "Redshift Cluster Instance FinalSnapshotIdentifier is required when a final snapshot is required";

/// The argument the API never returns besides those [`database::keep_config_only`] keeps for
/// both types.
const CONFIG_ONLY: [(&str, Option<bool>); 1] = [("master_password", None)];

/// The hint when the name of a create is taken.
const TAKEN: &str = "choose another `cluster_identifier`, or import the existing cluster";

labform_sdk::typed! {
    pub struct Cluster("aws_redshift_cluster", "redshift cluster") { aws: Arc<Aws> }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    let sc = BlockSchema::new()
        .attr("cluster_identifier", Attribute::required(s()).force_new())
        .attr("node_type", Attribute::required(s()))
        .attr("cluster_type", Attribute::optional_computed(s()))
        .attr("number_of_nodes", Attribute::optional(n()).default(1))
        .attr("database_name", Attribute::optional_computed(s()))
        .attr("master_username", Attribute::optional(s()).force_new())
        .attr("master_password", Attribute::optional(s()).sensitive())
        .attr("port", Attribute::optional(n()).default(5439))
        .attr(
            "cluster_subnet_group_name",
            Attribute::optional_computed(s()).force_new(),
        )
        .attr(
            "cluster_parameter_group_name",
            Attribute::optional_computed(s()),
        )
        .attr(
            "vpc_security_group_ids",
            Attribute::optional_computed(sset()),
        )
        .attr("iam_roles", Attribute::optional_computed(sset()))
        .attr("availability_zone", Attribute::optional_computed(s()))
        .attr(
            "publicly_accessible",
            Attribute::optional(b()).default(false),
        )
        // The provider's `TypeNullableBool`: a string ("true" / "false") in its schema and
        // state; a configured bool converts to it.
        .attr("encrypted", Attribute::optional(s()).default("true"))
        .attr(
            "allow_version_upgrade",
            Attribute::optional(b()).default(true),
        )
        .attr("cluster_version", Attribute::optional(s()).default("1.0"))
        .attr(
            "preferred_maintenance_window",
            Attribute::optional_computed(s()),
        )
        .attr(
            "automated_snapshot_retention_period",
            Attribute::optional(n()).default(1),
        )
        .attrs(
            &[
                "arn",
                "endpoint",
                "dns_name",
                "cluster_namespace_arn",
                "cluster_public_key",
                "cluster_revision_number",
            ],
            Attribute::computed(s()),
        );
    database::schema(sc)
}

/// Checks `master_password` as the provider does, without ever showing it.
fn check_password(password: &str) -> Result<()> {
    let why = if !(8..=64).contains(&password.chars().count()) {
        "it must be 8 to 64 characters long"
    } else if !password.chars().any(|c| c.is_ascii_lowercase()) {
        "it must contain at least one lowercase letter"
    } else if !password.chars().any(|c| c.is_ascii_uppercase()) {
        "it must contain at least one uppercase letter"
    } else if !password.chars().any(|c| c.is_ascii_digit()) {
        "it must contain at least one number"
    } else if password
        .chars()
        .any(|c| matches!(c, '/' | '@' | '"' | '\'' | ' '))
    {
        "it cannot contain `/`, `@`, `\"`, `'` or a space"
    } else {
        return Ok(());
    };
    Err(ProviderError::invalid(format!(
        "invalid `master_password`: {why}"
    )))
}

/// Checks `master_username` as the provider does: 1 to 128 letters, digits and underscores,
/// a letter or underscore first.
fn check_username(name: &str) -> Result<()> {
    let why = if name.is_empty() || name.len() > 128 {
        "it must be 1 to 128 characters long"
    } else if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        "only letters, digits and underscores are allowed"
    } else if !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        "the first character must be a letter"
    } else {
        return Ok(());
    };
    Err(ProviderError::invalid(format!(
        "invalid `master_username` `{name}`: {why}"
    )))
}

/// Checks `database_name` as the provider does: 1 to 64 lowercase letters, digits, `_` and
/// `$`, a letter or underscore first.
fn check_database_name(name: &str) -> Result<()> {
    let why = if name.is_empty() || name.len() > 64 {
        "it must be 1 to 64 characters long"
    } else if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$')
    {
        "only lowercase letters, digits, underscores and dollar signs are allowed"
    } else if !name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_') {
        "the first character must be a letter or underscore"
    } else {
        return Ok(());
    };
    Err(ProviderError::invalid(format!(
        "invalid `database_name` `{name}`: {why}"
    )))
}

/// Whether `config` sets `name` to a known text other than the one `prior` recorded.
fn changed_text(config: &Value, prior: &Value, name: &str) -> bool {
    matches!(
        (config.str_attr(name), prior.str_attr(name)),
        (Some(new), Some(old)) if new != old
    )
}

fn sorted(mut items: Vec<&str>) -> Value {
    items.sort_unstable();
    Value::List(items.into_iter().map(Value::from).collect())
}

impl Cluster {
    async fn value_of(&self, c: &RsCluster, current: &Value) -> Result<Value> {
        let (tags, tags_all) =
            tags::split_remote(&self.aws, tag_map(c.tags()), current.get("tags"));
        let identifier = c.cluster_identifier().unwrap_or_default();
        let mut v = self.schema.empty_value();
        database::keep_config_only(&mut v, current, &CONFIG_ONLY);
        v.set("id", identifier.into());
        v.set("cluster_identifier", identifier.into());
        v.set("region", self.aws.region.as_str().into());
        v.set("arn", arn(&self.aws, "cluster", identifier).await?.into());
        v.set("node_type", opt_str(c.node_type()));
        let nodes = c.number_of_nodes().unwrap_or(1);
        v.set("number_of_nodes", Value::from(i64::from(nodes)));
        // The provider counts `ClusterNodes`, which moto 5.1.22 does not answer; the node
        // count says the same.
        v.set("cluster_type", cluster_type(i64::from(nodes)).into());
        v.set("database_name", opt_str(c.db_name()));
        v.set("master_username", opt_str(c.master_username()));
        let address = c
            .endpoint()
            .and_then(|e| e.address())
            .filter(|a| !a.is_empty());
        let port = c.endpoint().and_then(|e| e.port()).filter(|p| *p != 0);
        v.set("dns_name", opt_str(address));
        v.set("port", opt_int(port));
        v.set(
            "endpoint",
            match (address, port) {
                (Some(a), Some(p)) => format!("{a}:{p}").into(),
                (Some(a), None) => a.into(),
                _ => Value::Null,
            },
        );
        v.set(
            "cluster_subnet_group_name",
            opt_str(c.cluster_subnet_group_name()),
        );
        v.set(
            "cluster_parameter_group_name",
            opt_str(
                c.cluster_parameter_groups()
                    .first()
                    .and_then(|g| g.parameter_group_name()),
            ),
        );
        v.set(
            "vpc_security_group_ids",
            sorted(
                c.vpc_security_groups()
                    .iter()
                    .filter_map(|g| g.vpc_security_group_id())
                    .collect(),
            ),
        );
        v.set(
            "iam_roles",
            sorted(
                c.iam_roles()
                    .iter()
                    .filter_map(|r| r.iam_role_arn())
                    .collect(),
            ),
        );
        v.set("availability_zone", opt_str(c.availability_zone()));
        v.set(
            "publicly_accessible",
            c.publicly_accessible().unwrap_or(false).into(),
        );
        v.set(
            "encrypted",
            c.encrypted().unwrap_or(false).to_string().as_str().into(),
        );
        v.set(
            "allow_version_upgrade",
            c.allow_version_upgrade().unwrap_or(true).into(),
        );
        v.set("cluster_version", opt_str(c.cluster_version()));
        v.set(
            "preferred_maintenance_window",
            opt_str(
                c.preferred_maintenance_window()
                    .map(str::to_ascii_lowercase)
                    .as_deref(),
            ),
        );
        v.set(
            "automated_snapshot_retention_period",
            opt_int(c.automated_snapshot_retention_period()),
        );
        v.set("cluster_namespace_arn", opt_str(c.cluster_namespace_arn()));
        v.set("cluster_public_key", opt_str(c.cluster_public_key()));
        v.set(
            "cluster_revision_number",
            opt_str(c.cluster_revision_number()),
        );
        v.set("tags", tags);
        v.set("tags_all", tags_all);
        Ok(v)
    }

    /// Waits for `available` after a create or an update; a wait that fails leaves the
    /// cluster's state as it is now in the error, so the engine records it (tainted).
    async fn wait_available(
        &self,
        identifier: &str,
        planned: &Value,
        limit: Duration,
        ctx: &OpContext,
    ) -> Result<()> {
        let wait = api::wait(&self.aws, identifier, false, limit, ctx).await;
        database::waited(wait, self.read_id(identifier, planned)).await
    }
}

#[async_trait]
impl Resource for Cluster {
    async fn read_id(&self, id: &str, current: &Value) -> Result<Option<Value>> {
        match api::by_identifier(&self.aws, id).await? {
            Some(c) => Ok(Some(self.value_of(&c, current).await?)),
            None => Ok(None),
        }
    }

    fn blank(&self) -> Value {
        database::blank(&self.schema)
    }

    fn validate(&self, config: &Value) -> Result<()> {
        if let Some(id) = config.str_attr("cluster_identifier") {
            check_db_identifier("cluster_identifier", id, false)?;
        }
        // Creating from a snapshot is not implemented, so the master user is needed.
        for name in ["master_username", "master_password"] {
            if config.get(name).is_null() {
                return Err(ProviderError::invalid(format!(
                    "`{name}` must be set to create a redshift cluster"
                ))
                .with_hint("set `master_username` and `master_password` for the admin user"));
            }
        }
        if let Some(name) = config.str_attr("master_username") {
            check_username(name)?;
        }
        if let Some(password) = config.str_attr("master_password") {
            check_password(password)?;
        }
        if let Some(name) = config.str_attr("database_name") {
            check_database_name(name)?;
        }
        if let Some(text) = config.str_attr("encrypted") {
            if api::parse_bool(text).is_none() {
                return Err(ProviderError::invalid(format!(
                    "invalid `encrypted` `{text}`: expected true or false"
                )));
            }
        }
        if let Some(port) = config.i64_attr("port") {
            if !(1115..=65535).contains(&port) {
                return Err(ProviderError::invalid(format!(
                    "`port` is {port}: it must be between 1115 and 65535"
                )));
            }
        }
        if let Some(days) = config.i64_attr("automated_snapshot_retention_period") {
            if days > 35 {
                return Err(ProviderError::invalid(format!(
                    "`automated_snapshot_retention_period` is {days}: it must be at most 35"
                )));
            }
        }
        // Unset is the default, one node; unknown is checked at apply.
        let nodes = match config.get("number_of_nodes") {
            Value::Null => Some(1),
            v => v.as_i64(),
        };
        if let Some(n) = nodes.filter(|n| *n < 1) {
            return Err(ProviderError::invalid(format!(
                "`number_of_nodes` is {n}: a cluster has at least one node"
            )));
        }
        match (config.str_attr("cluster_type"), nodes) {
            (Some(t), _) if t != "single-node" && t != "multi-node" => {
                return Err(ProviderError::invalid(format!(
                    "invalid `cluster_type` `{t}`: expected `single-node` or `multi-node`"
                )))
            }
            (Some(t), Some(n)) if t != cluster_type(n) => {
                return Err(ProviderError::invalid(format!(
                    "`cluster_type` is `{t}` but `number_of_nodes` is {n}: the type follows the number of nodes"
                ))
                .with_hint("leave `cluster_type` out, or set `number_of_nodes` to 1 for `single-node` and 2 or more for `multi-node`"))
            }
            _ => {}
        }
        final_snapshot::check_identifier(config, false)
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        let mut config = config.clone();
        // As the provider's state function: the window is stored in lower case.
        if let Some(text) = config.str_attr("preferred_maintenance_window") {
            let lower = text.to_ascii_lowercase();
            config.set("preferred_maintenance_window", lower.into());
        }
        if let Some(prior) = prior {
            // As the provider's plan check (relocation is not implemented, so never enabled).
            if changed_text(&config, prior, "availability_zone") {
                return Err(ProviderError::invalid(
                    "cannot change `availability_zone` if `availability_zone_relocation_enabled` is not true",
                )
                .with_hint("keep the zone the cluster is in, or leave `availability_zone` out"));
            }
            // ModifyCluster cannot rename the first database: the provider would send a request
            // that changes nothing and plan the same change again. Said here instead.
            if changed_text(&config, prior, "database_name") {
                return Err(ProviderError::invalid(
                    "`database_name` of an existing redshift cluster cannot change",
                )
                .with_hint("keep the old name; a new name needs a new cluster (`labform destroy -target=ADDRESS`, then apply)"));
            }
        }
        let mut p = su::plan(&self.aws, &self.schema, prior, &config)?;
        if prior.is_none() {
            let id = config.get("cluster_identifier").clone();
            p.planned.set("id", id);
        }
        // The type follows the node count, as the provider's create and read decide it.
        if config.get("cluster_type").is_null() {
            if let Some(nodes) = p.planned.i64_attr("number_of_nodes") {
                p.planned.set("cluster_type", cluster_type(nodes).into());
            }
        }
        Ok(p)
    }

    /// Found by its identifier, adopted only when it carries this create's mark.
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        let identifier = su::req(intent, "cluster_identifier")?;
        let Some(c) = api::by_identifier(&self.aws, identifier).await? else {
            return Ok(None);
        };
        adopt::check_ours(
            &format!("redshift cluster `{identifier}`"),
            &tag_map(c.tags()),
            token,
            &format!(
                "aws redshift delete-cluster --cluster-identifier {identifier} --skip-final-cluster-snapshot"
            ),
        )?;
        Ok(Some(self.value_of(&c, intent).await?))
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let identifier = su::req(planned, "cluster_identifier")?;
        let what = format!("redshift cluster `{identifier}`");
        let all = tags::for_create(&self.aws, planned.get("tags"), ctx);
        let text = |name: &str| planned.str_attr(name).map(str::to_string);
        let nodes = planned.i64_attr("number_of_nodes").unwrap_or(1);
        let groups = planned.string_list_attr("vpc_security_group_ids");
        let roles = planned.string_list_attr("iam_roles");
        self.aws
            .redshift
            .create_cluster()
            .cluster_identifier(identifier)
            .set_node_type(text("node_type"))
            .cluster_type(cluster_type(nodes))
            .set_number_of_nodes(
                (nodes > 1)
                    .then(|| int(planned, "number_of_nodes"))
                    .flatten(),
            )
            .set_db_name(text("database_name"))
            .set_master_username(text("master_username"))
            .set_master_user_password(text("master_password"))
            .set_port(int(planned, "port"))
            .set_cluster_subnet_group_name(text("cluster_subnet_group_name"))
            .set_cluster_parameter_group_name(text("cluster_parameter_group_name"))
            .set_vpc_security_group_ids((!groups.is_empty()).then_some(groups))
            .set_iam_roles((!roles.is_empty()).then_some(roles))
            .set_availability_zone(text("availability_zone"))
            .publicly_accessible(planned.bool_attr("publicly_accessible", false))
            .encrypted(api::encrypted(planned))
            .allow_version_upgrade(planned.bool_attr("allow_version_upgrade", true))
            .set_cluster_version(text("cluster_version"))
            .set_preferred_maintenance_window(text("preferred_maintenance_window"))
            .set_automated_snapshot_retention_period(int(
                planned,
                "automated_snapshot_retention_period",
            ))
            .set_tags(Some(sdk_tags(&all)))
            .send()
            .await
            .map_err(errors::on_create(&what, "ClusterAlreadyExists", TAKEN))?;
        self.wait_available(identifier, planned, TIMEOUTS.limit(planned, "create"), ctx)
            .await?;
        by_id::created(self, identifier, planned).await
    }

    async fn update(&self, prior: &Value, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let identifier = su::req(prior, "id")?;
        let limit = TIMEOUTS.limit(planned, "update");
        if api::modify(&self.aws, prior, planned).await? {
            self.wait_available(identifier, planned, limit, ctx).await?;
        }
        if api::modify_iam_roles(&self.aws, prior, planned).await? {
            self.wait_available(identifier, planned, limit, ctx).await?;
        }
        retag(&self.aws, su::req(prior, "arn")?, prior, planned).await?;
        by_id::updated(self, identifier, planned).await
    }

    async fn delete(&self, prior: &Value, ctx: &OpContext) -> Result<()> {
        let Some(identifier) = prior.str_attr("id") else {
            return Ok(());
        };
        let what = format!("redshift cluster `{identifier}`");
        let (skip, name) = database::snapshot_flags(prior, &what, SNAPSHOT_REQUIRED)?;
        let Some(now) = api::by_identifier(&self.aws, identifier).await? else {
            return Ok(());
        };
        // One already being deleted is only waited for.
        if now.cluster_status() != Some("deleting") {
            // Another operation still running on the cluster refuses the delete for a while.
            let busy = |e: &ProviderError| {
                matches!(
                    e.code.as_deref(),
                    Some("InvalidClusterState" | "InvalidClusterStateFault")
                )
            };
            retry::with_backoff_when(busy, || async {
                match self
                    .aws
                    .redshift
                    .delete_cluster()
                    .cluster_identifier(identifier)
                    .skip_final_cluster_snapshot(skip)
                    .set_final_cluster_snapshot_identifier(name.clone())
                    .send()
                    .await
                {
                    Ok(_) => Ok(()),
                    Err(e) if errors::is_not_found(&e) => Ok(()),
                    Err(e) => Err(errors::sdk(&format!("deleting {what}"), e)),
                }
            })
            .await?;
        }
        api::wait(
            &self.aws,
            identifier,
            true,
            TIMEOUTS.limit(prior, "delete"),
            ctx,
        )
        .await
    }

    /// Every cluster of the region, with the tags DescribeClusters carries. A swept cluster is
    /// deleted without a final snapshot, as an imported one would be.
    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>> {
        let blank = self.blank();
        let mut all = Vec::new();
        for c in api::all(&self.aws).await? {
            all.push(self.value_of(&c, &blank).await?);
        }
        Ok(tags::marked(all, filter))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_checked_without_being_shown() {
        assert!(check_password("Mustbe8characters").is_ok());
        for (bad, why) in [
            ("Sh0rt", "8 to 64"),
            ("NOLOWER123", "lowercase"),
            ("noupper123", "uppercase"),
            ("NoNumbersHere", "number"),
            ("Has@Sign123", "cannot contain"),
        ] {
            let e = check_password(bad).unwrap_err();
            assert!(e.message.contains(why), "{bad}: {e}");
            assert!(!e.to_string().contains(bad), "{e}");
        }
    }

    #[test]
    fn user_and_database_names_follow_the_provider_rules() {
        assert!(check_username("admin_1").is_ok());
        assert!(check_username("1admin").is_err());
        assert!(check_username("ad-min").is_err());
        assert!(check_database_name("dev").is_ok());
        assert!(check_database_name("_lab$1").is_ok());
        assert!(check_database_name("Dev").is_err());
        assert!(check_database_name("1dev").is_err());
    }
}
