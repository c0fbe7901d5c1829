//! `aws_db_instance`: an RDS database (postgres, mysql, ...) outside a cluster. Its `id` is the
//! DBI resource id (`db-...`, immutable); `identifier` names it and may change in place. It is
//! imported by identifier. Create and update wait for `available`; delete takes the final
//! snapshot `skip_final_snapshot` / `final_snapshot_identifier` ask for and waits until it is
//! gone, as the provider does.

use std::sync::Arc;

use aws_sdk_rds::types::DbInstance;
use labform_sdk::{
    async_trait, by_id, Attribute, BlockSchema, Marked, OpContext, PlannedChange, ProviderError,
    Resource, Result, StackFilter, Value,
};

use crate::client::Aws;
use crate::database::{self, Timeouts};
use crate::final_snapshot;
use crate::names::{check_db_identifier, check_name_or_prefix, name_or_prefixed, plan_named};
use crate::rds::instance_api::{self as api, Goal};
use crate::rds::{retag, sdk_tags, tag_map};
use crate::schema_util::{self as su, b, int, n, opt_int, opt_str, s, sset};
use crate::{adopt, errors, tags};

/// The provider's default timeouts, in minutes.
const TIMEOUTS: Timeouts = Timeouts::minutes(50, 80, 60);

/// The provider's message when a delete needs a snapshot nobody named.
const SNAPSHOT_REQUIRED: &str =
    "final_snapshot_identifier is required when skip_final_snapshot is false";

/// Arguments the API never returns besides those [`database::keep_config_only`] keeps for both
/// types, and their defaults.
const CONFIG_ONLY: [(&str, Option<bool>); 2] =
    [("password", None), ("delete_automated_backups", Some(true))];

/// The hint when the name of a create is taken.
const TAKEN: &str = "choose another `identifier`, or import the existing instance";

labform_sdk::typed! {
    pub struct Instance("aws_db_instance", "db instance") { aws: Arc<Aws> }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    let sc = BlockSchema::new()
        .attrs(
            &["identifier", "identifier_prefix"],
            Attribute::optional_computed(s()),
        )
        .attr("engine", Attribute::optional_computed(s()).force_new())
        .attr("engine_version", Attribute::optional_computed(s()))
        .attr("engine_version_actual", Attribute::computed(s()))
        .attr("instance_class", Attribute::required(s()))
        .attr("allocated_storage", Attribute::optional_computed(n()))
        .attr("storage_type", Attribute::optional_computed(s()))
        .attr("storage_encrypted", Attribute::optional(b()).force_new())
        .attrs(
            &["db_name", "username"],
            Attribute::optional_computed(s()).force_new(),
        )
        .attr("password", Attribute::optional(s()).sensitive())
        .attr("port", Attribute::optional_computed(n()))
        .attr(
            "publicly_accessible",
            Attribute::optional(b()).default(false),
        )
        .attr(
            "vpc_security_group_ids",
            Attribute::optional_computed(sset()),
        )
        .attrs(
            &["db_subnet_group_name", "parameter_group_name"],
            Attribute::optional_computed(s()),
        )
        .attr(
            "availability_zone",
            Attribute::optional_computed(s()).force_new(),
        )
        .attr("backup_retention_period", Attribute::optional_computed(n()))
        .attrs(
            &["backup_window", "maintenance_window"],
            Attribute::optional_computed(s()),
        )
        .attr("multi_az", Attribute::optional_computed(b()))
        .attr(
            "auto_minor_version_upgrade",
            Attribute::optional(b()).default(true),
        )
        .attr(
            "copy_tags_to_snapshot",
            Attribute::optional(b()).default(false),
        )
        .attr("deletion_protection", Attribute::optional(b()))
        .attr(
            "delete_automated_backups",
            Attribute::optional(b()).default(true),
        )
        .attrs(
            &[
                "address",
                "endpoint",
                "hosted_zone_id",
                "arn",
                "resource_id",
                "status",
                "upgrade_rollout_order",
            ],
            Attribute::computed(s()),
        );
    database::schema(sc)
}

/// The configured `engine_version` when the running one is it or a release of it (`16`
/// for `16.2`), as the provider keeps it; else the running one.
fn engine_version(configured: Option<&str>, actual: &str) -> Value {
    match configured {
        Some(c) if actual == c || actual.starts_with(&format!("{c}.")) => c.into(),
        _ => actual.into(),
    }
}

impl Instance {
    fn value_of(&self, d: &DbInstance, current: &Value) -> Value {
        let (tags, tags_all) =
            tags::split_remote(&self.aws, tag_map(d.tag_list()), current.get("tags"));
        let mut v = self.schema.empty_value();
        database::keep_config_only(&mut v, current, &CONFIG_ONLY);
        v.set(
            "identifier_prefix",
            match current.get("identifier_prefix") {
                Value::String(p) => p.as_str().into(),
                _ => "".into(),
            },
        );
        let endpoint = d.endpoint();
        let address = endpoint.and_then(|e| e.address());
        let port = endpoint.and_then(|e| e.port()).or(d.db_instance_port());
        let actual = d.engine_version().unwrap_or_default();
        let mut groups: Vec<&str> = d
            .vpc_security_groups()
            .iter()
            .filter_map(|g| g.vpc_security_group_id())
            .collect();
        groups.sort_unstable();
        v.set("id", opt_str(d.dbi_resource_id()));
        v.set("resource_id", opt_str(d.dbi_resource_id()));
        v.set("identifier", opt_str(d.db_instance_identifier()));
        v.set("region", self.aws.region.as_str().into());
        v.set("arn", opt_str(d.db_instance_arn()));
        v.set("status", opt_str(d.db_instance_status()));
        v.set(
            "upgrade_rollout_order",
            opt_str(d.upgrade_rollout_order().map(|o| o.as_str())),
        );
        v.set(
            "engine",
            opt_str(d.engine().map(str::to_ascii_lowercase).as_deref()),
        );
        v.set(
            "engine_version",
            engine_version(current.str_attr("engine_version"), actual),
        );
        v.set("engine_version_actual", actual.into());
        v.set("instance_class", opt_str(d.db_instance_class()));
        v.set("allocated_storage", opt_int(d.allocated_storage()));
        v.set("storage_type", opt_str(d.storage_type()));
        v.set(
            "storage_encrypted",
            d.storage_encrypted().unwrap_or(false).into(),
        );
        v.set("db_name", opt_str(d.db_name()));
        v.set("username", opt_str(d.master_username()));
        v.set("port", opt_int(port));
        v.set("address", opt_str(address));
        v.set(
            "endpoint",
            match (address, port) {
                (Some(a), Some(p)) => format!("{a}:{p}").into(),
                _ => Value::Null,
            },
        );
        v.set(
            "hosted_zone_id",
            opt_str(endpoint.and_then(|e| e.hosted_zone_id())),
        );
        v.set(
            "publicly_accessible",
            d.publicly_accessible().unwrap_or(false).into(),
        );
        v.set(
            "vpc_security_group_ids",
            Value::List(groups.into_iter().map(Value::from).collect()),
        );
        v.set(
            "db_subnet_group_name",
            opt_str(d.db_subnet_group().and_then(|g| g.db_subnet_group_name())),
        );
        v.set(
            "parameter_group_name",
            opt_str(
                d.db_parameter_groups()
                    .first()
                    .and_then(|g| g.db_parameter_group_name()),
            ),
        );
        v.set("availability_zone", opt_str(d.availability_zone()));
        v.set(
            "backup_retention_period",
            opt_int(d.backup_retention_period()),
        );
        v.set("backup_window", opt_str(d.preferred_backup_window()));
        v.set(
            "maintenance_window",
            opt_str(
                d.preferred_maintenance_window()
                    .map(str::to_ascii_lowercase)
                    .as_deref(),
            ),
        );
        v.set("multi_az", d.multi_az().unwrap_or(false).into());
        v.set(
            "auto_minor_version_upgrade",
            d.auto_minor_version_upgrade().unwrap_or(true).into(),
        );
        v.set(
            "copy_tags_to_snapshot",
            d.copy_tags_to_snapshot().unwrap_or(false).into(),
        );
        v.set(
            "deletion_protection",
            d.deletion_protection().unwrap_or(false).into(),
        );
        v.set("tags", tags);
        v.set("tags_all", tags_all);
        v
    }

    /// The value of the instance named `identifier`, `None` when there is none.
    async fn by_identifier(&self, identifier: &str, current: &Value) -> Result<Option<Value>> {
        Ok(api::by_identifier(&self.aws, identifier)
            .await?
            .map(|d| self.value_of(&d, current)))
    }

    /// Waits for `available` after a create or an update; a wait that fails leaves the
    /// instance's state as it is now in the error, so the engine records it (tainted).
    async fn wait_available(
        &self,
        identifier: &str,
        planned: &Value,
        op: &str,
        ctx: &OpContext,
    ) -> Result<()> {
        let settled = op != "create" && planned.bool_attr("apply_immediately", false);
        let limit = TIMEOUTS.limit(planned, op);
        let wait = api::wait(
            &self.aws,
            identifier,
            Goal::Available { settled },
            limit,
            ctx,
        )
        .await;
        database::waited(wait, self.by_identifier(identifier, planned)).await
    }
}

#[async_trait]
impl Resource for Instance {
    /// `id` is the DBI resource id, or the identifier (an import).
    async fn read_id(&self, id: &str, current: &Value) -> Result<Option<Value>> {
        Ok(api::find(&self.aws, id, current.str_attr("identifier"))
            .await?
            .map(|d| self.value_of(&d, current)))
    }

    /// What an import records for the arguments no API returns: as the provider, no final
    /// snapshot (a snapshot name cannot be read back) and automated backups deleted.
    fn blank(&self) -> Value {
        let mut v = database::blank(&self.schema);
        v.set("delete_automated_backups", true.into());
        v
    }

    fn validate(&self, config: &Value) -> Result<()> {
        check_name_or_prefix(
            config,
            "identifier",
            "identifier_prefix",
            check_db_identifier,
        )?;
        // Creating from a snapshot or as a replica is not implemented, so these are needed.
        for name in ["engine", "allocated_storage", "username", "password"] {
            if config.get(name).is_null() {
                return Err(ProviderError::invalid(format!(
                    "`{name}` must be set to create a db instance"
                ))
                .with_hint(match name {
                    "engine" => "set `engine`, such as `postgres` or `mysql`",
                    "allocated_storage" => "set `allocated_storage` in gibibytes, such as `20`",
                    _ => "set `username` and `password` for the master user",
                }));
            }
        }
        if let Some(days) = config.i64_attr("backup_retention_period") {
            if !(0..=35).contains(&days) {
                return Err(ProviderError::invalid(format!(
                    "`backup_retention_period` is {days}: it must be between 0 and 35"
                )));
            }
        }
        final_snapshot::check_identifier(config, true)
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        let mut config = config.clone();
        // As the provider's state functions: these are stored in lower case.
        for name in ["engine", "maintenance_window"] {
            if let Some(text) = config.str_attr(name) {
                let lower = text.to_ascii_lowercase();
                config.set(name, lower.into());
            }
        }
        let mut p = su::plan(&self.aws, &self.schema, prior, &config)?;
        if prior.is_none() {
            plan_named(
                &mut p.planned,
                &config,
                "identifier",
                "identifier_prefix",
                false,
            );
        }
        Ok(p)
    }

    /// Found by its identifier (configured, or the prefix and the create token), adopted only
    /// when it carries this create's mark.
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        let identifier = name_or_prefixed(intent, "identifier", "identifier_prefix", Some(token));
        let Some(d) = api::by_identifier(&self.aws, &identifier).await? else {
            return Ok(None);
        };
        adopt::check_ours(
            &format!("db instance `{identifier}`"),
            &tag_map(d.tag_list()),
            token,
            &format!(
                "aws rds delete-db-instance --db-instance-identifier {identifier} --skip-final-snapshot"
            ),
        )?;
        Ok(Some(self.value_of(&d, intent)))
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let identifier = name_or_prefixed(
            planned,
            "identifier",
            "identifier_prefix",
            ctx.create_token(),
        );
        let what = format!("db instance `{identifier}`");
        let all = tags::for_create(&self.aws, planned.get("tags"), ctx);
        let text = |name: &str| planned.str_attr(name).map(str::to_string);
        let groups = planned.string_list_attr("vpc_security_group_ids");
        self.aws
            .rds
            .create_db_instance()
            .db_instance_identifier(&identifier)
            .set_engine(text("engine"))
            .set_engine_version(text("engine_version"))
            .set_db_instance_class(text("instance_class"))
            .set_allocated_storage(int(planned, "allocated_storage"))
            .set_storage_type(text("storage_type"))
            .set_storage_encrypted(planned.get("storage_encrypted").as_bool())
            .set_db_name(text("db_name"))
            .set_master_username(text("username"))
            .set_master_user_password(text("password"))
            .set_port(int(planned, "port"))
            .publicly_accessible(planned.bool_attr("publicly_accessible", false))
            .set_vpc_security_group_ids((!groups.is_empty()).then_some(groups))
            .set_db_subnet_group_name(text("db_subnet_group_name"))
            .set_db_parameter_group_name(text("parameter_group_name"))
            .set_availability_zone(text("availability_zone"))
            .set_backup_retention_period(int(planned, "backup_retention_period"))
            .set_preferred_backup_window(text("backup_window"))
            .set_preferred_maintenance_window(text("maintenance_window"))
            .set_multi_az(planned.get("multi_az").as_bool())
            .auto_minor_version_upgrade(planned.bool_attr("auto_minor_version_upgrade", true))
            .copy_tags_to_snapshot(planned.bool_attr("copy_tags_to_snapshot", false))
            .deletion_protection(planned.bool_attr("deletion_protection", false))
            .set_tags(Some(sdk_tags(&all)))
            .send()
            .await
            .map_err(errors::on_create(&what, "DBInstanceAlreadyExists", TAKEN))?;
        self.wait_available(&identifier, planned, "create", ctx)
            .await?;
        // Read back by identifier: with a prefix, `planned` does not know it yet.
        by_id::created(self, &identifier, planned).await
    }

    async fn update(&self, prior: &Value, planned: &Value, ctx: &OpContext) -> Result<Value> {
        let id = su::req(prior, "id")?;
        let identifier = planned
            .str_attr("identifier")
            .or(prior.str_attr("identifier"))
            .unwrap_or_default()
            .to_string();
        if api::modify(&self.aws, prior, planned).await? {
            self.wait_available(&identifier, planned, "update", ctx)
                .await?;
        }
        // A rename changes the ARN: tag the instance under the name it has now.
        let arn = match api::by_identifier(&self.aws, &identifier).await? {
            Some(d) => d.db_instance_arn().unwrap_or_default().to_string(),
            None => su::req(prior, "arn")?.to_string(),
        };
        retag(&self.aws, &arn, prior, planned).await?;
        by_id::updated(self, id, planned).await
    }

    async fn delete(&self, prior: &Value, ctx: &OpContext) -> Result<()> {
        let Some(identifier) = prior.str_attr("identifier") else {
            return Ok(());
        };
        let what = format!("db instance `{identifier}`");
        let (skip, name) = database::snapshot_flags(prior, &what, SNAPSHOT_REQUIRED)?;
        let sent = self
            .aws
            .rds
            .delete_db_instance()
            .db_instance_identifier(identifier)
            .skip_final_snapshot(skip)
            .set_final_db_snapshot_identifier(name)
            .delete_automated_backups(prior.bool_attr("delete_automated_backups", true))
            .send()
            .await;
        if let Err(e) = sent {
            let failed = errors::failed(&format!("deleting {what}"), e);
            match failed.code.as_deref() {
                _ if failed.not_found => return Ok(()),
                // Already being deleted: wait for it like any other delete.
                Some("InvalidDBInstanceState") => {}
                Some("InvalidParameterCombination")
                    if prior.bool_attr("deletion_protection", false) =>
                {
                    return Err(failed
                        .error
                        .with_hint("set `deletion_protection = false` and apply, then destroy"))
                }
                _ => return Err(failed.error),
            }
        }
        api::wait(
            &self.aws,
            identifier,
            Goal::Gone,
            TIMEOUTS.limit(prior, "delete"),
            ctx,
        )
        .await
    }

    /// Every instance of the region, with the tags DescribeDBInstances carries and when it was
    /// made. A swept instance is deleted without a final snapshot, as an imported one would be.
    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>> {
        let blank = self.blank();
        let all = api::all(&self.aws).await?;
        Ok(all
            .iter()
            .flat_map(|d| {
                let made = d.instance_create_time().map(|t| t.to_string());
                let found = tags::marked(vec![self.value_of(d, &blank)], filter);
                found.into_iter().map(move |m| m.created(made.clone()))
            })
            .collect())
    }
}
