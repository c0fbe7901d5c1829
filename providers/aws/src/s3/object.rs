//! `aws_s3_object`: one object, uploaded from `source` (a file), `content` or `content_base64`.
//! Content changes re-upload in place; `bucket` and `key` replace.

use std::collections::BTreeMap;
use std::sync::Arc;

use aws_sdk_s3::primitives::ByteStream;
use base64::Engine;
use labform_sdk::encode::escape_unreserved as url_encode;
use labform_sdk::{
    async_trait, Attribute, BlockSchema, OpContext, PlannedChange, ProviderError, ReadBack,
    Resource, Result, Value,
};
use md5::{Digest, Md5};

use crate::adopt;
use crate::client::Aws;
use crate::retry;
use crate::schema_util::{self as su, b, s, smap};
use crate::{errors, tags};

labform_sdk::typed! {
    pub struct Object("aws_s3_object") { aws: Arc<Aws> }
    schema: schema()
}

const CONTENT_ATTRS: [&str; 12] = [
    "source",
    "content",
    "content_base64",
    "content_type",
    "cache_control",
    "content_disposition",
    "content_encoding",
    "content_language",
    "metadata",
    "storage_class",
    "server_side_encryption",
    "source_hash",
];

pub fn schema() -> BlockSchema {
    let sc = BlockSchema::new()
        .attrs(&["bucket", "key"], Attribute::required(s()).force_new())
        .attrs(
            &["source", "source_hash", "content", "content_base64"],
            Attribute::optional(s()),
        )
        .attr("content_type", Attribute::optional_computed(s()))
        .attrs(
            &[
                "cache_control",
                "content_disposition",
                "content_encoding",
                "content_language",
            ],
            Attribute::optional(s()),
        )
        .attr("metadata", Attribute::optional(smap()))
        .attrs(
            &["storage_class", "server_side_encryption", "etag"],
            Attribute::optional_computed(s()),
        )
        .attr("force_destroy", Attribute::optional(b()).default(false))
        .attr("arn", Attribute::computed(s()))
        .attr("version_id", Attribute::computed(s()).changes_on_update());
    su::tagged(su::regional(sc))
}

impl Object {
    /// The bytes to upload, from whichever of `source`, `content`, `content_base64` is set.
    async fn body(&self, v: &Value) -> Result<Vec<u8>> {
        if let Some(path) = v.str_attr("source") {
            let full = if std::path::Path::new(path).is_absolute() {
                path.into()
            } else {
                self.aws.stack_dir.join(path)
            };
            return tokio::fs::read(&full).await.map_err(|e| {
                ProviderError::invalid(format!("cannot read `source` file `{path}`: {e}"))
            });
        }
        if let Some(b64) = v.str_attr("content_base64") {
            return base64::engine::general_purpose::STANDARD
                .decode(b64)
                .map_err(|_| ProviderError::invalid("`content_base64` is not valid base64"));
        }
        Ok(v.str_attr("content").unwrap_or("").as_bytes().to_vec())
    }

    /// The MD5 of what would be uploaded, when it can be known without calling AWS.
    fn planned_etag(&self, config: &Value) -> Value {
        if let Some(path) = config.str_attr("source") {
            let full = if std::path::Path::new(path).is_absolute() {
                path.into()
            } else {
                self.aws.stack_dir.join(path)
            };
            return match std::fs::read(full) {
                Ok(bytes) => md5_hex(&bytes).into(),
                Err(_) => Value::Unknown,
            };
        }
        if let Some(b64) = config.str_attr("content_base64") {
            return base64::engine::general_purpose::STANDARD
                .decode(b64)
                .map(|b| Value::from(md5_hex(&b)))
                .unwrap_or(Value::Unknown);
        }
        match config.get("content") {
            Value::String(c) => md5_hex(c.as_bytes()).into(),
            Value::Null => md5_hex(b"").into(),
            _ => Value::Unknown,
        }
    }

    /// Uploads the object with `all` as its tags, in the same call.
    async fn upload(&self, planned: &Value, all: &BTreeMap<String, String>) -> Result<()> {
        let bucket = su::req(planned, "bucket")?;
        let key = normalize_key(su::req(planned, "key")?);
        let body = self.body(planned).await?;
        let tagging = all
            .iter()
            .map(|(k, v)| format!("{}={}", url_encode(k), url_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let opt = |name: &str| {
            planned
                .str_attr(name)
                .filter(|x| !x.is_empty())
                .map(str::to_string)
        };
        let mut req = self
            .aws
            .s3
            .put_object()
            .bucket(bucket)
            .key(&key)
            .body(ByteStream::from(body))
            .tagging(tagging)
            .set_content_type(opt("content_type"))
            .set_cache_control(opt("cache_control"))
            .set_content_disposition(opt("content_disposition"))
            .set_content_encoding(opt("content_encoding"))
            .set_content_language(opt("content_language"))
            .set_storage_class(
                opt("storage_class").map(|c| aws_sdk_s3::types::StorageClass::from(c.as_str())),
            )
            .set_server_side_encryption(
                opt("server_side_encryption")
                    .map(|c| aws_sdk_s3::types::ServerSideEncryption::from(c.as_str())),
            );
        for (k, v) in planned.string_map_attr("metadata") {
            req = req.metadata(k, v);
        }
        req.send()
            .await
            .map(|_| ())
            .map_err(|e| errors::sdk(&format!("uploading `s3://{bucket}/{key}`"), e))
    }

    /// The object's tags as stored (`None` when the object is gone).
    async fn remote_tags(
        &self,
        bucket: &str,
        key: &str,
    ) -> Result<Option<BTreeMap<String, String>>> {
        match self
            .aws
            .s3
            .get_object_tagging()
            .bucket(bucket)
            .key(key)
            .send()
            .await
        {
            Ok(t) => Ok(Some(
                t.tag_set()
                    .iter()
                    .map(|t| (t.key().to_string(), t.value().to_string()))
                    .collect(),
            )),
            Err(e) if errors::is_not_found(&e) => Ok(None),
            Err(e) => Err(errors::sdk(
                &format!("reading the tags of `s3://{bucket}/{key}`"),
                e,
            )),
        }
    }

    /// The tags an upload or tag change over an existing object writes: the planned ones, plus
    /// the per-instance mark it carries (S3 replaces the whole set).
    async fn tags_over(&self, planned: &Value) -> Result<BTreeMap<String, String>> {
        let bucket = su::req(planned, "bucket")?;
        let key = normalize_key(su::req(planned, "key")?);
        let remote = self.remote_tags(bucket, &key).await?.unwrap_or_default();
        Ok(tags::keeping_mark(
            &remote,
            tags::merged(&self.aws, planned.get("tags")),
        ))
    }

    async fn read_object(&self, bucket: &str, key: &str, current: &Value) -> Result<Option<Value>> {
        let Some(head) = errors::found(
            &format!("reading `s3://{bucket}/{key}`"),
            self.aws
                .s3
                .head_object()
                .bucket(bucket)
                .key(key)
                .send()
                .await,
        )?
        else {
            return Ok(None);
        };
        let Some(remote) = self.remote_tags(bucket, key).await? else {
            return Ok(None);
        };
        let (tags, tags_all) = tags::split_remote(&self.aws, remote, current.get("tags"));
        let mut v = self.schema.empty_value();
        su::keep(
            &mut v,
            current,
            &[
                "source",
                "source_hash",
                "content",
                "content_base64",
                "cache_control",
                "content_disposition",
                "content_encoding",
                "content_language",
                "force_destroy",
            ],
        );
        let mut v = su::bool_defaults(v, &[("force_destroy", false)]);
        // The headers S3 answers replace what was kept from `current`.
        for (name, remote) in [
            ("cache_control", head.cache_control()),
            ("content_disposition", head.content_disposition()),
            ("content_encoding", head.content_encoding()),
            ("content_language", head.content_language()),
        ] {
            if let Some(x) = remote {
                v.set(name, x.into());
            }
        }
        let metadata = head.metadata().filter(|m| !m.is_empty());
        v.set(
            "metadata",
            match metadata {
                Some(m) => Value::string_map(m.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
                None if current
                    .get("metadata")
                    .as_object()
                    .is_some_and(|m| m.is_empty()) =>
                {
                    Value::object()
                }
                None => Value::Null,
            },
        );
        v.set("bucket", bucket.into());
        v.set("key", key.into());
        v.set("id", format!("{bucket}/{key}").into());
        v.set(
            "arn",
            format!("arn:{}:s3:::{bucket}/{key}", self.aws.partition()).into(),
        );
        v.set("region", self.aws.region.as_str().into());
        v.set(
            "content_type",
            head.content_type().unwrap_or("binary/octet-stream").into(),
        );
        v.set("etag", head.e_tag().unwrap_or("").trim_matches('"').into());
        v.set("version_id", head.version_id().unwrap_or("").into());
        v.set(
            "storage_class",
            head.storage_class()
                .map(|c| c.as_str())
                .unwrap_or("STANDARD")
                .into(),
        );
        v.set(
            "server_side_encryption",
            head.server_side_encryption()
                .map(|c| c.as_str())
                .unwrap_or("")
                .into(),
        );
        v.set("tags", tags);
        v.set("tags_all", tags_all);
        Ok(Some(v))
    }
}

fn md5_hex(bytes: &[u8]) -> String {
    hex::encode(Md5::digest(bytes))
}

/// Strips a leading `./` or `/` and collapses repeated `/`, as the Terraform provider does.
fn normalize_key(key: &str) -> String {
    let k = key.trim_start_matches("./").trim_start_matches('/');
    let mut out = String::with_capacity(k.len());
    for c in k.chars() {
        if c == '/' && out.ends_with('/') {
            continue;
        }
        out.push(c);
    }
    out
}

#[async_trait]
impl Resource for Object {
    /// Found by bucket and key, and adopted only when it carries this create's mark (written
    /// as a tag by the upload itself).
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        let bucket = su::req(intent, "bucket")?;
        let key = normalize_key(su::req(intent, "key")?);
        let Some(remote) = self.remote_tags(bucket, &key).await? else {
            return Ok(None);
        };
        adopt::check_ours(
            &format!("`s3://{bucket}/{key}`"),
            &remote,
            token,
            &format!("aws s3 rm s3://{bucket}/{key}"),
        )?;
        self.read_object(bucket, &key, intent).await
    }

    fn validate(&self, config: &Value) -> Result<()> {
        let set = ["source", "content", "content_base64"]
            .iter()
            .filter(|n| !config.get(n).is_null())
            .count();
        if set > 1 {
            return Err(ProviderError::invalid(
                "only one of `source`, `content` and `content_base64` can be set",
            ));
        }
        if let Some(m) = config.get("metadata").as_object() {
            if let Some(k) = m.keys().find(|k| k.chars().any(|c| c.is_uppercase())) {
                return Err(ProviderError::invalid(format!(
                    "`metadata` key `{k}` must be lower case"
                )));
            }
        }
        Ok(())
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        let mut config = config.clone();
        if config.get("etag").is_null()
            && config.get("server_side_encryption").as_str() != Some("aws:kms")
        {
            let etag = self.planned_etag(&config);
            config.set("etag", etag);
        }
        let mut p = su::plan(&self.aws, &self.schema, prior, &config)?;
        let content_changed = prior.is_some_and(|pr| {
            CONTENT_ATTRS
                .iter()
                .any(|a| !config.get(a).is_null() && config.get(a) != pr.get(a))
                || config.get("etag") != pr.get("etag")
        });
        if content_changed {
            p.planned.set("version_id", Value::Unknown);
        }
        if let (Some(bucket), Some(key)) = (config.str_attr("bucket"), config.str_attr("key")) {
            let key = normalize_key(key);
            p.planned.set("id", format!("{bucket}/{key}").into());
            p.planned.set(
                "arn",
                format!("arn:{}:s3:::{bucket}/{key}", self.aws.partition()).into(),
            );
        }
        Ok(p)
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        self.upload(
            planned,
            &tags::for_create(&self.aws, planned.get("tags"), ctx),
        )
        .await?;
        let bucket = su::req(planned, "bucket")?;
        let key = normalize_key(su::req(planned, "key")?);
        self.read_object(bucket, &key, planned)
            .await?
            .ok_or_else(|| {
                ProviderError::api(format!(
                    "`s3://{bucket}/{key}` vanished right after the upload"
                ))
            })
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        let (Some(bucket), Some(key)) = (current.str_attr("bucket"), current.str_attr("key"))
        else {
            return Ok(None);
        };
        self.read_object(bucket, &normalize_key(key), current).await
    }

    async fn update(&self, prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let reupload = CONTENT_ATTRS.iter().any(|a| prior.get(a) != planned.get(a))
            || prior.get("etag") != planned.get("etag");
        let bucket = su::req(planned, "bucket")?;
        let key = normalize_key(su::req(planned, "key")?);
        let all = self.tags_over(planned).await?;
        if reupload {
            self.upload(planned, &all).await?;
        } else {
            self.aws
                .s3
                .put_object_tagging()
                .bucket(bucket)
                .key(&key)
                .tagging(crate::s3::tagging(&all)?)
                .send()
                .await
                .map_err(|e| errors::sdk(&format!("tagging `s3://{bucket}/{key}`"), e))?;
        }
        self.read_object(bucket, &key, planned)
            .await?
            .or_gone(&format!("`s3://{bucket}/{key}`"))
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        let (Some(bucket), Some(key)) = (prior.str_attr("bucket"), prior.str_attr("key")) else {
            return Ok(());
        };
        let key = normalize_key(key);
        let versioned = prior
            .str_attr("version_id")
            .is_some_and(|v| !v.is_empty() && v != "null");
        if versioned {
            // Every version of this key goes, as the Terraform provider does.
            let page = self
                .aws
                .s3
                .list_object_versions()
                .bucket(bucket)
                .prefix(&key)
                .send()
                .await;
            match page {
                Ok(p) => {
                    let versions = p
                        .versions()
                        .iter()
                        .filter(|v| v.key() == Some(key.as_str()))
                        .filter_map(|v| v.version_id());
                    let markers = p
                        .delete_markers()
                        .iter()
                        .filter(|m| m.key() == Some(key.as_str()))
                        .filter_map(|m| m.version_id());
                    for id in versions.chain(markers) {
                        let r = self
                            .aws
                            .s3
                            .delete_object()
                            .bucket(bucket)
                            .key(&key)
                            .version_id(id)
                            .send()
                            .await;
                        if let Err(e) = r {
                            if !errors::is_not_found(&e) {
                                return Err(errors::sdk(
                                    &format!("deleting `s3://{bucket}/{key}`"),
                                    e,
                                ));
                            }
                        }
                    }
                    return Ok(());
                }
                Err(e) if errors::is_not_found(&e) => return Ok(()),
                Err(e) => {
                    return Err(errors::sdk(
                        &format!("listing versions of `s3://{bucket}/{key}`"),
                        e,
                    ))
                }
            }
        }
        retry::delete(&format!("deleting `s3://{bucket}/{key}`"), || {
            self.aws.s3.delete_object().bucket(bucket).key(&key).send()
        })
        .await
    }

    async fn import(&self, id: &str) -> Result<Value> {
        let id = id.trim_start_matches("s3://");
        let Some((bucket, key)) = id.split_once('/') else {
            return Err(ProviderError::invalid(format!(
                "import id `{id}` must be `bucket/key`"
            )));
        };
        let mut current = self.schema.empty_value();
        current.set("force_destroy", false.into());
        self.read_object(bucket, key, &current)
            .await?
            .or_absent(&format!("`s3://{id}`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_normalised_like_terraform() {
        assert_eq!(normalize_key("./a//b/c"), "a/b/c");
        assert_eq!(normalize_key("/x"), "x");
        assert_eq!(url_encode("a b&c"), "a%20b%26c");
        assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
    }
}
