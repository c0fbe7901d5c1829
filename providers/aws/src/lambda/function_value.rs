//! `aws_lambda_function` between labform values and the Lambda API: the value read back from
//! a function's configuration, and the request pieces built from a planned value.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_lambda::types::{
    Architecture, Environment, EphemeralStorage, FunctionConfiguration, TracingConfig, TracingMode,
};
use labform_sdk::{ProviderError, Result, Value};

use crate::client::Aws;
use crate::schema_util as su;
use crate::tags;

/// Arguments that only configuration knows (the API does not return them).
const CONFIG_ONLY: [&str; 6] = [
    "filename",
    "s3_bucket",
    "s3_key",
    "s3_object_version",
    "source_code_hash",
    "timeouts",
];

/// The state value of the function `c` with its `remote` tags and published `version`;
/// `current` supplies what the API does not return.
pub fn value_of(
    aws: &Aws,
    empty: Value,
    c: &FunctionConfiguration,
    remote: BTreeMap<String, String>,
    version: &str,
    current: &Value,
) -> Value {
    let mut v = empty;
    su::keep(&mut v, current, &CONFIG_ONLY);
    v.set("publish", current.bool_attr("publish", false).into());
    let name = c.function_name().unwrap_or_default();
    let arn = c.function_arn().unwrap_or_default();
    let qualified = format!("{arn}:{version}");
    v.set("id", name.into());
    v.set("function_name", name.into());
    v.set("region", aws.region.as_str().into());
    v.set("arn", arn.into());
    v.set("invoke_arn", invoke_arn(&aws.region, arn).into());
    v.set(
        "response_streaming_invoke_arn",
        streaming_invoke_arn(&aws.region, arn).into(),
    );
    v.set(
        "qualified_invoke_arn",
        invoke_arn(&aws.region, &qualified).into(),
    );
    v.set("qualified_arn", qualified.into());
    v.set("version", version.into());
    v.set("role", c.role().unwrap_or_default().into());
    v.set("handler", c.handler().map_or(Value::Null, Value::from));
    v.set(
        "runtime",
        c.runtime().map_or(Value::Null, |r| r.as_str().into()),
    );
    v.set("description", c.description().unwrap_or_default().into());
    v.set(
        "timeout",
        c.timeout().map_or(Value::Null, |t| i64::from(t).into()),
    );
    v.set(
        "memory_size",
        c.memory_size().map_or(Value::Null, |m| i64::from(m).into()),
    );
    v.set(
        "package_type",
        c.package_type().map_or("Zip", |p| p.as_str()).into(),
    );
    let archs: Vec<&str> = c.architectures().iter().map(Architecture::as_str).collect();
    v.set(
        "architectures",
        strings(if archs.is_empty() {
            vec!["x86_64"]
        } else {
            archs
        }),
    );
    let layers: Vec<&str> = c.layers().iter().filter_map(|l| l.arn()).collect();
    v.set(
        "layers",
        if layers.is_empty() && current.get("layers").is_null() {
            Value::Null
        } else {
            strings(layers)
        },
    );
    let variables = c
        .environment()
        .and_then(|e| e.variables())
        .filter(|m| !m.is_empty());
    v.set(
        "environment",
        Value::List(
            variables
                .map(|m| Value::from_pairs([("variables", Value::string_map(m.clone()))]))
                .into_iter()
                .collect(),
        ),
    );
    v.set(
        "ephemeral_storage",
        Value::List(
            c.ephemeral_storage()
                .map(|e| Value::from_pairs([("size", Value::from(i64::from(e.size())))]))
                .into_iter()
                .collect(),
        ),
    );
    v.set(
        "tracing_config",
        Value::List(vec![Value::from_pairs([(
            "mode",
            Value::from(
                c.tracing_config()
                    .and_then(|t| t.mode())
                    .map_or("PassThrough", TracingMode::as_str),
            ),
        )])]),
    );
    v.set(
        "last_modified",
        c.last_modified().unwrap_or_default().into(),
    );
    v.set("code_sha256", c.code_sha256().unwrap_or_default().into());
    v.set("source_code_size", Value::from(c.code_size()));
    let (tags, tags_all) = tags::split_remote(aws, remote, current.get("tags"));
    v.set("tags", tags);
    v.set("tags_all", tags_all);
    v
}

/// The ARN API Gateway invokes the function (or one of its versions) by.
fn invoke_arn(region: &str, function_arn: &str) -> String {
    gateway_arn(region, function_arn, "2015-03-31", "invocations")
}

/// The ARN API Gateway invokes the function by with a streamed response.
fn streaming_invoke_arn(region: &str, function_arn: &str) -> String {
    gateway_arn(
        region,
        function_arn,
        "2021-11-15",
        "response-streaming-invocations",
    )
}

/// API Gateway's ARN of the Lambda API path `<api_version>/functions/<arn>/<action>`, in the
/// function's partition.
fn gateway_arn(region: &str, function_arn: &str, api_version: &str, action: &str) -> String {
    let partition = function_arn.split(':').nth(1).unwrap_or("aws");
    format!(
        "arn:{partition}:apigateway:{region}:lambda:path/{api_version}/functions/{function_arn}/{action}"
    )
}

fn strings(items: Vec<&str>) -> Value {
    Value::List(items.into_iter().map(Value::from).collect())
}

/// The `environment` of a planned value (no variables when the block is absent, which clears
/// them on an update).
pub fn environment(v: &Value) -> Environment {
    let variables: HashMap<String, String> = v
        .list_attr("environment")
        .first()
        .map(|e| e.string_map_attr("variables").into_iter().collect())
        .unwrap_or_default();
    Environment::builder()
        .set_variables(Some(variables))
        .build()
}

/// The `ephemeral_storage` of a planned value, when its size is set.
pub fn ephemeral_storage(v: &Value) -> Result<Option<EphemeralStorage>> {
    let size = v
        .list_attr("ephemeral_storage")
        .first()
        .and_then(|e| e.i64_attr("size"))
        .and_then(|s| i32::try_from(s).ok());
    size.map(|s| {
        EphemeralStorage::builder()
            .size(s)
            .build()
            .map_err(|e| ProviderError::api(format!("building a lambda request: {e}")))
    })
    .transpose()
}

/// The `tracing_config` of a planned value, when set.
pub fn tracing_config(v: &Value) -> Option<TracingConfig> {
    v.list_attr("tracing_config")
        .first()
        .and_then(|t| t.str_attr("mode"))
        .map(|m| TracingConfig::builder().mode(TracingMode::from(m)).build())
}

/// The configured `architectures`, `None` when unset (AWS's default, `x86_64`).
pub fn architectures(v: &Value) -> Option<Vec<Architecture>> {
    let archs = v.string_list_attr("architectures");
    (!archs.is_empty()).then(|| {
        archs
            .iter()
            .map(|a| Architecture::from(a.as_str()))
            .collect()
    })
}

/// Integer arguments as the API takes them.
pub fn int(v: &Value, name: &str) -> Option<i32> {
    v.i64_attr(name).and_then(|i| i32::try_from(i).ok())
}
