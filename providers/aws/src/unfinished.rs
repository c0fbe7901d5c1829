//! A create that made its object but failed before finishing (attaching, adding rules, waiting
//! for it to run): the error carries the object, so state keeps it and the next run continues
//! from there instead of making a second one.

use labform_sdk::{ProviderError, Resource, Value};

use crate::schema_util as su;

/// What state records for object `id` when nothing more is known: `planned`, wholly known, with
/// that id.
pub fn made(planned: &Value, id: &str) -> Value {
    let mut v = su::known(planned.clone());
    v.set("id", id.into());
    v
}

/// `err` carrying object `id` as `resource` reads it back, or `state` when it cannot be read.
pub async fn read_back<T: Resource>(
    resource: &T,
    id: &str,
    state: Value,
    err: ProviderError,
) -> ProviderError {
    let found = resource.read_id(id, &state).await.ok().flatten();
    err.with_partial(found.unwrap_or(state))
}
