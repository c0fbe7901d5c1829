//! Turning engine errors into labform's: status codes to kinds, messages cleaned of noise.

use std::future::Future;
use std::time::Duration;

use bollard::errors::Error;
use labform_sdk::{OpContext, ProviderError, Result};

/// The HTTP status of an engine error, when the engine answered.
pub fn status(err: &Error) -> Option<u16> {
    match err {
        Error::DockerResponseServerError { status_code, .. } => Some(*status_code),
        _ => None,
    }
}

/// The engine's own message (without bollard's "Docker responded with ..." prefix).
pub fn message(err: &Error) -> String {
    match err {
        Error::DockerResponseServerError { message, .. } => message.trim().to_string(),
        other => other.to_string(),
    }
}

pub fn is_not_found(err: &Error) -> bool {
    status(err) == Some(404)
}

/// A generic mapping: `doing` says what was attempted ("removing network `x`").
pub fn api(doing: &str, err: Error) -> ProviderError {
    let msg = format!("{doing}: {}", message(&err));
    match status(&err) {
        Some(404) => ProviderError::not_found(msg),
        Some(409) => ProviderError::conflict(msg),
        Some(400) => ProviderError::invalid(msg),
        Some(401) | Some(403) => ProviderError::credentials(msg),
        Some(500..=599) => ProviderError::api(msg),
        Some(_) => ProviderError::api(msg),
        None => ProviderError::unreachable(msg),
    }
}

/// A removal the engine answered with 404: success once a read confirms the object is gone (a
/// run killed between "deleted" and "state updated" deletes again and must converge). `exists`
/// reads the object back.
pub async fn confirm_gone(
    what: &str,
    exists: impl std::future::Future<Output = Result<bool>>,
) -> Result<()> {
    if exists.await? {
        return Err(ProviderError::api(format!(
            "{what} answered \"not found\" on removal but is still there"
        ))
        .with_hint("apply or destroy again; if it persists, remove it with the docker CLI"));
    }
    Ok(())
}

/// Calls `remove` again while the engine answers that the object is busy (`busy`: still used,
/// or already being removed), `pause` apart, for at most 30 seconds; `waiting` is said through
/// `ctx` before each pause. The answer of the last call.
pub async fn remove_when_free<F, Fut>(
    busy: impl Fn(&Error) -> bool,
    pause: Duration,
    waiting: Option<(&OpContext, &str)>,
    mut remove: F,
) -> Result<(), Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(), Error>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        match remove().await {
            Err(e) if busy(&e) && tokio::time::Instant::now() < deadline => {
                if let Some((ctx, message)) = waiting {
                    ctx.progress(message);
                }
                tokio::time::sleep(pause).await;
            }
            answer => return answer,
        }
    }
}
