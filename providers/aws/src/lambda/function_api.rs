//! The Lambda calls `aws_lambda_function` is built on: reading a function and its tags, the
//! names of every function, the zip a `filename` names, and waiting for a state.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::{FunctionCode, FunctionConfiguration, LastUpdateStatus, State};
use labform_sdk::wait::{self, Poll};
use labform_sdk::{OpContext, ProviderError, Result, Value};

use crate::client::Aws;
use crate::{errors, tags};

/// The function's configuration, `None` when it does not exist. `name` is its name or ARN.
pub async fn configuration(aws: &Aws, name: &str) -> Result<Option<FunctionConfiguration>> {
    let out = errors::found(
        &format!("reading lambda function `{name}`"),
        aws.lambda.get_function().function_name(name).send().await,
    )?;
    Ok(out.and_then(|o| o.configuration))
}

/// Every tag of the function.
pub async fn tags(aws: &Aws, arn: &str) -> Result<BTreeMap<String, String>> {
    let out = aws
        .lambda
        .list_tags()
        .resource(arn)
        .send()
        .await
        .map_err(|e| errors::sdk(&format!("reading the tags of lambda function `{arn}`"), e))?;
    Ok(out.tags.unwrap_or_default().into_iter().collect())
}

/// Adds (or overwrites) `set` and removes `removed`.
pub async fn write_tags(
    aws: &Aws,
    arn: &str,
    set: BTreeMap<String, String>,
    removed: Vec<String>,
) -> Result<()> {
    let l = &aws.lambda;
    tags::write(
        &format!("lambda function `{arn}`"),
        (set, removed),
        tags::UNLIMITED,
        |keys| {
            l.untag_resource()
                .resource(arn)
                .set_tag_keys(Some(keys))
                .send()
        },
        |tags| {
            l.tag_resource()
                .resource(arn)
                .set_tags(Some(tags.into_iter().collect()))
                .send()
        },
    )
    .await
}

/// The names of every function in the region (all pages).
pub async fn names(aws: &Aws) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let page = aws
            .lambda
            .list_functions()
            .set_marker(marker.take())
            .send()
            .await
            .map_err(|e| errors::sdk("listing lambda functions", e))?;
        out.extend(
            page.functions()
                .iter()
                .filter_map(|f| f.function_name().map(str::to_string)),
        );
        match page.next_marker() {
            Some(m) if !m.is_empty() => marker = Some(m.to_string()),
            _ => return Ok(out),
        }
    }
}

/// The newest published version (`$LATEST` when none was published).
pub async fn latest_version(aws: &Aws, name: &str) -> Result<String> {
    let mut newest: Option<u64> = None;
    let mut marker: Option<String> = None;
    loop {
        let page = aws
            .lambda
            .list_versions_by_function()
            .function_name(name)
            .set_marker(marker.take())
            .send()
            .await
            .map_err(|e| {
                errors::sdk(
                    &format!("listing the versions of lambda function `{name}`"),
                    e,
                )
            })?;
        for v in page.versions() {
            if let Some(n) = v.version().and_then(|s| s.parse::<u64>().ok()) {
                newest = newest.max(Some(n));
            }
        }
        match page.next_marker() {
            Some(m) if !m.is_empty() => marker = Some(m.to_string()),
            _ => return Ok(newest.map_or_else(|| "$LATEST".to_string(), |n| n.to_string())),
        }
    }
}

/// The code a configuration names: the zip `filename` (read now, relative to the stack
/// directory as `aws_s3_object`'s `source` is), or `s3_bucket`/`s3_key`/`s3_object_version`.
pub async fn code(stack_dir: &Path, v: &Value) -> Result<FunctionCode> {
    if let Some(path) = v.str_attr("filename") {
        let full = if Path::new(path).is_absolute() {
            path.into()
        } else {
            stack_dir.join(path)
        };
        let bytes = tokio::fs::read(&full).await.map_err(|e| {
            ProviderError::invalid(format!("cannot read `filename` `{path}`: {e}"))
                .with_hint("build the zip first (an `archive_file` data source does), or fix the path: it is relative to the stack directory")
        })?;
        return Ok(FunctionCode::builder().zip_file(Blob::new(bytes)).build());
    }
    Ok(FunctionCode::builder()
        .set_s3_bucket(v.str_attr("s3_bucket").map(str::to_string))
        .set_s3_key(v.str_attr("s3_key").map(str::to_string))
        .set_s3_object_version(v.str_attr("s3_object_version").map(str::to_string))
        .build())
}

/// Waits until the function is `Active` and its last update `Successful` (Lambda refuses a
/// second change while one is in progress), for at most `limit`.
pub async fn wait_ready(aws: &Aws, name: &str, limit: Duration, ctx: &OpContext) -> Result<()> {
    let what = format!("lambda function `{name}`");
    wait::until(&what, "Active", limit, ctx, || async {
        let Some(c) = configuration(aws, name).await? else {
            return Ok(Poll::Failed(ProviderError::api(format!(
                "{what} disappeared while waiting for it to become `Active`"
            ))));
        };
        let failed = |why: Option<&str>| {
            Poll::Failed(ProviderError::api(format!(
                "{what} failed: {}",
                why.unwrap_or("no reason given")
            )))
        };
        Ok(match (c.state(), c.last_update_status()) {
            (Some(State::Failed), _) => failed(c.state_reason()),
            (_, Some(LastUpdateStatus::Failed)) => failed(c.last_update_status_reason()),
            (Some(State::Active) | None, Some(LastUpdateStatus::Successful) | None) => Poll::Done,
            (state, update) => Poll::Pending(format!(
                "{} / {}",
                state.map_or("-", State::as_str),
                update.map_or("-", LastUpdateStatus::as_str)
            )),
        })
    })
    .await
}
