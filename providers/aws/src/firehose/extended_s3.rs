//! The `extended_s3_configuration` block of `aws_kinesis_firehose_delivery_stream`: its schema,
//! the API's create and update forms of it, and the block read back from a description.
//!
//! moto 5.1.22 echoes the destination exactly as it was sent and fills in nothing (no default
//! buffering hints, compression or logging options, no default processor parameters), while
//! AWS fills all of these. So every setting with a default is sent explicitly, and a read treats
//! what is missing as the default AWS would have filled.

use aws_sdk_firehose::types::{
    BufferingHints, CloudWatchLoggingOptions, CompressionFormat, EncryptionConfiguration,
    ExtendedS3DestinationConfiguration, ExtendedS3DestinationDescription,
    ExtendedS3DestinationUpdate, KmsEncryptionConfig, NoEncryptionConfig, ProcessingConfiguration,
    Processor, ProcessorParameter, ProcessorParameterName, ProcessorType, S3BackupMode,
};
use labform_sdk::{Attribute, BlockSchema, NestedBlock, ProviderError, Result, Value};

use crate::schema_util::{b, n, s};

/// Defaults of the provider's schema.
const INTERVAL: i64 = 300;
const SIZE: i64 = 5;
const UNCOMPRESSED: &str = "UNCOMPRESSED";
const TIME_ZONE: &str = "UTC";
const BACKUP_DISABLED: &str = "Disabled";

pub fn schema() -> BlockSchema {
    let logging = BlockSchema::new()
        .attr("enabled", Attribute::optional(b()).default(false))
        .attrs(
            &["log_group_name", "log_stream_name"],
            Attribute::optional(s()),
        );
    let parameter = BlockSchema::new().attrs(
        &["parameter_name", "parameter_value"],
        Attribute::required(s()),
    );
    let processor = BlockSchema::new()
        .attr("type", Attribute::required(s()))
        .block("parameters", NestedBlock::set(parameter));
    let processing = BlockSchema::new()
        .attr("enabled", Attribute::optional(b()))
        .block("processors", NestedBlock::list(processor));
    BlockSchema::new()
        .attrs(&["bucket_arn", "role_arn"], Attribute::required(s()))
        .attr(
            "buffering_interval",
            Attribute::optional(n()).default(INTERVAL),
        )
        .attr("buffering_size", Attribute::optional(n()).default(SIZE))
        .attr(
            "compression_format",
            Attribute::optional(s()).default(UNCOMPRESSED),
        )
        .attr(
            "custom_time_zone",
            Attribute::optional(s()).default(TIME_ZONE),
        )
        .attrs(
            &[
                "error_output_prefix",
                "file_extension",
                "kms_key_arn",
                "prefix",
            ],
            Attribute::optional(s()),
        )
        .attr(
            "s3_backup_mode",
            Attribute::optional(s()).default(BACKUP_DISABLED),
        )
        // Optional and computed in the provider: AWS always reports the options.
        .block(
            "cloudwatch_logging_options",
            NestedBlock::list(logging).max(1).computed(),
        )
        // The provider suppresses the difference when the block is left out of the
        // configuration (SuppressMissingOptionalConfigurationBlock), so AWS's disabled, empty
        // processing configuration in a Terraform state plans no change: the recorded block
        // is kept, as for a computed one.
        .block(
            "processing_configuration",
            NestedBlock::list(processing).max(1).computed(),
        )
}

/// Rejects what the API or labform does not take, naming it.
pub fn validate(block: &Value) -> Result<()> {
    if let Some(mode) = block.str_attr("s3_backup_mode") {
        if mode != BACKUP_DISABLED {
            return Err(ProviderError::unsupported(format!(
                "`extended_s3_configuration.s3_backup_mode = \"{mode}\"` is not supported yet: it needs `s3_backup_configuration`"
            ))
            .with_hint("leave `s3_backup_mode` out (it defaults to `Disabled`)"));
        }
    }
    if let Some(c) = block.str_attr("compression_format") {
        if !CompressionFormat::values().contains(&c) {
            return Err(ProviderError::invalid(format!(
                "`extended_s3_configuration.compression_format` is `{c}`: expected one of {}",
                CompressionFormat::values().join(", ")
            )));
        }
    }
    for p in processors(block) {
        if let Some(t) = p.str_attr("type") {
            if !ProcessorType::values().contains(&t) {
                return Err(ProviderError::invalid(format!(
                    "processor `type` is `{t}`: expected one of {}",
                    ProcessorType::values().join(", ")
                )));
            }
        }
        for param in p.list_attr("parameters") {
            if let Some(name) = param.str_attr("parameter_name") {
                if !ProcessorParameterName::values().contains(&name) {
                    return Err(ProviderError::invalid(format!(
                        "processor `parameter_name` is `{name}`: expected one of {}",
                        ProcessorParameterName::values().join(", ")
                    )));
                }
            }
        }
    }
    Ok(())
}

fn processors(block: &Value) -> &[Value] {
    block
        .single_block("processing_configuration")
        .map_or(&[], |p| p.list_attr("processors"))
}

fn int(v: &Value, name: &str, default: i64) -> i32 {
    i32::try_from(v.i64_attr(name).unwrap_or(default)).unwrap_or(i32::MAX)
}

fn string(v: &Value, name: &str) -> Option<String> {
    v.str_attr(name).map(str::to_string)
}

fn built<T, E: std::fmt::Display>(r: Result<T, E>) -> Result<T> {
    r.map_err(|e| ProviderError::invalid(format!("building a firehose request: {e}")))
}

/// The destination as the API takes it, built once from the planned block for a create or an
/// update.
pub struct Destination {
    role_arn: String,
    bucket_arn: String,
    prefix: Option<String>,
    error_output_prefix: Option<String>,
    buffering: BufferingHints,
    compression: CompressionFormat,
    encryption: EncryptionConfiguration,
    logging: Option<CloudWatchLoggingOptions>,
    processing: Option<ProcessingConfiguration>,
    backup: S3BackupMode,
    file_extension: Option<String>,
    time_zone: Option<String>,
}

impl Destination {
    /// `update`: a removed `processing_configuration` is sent as disabled, so AWS drops it.
    pub fn from_block(block: &Value, update: bool) -> Result<Self> {
        let required = |name: &str| {
            string(block, name).ok_or_else(|| {
                ProviderError::invalid(format!(
                    "`extended_s3_configuration.{name}` must be set to a known value"
                ))
            })
        };
        let encryption = match block.str_attr("kms_key_arn") {
            Some(key) => EncryptionConfiguration::builder()
                .kms_encryption_config(built(
                    KmsEncryptionConfig::builder().awskms_key_arn(key).build(),
                )?)
                .build(),
            None => EncryptionConfiguration::builder()
                .no_encryption_config(NoEncryptionConfig::NoEncryption)
                .build(),
        };
        let logging = block.single_block("cloudwatch_logging_options").map(|l| {
            CloudWatchLoggingOptions::builder()
                .enabled(l.bool_attr("enabled", false))
                .set_log_group_name(string(l, "log_group_name"))
                .set_log_stream_name(string(l, "log_stream_name"))
                .build()
        });
        let processing = match block.single_block("processing_configuration") {
            Some(p) => Some(processing_of(p)?),
            None if update => Some(
                ProcessingConfiguration::builder()
                    .enabled(false)
                    .set_processors(Some(vec![]))
                    .build(),
            ),
            None => None,
        };
        Ok(Destination {
            role_arn: required("role_arn")?,
            bucket_arn: required("bucket_arn")?,
            prefix: string(block, "prefix"),
            error_output_prefix: string(block, "error_output_prefix"),
            buffering: BufferingHints::builder()
                .interval_in_seconds(int(block, "buffering_interval", INTERVAL))
                .size_in_mbs(int(block, "buffering_size", SIZE))
                .build(),
            compression: CompressionFormat::from(
                block.str_attr("compression_format").unwrap_or(UNCOMPRESSED),
            ),
            encryption,
            logging,
            processing,
            backup: S3BackupMode::from(block.str_attr("s3_backup_mode").unwrap_or(BACKUP_DISABLED)),
            file_extension: string(block, "file_extension"),
            time_zone: string(block, "custom_time_zone"),
        })
    }

    pub fn for_create(self) -> Result<ExtendedS3DestinationConfiguration> {
        built(
            ExtendedS3DestinationConfiguration::builder()
                .role_arn(self.role_arn)
                .bucket_arn(self.bucket_arn)
                .set_prefix(self.prefix)
                .set_error_output_prefix(self.error_output_prefix)
                .buffering_hints(self.buffering)
                .compression_format(self.compression)
                .encryption_configuration(self.encryption)
                .set_cloud_watch_logging_options(self.logging)
                .set_processing_configuration(self.processing)
                .s3_backup_mode(self.backup)
                .set_file_extension(self.file_extension)
                .set_custom_time_zone(self.time_zone)
                .build(),
        )
    }

    pub fn for_update(self) -> ExtendedS3DestinationUpdate {
        ExtendedS3DestinationUpdate::builder()
            .role_arn(self.role_arn)
            .bucket_arn(self.bucket_arn)
            // An update leaves out what it does not name: an empty prefix clears it.
            .prefix(self.prefix.unwrap_or_default())
            .error_output_prefix(self.error_output_prefix.unwrap_or_default())
            .buffering_hints(self.buffering)
            .compression_format(self.compression)
            .encryption_configuration(self.encryption)
            .set_cloud_watch_logging_options(self.logging)
            .set_processing_configuration(self.processing)
            .s3_backup_mode(self.backup)
            .file_extension(self.file_extension.unwrap_or_default())
            .set_custom_time_zone(self.time_zone)
            .build()
    }
}

fn processing_of(p: &Value) -> Result<ProcessingConfiguration> {
    let mut processors = Vec::new();
    for proc in p.list_attr("processors") {
        let mut params = Vec::new();
        for param in proc.list_attr("parameters") {
            params.push(built(
                ProcessorParameter::builder()
                    .parameter_name(ProcessorParameterName::from(
                        param.str_attr("parameter_name").unwrap_or_default(),
                    ))
                    .parameter_value(param.str_attr("parameter_value").unwrap_or_default())
                    .build(),
            )?);
        }
        processors.push(built(
            Processor::builder()
                .r#type(ProcessorType::from(
                    proc.str_attr("type").unwrap_or_default(),
                ))
                .set_parameters(Some(params))
                .build(),
        )?);
    }
    Ok(ProcessingConfiguration::builder()
        .set_enabled(p.get("enabled").as_bool())
        .set_processors(Some(processors))
        .build())
}

/// Parameters AWS adds to a processor when they are not given, as the provider lists them
/// (see AWS's data-transformation guide): read back, they are left out, so a configuration
/// that does not name them plans no change.
fn is_default_parameter(kind: &ProcessorType, name: &str, value: &str, role_arn: &str) -> bool {
    *kind == ProcessorType::Lambda
        && match name {
            "NumberOfRetries" => value == "3",
            "BufferIntervalInSeconds" => value == "60",
            "BufferSizeInMBs" => value == "1",
            "RoleArn" => !role_arn.is_empty() && value == role_arn,
            _ => false,
        }
}

fn processing_value(pc: &ProcessingConfiguration, role_arn: &str) -> Value {
    let processors = pc
        .processors()
        .iter()
        .map(|p| {
            let mut params: Vec<(String, String)> = p
                .parameters()
                .iter()
                .map(|x| {
                    (
                        x.parameter_name().as_str().to_string(),
                        x.parameter_value().to_string(),
                    )
                })
                .filter(|(k, v)| !is_default_parameter(p.r#type(), k, v, role_arn))
                .collect();
            params.sort();
            Value::from_pairs([
                ("type", Value::from(p.r#type().as_str())),
                (
                    "parameters",
                    Value::List(
                        params
                            .into_iter()
                            .map(|(k, v)| {
                                Value::from_pairs([
                                    ("parameter_name", Value::from(k)),
                                    ("parameter_value", Value::from(v)),
                                ])
                            })
                            .collect(),
                    ),
                ),
            ])
        })
        .collect();
    Value::from_pairs([
        ("enabled", Value::from(pc.enabled().unwrap_or(false))),
        ("processors", Value::List(processors)),
    ])
}

fn text(v: Option<&str>) -> Value {
    v.map_or(Value::Null, Value::from)
}

/// The block as read from AWS. `current` is the block last planned or recorded (null on
/// import): a processing configuration AWS reports as disabled and empty is shown as absent
/// when `current` has none, as the provider suppresses that difference.
pub fn value_of(d: &ExtendedS3DestinationDescription, current: Option<&Value>) -> Value {
    let hints = d.buffering_hints();
    let processing = match d.processing_configuration() {
        Some(pc)
            if pc.processors().is_empty()
                && !pc.enabled().unwrap_or(false)
                && current.is_none_or(|c| c.list_attr("processing_configuration").is_empty()) =>
        {
            vec![]
        }
        Some(pc) => vec![processing_value(pc, d.role_arn())],
        None => vec![],
    };
    let logging = d.cloud_watch_logging_options().map(|l| {
        Value::from_pairs([
            ("enabled", Value::from(l.enabled().unwrap_or(false))),
            ("log_group_name", text(l.log_group_name())),
            ("log_stream_name", text(l.log_stream_name())),
        ])
    });
    let kms = d
        .encryption_configuration()
        .and_then(|e| e.kms_encryption_config())
        .map(|k| k.awskms_key_arn());
    let hint = |v: Option<i32>, default: i64| Value::from(v.map_or(default, i64::from));
    // An update sends an empty prefix or extension to clear one: read back as unset.
    let cleared = |v: Option<&str>| text(v.filter(|s| !s.is_empty()));
    Value::from_pairs([
        ("bucket_arn", Value::from(d.bucket_arn())),
        ("role_arn", Value::from(d.role_arn())),
        (
            "buffering_interval",
            hint(
                hints.and_then(BufferingHints::interval_in_seconds),
                INTERVAL,
            ),
        ),
        (
            "buffering_size",
            hint(hints.and_then(BufferingHints::size_in_mbs), SIZE),
        ),
        (
            "compression_format",
            Value::from(match d.compression_format().as_str() {
                "" => UNCOMPRESSED,
                c => c,
            }),
        ),
        (
            "custom_time_zone",
            Value::from(d.custom_time_zone().unwrap_or(TIME_ZONE)),
        ),
        ("error_output_prefix", cleared(d.error_output_prefix())),
        ("file_extension", cleared(d.file_extension())),
        ("kms_key_arn", text(kms)),
        ("prefix", cleared(d.prefix())),
        (
            "s3_backup_mode",
            Value::from(d.s3_backup_mode().map_or(BACKUP_DISABLED, |m| m.as_str())),
        ),
        (
            "cloudwatch_logging_options",
            Value::List(logging.into_iter().collect()),
        ),
        ("processing_configuration", Value::List(processing)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lambda_defaults_are_left_out() {
        let lambda = ProcessorType::Lambda;
        assert!(is_default_parameter(&lambda, "BufferSizeInMBs", "1", "r"));
        assert!(is_default_parameter(&lambda, "NumberOfRetries", "3", "r"));
        assert!(is_default_parameter(&lambda, "RoleArn", "r", "r"));
        assert!(!is_default_parameter(&lambda, "BufferSizeInMBs", "3", "r"));
        assert!(!is_default_parameter(&lambda, "LambdaArn", "x", "r"));
        assert!(!is_default_parameter(&lambda, "RoleArn", "other", "r"));
    }

    #[test]
    fn names_from_ids() {
        assert_eq!(
            crate::firehose::delivery_stream_api::name_of(
                "arn:aws:firehose:us-east-1:123456789012:deliverystream/lake"
            ),
            "lake"
        );
        assert_eq!(
            crate::firehose::delivery_stream_api::name_of("lake"),
            "lake"
        );
    }
}
