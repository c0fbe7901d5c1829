//! Sending an update to BigQuery: the same calls for a dataset and a table, whichever
//! [`Change`] the planned value needs.

use std::future::Future;

use labform_sdk::{ProviderError, Result};
use serde_json::Value as Json;

use super::client::Write;
use super::dataset_body::Change;
use crate::errors::CallError;
use crate::labels;

/// Sends `change` to the object `what` names and returns the object as the API then has it.
/// `get` reads the object, `write` sends a body, and `put_body` builds the PUT body from the
/// object as it is now.
pub async fn update<G, W>(
    change: Change,
    what: &str,
    get: impl Fn() -> G,
    write: impl FnOnce(Write, Json) -> W,
    put_body: impl FnOnce(&Json) -> Json,
) -> Result<Json>
where
    G: Future<Output = Result<Option<Json>, CallError>>,
    W: Future<Output = Result<Json, CallError>>,
{
    let err = |e: CallError| e.into_provider(what);
    let gone = || ProviderError::not_found(format!("{what} was not found"));
    match change {
        Change::Patch(mut body) => {
            if body.get("labels").is_some() {
                // The whole label map is sent: keep the instance mark the object carries.
                if let Some(current) = get().await.map_err(err)? {
                    labels::keep_instance_mark(&mut body, &current);
                }
            }
            write(Write::Patch, body).await.map_err(err)
        }
        Change::Put => {
            let current = get().await.map_err(err)?.ok_or_else(gone)?;
            write(Write::Put, put_body(&current)).await.map_err(err)
        }
        Change::None => get().await.map_err(err)?.ok_or_else(gone),
    }
}
