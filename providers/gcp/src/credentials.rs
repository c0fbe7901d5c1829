//! Finding Google credentials the way the google provider does, with errors that say what was
//! wrong and where we looked.
//!
//! Order: `credentials` / `access_token` in the provider block, then `GOOGLE_OAUTH_ACCESS_TOKEN`,
//! `GOOGLE_CREDENTIALS` / `GOOGLE_CLOUD_KEYFILE_JSON` / `GCLOUD_KEYFILE_JSON`, then Application
//! Default Credentials (`GOOGLE_APPLICATION_CREDENTIALS`, gcloud's well-known file, the metadata
//! server on Google Cloud machines).

use std::path::{Path, PathBuf};

use google_cloud_auth::credentials::{self as gauth, Credentials};
use labform_sdk::{ProviderError, Result};
use serde_json::Value as Json;

use crate::errors::first_line;

const SCOPE: &str = "https://www.googleapis.com/auth/cloud-platform";
const CREDENTIAL_ENVS: [&str; 3] = [
    "GOOGLE_CREDENTIALS",
    "GOOGLE_CLOUD_KEYFILE_JSON",
    "GCLOUD_KEYFILE_JSON",
];

/// Where the credentials came from (for messages; never the secret itself).
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    Config,
    Env(&'static str),
    File(PathBuf),
}

impl Source {
    fn describe(&self) -> String {
        match self {
            Source::Config => "the provider's `credentials` attribute".to_string(),
            Source::Env(name) => format!("`{name}`"),
            Source::File(p) => format!("the key file `{}`", p.display()),
        }
    }
}

/// How requests are authorised. Its `Debug` never shows a token or a key.
#[derive(Clone)]
pub enum Auth {
    /// No Authorization header (emulators).
    Anonymous,
    /// A fixed bearer token (`access_token`).
    Token(String),
    /// Google credentials that mint and refresh tokens.
    Google(Credentials),
    /// None were found; every call reports why (see `settings::resolve`).
    Unavailable(ProviderError),
}

impl std::fmt::Debug for Auth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Written by hand: a derived Debug would print the access token, and the google
        // credentials' own Debug is not ours to vouch for (it may hold a key or a cached token).
        match self {
            Auth::Anonymous => f.write_str("Anonymous"),
            Auth::Token(_) => f.write_str("Token(..)"),
            Auth::Google(_) => f.write_str("Google(..)"),
            Auth::Unavailable(e) => f.debug_tuple("Unavailable").field(e).finish(),
        }
    }
}

impl Auth {
    /// The headers to add to a request.
    pub async fn headers(&self) -> Result<http::HeaderMap> {
        match self {
            Auth::Anonymous => Ok(http::HeaderMap::new()),
            Auth::Unavailable(e) => Err(e.clone()),
            Auth::Token(t) => {
                let mut h = http::HeaderMap::new();
                let value = http::HeaderValue::from_str(&format!("Bearer {t}")).map_err(|_| {
                    ProviderError::credentials(
                        "the access token contains characters not allowed in a header",
                    )
                })?;
                h.insert(http::header::AUTHORIZATION, value);
                Ok(h)
            }
            Auth::Google(c) => match c.headers(http::Extensions::new()).await {
                Ok(gauth::CacheableResource::New { data, .. }) => Ok(data),
                Ok(gauth::CacheableResource::NotModified) => Ok(http::HeaderMap::new()),
                Err(e) => Err(ProviderError::credentials(format!(
                    "could not get an access token: {}",
                    first_line(&e.to_string())
                ))
                .with_hint(
                    "check the key file or run `gcloud auth application-default login` again",
                )),
            },
        }
    }

    /// The same as google-cloud-* client credentials.
    pub fn to_client_credentials(&self) -> Credentials {
        match self {
            Auth::Google(c) => c.clone(),
            Auth::Token(t) => Credentials::from(crate::credentials_token::StaticToken(t.clone())),
            Auth::Anonymous | Auth::Unavailable(_) => gauth::anonymous::Builder::new().build(),
        }
    }
}

/// Reads `credentials` (a path or JSON content) and checks it is a usable credentials JSON.
/// Returns the parsed JSON and where it came from.
pub fn read_credentials_value(
    raw: &str,
    source: Source,
    resolve: impl Fn(&str) -> PathBuf,
) -> Result<(Json, Source)> {
    let trimmed = raw.trim_start();
    // Anything that looks like content is parsed, never echoed back as a "path": a broken key
    // must not end up in an error message.
    let looks_like_content = trimmed.starts_with('{')
        || raw.contains('\n')
        || raw.contains("private_key")
        || raw.len() > 1024;
    let (text, source) = if looks_like_content {
        (raw.to_string(), source)
    } else {
        let path = resolve(raw);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            ProviderError::credentials(format!("cannot read the credentials file `{}` (from {}): {}", path.display(), source.describe(), io_reason(&e)))
                .with_hint("set `credentials` (or `GOOGLE_APPLICATION_CREDENTIALS`) to the path of the service-account key JSON you downloaded, e.g. `~/.gc/my-creds.json`, or its contents")
        })?;
        (text, Source::File(path))
    };
    let json = parse_key(&text, &source)?;
    Ok((json, source))
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// Parses and checks a credentials JSON document.
pub fn parse_key(text: &str, source: &Source) -> Result<Json> {
    let json: Json = serde_json::from_str(text).map_err(|e| {
        ProviderError::credentials(format!("{} is not valid JSON (line {}, column {})", source.describe(), e.line(), e.column()))
            .with_hint("download the key again from IAM > Service accounts > Keys > Add key > JSON, and do not edit it")
    })?;
    let kind = json["type"].as_str().unwrap_or_default();
    let needed: &[&str] = match kind {
        "service_account" => &["client_email", "private_key"],
        "authorized_user" => &["client_id", "client_secret", "refresh_token"],
        "external_account" | "impersonated_service_account" => &[],
        "" => {
            return Err(ProviderError::credentials(format!("{} has no `type` field: it is not a Google credentials file", source.describe()))
                .with_hint("use a service-account key JSON (`\"type\": \"service_account\"`) or the file `gcloud auth application-default login` writes"))
        }
        other => {
            return Err(ProviderError::credentials(format!("{} has the unsupported credentials type `{other}`", source.describe()))
                .with_hint("use a service-account key JSON or `gcloud auth application-default login`"))
        }
    };
    if let Some(missing) = needed
        .iter()
        .find(|k| json[**k].as_str().is_none_or(str::is_empty))
    {
        return Err(ProviderError::credentials(format!(
            "{} lacks the field `{missing}`",
            source.describe()
        ))
        .with_hint("download a fresh key from IAM > Service accounts > Keys"));
    }
    Ok(json)
}

/// Builds Google credentials from a checked JSON document.
pub fn build(json: Json, source: &Source) -> Result<Credentials> {
    let kind = json["type"].as_str().unwrap_or_default().to_string();
    let built = match kind.as_str() {
        "service_account" => gauth::service_account::Builder::new(json)
            .with_access_specifier(gauth::service_account::AccessSpecifier::from_scopes([
                SCOPE,
            ]))
            .build(),
        "authorized_user" => gauth::user_account::Builder::new(json)
            .with_scopes([SCOPE])
            .build(),
        "external_account" => gauth::external_account::Builder::new(json)
            .with_scopes([SCOPE])
            .build(),
        _ => gauth::impersonated::Builder::new(json)
            .with_scopes([SCOPE])
            .build(),
    };
    built.map_err(|e| {
        ProviderError::credentials(format!(
            "{} could not be used: {}",
            source.describe(),
            first_line(&e.to_string())
        ))
        .with_hint("download a fresh key from IAM > Service accounts > Keys")
    })
}

/// Where Application Default Credentials are looked for, in order.
pub fn adc_candidates() -> Vec<(String, Option<PathBuf>)> {
    let mut out = Vec::new();
    match std::env::var_os("GOOGLE_APPLICATION_CREDENTIALS").filter(|v| !v.is_empty()) {
        Some(p) => out.push((
            "`GOOGLE_APPLICATION_CREDENTIALS`".to_string(),
            Some(PathBuf::from(p)),
        )),
        None => out.push((
            "`GOOGLE_APPLICATION_CREDENTIALS` (not set)".to_string(),
            None,
        )),
    }
    let well_known = std::env::var_os("CLOUDSDK_CONFIG")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".config/gcloud")))
        .map(|d| d.join("application_default_credentials.json"));
    if let Some(p) = well_known {
        out.push((format!("`{}`", p.display()), Some(p)));
    }
    out
}

/// Whether this machine is a Google Cloud VM (whose metadata server hands out tokens).
fn on_google_cloud() -> bool {
    std::env::var_os("GCE_METADATA_HOST").is_some()
        || std::fs::read_to_string("/sys/class/dmi/id/product_name")
            .is_ok_and(|s| s.contains("Google"))
}

/// Resolves credentials from the provider block and the environment.
pub fn resolve(
    config_credentials: Option<&str>,
    config_token: Option<&str>,
    resolve_path: impl Fn(&str) -> PathBuf,
) -> Result<Auth> {
    if let Some(raw) = config_credentials {
        let (json, source) = read_credentials_value(raw, Source::Config, &resolve_path)?;
        return build(json, &source).map(Auth::Google);
    }
    if let Some(t) = config_token {
        return Ok(Auth::Token(read_token(t, &resolve_path)));
    }
    if let Some(t) = std::env::var("GOOGLE_OAUTH_ACCESS_TOKEN")
        .ok()
        .filter(|t| !t.is_empty())
    {
        return Ok(Auth::Token(t));
    }
    for name in CREDENTIAL_ENVS {
        if let Some(raw) = std::env::var(name).ok().filter(|v| !v.is_empty()) {
            let (json, source) = read_credentials_value(&raw, Source::Env(name), &resolve_path)?;
            return build(json, &source).map(Auth::Google);
        }
    }
    let candidates = adc_candidates();
    for (label, path) in &candidates {
        let Some(path) = path else { continue };
        if label.starts_with("`GOOGLE_APPLICATION_CREDENTIALS`") || path.exists() {
            let text = std::fs::read_to_string(path).map_err(|e| {
                ProviderError::credentials(format!("cannot read the credentials file `{}` named by {label}: {}", path.display(), io_reason(&e)))
                    .with_hint("point `GOOGLE_APPLICATION_CREDENTIALS` at the service-account key JSON you downloaded (an absolute path)")
            })?;
            let source = Source::File(path.clone());
            let json = parse_key(&text, &source)?;
            return build(json, &source).map(Auth::Google);
        }
    }
    if on_google_cloud() {
        return gauth::Builder::default()
            .with_scopes([SCOPE])
            .build()
            .map(Auth::Google)
            .map_err(|e| {
                ProviderError::credentials(format!(
                    "the metadata server's credentials could not be used: {}",
                    first_line(&e.to_string())
                ))
            });
    }
    let looked: Vec<String> = [
        "the provider's `credentials` attribute".to_string(),
        "`GOOGLE_OAUTH_ACCESS_TOKEN`".to_string(),
    ]
    .into_iter()
    .chain(CREDENTIAL_ENVS.iter().map(|n| format!("`{n}`")))
    .chain(candidates.into_iter().map(|(l, _)| l))
    .collect();
    Err(ProviderError::credentials(format!("no google credentials found; looked in {}", looked.join(", "))).with_hint(
        "set `credentials = \"path/to/key.json\"` in the provider block, or `export GOOGLE_APPLICATION_CREDENTIALS=/absolute/path/key.json`, or run `gcloud auth application-default login`",
    ))
}

fn read_token(raw: &str, resolve_path: impl Fn(&str) -> PathBuf) -> String {
    // Like the google provider: a path to a file holding the token, or the token itself.
    let path = resolve_path(raw);
    match std::fs::read_to_string(&path) {
        Ok(text) if !raw.contains(' ') => text.trim().to_string(),
        _ => raw.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_json_is_named() {
        let e = parse_key("{ not json", &Source::Config).unwrap_err();
        assert!(e.message.contains("is not valid JSON"), "{}", e.message);
        assert!(e.hint.is_some());
    }

    #[test]
    fn a_missing_file_says_which() {
        let e = read_credentials_value("/nonexistent/key.json", Source::Config, |p: &str| {
            PathBuf::from(p)
        })
        .unwrap_err();
        assert!(
            e.message.contains("`/nonexistent/key.json`") && e.message.contains("no such file"),
            "{}",
            e.message
        );
    }

    #[test]
    fn broken_content_is_never_echoed_as_a_path() {
        let secret = "\"private_key\": \"-----BEGIN PRIVATE KEY-----\nabc\"";
        let e =
            read_credentials_value(secret, Source::Config, |p: &str| PathBuf::from(p)).unwrap_err();
        assert!(!e.message.contains("BEGIN PRIVATE KEY"), "{}", e.message);
        assert!(e.message.contains("is not valid JSON"), "{}", e.message);
    }

    #[test]
    fn a_key_without_private_key_is_refused() {
        let e = parse_key(
            r#"{"type":"service_account","client_email":"a@b"}"#,
            &Source::Config,
        )
        .unwrap_err();
        assert!(e.message.contains("`private_key`"), "{}", e.message);
    }
}
