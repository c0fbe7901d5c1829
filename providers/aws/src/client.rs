//! The configured AWS clients, shared by every resource of one provider block.

use std::collections::BTreeMap;
use std::path::PathBuf;

use aws_types::SdkConfig;
use labform_sdk::{ProviderContext, Result};
use tokio::sync::OnceCell;

use crate::config::Settings;
use crate::errors;

/// Clients plus what every resource needs to know: region, tags to merge, the stack directory.
/// Its `Debug` shows none of the clients (whose configuration holds the credentials).
pub struct Aws {
    pub s3: aws_sdk_s3::Client,
    pub ec2: aws_sdk_ec2::Client,
    pub glue: aws_sdk_glue::Client,
    pub iam: aws_sdk_iam::Client,
    pub kinesis: aws_sdk_kinesis::Client,
    pub rds: aws_sdk_rds::Client,
    pub lambda: aws_sdk_lambda::Client,
    pub firehose: aws_sdk_firehose::Client,
    pub redshift: aws_sdk_redshift::Client,
    pub sts: aws_sdk_sts::Client,
    pub region: String,
    pub default_tags: BTreeMap<String, String>,
    pub mark: BTreeMap<String, String>,
    pub stack_dir: PathBuf,
    skip_account_id: bool,
    account: OnceCell<String>,
}

impl std::fmt::Debug for Aws {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Aws")
            .field("region", &self.region)
            .field("default_tags", &self.default_tags)
            .field("mark", &self.mark)
            .field("stack_dir", &self.stack_dir)
            .finish_non_exhaustive()
    }
}

/// A service client's configuration from the shared one, pointed at the endpoint the provider
/// block or `AWS_ENDPOINT_URL_<SERVICE>` gives for `$service`, if any.
macro_rules! client_config {
    ($sdk_crate:ident, $sdk:expr, $settings:expr, $service:literal) => {{
        let mut builder = $sdk_crate::config::Builder::from($sdk);
        if let Some(url) = $settings.endpoint($service) {
            builder = builder.endpoint_url(url);
        }
        builder
    }};
}

impl Aws {
    pub fn new(sdk: &SdkConfig, settings: &Settings, ctx: &ProviderContext) -> Aws {
        let s3_endpoint = settings.endpoint("s3");
        let mut s3 = aws_sdk_s3::config::Builder::from(sdk);
        // With an endpoint override (a local emulator) S3 uses path-style URLs: no DNS per bucket.
        if let Some(url) = &s3_endpoint {
            s3 = s3.endpoint_url(url);
        }
        s3 = s3.force_path_style(settings.s3_use_path_style || s3_endpoint.is_some());
        let ec2 = client_config!(aws_sdk_ec2, sdk, settings, "ec2");
        let glue = client_config!(aws_sdk_glue, sdk, settings, "glue");
        let iam = client_config!(aws_sdk_iam, sdk, settings, "iam");
        let kinesis = client_config!(aws_sdk_kinesis, sdk, settings, "kinesis");
        let rds = client_config!(aws_sdk_rds, sdk, settings, "rds");
        let lambda = client_config!(aws_sdk_lambda, sdk, settings, "lambda");
        let firehose = client_config!(aws_sdk_firehose, sdk, settings, "firehose");
        let redshift = client_config!(aws_sdk_redshift, sdk, settings, "redshift");
        let sts = client_config!(aws_sdk_sts, sdk, settings, "sts");
        Aws {
            s3: aws_sdk_s3::Client::from_conf(s3.build()),
            ec2: aws_sdk_ec2::Client::from_conf(ec2.build()),
            glue: aws_sdk_glue::Client::from_conf(glue.build()),
            iam: aws_sdk_iam::Client::from_conf(iam.build()),
            kinesis: aws_sdk_kinesis::Client::from_conf(kinesis.build()),
            rds: aws_sdk_rds::Client::from_conf(rds.build()),
            lambda: aws_sdk_lambda::Client::from_conf(lambda.build()),
            firehose: aws_sdk_firehose::Client::from_conf(firehose.build()),
            redshift: aws_sdk_redshift::Client::from_conf(redshift.build()),
            sts: aws_sdk_sts::Client::from_conf(sts.build()),
            region: sdk.region().map(|r| r.to_string()).unwrap_or_default(),
            default_tags: settings.default_tags.clone(),
            mark: ctx.mark(),
            stack_dir: ctx.stack_dir.clone(),
            skip_account_id: settings.skip_requesting_account_id,
            account: OnceCell::new(),
        }
    }

    /// The caller's account id (for ARNs and the Glue catalog id); empty when
    /// `skip_requesting_account_id` is set.
    pub async fn account_id(&self) -> Result<String> {
        if self.skip_account_id {
            return Ok(String::new());
        }
        self.account
            .get_or_try_init(|| async {
                let out = self
                    .sts
                    .get_caller_identity()
                    .send()
                    .await
                    .map_err(|e| errors::sdk("getting the caller identity", e))?;
                Ok(out.account().unwrap_or_default().to_string())
            })
            .await
            .cloned()
    }

    /// The partition of ARNs in this region.
    pub fn partition(&self) -> &'static str {
        if self.region.starts_with("cn-") {
            "aws-cn"
        } else if self.region.starts_with("us-gov-") {
            "aws-us-gov"
        } else {
            "aws"
        }
    }
}

#[cfg(test)]
mod tests {
    use aws_credential_types::provider::ProvideCredentials;

    use super::*;

    /// Credentials given in the provider block never reach `Debug` output: not the SDK
    /// configuration's, not a client's, not ours.
    #[tokio::test]
    async fn credentials_never_reach_debug_output() {
        const SECRET: &str = "canary-secret-key-3f9a0c";
        const TOKEN: &str = "canary-session-token-77c1e2";
        let mut c = crate::config::schema().empty_value();
        c.set("region", "eu-west-1".into());
        c.set("access_key", "AKIACANARYKEYID".into());
        c.set("secret_key", SECRET.into());
        c.set("token", TOKEN.into());
        let sdk = crate::config::load(&c)
            .await
            .expect("static keys load without any call");
        let ctx = ProviderContext {
            stack_name: "canary".into(),
            stack_dir: std::env::temp_dir(),
            stack_id: String::new(),
            expires: None,
        };
        let aws = Aws::new(&sdk, &Settings::from(&c), &ctx);
        let creds = sdk
            .credentials_provider()
            .expect("a credentials provider")
            .provide_credentials()
            .await
            .expect("credentials");
        // The canaries really are in there, so the checks below can fail.
        assert_eq!(creds.secret_access_key(), SECRET);
        assert_eq!(creds.session_token(), Some(TOKEN));
        for (what, text) in [
            ("sdk config", format!("{sdk:?}")),
            ("credentials", format!("{creds:?}")),
            ("s3 client", format!("{:?}", aws.s3)),
            ("ec2 client", format!("{:?}", aws.ec2)),
            ("glue client", format!("{:?}", aws.glue)),
            ("kinesis client", format!("{:?}", aws.kinesis)),
            ("sts client", format!("{:?}", aws.sts)),
            ("provider clients", format!("{aws:?}")),
        ] {
            assert!(
                !text.contains(SECRET),
                "{what} shows the secret key: {text}"
            );
            assert!(
                !text.contains(TOKEN),
                "{what} shows the session token: {text}"
            );
        }
        assert!(format!("{aws:?}").contains("eu-west-1"));
    }
}
