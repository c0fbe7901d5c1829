//! Turning engine errors into labform's: status codes to kinds, messages cleaned of noise.

use bollard::errors::Error;
use labform_sdk::ProviderError;

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
    exists: impl std::future::Future<Output = Result<bool, ProviderError>>,
) -> Result<(), ProviderError> {
    if exists.await? {
        return Err(ProviderError::api(format!(
            "{what} answered \"not found\" on removal but is still there"
        ))
        .with_hint("apply or destroy again; if it persists, remove it with the docker CLI"));
    }
    Ok(())
}
