//! What an RDS instance and a Redshift cluster share besides their final snapshot
//! ([`crate::final_snapshot`]): the arguments both take (declared, and kept from configuration
//! since no API returns them), the provider's default timeouts, and a failed wait that
//! reports the object as it is now.

use std::future::Future;
use std::time::Duration;

use labform_sdk::{Attribute, BlockSchema, Result, Value};

use crate::final_snapshot::{self, FinalSnapshot};
use crate::schema_util::{self as su, b, s};

/// The provider's default create, update and delete timeouts.
pub struct Timeouts {
    create: Duration,
    update: Duration,
    delete: Duration,
}

impl Timeouts {
    pub const fn minutes(create: u64, update: u64, delete: u64) -> Self {
        Timeouts {
            create: Duration::from_secs(create * 60),
            update: Duration::from_secs(update * 60),
            delete: Duration::from_secs(delete * 60),
        }
    }

    /// How long `op` (`create`, `update` or `delete`) may take: `v`'s `timeouts` block, else
    /// the default.
    pub fn limit(&self, v: &Value, op: &str) -> Duration {
        let default = match op {
            "create" => self.create,
            "update" => self.update,
            _ => self.delete,
        };
        su::timeout(v, op, default)
    }
}

/// The arguments both types take that no API returns, with the value each has when neither
/// configuration nor an import gave it one (the provider's default).
const CONFIG_ONLY: [(&str, Option<bool>); 3] = [
    ("final_snapshot_identifier", None),
    ("skip_final_snapshot", Some(false)),
    ("apply_immediately", Some(false)),
];

/// `schema` with what both types take besides their own arguments: `apply_immediately`, the
/// final snapshot's arguments, tags, the region and create, update and delete timeouts.
pub fn schema(schema: BlockSchema) -> BlockSchema {
    let sc = schema
        .attr("apply_immediately", Attribute::optional(b()).default(false))
        .attr(
            "skip_final_snapshot",
            Attribute::optional(b()).default(false),
        )
        .attr("final_snapshot_identifier", Attribute::optional(s()));
    su::timeouts(
        su::tagged(su::regional(sc)),
        &["create", "update", "delete"],
    )
}

/// Sets on `v` the arguments the API never returns ([`CONFIG_ONLY`] and the type's own `more`),
/// as `current` holds them; each one unset or unknown there takes its default. The `timeouts`
/// block is kept likewise.
pub fn keep_config_only(v: &mut Value, current: &Value, more: &[(&str, Option<bool>)]) {
    for &(name, default) in CONFIG_ONLY.iter().chain(more) {
        let kept = su::known(current.get(name).clone());
        v.set(
            name,
            match (kept, default) {
                (Value::Null, Some(d)) => d.into(),
                (kept, _) => kept,
            },
        );
    }
    v.set("timeouts", current.get("timeouts").clone());
}

/// What an import records for the arguments no API returns: as the provider, no final snapshot
/// (a snapshot name cannot be read back) and changes applied in the maintenance window.
pub fn blank(schema: &BlockSchema) -> Value {
    let mut v = schema.empty_value();
    v.set("skip_final_snapshot", true.into());
    v.set("apply_immediately", false.into());
    v
}

/// What a wait for `available` after a create or an update ends in: a wait that failed carries
/// the object as `now` reads it, so the engine records it (tainted).
pub async fn waited(
    wait: Result<()>,
    now: impl Future<Output = Result<Option<Value>>>,
) -> Result<()> {
    match wait {
        Ok(()) => Ok(()),
        Err(e) => match now.await {
            Ok(Some(now)) => Err(e.with_partial(now)),
            _ => Err(e),
        },
    }
}

/// The final-snapshot flags of a delete call (`skip`, snapshot name), decided by
/// [`final_snapshot::on_delete`] for deleting `what`.
pub fn snapshot_flags(prior: &Value, what: &str, required: &str) -> Result<(bool, Option<String>)> {
    Ok(match final_snapshot::on_delete(prior, what, required)? {
        FinalSnapshot::Skip => (true, None),
        FinalSnapshot::Take(name) => (false, Some(name)),
    })
}
