//! The error every provider operation returns.

use std::fmt;

use crate::value::Value;

/// What kind of failure a provider reports; the engine decides retries and messages from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The object does not exist.
    NotFound,
    /// A name or resource conflict (already exists, in use, still has dependents).
    Conflict,
    /// The configuration is invalid (caught before any API call where possible).
    InvalidConfig,
    /// Credentials missing or rejected, permission denied.
    Credentials,
    /// The operation is not supported by this resource type.
    Unsupported,
    /// Worth retrying: throttling, 5xx, eventual consistency.
    Transient,
    /// The API refused the request for another reason.
    Api,
    /// The endpoint could not be reached.
    Unreachable,
}

/// A provider failure: one lower-case line of message, an optional `hint` with the fix, and for a
/// create or update that failed halfway, the `partial` state of the object that now exists (the
/// engine records it as tainted so it is never lost).
#[derive(Clone, Debug, PartialEq)]
pub struct ProviderError {
    pub kind: ErrorKind,
    pub message: String,
    pub hint: Option<String>,
    pub partial: Option<Value>,
}

impl ProviderError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        ProviderError {
            kind,
            message: message.into(),
            hint: None,
            partial: None,
        }
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, message)
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, message)
    }
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InvalidConfig, message)
    }
    pub fn credentials(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Credentials, message)
    }
    pub fn unsupported(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unsupported, message)
    }
    pub fn transient(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Transient, message)
    }
    pub fn api(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Api, message)
    }
    pub fn unreachable(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unreachable, message)
    }
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    /// Attaches the state of an object that exists despite the failure.
    pub fn with_partial(mut self, state: Value) -> Self {
        self.partial = Some(state);
        self
    }
}

impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\nhint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ProviderError {}
