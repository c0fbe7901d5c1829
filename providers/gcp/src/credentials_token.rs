//! A fixed OAuth access token (`access_token`, `GOOGLE_OAUTH_ACCESS_TOKEN`) as credentials the
//! google-cloud-* clients accept.

use google_cloud_auth::credentials::{CacheableResource, CredentialsProvider, EntityTag};
use http::{Extensions, HeaderMap, HeaderValue};

#[derive(Clone)]
pub struct StaticToken(pub String);

impl std::fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the token.
        f.write_str("StaticToken(..)")
    }
}

impl CredentialsProvider for StaticToken {
    async fn headers(
        &self,
        _extensions: Extensions,
    ) -> Result<CacheableResource<HeaderMap>, google_cloud_auth::errors::CredentialsError> {
        let mut h = HeaderMap::new();
        if let Ok(v) = HeaderValue::from_str(&format!("Bearer {}", self.0)) {
            h.insert(http::header::AUTHORIZATION, v);
        }
        Ok(CacheableResource::New {
            entity_tag: EntityTag::new(),
            data: h,
        })
    }

    async fn universe_domain(&self) -> Option<String> {
        Some("googleapis.com".to_string())
    }
}
