//! What `aws_lambda_function` checks before any call: where the code comes from, the package
//! type labform supports, and the ranges the Lambda API enforces.

use labform_sdk::{ProviderError, Result, Value};

/// Checks a configuration (known values only).
pub fn validate(config: &Value) -> Result<()> {
    if let Some(kind) = config.str_attr("package_type") {
        if kind == "Image" {
            return Err(ProviderError::unsupported(
                "`package_type = \"Image\"` on `aws_lambda_function` is not supported yet",
            )
            .with_hint("package the function as a zip (`filename` or `s3_bucket`/`s3_key`)"));
        }
        if kind != "Zip" {
            return Err(ProviderError::invalid(format!(
                "`package_type` is `{kind}`: expected `Zip` or `Image`"
            )));
        }
    }
    code_source(config)?;
    for name in ["handler", "runtime"] {
        if config.get(name).is_null() {
            return Err(ProviderError::invalid(format!(
                "`{name}` must be set for a `Zip` function"
            ))
            .with_hint("e.g. `handler = \"index.handler\"` and `runtime = \"python3.12\"`"));
        }
    }
    in_range(config.i64_attr("timeout"), "timeout", 1, 900, "seconds")?;
    in_range(
        config.i64_attr("memory_size"),
        "memory_size",
        128,
        10240,
        "MB",
    )?;
    let size = config
        .list_attr("ephemeral_storage")
        .first()
        .and_then(|e| e.i64_attr("size"));
    in_range(size, "ephemeral_storage.size", 512, 10240, "MB")?;
    let mode = config
        .list_attr("tracing_config")
        .first()
        .and_then(|t| t.str_attr("mode"));
    if let Some(m) = mode.filter(|m| !matches!(*m, "Active" | "PassThrough")) {
        return Err(ProviderError::invalid(format!(
            "`tracing_config.mode` is `{m}`: expected `Active` or `PassThrough`"
        )));
    }
    if let Value::List(archs) = config.get("architectures") {
        if archs.len() > 1 {
            return Err(ProviderError::invalid(
                "`architectures` takes one value: `x86_64` or `arm64`",
            ));
        }
        if let Some(a) = archs
            .iter()
            .filter_map(Value::as_str)
            .find(|a| !matches!(*a, "x86_64" | "arm64"))
        {
            return Err(ProviderError::invalid(format!(
                "`architectures` holds `{a}`: expected `x86_64` or `arm64`"
            )));
        }
    }
    if config.list_attr("layers").len() > 5 {
        return Err(ProviderError::invalid(
            "`layers` holds more than 5 layer ARNs: Lambda takes at most 5",
        ));
    }
    Ok(())
}

/// Exactly one of `filename` and `s3_bucket` (with `s3_key`).
fn code_source(config: &Value) -> Result<()> {
    let set = |name: &str| !config.get(name).is_null();
    if set("filename") && (set("s3_bucket") || set("s3_key") || set("s3_object_version")) {
        return Err(ProviderError::invalid(
            "`filename` conflicts with `s3_bucket`, `s3_key` and `s3_object_version`",
        )
        .with_hint("give the code either as a local zip (`filename`) or as an S3 object"));
    }
    if !set("filename") && !set("s3_bucket") {
        return Err(ProviderError::invalid(
            "one of `filename` and `s3_bucket` must be set: the function needs its code",
        )
        .with_hint("point `filename` at a zip, e.g. `data.archive_file.x.output_path`"));
    }
    if set("s3_bucket") != set("s3_key") || (set("s3_object_version") && !set("s3_bucket")) {
        return Err(ProviderError::invalid(
            "`s3_bucket` and `s3_key` must be set together (and `s3_object_version` only with them)",
        ));
    }
    Ok(())
}

fn in_range(value: Option<i64>, name: &str, min: i64, max: i64, unit: &str) -> Result<()> {
    match value {
        Some(x) if !(min..=max).contains(&x) => Err(ProviderError::invalid(format!(
            "`{name}` is {x}: it must be between {min} and {max} {unit}"
        ))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip(pairs: &[(&str, Value)]) -> Value {
        let mut v = Value::from_pairs([
            ("filename", Value::from("f.zip")),
            ("handler", Value::from("index.h")),
            ("runtime", Value::from("python3.12")),
        ]);
        for (k, x) in pairs {
            v.set(*k, x.clone());
        }
        v
    }

    #[test]
    fn a_zip_from_a_file_passes() {
        assert!(validate(&zip(&[])).is_ok());
    }

    #[test]
    fn image_packages_are_named_as_unsupported() {
        let e = validate(&zip(&[("package_type", "Image".into())])).unwrap_err();
        assert!(e.message.contains("`package_type = \"Image\"`"), "{e}");
    }

    #[test]
    fn the_code_must_come_from_one_place() {
        let e = validate(&zip(&[("s3_bucket", "b".into()), ("s3_key", "k".into())])).unwrap_err();
        assert!(e.message.contains("conflicts"), "{e}");
        let e = validate(&zip(&[("filename", Value::Null)])).unwrap_err();
        assert!(
            e.message.contains("one of `filename` and `s3_bucket`"),
            "{e}"
        );
        let e = validate(&zip(&[
            ("filename", Value::Null),
            ("s3_bucket", "b".into()),
        ]))
        .unwrap_err();
        assert!(e.message.contains("together"), "{e}");
    }

    #[test]
    fn ranges_and_choices_are_named() {
        let e = validate(&zip(&[("timeout", Value::from(901))])).unwrap_err();
        assert!(e.message.contains("`timeout` is 901"), "{e}");
        let e = validate(&zip(&[("handler", Value::Null)])).unwrap_err();
        assert!(e.message.contains("`handler` must be set"), "{e}");
        let arch = Value::List(vec!["sparc".into()]);
        let e = validate(&zip(&[("architectures", arch)])).unwrap_err();
        assert!(e.message.contains("`sparc`"), "{e}");
    }
}
