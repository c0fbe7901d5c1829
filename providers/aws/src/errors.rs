//! Turning AWS SDK errors into `ProviderError`s: one lower-case line, the AWS error code, never
//! a raw response body or a credential.

use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use labform_sdk::{ErrorKind, ProviderError, Result};

/// The AWS error code of a service error (`DependencyViolation`, `NoSuchBucket`), if any.
pub fn code<E: ProvideErrorMetadata, R>(err: &SdkError<E, R>) -> Option<String> {
    match err {
        SdkError::ServiceError(se) => se.err().code().map(str::to_string),
        _ => None,
    }
}

/// Whether `code` says the object does not exist.
pub fn is_not_found_code(code: &str) -> bool {
    code.ends_with("NotFound")
        || code.ends_with(".NotFound")
        // RDS and Redshift: `DBSubnetGroupNotFoundFault`, `ClusterSubnetGroupNotFoundFault`.
        || code.ends_with("NotFoundFault")
        || matches!(
            code,
            "NoSuchBucket"
                | "NoSuchKey"
                | "NotFound"
                | "NoSuchLifecycleConfiguration"
                | "NoSuchPublicAccessBlockConfiguration"
                | "ServerSideEncryptionConfigurationNotFoundError"
                | "NoSuchTagSet"
                | "EntityNotFoundException"
                | "ResourceNotFoundException"
                | "InvalidKeyPair.NotFound"
                | "InvalidPermission.NotFound"
                | "InvalidAssociationID.NotFound"
        )
}

/// Whether `code` is one of the errors that clear up by themselves once dependents are gone.
pub fn is_eventual_code(code: &str) -> bool {
    matches!(
        code,
        "DependencyViolation"
            | "InvalidGroup.InUse"
            | "ResourceInUse"
            | "ResourceInUseException"
            | "IncorrectState"
            | "OperationAborted"
    )
}

/// Whether the error says the object is gone (a service error with a not-found code, or 404).
pub fn is_not_found<E: ProvideErrorMetadata, R: HasStatus>(err: &SdkError<E, R>) -> bool {
    match err {
        SdkError::ServiceError(se) => {
            se.err().code().is_some_and(is_not_found_code) || se.raw().status_code() == 404
        }
        _ => false,
    }
}

/// Access to the HTTP status of a raw response, whatever its concrete type.
pub trait HasStatus {
    fn status_code(&self) -> u16;
}

impl HasStatus for aws_smithy_runtime_api::http::Response {
    fn status_code(&self) -> u16 {
        self.status().as_u16()
    }
}

/// Converts an SDK error into a provider error; `context` says what was being done
/// (`creating vpc`, "deleting bucket `x`").
pub fn sdk<E, R>(context: &str, err: SdkError<E, R>) -> ProviderError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: HasStatus + std::fmt::Debug,
{
    match &err {
        SdkError::ServiceError(se) => {
            let status = se.raw().status_code();
            let e = se.err();
            let code = e.code().unwrap_or("").to_string();
            let message = clean_message(e.message().unwrap_or(""));
            let text = match (code.is_empty(), message.is_empty()) {
                (true, true) => format!("{context}: aws answered http {status}"),
                (false, true) => format!("{context}: {code}"),
                (true, false) => format!("{context}: {message}"),
                (false, false) => format!("{context}: {code}: {message}"),
            };
            let kind = classify(&code, status);
            let mut out = ProviderError::new(kind, text);
            if !code.is_empty() {
                out = out.with_code(code);
            }
            if kind == ErrorKind::Credentials {
                out = out.with_hint(CREDENTIALS_HINT);
            }
            out
        }
        SdkError::DispatchFailure(d) => {
            let chain = DisplayErrorContext(&err).to_string();
            if chain.contains("credentials") || chain.contains("Credentials") {
                ProviderError::credentials(format!("{context}: no usable aws credentials"))
                    .with_hint(CREDENTIALS_HINT)
            } else if d.is_io() || d.is_timeout() {
                ProviderError::unreachable(format!("{context}: cannot reach the aws endpoint"))
                    .with_hint(
                        "check the network, `AWS_ENDPOINT_URL` or the provider's `endpoints` block",
                    )
            } else {
                ProviderError::unreachable(format!(
                    "{context}: request failed before an answer came ({})",
                    short(&chain)
                ))
            }
        }
        SdkError::TimeoutError(_) => {
            ProviderError::transient(format!("{context}: aws did not answer in time"))
        }
        SdkError::ResponseError(r) => ProviderError::api(format!(
            "{context}: aws sent an answer that could not be read (http {})",
            r.raw().status_code()
        )),
        _ => {
            let chain = DisplayErrorContext(&err).to_string();
            if chain.contains("credentials") {
                ProviderError::credentials(format!("{context}: no usable aws credentials"))
                    .with_hint(CREDENTIALS_HINT)
            } else {
                ProviderError::api(format!("{context}: {}", short(&chain)))
            }
        }
    }
}

pub const CREDENTIALS_HINT: &str = "set `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`, or `AWS_PROFILE` with a profile from ~/.aws/credentials (run `aws configure` or `aws sso login`), or `access_key`/`secret_key` in the provider block";

fn classify(code: &str, status: u16) -> ErrorKind {
    if is_not_found_code(code) {
        return ErrorKind::NotFound;
    }
    match code {
        "AuthFailure"
        | "InvalidAccessKeyId"
        | "SignatureDoesNotMatch"
        | "ExpiredToken"
        | "ExpiredTokenException"
        | "AccessDenied"
        | "AccessDeniedException"
        | "UnauthorizedOperation"
        | "UnrecognizedClientException"
        | "InvalidClientTokenId"
        | "InvalidToken" => ErrorKind::Credentials,
        "Throttling"
        | "ThrottlingException"
        | "RequestLimitExceeded"
        | "SlowDown"
        | "InternalError"
        | "ServiceUnavailable"
        | "RequestTimeout" => ErrorKind::Transient,
        "BucketAlreadyExists"
        | "BucketAlreadyOwnedByYou"
        | "AlreadyExistsException"
        | "InvalidGroup.Duplicate"
        | "InvalidKeyPair.Duplicate"
        | "BucketNotEmpty"
        | "InvalidPermission.Duplicate"
        | "RouteAlreadyExists"
        | "Resource.AlreadyAssociated" => ErrorKind::Conflict,
        c if is_eventual_code(c) => ErrorKind::Conflict,
        _ if status >= 500 => ErrorKind::Transient,
        _ if status == 403 => ErrorKind::Credentials,
        _ if status == 400 => ErrorKind::Api,
        _ => ErrorKind::Api,
    }
}

/// Keeps one line and drops anything that looks like markup, so a misbehaving endpoint never
/// dumps XML or HTML into a message.
fn clean_message(message: &str) -> String {
    let line = message.lines().next().unwrap_or("").trim();
    if line.starts_with('<') {
        return String::new();
    }
    let mut out = line.trim_end_matches('.').to_string();
    if let Some(first) = out.chars().next() {
        if first.is_uppercase() && !out.chars().nth(1).is_some_and(char::is_uppercase) {
            out = first.to_lowercase().chain(out.chars().skip(1)).collect();
        }
    }
    short(&out)
}

fn short(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    if line.chars().count() > 300 {
        format!("{}...", line.chars().take(300).collect::<String>())
    } else {
        line.to_string()
    }
}

/// The answer of a read call, `None` when the API says the object does not exist.
pub fn found<T, E, R>(context: &str, result: Result<T, SdkError<E, R>>) -> Result<Option<T>>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: HasStatus + std::fmt::Debug,
{
    match result {
        Ok(out) => Ok(Some(out)),
        Err(e) if is_not_found(&e) => Ok(None),
        Err(e) => Err(sdk(context, e)),
    }
}

/// What `pick` takes out of the answer of a read call (a describe by id: the first object,
/// mapped), `None` when the API says the object does not exist or the answer holds none.
pub fn found_first<O, T, E, R>(
    context: &str,
    result: Result<O, SdkError<E, R>>,
    pick: impl FnOnce(&O) -> Option<T>,
) -> Result<Option<T>>
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: HasStatus + std::fmt::Debug,
{
    Ok(found(context, result)?.as_ref().and_then(pick))
}

/// The error of a create call for `what` (`iam role \`x\``): the error code `taken` (the name is
/// in use) becomes a conflict saying `what` already exists, with `hint`; any other error is
/// [`sdk`]'s, `creating {what}`.
pub fn on_create<'a, E, R>(
    what: &'a str,
    taken: &'a str,
    hint: &'a str,
) -> impl FnOnce(SdkError<E, R>) -> ProviderError + 'a
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: HasStatus + std::fmt::Debug,
{
    move |err| match code(&err) {
        Some(c) if c == taken => {
            ProviderError::conflict(format!("{what} already exists")).with_hint(hint)
        }
        _ => sdk(&format!("creating {what}"), err),
    }
}

/// An SDK error reduced to what callers branch on, so results of different operations (whose
/// error types differ) can meet in one `match`.
pub struct Failed {
    pub code: Option<String>,
    pub not_found: bool,
    pub error: ProviderError,
}

/// Reduces an SDK error to a [`Failed`].
pub fn failed<E, R>(context: &str, err: SdkError<E, R>) -> Failed
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: HasStatus + std::fmt::Debug,
{
    Failed {
        code: code(&err),
        not_found: is_not_found(&err),
        error: sdk(context, err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_clean_line() {
        assert_eq!(
            clean_message("The vpc has dependencies.\nmore"),
            "the vpc has dependencies"
        );
        assert_eq!(clean_message("<Error><Code>X</Code></Error>"), "");
        assert_eq!(clean_message("VPC is busy"), "VPC is busy");
    }

    #[test]
    fn codes_are_classified() {
        assert_eq!(classify("InvalidVpcID.NotFound", 400), ErrorKind::NotFound);
        assert_eq!(classify("DependencyViolation", 400), ErrorKind::Conflict);
        assert_eq!(classify("SlowDown", 503), ErrorKind::Transient);
        assert_eq!(classify("", 500), ErrorKind::Transient);
        assert_eq!(classify("AuthFailure", 401), ErrorKind::Credentials);
    }
}
