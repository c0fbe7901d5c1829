//! `aws_key_pair`: an imported public key (labform never makes private keys).

use std::sync::Arc;

use aws_sdk_ec2::primitives::Blob;
use aws_sdk_ec2::types::ResourceType;
use labform_sdk::{
    async_trait, by_id, Attribute, BlockSchema, Marked, OpContext, PlannedChange, ProviderError,
    Resource, Result, StackFilter, Value,
};

use crate::adopt;
use crate::client::Aws;
use crate::ec2::{retag, tag_map, tag_spec};
use crate::names::name_or_prefixed;
use crate::retry;
use crate::schema_util::{self as su, s};
use crate::{errors, tags};

labform_sdk::typed! {
    pub struct KeyPair("aws_key_pair", "key pair") { aws: Arc<Aws> }
    schema: schema()
}

pub fn schema() -> BlockSchema {
    let sc = BlockSchema::new()
        .attr("key_name", Attribute::optional_computed(s()).force_new())
        .attr(
            "key_name_prefix",
            Attribute::optional_computed(s()).force_new(),
        )
        .attr("public_key", Attribute::required(s()).force_new())
        .attrs(
            &["arn", "fingerprint", "key_pair_id", "key_type"],
            Attribute::computed(s()),
        );
    su::tagged(su::regional(sc))
}

impl KeyPair {
    /// The name of the key pair with id `key-...` (`None` when it is gone).
    async fn name_of(&self, id: &str) -> Result<Option<String>> {
        match self
            .aws
            .ec2
            .describe_key_pairs()
            .key_pair_ids(id)
            .send()
            .await
        {
            // Matched by id: moto answers this call with every key pair.
            Ok(o) => Ok(o
                .key_pairs()
                .iter()
                .find(|k| k.key_pair_id() == Some(id))
                .and_then(|k| k.key_name())
                .map(str::to_string)),
            Err(e) if errors::is_not_found(&e) => Ok(None),
            Err(e) => Err(errors::sdk(&format!("reading key pair `{id}`"), e)),
        }
    }
}

#[async_trait]
impl Resource for KeyPair {
    async fn read_id(&self, name: &str, current: &Value) -> Result<Option<Value>> {
        let Some(out) = errors::found(
            &format!("reading key pair `{name}`"),
            self.aws
                .ec2
                .describe_key_pairs()
                .key_names(name)
                .send()
                .await,
        )?
        else {
            return Ok(None);
        };
        let Some(k) = out.key_pairs().first() else {
            return Ok(None);
        };
        let (tags, tags_all) =
            tags::split_remote(&self.aws, tag_map(k.tags()), current.get("tags"));
        let account = self.aws.account_id().await.unwrap_or_default();
        let mut v = self.schema.empty_value();
        su::keep(&mut v, current, &["public_key", "key_name_prefix"]);
        if !v.get("key_name_prefix").is_wholly_known() || v.get("key_name_prefix").is_null() {
            v.set("key_name_prefix", "".into());
        }
        if v.get("public_key").is_null() {
            v.set("public_key", k.public_key().unwrap_or("").into());
        }
        v.set("id", name.into());
        v.set("key_name", name.into());
        v.set("region", self.aws.region.as_str().into());
        v.set(
            "arn",
            format!(
                "arn:{}:ec2:{}:{account}:key-pair/{name}",
                self.aws.partition(),
                self.aws.region
            )
            .into(),
        );
        v.set("fingerprint", k.key_fingerprint().unwrap_or("").into());
        v.set("key_pair_id", k.key_pair_id().unwrap_or("").into());
        v.set(
            "key_type",
            k.key_type().map(|t| t.as_str()).unwrap_or("rsa").into(),
        );
        v.set("tags", tags);
        v.set("tags_all", tags_all);
        Ok(Some(v))
    }

    /// Found by the per-instance mark its create wrote through `TagSpecifications` (whether the
    /// name was given or generated from `key_name_prefix`).
    async fn find_interrupted(&self, intent: &Value, token: &str) -> Result<Option<Value>> {
        adopt::by_ec2_mark(&self.aws, ResourceType::KeyPair, token, |id| async move {
            match self.name_of(&id).await? {
                Some(name) => self.read_id(&name, intent).await,
                None => Ok(None),
            }
        })
        .await
    }

    fn validate(&self, config: &Value) -> Result<()> {
        labform_sdk::validate::at_most_one(config, &["key_name", "key_name_prefix"])?;
        if let Some(k) = config.str_attr("public_key") {
            let k = k.trim();
            if !(k.starts_with("ssh-") || k.starts_with("ecdsa-")) {
                return Err(ProviderError::invalid("`public_key` must be an OpenSSH public key (`ssh-rsa AAAA...`, `ssh-ed25519 AAAA...`)")
                    .with_hint("use the contents of the `.pub` file, e.g. `file(\"~/.ssh/id_ed25519.pub\")`"));
            }
        }
        Ok(())
    }

    fn plan(&self, prior: Option<&Value>, config: &Value) -> Result<PlannedChange> {
        let mut config = config.clone();
        if let Some(k) = config.str_attr("public_key") {
            let trimmed = k.trim().to_string();
            config.set("public_key", trimmed.into());
        }
        let mut p = su::plan(&self.aws, &self.schema, prior, &config)?;
        if let Some(name) = config
            .str_attr("key_name")
            .filter(|_| p.planned.get("id").is_unknown())
        {
            p.planned.set("id", name.into());
            p.planned.set("key_name_prefix", "".into());
        }
        Ok(p)
    }

    async fn create(&self, planned: &Value, ctx: &OpContext) -> Result<Value> {
        // A random suffix: the key pair is found again by the mark its create wrote.
        let name = name_or_prefixed(planned, "key_name", "key_name_prefix", None);
        let key = su::req(planned, "public_key")?.trim().to_string();
        let all = tags::for_create(&self.aws, planned.get("tags"), ctx);
        self.aws
            .ec2
            .import_key_pair()
            .key_name(&name)
            .public_key_material(Blob::new(key.as_bytes()))
            .tag_specifications(tag_spec(ResourceType::KeyPair, &all))
            .send()
            .await
            .map_err(|e| match errors::code(&e).as_deref() {
                Some("InvalidKeyPair.Duplicate") => {
                    ProviderError::conflict(format!("key pair `{name}` already exists"))
                        .with_hint("choose another `key_name`, or import the existing key pair")
                }
                _ => errors::sdk(&format!("importing key pair `{name}`"), e),
            })?;
        let mut current = planned.clone();
        current.set("public_key", key.into());
        self.read_id(&name, &current).await?.ok_or_else(|| {
            ProviderError::api(format!(
                "key pair `{name}` vanished right after it was imported"
            ))
        })
    }

    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        match current.str_attr("id").or(current.str_attr("key_name")) {
            Some(name) => self.read_id(name, current).await,
            None => Ok(None),
        }
    }

    async fn update(&self, prior: &Value, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let name = su::req(prior, "id")?;
        let id = su::req(prior, "key_pair_id")?;
        retag(&self.aws, id, prior, planned).await?;
        by_id::updated(self, name, planned).await
    }

    async fn delete(&self, prior: &Value, _ctx: &OpContext) -> Result<()> {
        let Some(name) = prior.str_attr("id") else {
            return Ok(());
        };
        retry::delete(&format!("deleting key pair `{name}`"), || {
            self.aws.ec2.delete_key_pair().key_name(name).send()
        })
        .await
    }

    async fn list_marked(&self, filter: &StackFilter) -> Result<Vec<Marked>> {
        crate::ec2::list_read(
            self,
            filter,
            "key pairs",
            |f| {
                self.aws
                    .ec2
                    .describe_key_pairs()
                    .set_filters(Some(f))
                    .send()
            },
            |out| {
                out.key_pairs()
                    .iter()
                    .filter_map(|x| {
                        let made = x.create_time().map(|t| t.to_string());
                        Some((x.key_name()?.to_string(), made))
                    })
                    .collect()
            },
        )
        .await
    }
}
