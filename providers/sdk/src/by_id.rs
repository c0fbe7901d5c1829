//! Resource types whose objects are read by one id: `read`, `import`, the read-back after a
//! create or an update, and listings read object by object, written once for all of them.

use async_trait::async_trait;

use crate::error::{ProviderError, ReadBack};
use crate::resource::Resource;
use crate::value::Value;

/// A [`Resource`] whose objects one API call per id reads back.
#[async_trait]
pub trait ReadById: Resource {
    /// What one object is called in messages (`vpc`, `iam role`).
    const NOUN: &'static str;

    /// Reads the object `id`, `None` when it does not exist; `prior` supplies what the API does
    /// not return (arguments that are not read back).
    async fn read_id(&self, id: &str, prior: &Value) -> Result<Option<Value>, ProviderError>;

    /// The id of a recorded object (`None`: nothing was recorded to read).
    fn id_of<'v>(&self, current: &'v Value) -> Option<&'v str> {
        current.str_attr("id")
    }

    /// The value an import reads into: the schema's empty value, plus any argument whose
    /// default the read keeps from its prior.
    fn blank(&self) -> Value {
        self.schema().empty_value()
    }
}

/// [`Resource::read`] of a [`ReadById`] type.
pub async fn read<R: ReadById + ?Sized>(
    r: &R,
    current: &Value,
) -> Result<Option<Value>, ProviderError> {
    match r.id_of(current) {
        Some(id) => r.read_id(id, current).await,
        None => Ok(None),
    }
}

/// [`Resource::import`] of a [`ReadById`] type whose import id is its id.
pub async fn import<R: ReadById + ?Sized>(r: &R, id: &str) -> Result<Value, ProviderError> {
    r.read_id(id, &r.blank())
        .await?
        .or_absent(&format!("{} `{id}`", R::NOUN))
}

/// The object just created as `id`, read back (an error if it vanished at once).
pub async fn created<R: ReadById + ?Sized>(
    r: &R,
    id: &str,
    planned: &Value,
) -> Result<Value, ProviderError> {
    read_back(r, id, planned, <Option<Value>>::or_vanished).await
}

/// The object just updated, read back (an error if it was deleted meanwhile).
pub async fn updated<R: ReadById + ?Sized>(
    r: &R,
    id: &str,
    planned: &Value,
) -> Result<Value, ProviderError> {
    read_back(r, id, planned, <Option<Value>>::or_gone).await
}

async fn read_back<R: ReadById + ?Sized>(
    r: &R,
    id: &str,
    planned: &Value,
    missing: fn(Option<Value>, &str) -> Result<Value, ProviderError>,
) -> Result<Value, ProviderError> {
    missing(
        r.read_id(id, planned).await?,
        &format!("{} `{id}`", R::NOUN),
    )
}

/// Reads each of `ids` (from one listing call) in full, leaving out those gone since: for
/// types whose value needs more than the listing answer holds.
pub async fn read_all<R: ReadById + ?Sized>(
    r: &R,
    ids: &[String],
) -> Result<Vec<Value>, ProviderError> {
    let blank = r.blank();
    let mut found = Vec::new();
    for id in ids {
        found.extend(r.read_id(id, &blank).await?);
    }
    Ok(found)
}
