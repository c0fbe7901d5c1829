//! Bounded retries with backoff for eventually consistent AWS errors (`DependencyViolation`
//! while dependents are still going away). Throttling and 5xx are the SDK's retry config's job.

use std::future::Future;
use std::time::{Duration, Instant};

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use labform_sdk::{ErrorKind, ProviderError, Result};

use crate::errors::{self, is_eventual_code, is_not_found, HasStatus};

/// How long deletes keep retrying an eventually consistent error; `LABFORM_AWS_RETRY_SECONDS`
/// overrides the default of two minutes.
pub fn limit() -> Duration {
    let secs = std::env::var("LABFORM_AWS_RETRY_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(120);
    Duration::from_secs(secs)
}

/// Whether an error is worth another try here: the eventually consistent conflicts, told by
/// the AWS error code. Throttling and 5xx are not: the SDK's retry config already retried those.
pub fn is_retryable(err: &ProviderError) -> bool {
    err.kind == ErrorKind::Conflict && err.code.as_deref().is_some_and(is_eventual_code)
}

/// Runs a delete (or detach) call with [`with_backoff`]; an object that is already gone counts
/// as deleted. `context` names what is deleted (`deleting vpc `vpc-1``).
pub async fn delete<T, E, R, F, Fut>(context: &str, mut call: F) -> Result<()>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, SdkError<E, R>>>,
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: HasStatus + std::fmt::Debug,
{
    with_backoff(|| {
        let call = call();
        async move {
            match call.await {
                Ok(_) => Ok(()),
                Err(e) if is_not_found(&e) => Ok(()),
                Err(e) => Err(errors::sdk(context, e)),
            }
        }
    })
    .await
}

/// Runs `op` until it succeeds, fails with an error that is not [`is_retryable`], or `limit()`
/// passes; the last error is returned then.
pub async fn with_backoff<T, F, Fut>(op: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    with_backoff_when(is_retryable, op).await
}

/// [`with_backoff`] with another test of what is worth retrying.
pub async fn with_backoff_when<T, F, Fut, P>(retry: P, mut op: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
    P: Fn(&ProviderError) -> bool,
{
    let deadline = Instant::now() + limit();
    let mut wait = Duration::from_millis(250);
    loop {
        match op().await {
            Err(e) if retry(&e) && Instant::now() + wait < deadline => {
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(5));
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dependency_violations_are_retried() {
        assert!(is_retryable(
            &ProviderError::conflict("deleting vpc `vpc-1`: busy").with_code("DependencyViolation")
        ));
        assert!(!is_retryable(
            &ProviderError::conflict("creating bucket").with_code("BucketAlreadyExists")
        ));
        // The message text never decides: only the code the API sent.
        assert!(!is_retryable(&ProviderError::conflict(
            "deleting vpc `vpc-1`: DependencyViolation: busy"
        )));
        assert!(!is_retryable(&ProviderError::api("x")));
        assert!(!is_retryable(&ProviderError::transient(
            "deleting vpc: aws answered http 500"
        )));
    }
}
