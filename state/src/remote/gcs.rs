//! Cloud Storage as an object store for state (`backend "gcs"`), over its JSON API:
//! conditional writes with `ifGenerationMatch` (0: only if absent), credentials from the block
//! (`credentials`, `access_token`) or Application Default Credentials, and
//! `STORAGE_EMULATOR_HOST` / `storage_custom_endpoint` for an emulator (no credentials then).

use std::time::Duration;

use google_cloud_auth::credentials::{self as gauth, Credentials};
use reqwest::StatusCode;
use serde::Deserialize;

use super::objects::{Condition, Object, ObjectStore};
use super::runtime::Runtime;
use crate::error::StateError;

const SCOPE: &str = "https://www.googleapis.com/auth/devstorage.read_write";

/// What `backend "gcs"` needs to reach its bucket.
#[derive(Clone, Debug, Default)]
pub struct GcsSettings {
    pub bucket: String,
    /// A key file's path or its JSON content.
    pub credentials: Option<String>,
    pub access_token: Option<String>,
    /// The JSON API's base (`https://storage.googleapis.com` unless an emulator is named).
    pub endpoint: Option<String>,
}

enum Auth {
    Anonymous,
    Token(String),
    Google(Credentials),
}

/// A bucket reached over the JSON API.
pub struct GcsObjects {
    http: reqwest::Client,
    base: String,
    bucket: String,
    auth: Auth,
    rt: Runtime,
}

#[derive(Deserialize)]
struct Meta {
    generation: String,
}

#[derive(Deserialize)]
struct Listing {
    #[serde(default)]
    items: Vec<Item>,
    #[serde(rename = "nextPageToken")]
    next: Option<String>,
}

#[derive(Deserialize)]
struct Item {
    name: String,
}

impl GcsObjects {
    /// Builds the client (no call is made until used).
    pub fn connect(settings: &GcsSettings) -> Result<GcsObjects, StateError> {
        let emulator = std::env::var("STORAGE_EMULATOR_HOST")
            .ok()
            .filter(|h| !h.is_empty())
            .map(|h| with_scheme(&h));
        let endpoint = settings
            .endpoint
            .clone()
            .map(|e| with_scheme(&e))
            .or(emulator.clone());
        let auth = if let Some(token) = &settings.access_token {
            Auth::Token(token.clone())
        } else if let Some(credentials) = &settings.credentials {
            Auth::Google(key_credentials(credentials)?)
        } else if emulator.is_some() || settings.endpoint.is_some() {
            Auth::Anonymous
        } else {
            let creds = gauth::Builder::default()
                .with_scopes([SCOPE])
                .build()
                .map_err(|e| config(format!("no google credentials found for the gcs backend: {}\nhint: set `credentials` in the backend block, `GOOGLE_APPLICATION_CREDENTIALS`, or run `gcloud auth application-default login`", first_line(&e.to_string()))))?;
            Auth::Google(creds)
        };
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| config(format!("cannot build an http client: {e}")))?;
        let base = endpoint
            .unwrap_or_else(|| "https://storage.googleapis.com".to_string())
            .trim_end_matches('/')
            .trim_end_matches("/storage/v1")
            .to_string();
        Ok(GcsObjects {
            http,
            base,
            bucket: settings.bucket.clone(),
            auth,
            rt: Runtime::new()?,
        })
    }

    fn remote(&self, action: &'static str, key: &str, message: String) -> StateError {
        StateError::Remote {
            action,
            object: self.name(key),
            message,
        }
    }

    async fn headers(&self) -> Result<http::HeaderMap, StateError> {
        match &self.auth {
            Auth::Anonymous => Ok(http::HeaderMap::new()),
            Auth::Token(t) => {
                let mut h = http::HeaderMap::new();
                let value = http::HeaderValue::from_str(&format!("Bearer {t}")).map_err(|_| {
                    config("the gcs backend's access token is not a valid header value".into())
                })?;
                h.insert(http::header::AUTHORIZATION, value);
                Ok(h)
            }
            Auth::Google(c) => match c.headers(http::Extensions::new()).await {
                Ok(gauth::CacheableResource::New { data, .. }) => Ok(data),
                Ok(gauth::CacheableResource::NotModified) => Ok(http::HeaderMap::new()),
                Err(e) => Err(config(format!(
                    "could not get a google access token for the gcs backend: {}",
                    first_line(&e.to_string())
                ))),
            },
        }
    }

    fn object_url(&self, key: &str) -> String {
        format!(
            "{}/storage/v1/b/{}/o/{}",
            self.base,
            encode(&self.bucket),
            encode(key)
        )
    }

    async fn send(
        &self,
        action: &'static str,
        key: &str,
        req: reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, StateError> {
        let headers = self.headers().await?;
        req.headers(headers)
            .send()
            .await
            .map_err(|e| self.remote(action, key, format!("{e}\nhint: check the network, or when using an emulator that it runs and `STORAGE_EMULATOR_HOST` points at it")))
    }

    async fn failure(
        &self,
        action: &'static str,
        key: &str,
        resp: reqwest::Response,
    ) -> StateError {
        let status = resp.status();
        let body = resp.text().await.unwrap_or_default();
        let reason = serde_json::from_str::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v["error"]["message"].as_str().map(str::to_string))
            .unwrap_or_else(|| body.chars().take(200).collect());
        let mut message = format!("{status}: {reason}");
        if status == StatusCode::NOT_FOUND {
            message.push_str(&format!("\nhint: the bucket `{}` must exist before labform can keep state in it: create it (with versioning) and run again", self.bucket));
        } else if matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) {
            message.push_str("\nhint: check the google credentials (`credentials` in the backend block, GOOGLE_APPLICATION_CREDENTIALS) and that they may use this bucket");
        }
        self.remote(action, key, message)
    }

    async fn generation(&self, key: &str) -> Result<Option<String>, StateError> {
        let resp = self
            .send("read", key, self.http.get(self.object_url(key)))
            .await?;
        if resp.status() == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !resp.status().is_success() {
            return Err(self.failure("read", key, resp).await);
        }
        let meta: Meta = resp
            .json()
            .await
            .map_err(|e| self.remote("read", key, e.to_string()))?;
        Ok(Some(meta.generation))
    }
}

fn config(message: String) -> StateError {
    StateError::BackendConfig(message)
}

fn first_line(s: &str) -> String {
    s.lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(300)
        .collect()
}

fn with_scheme(host: &str) -> String {
    if host.starts_with("http://") || host.starts_with("https://") {
        host.to_string()
    } else {
        format!("http://{host}")
    }
}

/// Percent-encodes a path segment (object names hold `/`, which must be encoded).
use labform_sdk::encode::escape_unreserved as encode;

fn key_credentials(raw: &str) -> Result<Credentials, StateError> {
    let text = if raw.trim_start().starts_with('{') {
        raw.to_string()
    } else {
        std::fs::read_to_string(raw).map_err(|e| {
            config(format!(
                "cannot read the gcs backend's `credentials` file `{raw}`: {e}"
            ))
        })?
    };
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        config(format!(
            "the gcs backend's `credentials` is not a JSON key: {e}"
        ))
    })?;
    let built = match json["type"].as_str().unwrap_or_default() {
        "service_account" => gauth::service_account::Builder::new(json)
            .with_access_specifier(gauth::service_account::AccessSpecifier::from_scopes([
                SCOPE,
            ]))
            .build(),
        "authorized_user" => gauth::user_account::Builder::new(json)
            .with_scopes([SCOPE])
            .build(),
        _ => gauth::external_account::Builder::new(json)
            .with_scopes([SCOPE])
            .build(),
    };
    built.map_err(|e| {
        config(format!(
            "the gcs backend's `credentials` could not be used: {}",
            first_line(&e.to_string())
        ))
    })
}

impl ObjectStore for GcsObjects {
    fn name(&self, key: &str) -> String {
        format!("gs://{}/{key}", self.bucket)
    }

    fn get(&self, key: &str) -> Result<Option<Object>, StateError> {
        self.rt.block(async {
            // The media download carries no generation on every server: read it before and
            // after, and retry if the object changed between.
            for _ in 0..5 {
                let Some(before) = self.generation(key).await? else {
                    return Ok(None);
                };
                let url = format!("{}?alt=media&generation={before}", self.object_url(key));
                let resp = self.send("read", key, self.http.get(url)).await?;
                if resp.status() == StatusCode::NOT_FOUND {
                    continue;
                }
                if !resp.status().is_success() {
                    return Err(self.failure("read", key, resp).await);
                }
                let bytes = resp
                    .bytes()
                    .await
                    .map_err(|e| self.remote("read", key, e.to_string()))?;
                if self.generation(key).await?.as_deref() == Some(before.as_str()) {
                    return Ok(Some(Object {
                        bytes: bytes.to_vec(),
                        version: before,
                    }));
                }
            }
            Err(self.remote(
                "read",
                key,
                "the object keeps changing while being read".into(),
            ))
        })
    }

    fn put(
        &self,
        key: &str,
        bytes: &[u8],
        condition: Condition<'_>,
    ) -> Result<Option<String>, StateError> {
        let generation = match condition {
            Condition::Absent => "0".to_string(),
            Condition::Matches(g) => g.to_string(),
        };
        let url = format!(
            "{}/upload/storage/v1/b/{}/o",
            self.base,
            encode(&self.bucket)
        );
        let req = self
            .http
            .post(url)
            .query(&[
                ("uploadType", "media"),
                ("name", key),
                ("ifGenerationMatch", generation.as_str()),
            ])
            // Not `application/json`: some emulators parse such a body instead of storing it.
            .header("content-type", "application/octet-stream")
            .body(bytes.to_vec());
        self.rt.block(async {
            let resp = self.send("write", key, req).await?;
            match resp.status() {
                StatusCode::PRECONDITION_FAILED => Ok(None),
                s if s.is_success() => {
                    let meta: Meta = resp
                        .json()
                        .await
                        .map_err(|e| self.remote("write", key, e.to_string()))?;
                    Ok(Some(meta.generation))
                }
                _ => Err(self.failure("write", key, resp).await),
            }
        })
    }

    fn delete(&self, key: &str) -> Result<(), StateError> {
        self.rt.block(async {
            let resp = self
                .send("delete", key, self.http.delete(self.object_url(key)))
                .await?;
            match resp.status() {
                StatusCode::NOT_FOUND => Ok(()),
                s if s.is_success() => Ok(()),
                _ => Err(self.failure("delete", key, resp).await),
            }
        })
    }

    fn list(&self, prefix: &str) -> Result<Vec<String>, StateError> {
        self.rt.block(async {
            let url = format!("{}/storage/v1/b/{}/o", self.base, encode(&self.bucket));
            let mut keys = Vec::new();
            let mut token: Option<String> = None;
            loop {
                let mut query = vec![
                    ("prefix", prefix.to_string()),
                    ("fields", "items(name),nextPageToken".to_string()),
                ];
                if let Some(t) = token.take() {
                    query.push(("pageToken", t));
                }
                let resp = self
                    .send("list", prefix, self.http.get(&url).query(&query))
                    .await?;
                if !resp.status().is_success() {
                    return Err(self.failure("list", prefix, resp).await);
                }
                let page: Listing = resp
                    .json()
                    .await
                    .map_err(|e| self.remote("list", prefix, e.to_string()))?;
                // Some servers ignore `prefix`: filter here too.
                keys.extend(
                    page.items
                        .into_iter()
                        .map(|i| i.name)
                        .filter(|n| n.starts_with(prefix)),
                );
                match page.next {
                    Some(t) if !t.is_empty() => token = Some(t),
                    _ => break,
                }
            }
            keys.sort();
            Ok(keys)
        })
    }

    fn check(&self) -> Result<String, StateError> {
        self.rt.block(async {
            let url = format!("{}/storage/v1/b/{}", self.base, encode(&self.bucket));
            let resp = self
                .send("reach the bucket", "", self.http.get(url))
                .await?;
            if !resp.status().is_success() {
                return Err(self.failure("reach the bucket", "", resp).await);
            }
            Ok(format!("gcs bucket `{}` is reachable", self.bucket))
        })
    }
}
