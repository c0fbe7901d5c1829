//! The Kinesis calls `aws_kinesis_stream` is built on: reading a stream's summary and tags,
//! waiting for a status, and writing tags in the API's batches of ten.

use std::collections::BTreeMap;
use std::time::Duration;

use aws_sdk_kinesis::types::{StreamDescriptionSummary, StreamStatus, Tag};
use labform_sdk::wait::{self, Poll};
use labform_sdk::{OpContext, ProviderError, Result};

use crate::client::Aws;
use crate::paging::{after_last_key, tags_after_last_key};
use crate::{errors, tags};

/// AddTagsToStream and RemoveTagsFromStream take at most ten tags a call.
const TAG_BATCH: usize = 10;

/// The stream's summary, `None` when it does not exist. `id` is its ARN or its name (an
/// import id is the name).
pub async fn summary(aws: &Aws, id: &str) -> Result<Option<StreamDescriptionSummary>> {
    let req = aws.kinesis.describe_stream_summary();
    let req = if id.starts_with("arn:") {
        req.stream_arn(id)
    } else {
        req.stream_name(id)
    };
    let out = errors::found(&format!("reading kinesis stream `{id}`"), req.send().await)?;
    Ok(out.and_then(|o| o.stream_description_summary))
}

/// Every tag of the stream (all pages).
pub async fn tags(aws: &Aws, name: &str) -> Result<BTreeMap<String, String>> {
    tags_after_last_key(
        |start| async move {
            let page = aws
                .kinesis
                .list_tags_for_stream()
                .stream_name(name)
                .set_exclusive_start_tag_key(start)
                .send()
                .await
                .map_err(|e| {
                    errors::sdk(&format!("reading the tags of kinesis stream `{name}`"), e)
                })?;
            Ok((page.tags().to_vec(), page.has_more_tags()))
        },
        |t: &Tag| {
            (
                t.key().to_string(),
                t.value().unwrap_or_default().to_string(),
            )
        },
    )
    .await
}

/// The names of every stream in the region (all pages).
pub async fn names(aws: &Aws) -> Result<Vec<String>> {
    after_last_key(
        |start| async move {
            let page = aws
                .kinesis
                .list_streams()
                .set_exclusive_start_stream_name(start)
                .send()
                .await
                .map_err(|e| errors::sdk("listing kinesis streams", e))?;
            Ok((page.stream_names().to_vec(), page.has_more_streams()))
        },
        String::clone,
    )
    .await
}

/// Adds (or overwrites) `set` and removes `removed`, in batches the API accepts.
pub async fn write_tags(
    aws: &Aws,
    name: &str,
    set: BTreeMap<String, String>,
    removed: Vec<String>,
) -> Result<()> {
    let k = &aws.kinesis;
    tags::write(
        &format!("kinesis stream `{name}`"),
        (set, removed),
        TAG_BATCH,
        |keys| {
            k.remove_tags_from_stream()
                .stream_name(name)
                .set_tag_keys(Some(keys))
                .send()
        },
        |tags| {
            k.add_tags_to_stream()
                .stream_name(name)
                .set_tags(Some(tags.into_iter().collect()))
                .send()
        },
    )
    .await
}

/// Waits until the stream is `ACTIVE` (after a create or an update), or gone when `want` is
/// `None` (after a delete), for at most `limit`.
pub async fn wait(
    aws: &Aws,
    name: &str,
    want: Option<StreamStatus>,
    limit: Duration,
    ctx: &OpContext,
) -> Result<()> {
    let what = format!("kinesis stream `{name}`");
    let goal = want.as_ref().map_or("gone", |s| s.as_str()).to_string();
    wait::until(&what, &goal, limit, ctx, || async {
        let status = summary(aws, name).await?.map(|s| s.stream_status().clone());
        Ok(match status {
            s if s == want => Poll::Done,
            None => Poll::Failed(ProviderError::api(format!(
                "{what} disappeared while waiting for it to become `{goal}`"
            ))),
            Some(s) => Poll::Pending(s.as_str().to_string()),
        })
    })
    .await
}
