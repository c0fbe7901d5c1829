//! S3 as an object store for state (`backend "s3"`): conditional writes with `If-None-Match`
//! and `If-Match`, credentials and region from the block or the standard AWS chain, the
//! endpoint from `endpoints { s3 }` or `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_runtime::env_config::file::{
    EnvConfigFileKind as ProfileFileKind, EnvConfigFiles as ProfileFiles,
};
use aws_sdk_s3::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::ServerSideEncryption;
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider as TlsProvider};

use super::objects::{Condition, Object, ObjectStore};
use super::runtime::Runtime;
use crate::error::StateError;

/// What `backend "s3"` needs to reach its bucket.
#[derive(Clone, Debug, Default)]
pub struct S3Settings {
    pub bucket: String,
    pub region: Option<String>,
    pub endpoint: Option<String>,
    pub use_path_style: bool,
    pub profile: Option<String>,
    pub shared_credentials_files: Vec<String>,
    pub shared_config_files: Vec<String>,
    pub access_key: Option<String>,
    pub secret_key: Option<String>,
    pub token: Option<String>,
    pub encrypt: bool,
    pub kms_key_id: Option<String>,
}

/// A bucket reached through the AWS SDK.
pub struct S3Objects {
    client: aws_sdk_s3::Client,
    bucket: String,
    encrypt: bool,
    kms_key_id: Option<String>,
    rt: Runtime,
}

impl S3Objects {
    /// Builds the client (no call is made until used).
    pub fn connect(settings: &S3Settings) -> Result<S3Objects, StateError> {
        let rt = Runtime::new()?;
        let client = rt.block(client(settings))?;
        Ok(S3Objects {
            client,
            bucket: settings.bucket.clone(),
            encrypt: settings.encrypt,
            kms_key_id: settings.kms_key_id.clone(),
            rt,
        })
    }

    fn error<E>(&self, action: &'static str, key: &str, e: SdkError<E>) -> StateError
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let code = e.code().map(str::to_string);
        let status = e.raw_response().map(|r| r.status().as_u16());
        let mut message = match (&code, e.message()) {
            (Some(code), Some(m)) if !m.is_empty() => format!("{code}: {m}"),
            (Some(code), _) => code.clone(),
            _ => aws_smithy_types::error::display::DisplayErrorContext(&e).to_string(),
        };
        if code.as_deref() == Some("NoSuchBucket") || (status == Some(404) && key.is_empty()) {
            message.push_str(&format!(
                "\nhint: the bucket `{}` must exist before labform can keep state in it: create it (with versioning, as Terraform recommends) and run again",
                self.bucket
            ));
        } else if matches!(status, Some(401 | 403)) {
            message.push_str("\nhint: check the aws credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID, `profile` or `shared_credentials_files` in the backend block) and that they may use this bucket");
        }
        StateError::Remote {
            action,
            object: self.name(key),
            message,
        }
    }
}

async fn client(s: &S3Settings) -> Result<aws_sdk_s3::Client, StateError> {
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(TlsProvider::Rustls(CryptoMode::Ring))
        .build_https();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http)
        .retry_config(RetryConfig::standard().with_max_attempts(4))
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(5))
                .operation_attempt_timeout(Duration::from_secs(60))
                .build(),
        );
    if let Some(region) = &s.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(profile) = &s.profile {
        loader = loader.profile_name(profile);
    }
    if !s.shared_credentials_files.is_empty() || !s.shared_config_files.is_empty() {
        let mut files = ProfileFiles::builder();
        for f in &s.shared_credentials_files {
            files = files.with_file(ProfileFileKind::Credentials, expand_home(f));
        }
        for f in &s.shared_config_files {
            files = files.with_file(ProfileFileKind::Config, expand_home(f));
        }
        if s.shared_config_files.is_empty() {
            files = files.include_default_config_file(true);
        }
        if s.shared_credentials_files.is_empty() {
            files = files.include_default_credentials_file(true);
        }
        loader = loader.profile_files(files.build());
    }
    if let (Some(ak), Some(sk)) = (&s.access_key, &s.secret_key) {
        loader = loader.credentials_provider(aws_sdk_s3::config::Credentials::new(
            ak,
            sk,
            s.token.clone(),
            None,
            "backend-block",
        ));
    }
    let sdk = loader.load().await;
    if sdk.region().is_none() {
        return Err(StateError::BackendConfig(
            "the s3 backend needs a region\nhint: set `region` in the `backend \"s3\"` block, or `AWS_REGION`".into(),
        ));
    }
    let mut conf = aws_sdk_s3::config::Builder::from(&sdk);
    let endpoint = s.endpoint.clone().or_else(|| {
        ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"]
            .iter()
            .find_map(|v| std::env::var(v).ok().filter(|u| !u.is_empty()))
    });
    if let Some(url) = &endpoint {
        conf = conf.endpoint_url(url);
    }
    // An endpoint override (an emulator) takes path-style URLs: no DNS name per bucket.
    conf = conf.force_path_style(s.use_path_style || endpoint.is_some());
    Ok(aws_sdk_s3::Client::from_conf(conf.build()))
}

fn expand_home(path: &str) -> String {
    match (path.strip_prefix("~/"), std::env::var("HOME")) {
        (Some(rest), Ok(home)) => format!("{home}/{rest}"),
        _ => path.to_string(),
    }
}

/// True for the answers to a write whose condition did not hold.
fn precondition<E>(e: &SdkError<E>) -> bool {
    matches!(
        e.raw_response().map(|r| r.status().as_u16()),
        Some(412 | 409)
    )
}

fn not_found<E: ProvideErrorMetadata>(e: &SdkError<E>) -> bool {
    e.raw_response().map(|r| r.status().as_u16()) == Some(404) && e.code() != Some("NoSuchBucket")
}

impl ObjectStore for S3Objects {
    fn name(&self, key: &str) -> String {
        format!("s3://{}/{key}", self.bucket)
    }

    fn get(&self, key: &str) -> Result<Option<Object>, StateError> {
        self.rt.block(async {
            let out = match self
                .client
                .get_object()
                .bucket(&self.bucket)
                .key(key)
                .send()
                .await
            {
                Ok(out) => out,
                Err(e) if not_found(&e) => return Ok(None),
                Err(e) => return Err(self.error("read", key, e)),
            };
            let version = out.e_tag().unwrap_or_default().to_string();
            let bytes = out.body.collect().await.map_err(|e| StateError::Remote {
                action: "read",
                object: self.name(key),
                message: e.to_string(),
            })?;
            Ok(Some(Object {
                bytes: bytes.into_bytes().to_vec(),
                version,
            }))
        })
    }

    fn put(
        &self,
        key: &str,
        bytes: &[u8],
        condition: Condition<'_>,
    ) -> Result<Option<String>, StateError> {
        let mut req = self
            .client
            .put_object()
            .bucket(&self.bucket)
            .key(key)
            .content_type("application/json")
            .body(ByteStream::from(bytes.to_vec()));
        req = match condition {
            Condition::Absent => req.if_none_match("*"),
            Condition::Matches(etag) => req.if_match(etag),
        };
        if let Some(kms) = &self.kms_key_id {
            req = req
                .server_side_encryption(ServerSideEncryption::AwsKms)
                .ssekms_key_id(kms);
        } else if self.encrypt {
            req = req.server_side_encryption(ServerSideEncryption::Aes256);
        }
        self.rt.block(async {
            match req.send().await {
                Ok(out) => Ok(Some(out.e_tag().unwrap_or_default().to_string())),
                Err(e) if precondition(&e) => Ok(None),
                // S3 answers a conditional write on a missing key with 404 only for `If-Match`.
                Err(e) if matches!(condition, Condition::Matches(_)) && not_found(&e) => Ok(None),
                Err(e) => Err(self.error("write", key, e)),
            }
        })
    }

    fn delete(&self, key: &str) -> Result<(), StateError> {
        self.rt.block(async {
            match self
                .client
                .delete_object()
                .bucket(&self.bucket)
                .key(key)
                .send()
                .await
            {
                Ok(_) => Ok(()),
                Err(e) if not_found(&e) => Ok(()),
                Err(e) => Err(self.error("delete", key, e)),
            }
        })
    }

    fn list(&self, prefix: &str) -> Result<Vec<String>, StateError> {
        self.rt.block(async {
            let mut keys = Vec::new();
            let mut token: Option<String> = None;
            loop {
                let out = self
                    .client
                    .list_objects_v2()
                    .bucket(&self.bucket)
                    .prefix(prefix)
                    .set_continuation_token(token.take())
                    .send()
                    .await
                    .map_err(|e| self.error("list", prefix, e))?;
                keys.extend(
                    out.contents()
                        .iter()
                        .filter_map(|o| o.key().map(str::to_string)),
                );
                match out.next_continuation_token() {
                    Some(t) if out.is_truncated() == Some(true) => token = Some(t.to_string()),
                    _ => break,
                }
            }
            keys.sort();
            Ok(keys)
        })
    }

    fn check(&self) -> Result<String, StateError> {
        self.rt.block(async {
            self.client
                .head_bucket()
                .bucket(&self.bucket)
                .send()
                .await
                .map_err(|e| self.error("reach the bucket", "", e))?;
            Ok(format!("s3 bucket `{}` is reachable", self.bucket))
        })
    }
}
