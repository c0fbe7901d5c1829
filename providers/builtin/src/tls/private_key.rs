//! `tls_private_key`: a key pair generated once at create, kept only in state (hashicorp/tls).

use labform_sdk::{
    async_trait, Attribute, BlockSchema, OpContext, ProviderError, Resource, Result, Type, Value,
};

use super::ec::Curve;
use super::export;
use super::key::{self, PrivateKey};
use super::pem;

/// The computed attributes that carry the private key: sensitive, as in hashicorp/tls.
const PRIVATE: [&str; 3] = [
    "private_key_pem",
    "private_key_pem_pkcs8",
    "private_key_openssh",
];

/// The public attributes both `tls_private_key` and `data "tls_public_key"` export.
pub const PUBLIC: [&str; 5] = [
    "id",
    "public_key_pem",
    "public_key_openssh",
    "public_key_fingerprint_md5",
    "public_key_fingerprint_sha256",
];

labform_sdk::typed! {
    pub struct TlsPrivateKey("tls_private_key") {}
    schema: schema()
}

fn schema() -> BlockSchema {
    let mut schema = BlockSchema::new()
        .version(1)
        .attr("algorithm", Attribute::required(Type::String).force_new())
        .attr(
            "rsa_bits",
            Attribute::optional_computed(Type::Number)
                .default(Value::Number(2048.0))
                .force_new(),
        )
        .attr(
            "ecdsa_curve",
            Attribute::optional_computed(Type::String)
                .default("P224")
                .force_new(),
        );
    for name in PRIVATE {
        schema = schema.attr(name, Attribute::computed(Type::String).sensitive());
    }
    for name in PUBLIC {
        schema = schema.attr(name, Attribute::computed(Type::String));
    }
    schema
}

fn curve(value: &Value) -> Result<Curve> {
    let name = value.str_attr("ecdsa_curve").unwrap_or("P224");
    Curve::parse(name).ok_or_else(|| {
        ProviderError::invalid(format!(
            "`ecdsa_curve` must be one of `{}`, got `{name}`",
            Curve::NAMES.join("`, `")
        ))
    })
}

fn rsa_bits(value: &Value) -> Result<i64> {
    match value.get("rsa_bits") {
        Value::Null => Ok(2048),
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Ok(*n as i64),
        other => Err(ProviderError::invalid(format!(
            "`rsa_bits` must be a whole number, got `{other}`"
        ))),
    }
}

#[async_trait]
impl Resource for TlsPrivateKey {
    fn validate(&self, config: &Value) -> Result<()> {
        if let Some(algorithm) = config.str_attr("algorithm") {
            if !key::ALGORITHMS.contains(&algorithm) {
                return Err(key::algorithm_error(algorithm));
            }
        }
        if !config.get("ecdsa_curve").is_unknown() {
            curve(config)?;
        }
        if !config.get("rsa_bits").is_unknown() {
            rsa_bits(config)?;
        }
        Ok(())
    }

    async fn create(&self, planned: &Value, _ctx: &OpContext) -> Result<Value> {
        let algorithm = planned
            .str_attr("algorithm")
            .unwrap_or_default()
            .to_string();
        let bits = rsa_bits(planned)?;
        let curve = curve(planned)?;
        // RSA generation is seconds of CPU: keep it off the async workers.
        let key =
            tokio::task::spawn_blocking(move || PrivateKey::generate(&algorithm, bits, curve))
                .await
                .map_err(|e| ProviderError::api(format!("key generation stopped: {e}")))??;
        let mut state = planned.clone();
        let (label, der) = key.native_der()?;
        state.set("private_key_pem", pem::encode(label, &der).into());
        state.set(
            "private_key_pem_pkcs8",
            pem::encode("PRIVATE KEY", &key.pkcs8_der()?).into(),
        );
        let openssh = match key.ssh_keypair()? {
            Some(pair) => {
                let private = ssh_key::PrivateKey::new(pair, "")
                    .and_then(|k| k.to_bytes())
                    .map_err(|e| {
                        ProviderError::api(format!("cannot encode the OpenSSH private key: {e}"))
                    })?;
                pem::encode("OPENSSH PRIVATE KEY", &private)
            }
            None => String::new(),
        };
        state.set("private_key_openssh", openssh.into());
        export::set_public(&mut state, &key)?;
        Ok(state)
    }

    /// The key lives only in state.
    async fn read(&self, current: &Value) -> Result<Option<Value>> {
        Ok(Some(current.clone()))
    }

    /// Unreachable in practice: every argument forces replacement.
    async fn update(&self, prior: &Value, _planned: &Value, _ctx: &OpContext) -> Result<Value> {
        Ok(prior.clone())
    }

    async fn delete(&self, _prior: &Value, _ctx: &OpContext) -> Result<()> {
        Ok(())
    }

    /// Nothing outside state: an interrupted create left nothing to find.
    async fn find_interrupted(&self, _intent: &Value, _token: &str) -> Result<Option<Value>> {
        Ok(None)
    }

    fn has_remote_object(&self) -> bool {
        false
    }
}
