//! `google_storage_bucket_object`: uploads a file (`source`) or a string (`content`); a change
//! of the local data (by MD5) re-uploads it in place.

use std::sync::Arc;

use base64::Engine;
use labform_sdk::{
    async_trait, default_plan, Attribute, BlockSchema, OpContext, PlannedChange, ProviderError,
    Resource, Result, Type, Value,
};
use md5::{Digest, Md5};
use serde_json::{json, Value as Json};

use super::client::GcsClient;
use crate::adopt;
use crate::conv::{num, string};
use crate::settings::Settings;

pub fn schema() -> BlockSchema {
    let computed = |t| Attribute::computed(t);
    BlockSchema::new()
        .attrs(
            &["bucket", "name"],
            Attribute::required(Type::String).force_new(),
        )
        .attr("source", Attribute::optional(Type::String).force_new())
        .attr(
            "content",
            Attribute::optional_computed(Type::String).sensitive(),
        )
        .attr(
            "content_type",
            Attribute::optional_computed(Type::String).force_new(),
        )
        .attr(
            "detect_md5hash",
            Attribute::optional(Type::String).default("different hash"),
        )
        .attr("id", computed(Type::String))
        .attrs(
            &["md5hash", "md5hexhash", "crc32c"],
            computed(Type::String).changes_on_update(),
        )
        .attr("generation", computed(Type::Number).changes_on_update())
        .attr("self_link", computed(Type::String))
        .attr("media_link", computed(Type::String).changes_on_update())
        .attr("output_name", computed(Type::String))
        .attr(
            "storage_class",
            Attribute::optional_computed(Type::String).force_new(),
        )
}

labform_sdk::typed! {
    pub struct BucketObject("google_storage_bucket_object") {
        client: GcsClient,
        settings: Arc<Settings>,
    }
    schema: schema()
}

impl BucketObject {
    fn what(v: &Value) -> String {
        format!(
            "object `{}` in bucket `{}`",
            v.str_attr("name").unwrap_or("?"),
            v.str_attr("bucket").unwrap_or("?")
        )
    }

    /// The bytes to upload.
    fn data(&self, v: &Value) -> Result<Vec<u8>> {
        if let Some(c) = v.str_attr("content") {
            return Ok(c.as_bytes().to_vec());
        }
        let source = v.str_attr("source").unwrap_or_default();
        let path = self.settings.resolve_path(source);
        std::fs::read(&path).map_err(|e| {
            ProviderError::invalid(format!(
                "cannot read `source` file `{}`: {e}",
                path.display()
            ))
            .with_hint("`source` is a path relative to the stack directory (or absolute)")
        })
    }

    /// Uploads the planned data; `token` (the create token) goes into the object's custom
    /// metadata in that same call, so an interrupted create can tell its object from another.
    async fn upload(&self, planned: &Value, token: Option<&str>) -> Result<Value> {
        let what = Self::what(planned);
        let data = self.data(planned)?;
        let content_type = planned
            .str_attr("content_type")
            .unwrap_or("application/octet-stream")
            .to_string();
        let bucket = planned.str_attr("bucket").unwrap_or_default();
        let name = planned.str_attr("name").unwrap_or_default();
        let mut resource = json!({"name": name, "contentType": content_type});
        if let Some(t) = token {
            resource["metadata"] = json!({ labform_sdk::INSTANCE_KEY: t });
        }
        let api = self
            .client
            .upload_object(bucket, &resource, &content_type, data)
            .await
            .map_err(|e| e.into_provider(&what))?;
        Ok(self.state(&api, planned))
    }

    fn state(&self, api: &Json, known: &Value) -> Value {
        let mut s = self.schema.empty_value();
        let bucket = api["bucket"]
            .as_str()
            .or(known.str_attr("bucket"))
            .unwrap_or_default()
            .to_string();
        let name = api["name"]
            .as_str()
            .or(known.str_attr("name"))
            .unwrap_or_default()
            .to_string();
        let md5 = api["md5Hash"].as_str().unwrap_or_default().to_string();
        s.set("id", Value::from(format!("{bucket}-{name}")));
        s.set("bucket", Value::from(bucket));
        s.set("name", Value::from(name.clone()));
        s.set("output_name", Value::from(name));
        s.set("source", known.get("source").clone());
        s.set(
            "content",
            if known.get("content").is_unknown() {
                Value::Null
            } else {
                known.get("content").clone()
            },
        );
        s.set("content_type", string(&api["contentType"]));
        s.set("detect_md5hash", Value::from(md5.clone()));
        s.set("md5hexhash", Value::from(base64_to_hex(&md5)));
        s.set("md5hash", Value::from(md5));
        s.set("crc32c", string(&api["crc32c"]));
        s.set("generation", num(&api["generation"]));
        s.set("self_link", string(&api["selfLink"]));
        s.set("media_link", string(&api["mediaLink"]));
        s.set("storage_class", string(&api["storageClass"]));
        s
    }
}

fn md5_base64(data: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(Md5::digest(data))
}

fn base64_to_hex(b64: &str) -> String {
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map(hex::encode)
        .unwrap_or_default()
}

#[async_trait]
impl Resource for BucketObject {
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        let (Some(bucket), Some(name)) = (intent.str_attr("bucket"), intent.str_attr("name"))
        else {
            return Ok(None);
        };
        let what = Self::what(intent);
        let api = self
            .client
            .get_object(bucket, name)
            .await
            .map_err(|e| e.into_provider(&what))?;
        let remove = format!("gcloud storage rm gs://{bucket}/{name}");
        let ours = adopt::judge(api, token, adopt::in_metadata, &what, &remove)?;
        Ok(ours.map(|a| self.state(&a, intent)))
    }

    fn validate(&self, config: &Value) -> Result<()> {
        let (c, s) = (config.get("content"), config.get("source"));
        if !c.is_unknown() && !s.is_unknown() && c.is_null() == s.is_null() {
            return Err(ProviderError::invalid("exactly one of `content` and `source` must be set")
                .with_hint("use `source = \"path/to/file\"` to upload a file, or `content = \"...\"` for a string"));
        }
        Ok(())
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        let mut config = config.clone();
        // The local data's MD5, when it can be known now, stands in for `detect_md5hash`: equal to
        // the stored hash means no change, different means a re-upload.
        let known =
            config.get("content").is_wholly_known() && config.get("source").is_wholly_known();
        if known && config.get("detect_md5hash").is_null() {
            if let Ok(data) = self.data(&config) {
                config.set("detect_md5hash", Value::from(md5_base64(&data)));
            }
        }
        Ok(default_plan(&self.schema, prior, &config))
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        self.upload(planned, ctx.create_token()).await
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        let (Some(bucket), Some(name)) = (current.str_attr("bucket"), current.str_attr("name"))
        else {
            return Ok(None);
        };
        let api = self
            .client
            .get_object(bucket, name)
            .await
            .map_err(|e| e.into_provider(&Self::what(current)))?;
        Ok(api.map(|a| self.state(&a, current)))
    }

    async fn update(&self, _prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        // A re-upload replaces the object's metadata: carry the instance mark over.
        let current = self
            .client
            .get_object(
                planned.str_attr("bucket").unwrap_or_default(),
                planned.str_attr("name").unwrap_or_default(),
            )
            .await
            .map_err(|e| e.into_provider(&Self::what(planned)))?;
        let token = current.as_ref().and_then(adopt::in_metadata);
        self.upload(planned, token).await
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        let what = Self::what(prior);
        let (bucket, name) = (
            prior.str_attr("bucket").unwrap_or_default(),
            prior.str_attr("name").unwrap_or_default(),
        );
        match self.client.delete_object(bucket, name, None).await {
            Ok(()) => {}
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(e.into_provider(&what)),
        }
        match self
            .client
            .get_object(bucket, name)
            .await
            .map_err(|e| e.into_provider(&what))?
        {
            None => Ok(()),
            Some(_) => Err(crate::confirm::still_there(&what)),
        }
    }

    fn has_remote_object(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_forms() {
        let b = md5_base64(b"hello");
        assert_eq!(b, "XUFAKrxLKna5cZ2REBfFkg==");
        assert_eq!(base64_to_hex(&b), "5d41402abc4b2a76b9719d911017c592");
    }
}
