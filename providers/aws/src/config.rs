//! The `provider "aws"` block: its schema, and turning it plus the environment (credential chain,
//! `AWS_ENDPOINT_URL*`, profiles) into an `SdkConfig` with tuned retries and timeouts.

use std::collections::BTreeMap;
use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_credential_types::provider::ProvideCredentials;
use aws_credential_types::Credentials;
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider as TlsProvider};
use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;
use aws_types::region::Region;
use aws_types::SdkConfig;
use labform_sdk::{Attribute, BlockSchema, NestedBlock, ProviderError, Result, Value};

use crate::errors::CREDENTIALS_HINT;
use crate::schema_util::{b, n, s, smap};

/// The schema of the provider block.
pub fn schema() -> BlockSchema {
    BlockSchema::new()
        .attrs(
            &["region", "profile", "access_key"],
            Attribute::optional(s()),
        )
        .attrs(
            &["secret_key", "token"],
            Attribute::optional(s()).sensitive(),
        )
        .attrs(
            &["skip_credentials_validation", "skip_requesting_account_id"],
            Attribute::optional(b()),
        )
        .attr("skip_metadata_api_check", Attribute::optional(s()))
        .attrs(
            &["skip_region_validation", "s3_use_path_style"],
            Attribute::optional(b()),
        )
        .attr("max_retries", Attribute::optional(n()))
        .block(
            "default_tags",
            NestedBlock::list(BlockSchema::new().attr("tags", Attribute::optional(smap()))).max(1),
        )
        .block(
            "endpoints",
            NestedBlock::set(
                BlockSchema::new()
                    .attrs(
                        &["s3", "s3api", "ec2", "glue", "iam", "kinesis"],
                        Attribute::optional(s()),
                    )
                    .attr("sts", Attribute::optional(s())),
            ),
        )
}

/// The provider block, read.
pub struct Settings {
    pub default_tags: BTreeMap<String, String>,
    /// Per-service endpoints from the `endpoints` block.
    pub endpoints: BTreeMap<&'static str, String>,
    pub skip_credentials_validation: bool,
    pub skip_requesting_account_id: bool,
    pub s3_use_path_style: bool,
}

impl Settings {
    pub fn from(config: &Value) -> Settings {
        let mut default_tags = BTreeMap::new();
        // TF_AWS_DEFAULT_TAGS_<key> adds default tags; the configuration wins on a clash.
        for (k, v) in std::env::vars() {
            if let Some(key) = k.strip_prefix("TF_AWS_DEFAULT_TAGS_") {
                default_tags.insert(key.to_string(), v);
            }
        }
        if let Some(block) = config.single_block("default_tags") {
            default_tags.extend(block.string_map_attr("tags"));
        }
        let mut endpoints = BTreeMap::new();
        for block in config.list_attr("endpoints") {
            for svc in ["s3api", "s3", "ec2", "glue", "iam", "kinesis", "sts"] {
                if let Some(url) = block.str_attr(svc).filter(|u| !u.is_empty()) {
                    endpoints.insert(if svc == "s3api" { "s3" } else { svc }, url.to_string());
                }
            }
        }
        Settings {
            default_tags,
            endpoints,
            skip_credentials_validation: config.bool_attr("skip_credentials_validation", false),
            skip_requesting_account_id: config.bool_attr("skip_requesting_account_id", false),
            s3_use_path_style: config.bool_attr("s3_use_path_style", false),
        }
    }

    /// The endpoint for `service` (`s3`, `ec2`, ...) from the block or the environment
    /// (`AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`).
    pub fn endpoint(&self, service: &str) -> Option<String> {
        if let Some(url) = self.endpoints.get(service) {
            return Some(url.clone());
        }
        let var = format!("AWS_ENDPOINT_URL_{}", service.to_uppercase());
        std::env::var(var)
            .ok()
            .or_else(|| std::env::var("AWS_ENDPOINT_URL").ok())
            .filter(|u| !u.is_empty())
    }
}

/// Loads the shared SDK configuration: region and credentials from the block, else the standard
/// chain (environment, shared config and credentials files, profiles, SSO, container and
/// instance metadata). Fails within seconds with a clear message when no credentials are found.
pub async fn load(config: &Value) -> Result<SdkConfig> {
    // `skip_metadata_api_check` needs nothing here: the instance-metadata probe at the end of
    // the credential chain is bounded below, and AWS_EC2_METADATA_DISABLED turns it off.
    let http = aws_smithy_http_client::Builder::new()
        .tls_provider(TlsProvider::Rustls(CryptoMode::Ring))
        .build_https();
    let max_attempts = config
        .i64_attr("max_retries")
        .map(|n| (n.clamp(0, 100) as u32) + 1)
        .unwrap_or(6);
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http)
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(max_attempts)
                .with_initial_backoff(Duration::from_millis(200))
                .with_max_backoff(Duration::from_secs(10)),
        )
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(5))
                .operation_attempt_timeout(Duration::from_secs(120))
                .build(),
        );
    if let Some(region) = config.str_attr("region") {
        loader = loader.region(Region::new(region.to_string()));
    }
    if let Some(profile) = config.str_attr("profile") {
        loader = loader.profile_name(profile);
    }
    match (config.str_attr("access_key"), config.str_attr("secret_key")) {
        (Some(ak), Some(sk)) => {
            let token = config.str_attr("token").map(str::to_string);
            loader = loader.credentials_provider(Credentials::new(
                ak,
                sk,
                token,
                None,
                "provider-block",
            ));
        }
        (Some(_), None) | (None, Some(_)) => {
            return Err(ProviderError::invalid(
                "the aws provider block sets only one of `access_key` and `secret_key`",
            )
            .with_hint("set both, or neither to use the standard credential chain"));
        }
        _ => {}
    }
    let sdk = loader.load().await;
    if sdk.region().is_none() {
        return Err(ProviderError::invalid("no aws region is configured").with_hint(
            "set `region` in the `provider \"aws\"` block, or `AWS_REGION` (or a region in your aws profile)",
        ));
    }
    check_credentials(&sdk).await?;
    Ok(sdk)
}

async fn check_credentials(sdk: &SdkConfig) -> Result<()> {
    let none =
        || ProviderError::credentials("no aws credentials found").with_hint(CREDENTIALS_HINT);
    let provider = sdk.credentials_provider().ok_or_else(none)?;
    // The chain ends with the instance-metadata probe, which can hang off EC2: bound it.
    match tokio::time::timeout(Duration::from_secs(8), provider.provide_credentials()).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => {
            let text = aws_smithy_types::error::display::DisplayErrorContext(&e).to_string();
            let mut err = none();
            if text.contains("profile") && !text.contains("could not find") {
                err = ProviderError::credentials("the aws profile could not be used to get credentials")
                    .with_hint("check the profile name and ~/.aws/config; for sso profiles run `aws sso login`");
            }
            Err(err)
        }
        Err(_) => Err(ProviderError::credentials(
            "no aws credentials found (the credential chain gave no answer within 8 s)",
        )
        .with_hint(format!(
            "{CREDENTIALS_HINT}; off EC2 also set `AWS_EC2_METADATA_DISABLED=true`"
        ))),
    }
}
