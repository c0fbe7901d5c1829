//! What an RDS instance and a Redshift cluster share besides their final snapshot
//! ([`crate::final_snapshot`]): the provider's default timeouts, the arguments no API returns
//! (kept from configuration), and a failed wait that reports the object as it is now.

use std::future::Future;
use std::time::Duration;

use labform_sdk::{ProviderError, Value};

use crate::final_snapshot::{self, FinalSnapshot};
use crate::schema_util as su;

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

/// Sets on `v` the arguments the API never returns, as `current` holds them; each one unset or
/// unknown there takes its default from `config_only` (what an import records, as the
/// provider's). The `timeouts` block is kept likewise.
pub fn keep_config_only(v: &mut Value, current: &Value, config_only: &[(&str, Option<bool>)]) {
    for &(name, default) in config_only {
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

/// What a wait for `available` after a create or an update ends in: a wait that failed carries
/// the object as `now` reads it, so the engine records it (tainted).
pub async fn waited(
    wait: Result<(), ProviderError>,
    now: impl Future<Output = Result<Option<Value>, ProviderError>>,
) -> Result<(), ProviderError> {
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
pub fn snapshot_flags(
    prior: &Value,
    what: &str,
    required: &str,
) -> Result<(bool, Option<String>), ProviderError> {
    Ok(match final_snapshot::on_delete(prior, what, required)? {
        FinalSnapshot::Skip => (true, None),
        FinalSnapshot::Take(name) => (false, Some(name)),
    })
}
