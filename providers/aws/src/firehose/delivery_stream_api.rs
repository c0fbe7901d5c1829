//! The Firehose calls `aws_kinesis_firehose_delivery_stream` is built on: describing a stream,
//! its tags, the names of all streams, writing tags in the API's batches, and waiting for a
//! status.

use std::collections::BTreeMap;
use std::time::Duration;

use aws_sdk_firehose::types::{DeliveryStreamDescription, DeliveryStreamStatus, Tag};
use labform_sdk::wait::{self, Poll};
use labform_sdk::{OpContext, ProviderError, Result};

use crate::client::Aws;
use crate::paging::{after_last_key, tags_after_last_key};
use crate::{errors, tags};

/// TagDeliveryStream, UntagDeliveryStream and ListTagsForDeliveryStream take at most 50 a call.
const TAG_BATCH: usize = 50;

/// The stream's name from its id: the ARN (`arn:aws:firehose:REGION:ACCOUNT:deliverystream/NAME`)
/// or the name itself.
pub fn name_of(id: &str) -> &str {
    id.rsplit_once("deliverystream/")
        .map_or(id, |(_, name)| name)
}

/// The stream's description, `None` when it does not exist.
pub async fn describe(aws: &Aws, name: &str) -> Result<Option<DeliveryStreamDescription>> {
    let out = errors::found(
        &format!("reading firehose delivery stream `{name}`"),
        aws.firehose
            .describe_delivery_stream()
            .delivery_stream_name(name)
            .send()
            .await,
    )?;
    Ok(out.and_then(|o| o.delivery_stream_description))
}

/// Every tag of the stream (all pages).
pub async fn tags(aws: &Aws, name: &str) -> Result<BTreeMap<String, String>> {
    tags_after_last_key(
        |start| async move {
            let page = aws
                .firehose
                .list_tags_for_delivery_stream()
                .delivery_stream_name(name)
                .set_exclusive_start_tag_key(start)
                .limit(TAG_BATCH as i32)
                .send()
                .await
                .map_err(|e| {
                    errors::sdk(
                        &format!("reading the tags of firehose delivery stream `{name}`"),
                        e,
                    )
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

/// The names of every delivery stream in the region (all pages).
pub async fn names(aws: &Aws) -> Result<Vec<String>> {
    after_last_key(
        |start| async move {
            let page = aws
                .firehose
                .list_delivery_streams()
                .set_exclusive_start_delivery_stream_name(start)
                .send()
                .await
                .map_err(|e| errors::sdk("listing firehose delivery streams", e))?;
            let names = page.delivery_stream_names().to_vec();
            Ok((names, page.has_more_delivery_streams()))
        },
        String::clone,
    )
    .await
}

/// The API's form of a tag map.
pub fn tag_list(tags: impl IntoIterator<Item = (String, String)>) -> Vec<Tag> {
    tags.into_iter()
        .filter_map(|(k, v)| Tag::builder().key(k).value(v).build().ok())
        .collect()
}

/// Adds (or overwrites) `set` and removes `removed`, in batches the API accepts.
pub async fn write_tags(
    aws: &Aws,
    name: &str,
    set: BTreeMap<String, String>,
    removed: Vec<String>,
) -> Result<()> {
    let f = &aws.firehose;
    tags::write(
        &format!("firehose delivery stream `{name}`"),
        (set, removed),
        TAG_BATCH,
        |keys| {
            f.untag_delivery_stream()
                .delivery_stream_name(name)
                .set_tag_keys(Some(keys))
                .send()
        },
        |tags| {
            f.tag_delivery_stream()
                .delivery_stream_name(name)
                .set_tags(Some(tag_list(tags)))
                .send()
        },
    )
    .await
}

/// Waits until the stream is `ACTIVE` (after a create or an update), or gone when `want` is
/// `None` (after a delete), for at most `limit`. A failed create ends the wait with AWS's reason.
pub async fn wait(
    aws: &Aws,
    name: &str,
    want: Option<DeliveryStreamStatus>,
    limit: Duration,
    ctx: &OpContext,
) -> Result<()> {
    let what = format!("firehose delivery stream `{name}`");
    let goal = want.as_ref().map_or("gone", |s| s.as_str()).to_string();
    wait::until(&what, &goal, limit, ctx, || async {
        let found = describe(aws, name).await?;
        let status = found.as_ref().map(|d| d.delivery_stream_status().clone());
        Ok(match status {
            s if s == want => Poll::Done,
            None => Poll::Failed(ProviderError::api(format!(
                "{what} disappeared while waiting for it to become `{goal}`"
            ))),
            Some(DeliveryStreamStatus::CreatingFailed) => {
                let why = found
                    .as_ref()
                    .and_then(|d| d.failure_description())
                    .map_or("no reason given", |f| f.details());
                Poll::Failed(ProviderError::api(format!(
                    "{what} failed to create: {why}"
                )))
            }
            Some(s) => Poll::Pending(s.as_str().to_string()),
        })
    })
    .await
}
