//! Emptying a bucket for `force_destroy`: every object version, every delete marker, every
//! unfinished multipart upload.

use aws_sdk_s3::types::{Delete, ObjectIdentifier};
use labform_sdk::{OpContext, ProviderError, Result};

use crate::client::Aws;
use crate::errors;
use crate::s3::built;

/// Deletes everything in `bucket`; returns how many versions and markers went.
pub async fn empty_bucket(aws: &Aws, bucket: &str, ctx: &OpContext) -> Result<usize> {
    resume_versioning(aws, bucket).await;
    let mut deleted = 0;
    loop {
        let page = match aws
            .s3
            .list_object_versions()
            .bucket(bucket)
            .max_keys(1000)
            .send()
            .await
        {
            Ok(p) => p,
            Err(e) if errors::is_not_found(&e) => return Ok(deleted),
            Err(e) => {
                return Err(errors::sdk(
                    &format!("listing the objects of bucket `{bucket}`"),
                    e,
                ))
            }
        };
        // Every version, then every delete marker: each is (key, version id).
        let versions = page.versions().iter().map(|v| (v.key(), v.version_id()));
        let markers = page
            .delete_markers()
            .iter()
            .map(|m| (m.key(), m.version_id()));
        let mut ids = Vec::new();
        for (key, version) in versions.chain(markers) {
            if let Some(key) = key {
                ids.push(built(
                    ObjectIdentifier::builder()
                        .key(key)
                        .set_version_id(version.map(str::to_string))
                        .build(),
                )?);
            }
        }
        if ids.is_empty() {
            break;
        }
        let n = ids.len();
        let delete = built(Delete::builder().set_objects(Some(ids)).quiet(true).build())?;
        let out = aws
            .s3
            .delete_objects()
            .bucket(bucket)
            .delete(delete)
            .bypass_governance_retention(true)
            .send()
            .await
            .map_err(|e| errors::sdk(&format!("deleting objects in bucket `{bucket}`"), e))?;
        if let Some(first) = out.errors().first() {
            return Err(ProviderError::api(format!(
                "could not delete `{}` from bucket `{bucket}`: {}",
                first.key().unwrap_or("?"),
                first.code().unwrap_or("unknown error")
            )));
        }
        deleted += n;
        ctx.progress(&format!(
            "emptying bucket: {deleted} object versions deleted"
        ));
    }
    abort_uploads(aws, bucket).await?;
    Ok(deleted)
}

/// A bucket whose versioning was suspended (destroying `aws_s3_bucket_versioning` does that)
/// gets it enabled again before its versions are deleted: the bucket is about to go, and moto
/// 5.1 fails (500) to delete single versions of a key with delete markers in a suspended bucket.
/// Best effort: on failure (MFA delete, say) the emptying goes ahead anyway.
async fn resume_versioning(aws: &Aws, bucket: &str) {
    let suspended = aws
        .s3
        .get_bucket_versioning()
        .bucket(bucket)
        .send()
        .await
        .ok()
        .is_some_and(|v| v.status().is_some_and(|s| s.as_str() == "Suspended"));
    if suspended {
        let cfg = aws_sdk_s3::types::VersioningConfiguration::builder()
            .status(aws_sdk_s3::types::BucketVersioningStatus::Enabled)
            .build();
        let _ = aws
            .s3
            .put_bucket_versioning()
            .bucket(bucket)
            .versioning_configuration(cfg)
            .send()
            .await;
    }
}

async fn abort_uploads(aws: &Aws, bucket: &str) -> Result<()> {
    let out = match aws.s3.list_multipart_uploads().bucket(bucket).send().await {
        Ok(o) => o,
        Err(e) if errors::is_not_found(&e) => return Ok(()),
        Err(e) => {
            return Err(errors::sdk(
                &format!("listing uploads in bucket `{bucket}`"),
                e,
            ))
        }
    };
    for u in out.uploads() {
        if let (Some(key), Some(id)) = (u.key(), u.upload_id()) {
            let r = aws
                .s3
                .abort_multipart_upload()
                .bucket(bucket)
                .key(key)
                .upload_id(id)
                .send()
                .await;
            if let Err(e) = r {
                if !errors::is_not_found(&e) {
                    return Err(errors::sdk(
                        &format!("aborting an upload in bucket `{bucket}`"),
                        e,
                    ));
                }
            }
        }
    }
    Ok(())
}
