//! A delete is confirmed by reading the object again, never assumed from the answer: APIs and
//! emulators answer before the object is gone (or answer 404 while it is still there).

use std::future::Future;

use labform_sdk::{ProviderError, Result};

/// Asks `exists` after each pause of `delays_ms`: `true` once it says the object is gone,
/// `false` when it is still there after the last pause; an error of `exists` ends the wait.
pub async fn gone<F: Future<Output = Result<bool>>>(
    delays_ms: &[u64],
    exists: impl Fn() -> F,
) -> Result<bool> {
    for delay in delays_ms {
        tokio::time::sleep(std::time::Duration::from_millis(*delay)).await;
        if !exists().await? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// [`gone`], with an object still there a (transient) error naming `what`.
pub async fn deleted<F: Future<Output = Result<bool>>>(
    what: &str,
    delays_ms: &[u64],
    exists: impl Fn() -> F,
) -> Result<()> {
    if gone(delays_ms, exists).await? {
        Ok(())
    } else {
        Err(still_there(what))
    }
}

/// The error for an object a delete did not remove.
pub fn still_there(what: &str) -> ProviderError {
    ProviderError::transient(format!("{what} is still there after it was deleted"))
}
