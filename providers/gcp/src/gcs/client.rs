//! A thin client for the Cloud Storage JSON API (buckets and objects) on reqwest.
//!
//! Why not the official `google-cloud-storage` crate: it administers buckets over gRPC
//! (`google.storage.v2`) only, and no local emulator speaks that, so code written on it could
//! not be tested here. The JSON API is what the emulators (and the google Terraform provider)
//! speak; tokens come from `google-cloud-auth`. Bodies are plain JSON we build ourselves, so a
//! PATCH carries exactly the fields that changed (no nulls for unset fields).

use labform_sdk::{ProviderError, Result};
use reqwest::Method;
use serde_json::Value as Json;

use crate::errors::{ApiError, CallError};
use crate::settings::Endpoint;

#[derive(Clone, Debug)]
pub struct GcsClient {
    http: reqwest::Client,
    endpoint: Endpoint,
}

/// Percent-encodes one path segment (object names may hold `/`, spaces, anything).
pub use labform_sdk::encode::escape_unreserved as encode;

impl GcsClient {
    pub fn new(endpoint: Endpoint, timeout: std::time::Duration) -> Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| ProviderError::api(format!("cannot build the HTTP client: {e}")))?;
        Ok(GcsClient { http, endpoint })
    }

    /// `https://storage.googleapis.com/storage/v1/` -> `https://storage.googleapis.com/upload/storage/v1/`.
    fn upload_base(&self) -> String {
        let base = &self.endpoint.base;
        match base.rfind("/storage/v1/") {
            Some(i) => format!("{}/upload/storage/v1/", &base[..i]),
            None => format!("{base}upload/"),
        }
    }

    async fn call(
        &self,
        method: Method,
        url: String,
        query: &[(&str, String)],
        body: Option<Body>,
    ) -> Result<Json, CallError> {
        let headers = self
            .endpoint
            .auth
            .headers()
            .await
            .map_err(CallError::Other)?;
        let mut req = self
            .http
            .request(method, &url)
            .headers(headers)
            .query(query);
        req = match body {
            Some(Body::Json(j)) => req.json(&j),
            Some(Body::Bytes(b, ct)) => req.header("content-type", ct).body(b),
            None => req,
        };
        let resp = req
            .send()
            .await
            .map_err(|e| CallError::Other(transport_error(&self.endpoint.base, &e)))?;
        let status = resp.status().as_u16();
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| CallError::Other(transport_error(&self.endpoint.base, &e)))?;
        if (200..300).contains(&status) {
            if bytes.is_empty() {
                return Ok(Json::Null);
            }
            return serde_json::from_slice(&bytes).map_err(|e| {
                CallError::Other(ProviderError::api(format!(
                    "cloud storage answered with JSON we cannot read: {e}"
                )))
            });
        }
        Err(CallError::Api(ApiError::parse(status, &bytes)))
    }

    pub async fn get_bucket(&self, name: &str) -> Result<Option<Json>, CallError> {
        match self
            .call(
                Method::GET,
                format!("{}b/{}", self.endpoint.base, encode(name)),
                &[],
                None,
            )
            .await
        {
            Ok(j) => Ok(Some(j)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub async fn insert_bucket(&self, project: &str, body: Json) -> Result<Json, CallError> {
        self.call(
            Method::POST,
            format!("{}b", self.endpoint.base),
            &[("project", project.to_string())],
            Some(Body::Json(body)),
        )
        .await
    }

    pub async fn patch_bucket(&self, name: &str, body: Json) -> Result<Json, CallError> {
        self.call(
            Method::PATCH,
            format!("{}b/{}", self.endpoint.base, encode(name)),
            &[],
            Some(Body::Json(body)),
        )
        .await
    }

    pub async fn delete_bucket(&self, name: &str) -> Result<(), CallError> {
        self.call(
            Method::DELETE,
            format!("{}b/{}", self.endpoint.base, encode(name)),
            &[],
            None,
        )
        .await
        .map(|_| ())
    }

    /// Every bucket of `project` whose name starts with `prefix`.
    pub async fn list_buckets(&self, project: &str, prefix: &str) -> Result<Vec<Json>, CallError> {
        let url = format!("{}b", self.endpoint.base);
        self.paged(
            &url,
            vec![
                ("project", project.to_string()),
                ("prefix", prefix.to_string()),
            ],
        )
        .await
    }

    /// Every object (with `versions`, every generation, noncurrent ones included).
    pub async fn list_objects(&self, bucket: &str, versions: bool) -> Result<Vec<Json>, CallError> {
        let url = format!("{}b/{}/o", self.endpoint.base, encode(bucket));
        self.paged(&url, vec![("versions", versions.to_string())])
            .await
    }

    async fn paged(&self, url: &str, query: Vec<(&str, String)>) -> Result<Vec<Json>, CallError> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut q = query.clone();
            if let Some(t) = &token {
                q.push(("pageToken", t.clone()));
            }
            let page = self.call(Method::GET, url.to_string(), &q, None).await?;
            out.extend(page["items"].as_array().cloned().unwrap_or_default());
            match page["nextPageToken"].as_str().filter(|t| !t.is_empty()) {
                Some(t) if token.as_deref() != Some(t) => token = Some(t.to_string()),
                _ => return Ok(out),
            }
        }
    }

    pub async fn get_object(&self, bucket: &str, name: &str) -> Result<Option<Json>, CallError> {
        let url = format!(
            "{}b/{}/o/{}",
            self.endpoint.base,
            encode(bucket),
            encode(name)
        );
        match self.call(Method::GET, url, &[], None).await {
            Ok(j) => Ok(Some(j)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Deletes one object, or one generation of it.
    pub async fn delete_object(
        &self,
        bucket: &str,
        name: &str,
        generation: Option<&str>,
    ) -> Result<(), CallError> {
        let url = format!(
            "{}b/{}/o/{}",
            self.endpoint.base,
            encode(bucket),
            encode(name)
        );
        let query: Vec<(&str, String)> = generation
            .map(|g| vec![("generation", g.to_string())])
            .unwrap_or_default();
        self.call(Method::DELETE, url, &query, None)
            .await
            .map(|_| ())
    }

    /// Uploads an object's content with its resource fields (a multipart upload), so fields
    /// such as custom `metadata` are written in the same call that makes the object.
    pub async fn upload_object(
        &self,
        bucket: &str,
        resource: &Json,
        content_type: &str,
        data: Vec<u8>,
    ) -> Result<Json, CallError> {
        let url = format!("{}b/{}/o", self.upload_base(), encode(bucket));
        let query = [("uploadType", "multipart".to_string())];
        let (body, boundary) = multipart(resource, content_type, &data);
        self.call(
            Method::POST,
            url,
            &query,
            Some(Body::Bytes(
                body,
                format!("multipart/related; boundary={boundary}"),
            )),
        )
        .await
    }
}

/// A `multipart/related` body: the resource JSON, then the content. The boundary is one the
/// content does not hold.
fn multipart(resource: &Json, content_type: &str, data: &[u8]) -> (Vec<u8>, String) {
    let mut boundary = "labform-part-boundary".to_string();
    while contains(data, boundary.as_bytes()) {
        boundary.push('x');
    }
    let mut body = Vec::with_capacity(data.len() + 512);
    body.extend_from_slice(
        format!("--{boundary}\r\ncontent-type: application/json; charset=UTF-8\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(resource.to_string().as_bytes());
    body.extend_from_slice(
        format!("\r\n--{boundary}\r\ncontent-type: {content_type}\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (body, boundary)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

enum Body {
    Json(Json),
    Bytes(Vec<u8>, String),
}

fn transport_error(base: &str, e: &reqwest::Error) -> ProviderError {
    if e.is_timeout() {
        return ProviderError::transient(format!(
            "cloud storage at `{base}` did not answer in time"
        ));
    }
    ProviderError::unreachable(format!("cannot reach cloud storage at `{base}`")).with_hint(
        "check the network, or when using an emulator that it runs and `STORAGE_EMULATOR_HOST` / `storage_custom_endpoint` point at it",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_names_are_encoded() {
        assert_eq!(
            encode("raw/yellow 2021.parquet"),
            "raw%2Fyellow%202021.parquet"
        );
    }

    #[test]
    fn the_multipart_boundary_never_occurs_in_the_content() {
        let data = b"a\r\n--labform-part-boundary\r\nb".to_vec();
        let (body, boundary) = multipart(&serde_json::json!({"name": "o"}), "text/plain", &data);
        assert_eq!(boundary, "labform-part-boundaryx");
        let text = String::from_utf8(body).unwrap();
        assert!(text.starts_with("--labform-part-boundaryx\r\ncontent-type: application/json"));
        assert!(text.contains("{\"name\":\"o\"}"));
        assert!(text.ends_with("\r\n--labform-part-boundaryx--\r\n"));
    }
}
