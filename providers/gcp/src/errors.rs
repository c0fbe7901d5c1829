//! Turning Google API error responses into clear provider errors.
//!
//! Errors are matched on the HTTP status and `errors[0].reason` (or `error.status`), never on
//! message text; the API's own message is only quoted when nothing better is known.

use labform_sdk::ProviderError;
use serde_json::Value as Json;

/// What an error response says, as far as we match on it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ApiError {
    pub status: u16,
    /// `error.errors[0].reason` (`notFound`, `conflict`, `accessDenied`, ...) or, failing that,
    /// `error.status` (`PERMISSION_DENIED`, ...).
    pub reason: String,
    /// `error.message`, quoted only in the fallback message.
    pub message: String,
    /// The permission named by the API (`storage.buckets.create`), when it names one.
    pub permission: Option<String>,
}

impl ApiError {
    /// Parses an error body (JSON or not) of a response with `status`.
    pub fn parse(status: u16, body: &[u8]) -> ApiError {
        let json: Json = serde_json::from_slice(body).unwrap_or(Json::Null);
        let err = &json["error"];
        let reason = err["errors"][0]["reason"]
            .as_str()
            .or_else(|| err["status"].as_str())
            .unwrap_or_default()
            .to_string();
        let message = err["message"].as_str().unwrap_or_default().to_string();
        ApiError {
            status,
            reason,
            permission: permission_in(err),
            message,
        }
    }

    pub fn is_not_found(&self) -> bool {
        self.status == 404
    }

    pub fn is_conflict(&self) -> bool {
        self.status == 409
    }

    /// Turns the error into a provider error about `what` (`bucket `b``), with the fix.
    pub fn into_provider_error(self, what: &str) -> ProviderError {
        let reason = self.reason.as_str();
        match self.status {
            401 => ProviderError::credentials(format!("google rejected the credentials while working on {what}"))
                .with_hint("the token or key is invalid or expired: run `gcloud auth application-default login` or point `GOOGLE_APPLICATION_CREDENTIALS` at a valid service-account key"),
            403 if is_billing(reason) => ProviderError::credentials(format!("billing is not enabled on the project that owns {what}"))
                .with_hint("enable billing for the project at https://console.cloud.google.com/billing and retry"),
            403 if reason == "accessNotConfigured" || reason == "SERVICE_DISABLED" => ProviderError::credentials(format!("the API needed for {what} is not enabled in the project"))
                .with_hint("enable the Cloud Storage / BigQuery API at https://console.cloud.google.com/apis/library"),
            403 if matches!(reason, "rateLimitExceeded" | "userRateLimitExceeded" | "quotaExceeded") => ProviderError::transient(format!("google throttled requests for {what} (`{reason}`)")),
            403 => {
                let missing = match &self.permission {
                    Some(p) => format!(": the credentials lack the permission `{p}`"),
                    None => String::new(),
                };
                ProviderError::credentials(format!("permission denied on {what}{missing}"))
                    .with_hint("grant the service account a role with that permission (for example Storage Admin and BigQuery Admin) in IAM, and check that `project` is the project ID")
            }
            404 => ProviderError::not_found(format!("{what} was not found")),
            409 => ProviderError::conflict(format!("{what} already exists or is in use (`{}`)", fallback_reason(reason))),
            412 => ProviderError::conflict(format!("{what} changed while we were updating it")),
            429 => ProviderError::transient(format!("google throttled requests for {what}")),
            400 if reason == "invalid" || reason == "invalidArgument" || reason == "INVALID_ARGUMENT" => {
                ProviderError::invalid(format!("google rejected the request for {what}: {}", self.message_or_reason()))
            }
            s if s >= 500 => ProviderError::transient(format!("google answered {s} for {what}; try again")),
            s => ProviderError::api(format!("google answered {s} (`{}`) for {what}: {}", fallback_reason(reason), self.message_or_reason())),
        }
    }

    fn message_or_reason(&self) -> String {
        let text = if self.message.is_empty() {
            self.reason.clone()
        } else {
            self.message.clone()
        };
        // One line, bounded: never dump a whole body into a message.
        let line = text.lines().next().unwrap_or_default().to_string();
        if line.len() > 300 {
            format!(
                "{}...",
                &line[..line
                    .char_indices()
                    .nth(300)
                    .map(|(i, _)| i)
                    .unwrap_or(line.len())]
            )
        } else {
            line
        }
    }
}

fn fallback_reason(reason: &str) -> &str {
    if reason.is_empty() {
        "no reason given"
    } else {
        reason
    }
}

fn is_billing(reason: &str) -> bool {
    matches!(
        reason,
        "accountDisabled" | "billingNotEnabled" | "BILLING_DISABLED" | "billingDisabled"
    )
}

/// The permission an error names in its structured details, else in the message's
/// `does not have <permission> access` / `Permission '<p>' denied` forms.
fn permission_in(err: &Json) -> Option<String> {
    if let Some(details) = err["details"].as_array() {
        for d in details {
            if let Some(p) = d["metadata"]["permission"].as_str() {
                return Some(p.to_string());
            }
        }
    }
    // The permission is data, not a category: reading it from the message does not decide the
    // error's kind, it only completes the hint.
    let message = err["message"].as_str()?;
    message
        .split(|c: char| c.is_whitespace() || c == '\'' || c == '"' || c == ',')
        .find(|w| is_permission_name(w))
        .map(str::to_string)
}

fn is_permission_name(word: &str) -> bool {
    let parts: Vec<&str> = word.split('.').collect();
    parts.len() == 3
        && matches!(
            parts[0],
            "storage" | "bigquery" | "resourcemanager" | "serviceusage"
        )
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// A failed call: an answer from the API, or no answer at all.
#[derive(Debug)]
pub enum CallError {
    Api(ApiError),
    Other(ProviderError),
}

impl CallError {
    pub fn into_provider(self, what: &str) -> ProviderError {
        match self {
            CallError::Api(e) => e.into_provider_error(what),
            CallError::Other(e) => e,
        }
    }
    pub fn is_not_found(&self) -> bool {
        matches!(self, CallError::Api(e) if e.is_not_found())
    }
}

/// The first line of a client library's error text, at most 300 characters: enough to quote
/// in a message without the library's multi-line dumps.
pub fn first_line(s: &str) -> String {
    s.lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(300)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use labform_sdk::ErrorKind;

    #[test]
    fn reason_and_permission_are_read_from_the_body() {
        let body = br#"{"error":{"code":403,"message":"sa@p.iam.gserviceaccount.com does not have storage.buckets.create access to the Google Cloud project.","errors":[{"reason":"forbidden"}]}}"#;
        let e = ApiError::parse(403, body);
        assert_eq!(e.reason, "forbidden");
        assert_eq!(e.permission.as_deref(), Some("storage.buckets.create"));
        let p = e.into_provider_error("bucket `b`");
        assert_eq!(p.kind, ErrorKind::Credentials);
        assert!(
            p.message.contains("`storage.buckets.create`"),
            "{}",
            p.message
        );
    }

    #[test]
    fn billing_is_named() {
        let body =
            br#"{"error":{"code":403,"message":"x","errors":[{"reason":"accountDisabled"}]}}"#;
        let p = ApiError::parse(403, body).into_provider_error("bucket `b`");
        assert!(p.message.contains("billing is not enabled"));
    }

    #[test]
    fn empty_bodies_still_map_on_status() {
        assert_eq!(
            ApiError::parse(404, b"").into_provider_error("x").kind,
            ErrorKind::NotFound
        );
        assert_eq!(
            ApiError::parse(409, b"").into_provider_error("x").kind,
            ErrorKind::Conflict
        );
        assert_eq!(
            ApiError::parse(503, b"<html>")
                .into_provider_error("x")
                .kind,
            ErrorKind::Transient
        );
    }
}
