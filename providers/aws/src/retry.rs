//! Bounded retries with backoff for eventually consistent AWS errors (`DependencyViolation`
//! while dependents are still going away). Throttling and 5xx are the SDK's retry config's job.

use std::future::Future;
use std::time::{Duration, Instant};

use labform_sdk::{ErrorKind, ProviderError};

use crate::errors::is_eventual_code;

/// How long deletes keep retrying an eventually consistent error; `LABFORM_AWS_RETRY_SECONDS`
/// overrides the default of two minutes.
pub fn limit() -> Duration {
    let secs = std::env::var("LABFORM_AWS_RETRY_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(120);
    Duration::from_secs(secs)
}

/// Whether an error is worth another try here: the eventually consistent conflicts. Throttling
/// and 5xx are not: the SDK's retry config already retried those.
pub fn is_retryable(err: &ProviderError) -> bool {
    err.kind == ErrorKind::Conflict
        && err
            .message
            .split([':', ' '])
            .any(|w| is_eventual_code(w.trim()))
}

/// Runs `op` until it succeeds, fails with an error that is not [`is_retryable`], or `limit()`
/// passes; the last error is returned then.
pub async fn with_backoff<T, F, Fut>(op: F) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ProviderError>>,
{
    with_backoff_when(is_retryable, op).await
}

/// [`with_backoff`] with another test of what is worth retrying.
pub async fn with_backoff_when<T, F, Fut, P>(retry: P, mut op: F) -> Result<T, ProviderError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ProviderError>>,
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
        assert!(is_retryable(&ProviderError::conflict(
            "deleting vpc `vpc-1`: DependencyViolation: busy"
        )));
        assert!(!is_retryable(&ProviderError::conflict(
            "creating bucket: BucketAlreadyExists"
        )));
        assert!(!is_retryable(&ProviderError::api("x")));
        assert!(!is_retryable(&ProviderError::transient(
            "deleting vpc: aws answered http 500"
        )));
    }
}
