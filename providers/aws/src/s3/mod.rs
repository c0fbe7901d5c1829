//! S3: buckets, their split configuration resources, and objects.

use std::collections::BTreeMap;

use aws_sdk_s3::types::{Tag, Tagging};
use labform_sdk::{ProviderError, Result};

use crate::client::Aws;
use crate::errors;

pub mod bucket;
pub mod empty;
pub mod encryption;
pub mod lifecycle;
pub mod object;
pub mod public_access_block;
mod setting;
pub mod versioning;

/// An SDK builder's "required field missing" as a provider error (a bug here, not the user's).
pub fn built<T>(r: Result<T, aws_smithy_types::error::operation::BuildError>) -> Result<T> {
    r.map_err(|e| ProviderError::api(format!("building an s3 request: {e}")))
}

/// A tag set for `PutBucketTagging` / `PutObjectTagging`.
pub fn tagging(tags: &BTreeMap<String, String>) -> Result<Tagging> {
    let mut set = Vec::new();
    for (k, v) in tags {
        set.push(built(Tag::builder().key(k).value(v).build())?);
    }
    built(Tagging::builder().set_tag_set(Some(set)).build())
}

/// The tags on a bucket (empty when it has none).
pub async fn bucket_tags(aws: &Aws, bucket: &str) -> Result<BTreeMap<String, String>> {
    match aws.s3.get_bucket_tagging().bucket(bucket).send().await {
        Ok(out) => Ok(out
            .tag_set()
            .iter()
            .map(|t| (t.key().to_string(), t.value().to_string()))
            .collect()),
        Err(e) if errors::code(&e).as_deref() == Some("NoSuchTagSet") => Ok(BTreeMap::new()),
        Err(e) => Err(errors::sdk(
            &format!("reading the tags of bucket `{bucket}`"),
            e,
        )),
    }
}

/// Whether the bucket exists (and is reachable with these credentials).
pub async fn bucket_exists(aws: &Aws, bucket: &str) -> Result<bool> {
    match aws.s3.head_bucket().bucket(bucket).send().await {
        Ok(_) => Ok(true),
        Err(e) if errors::is_not_found(&e) => Ok(false),
        Err(e) => Err(errors::sdk(&format!("looking up bucket `{bucket}`"), e)),
    }
}
