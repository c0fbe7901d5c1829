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

/// `Result` with labform's provider error as the default error type, as every provider call
/// returns it (`Result<Value>`); `Result<T, E>` still names another error.
pub type Result<T, E = ProviderError> = std::result::Result<T, E>;

/// A provider failure: one lower-case line of message, an optional `hint` with the fix, and for a
/// create or update that failed halfway, the `partial` state of the object that now exists (the
/// engine records it as tainted so it is never lost).
#[derive(Clone, Debug, PartialEq)]
pub struct ProviderError {
    pub kind: ErrorKind,
    pub message: String,
    pub hint: Option<String>,
    pub partial: Option<Value>,
    /// The API's own error code (`DependencyViolation`, `notFound`), when it gave one: retry
    /// policies decide on it, never on the message text.
    pub code: Option<String>,
}

/// One constructor per error kind (`ProviderError::not_found(message)`, ...): each is
/// [`ProviderError::new`] with its kind.
macro_rules! error_kinds {
    ($($name:ident => $kind:ident,)*) => {
        $(
            #[doc = concat!("An error of kind [`ErrorKind::", stringify!($kind), "`].")]
            pub fn $name(message: impl Into<String>) -> Self {
                Self::new(ErrorKind::$kind, message)
            }
        )*
    };
}

impl ProviderError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        ProviderError {
            kind,
            message: message.into(),
            hint: None,
            partial: None,
            code: None,
        }
    }
    error_kinds! {
        not_found => NotFound,
        conflict => Conflict,
        invalid => InvalidConfig,
        credentials => Credentials,
        unsupported => Unsupported,
        transient => Transient,
        api => Api,
        unreachable => Unreachable,
    }
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    /// Records the API's error code.
    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }
    /// Whether the API answered with `code`.
    pub fn has_code(&self, code: &str) -> bool {
        self.code.as_deref() == Some(code)
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

/// The result of a delete or detach call where an object that is already gone counts as done.
pub fn gone_ok<T>(result: Result<T>) -> Result<()> {
    match result {
        Ok(_) => Ok(()),
        Err(e) if e.kind == ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// What a read made right after a create, an update or an import found, as the call's result:
/// `what` names the object (`vpc `vpc-1``).
pub trait ReadBack {
    /// After a create: an object that is gone at once is an API failure.
    fn or_vanished(self, what: &str) -> Result<Value>;
    /// After an update: the object was deleted meanwhile.
    fn or_gone(self, what: &str) -> Result<Value>;
    /// On import: there is no such object.
    fn or_absent(self, what: &str) -> Result<Value>;
}

impl ReadBack for Option<Value> {
    fn or_vanished(self, what: &str) -> Result<Value> {
        self.ok_or_else(|| {
            ProviderError::api(format!("{what} vanished right after it was created"))
        })
    }
    fn or_gone(self, what: &str) -> Result<Value> {
        self.ok_or_else(|| ProviderError::not_found(format!("{what} no longer exists")))
    }
    fn or_absent(self, what: &str) -> Result<Value> {
        self.ok_or_else(|| ProviderError::not_found(format!("{what} does not exist")))
    }
}
