//! A private key of one of the algorithms hashicorp/tls generates, and its DER encodings.

// One pkcs8 crate serves rsa and ed25519-dalek: these traits encode both.
use ed25519_dalek::pkcs8::{EncodePrivateKey as _, EncodePublicKey as _, KeypairBytes};
use ed25519_dalek::SigningKey;
use labform_sdk::{ProviderError, Result};
use rand_core::OsRng;
use rsa::pkcs1::EncodeRsaPrivateKey as _;
use rsa::RsaPrivateKey;
use ssh_key::private::{Ed25519Keypair, KeypairData, RsaKeypair};

use super::ec::{Curve, EcKey};

/// The `algorithm` values hashicorp/tls accepts.
pub const ALGORITHMS: [&str; 3] = ["RSA", "ECDSA", "ED25519"];

/// Go refuses to generate RSA keys under 1024 bits (crypto/rsa since Go 1.24).
pub const MIN_RSA_BITS: i64 = 1024;
/// Beyond this, generation takes minutes; no lab needs more.
pub const MAX_RSA_BITS: i64 = 16384;

pub enum PrivateKey {
    Rsa(Box<RsaPrivateKey>),
    Ecdsa(EcKey),
    Ed25519(SigningKey),
}

fn encode_error(what: &str, e: impl std::fmt::Display) -> ProviderError {
    ProviderError::api(format!("cannot encode the {what}: {e}"))
}

impl PrivateKey {
    /// A fresh key. `rsa_bits` and `curve` matter only to their algorithm.
    pub fn generate(algorithm: &str, rsa_bits: i64, curve: Curve) -> Result<Self> {
        match algorithm {
            "RSA" => {
                let bits = usize::try_from(rsa_bits)
                    .ok()
                    .filter(|b| (MIN_RSA_BITS..=MAX_RSA_BITS).contains(&(*b as i64)))
                    .ok_or_else(|| bits_error(rsa_bits))?;
                RsaPrivateKey::new(&mut OsRng, bits)
                    .map(|k| PrivateKey::Rsa(Box::new(k)))
                    .map_err(|e| ProviderError::api(format!("cannot generate an RSA key: {e}")))
            }
            "ECDSA" => Ok(PrivateKey::Ecdsa(EcKey::generate(curve))),
            "ED25519" => Ok(PrivateKey::Ed25519(SigningKey::generate(&mut OsRng))),
            other => Err(algorithm_error(other)),
        }
    }

    pub fn algorithm(&self) -> &'static str {
        match self {
            PrivateKey::Rsa(_) => "RSA",
            PrivateKey::Ecdsa(_) => "ECDSA",
            PrivateKey::Ed25519(_) => "ED25519",
        }
    }

    /// `private_key_pem`'s label and body: PKCS#1 for RSA, SEC1 for ECDSA, PKCS#8 for Ed25519,
    /// as hashicorp/tls writes them.
    pub fn native_der(&self) -> Result<(&'static str, Vec<u8>)> {
        match self {
            PrivateKey::Rsa(k) => k
                .to_pkcs1_der()
                .map(|d| ("RSA PRIVATE KEY", d.as_bytes().to_vec()))
                .map_err(|e| encode_error("RSA private key", e)),
            PrivateKey::Ecdsa(k) => k.sec1_der().map(|d| ("EC PRIVATE KEY", d)),
            PrivateKey::Ed25519(_) => self.pkcs8_der().map(|d| ("PRIVATE KEY", d)),
        }
    }

    /// PKCS#8 `PrivateKeyInfo` (`private_key_pem_pkcs8`).
    pub fn pkcs8_der(&self) -> Result<Vec<u8>> {
        match self {
            PrivateKey::Rsa(k) => k
                .to_pkcs8_der()
                .map(|d| d.as_bytes().to_vec())
                .map_err(|e| encode_error("PKCS#8 private key", e)),
            PrivateKey::Ecdsa(k) => k.pkcs8_der(),
            // Go writes the version 1 form (no public key inside); the dalek crate would add it.
            PrivateKey::Ed25519(k) => KeypairBytes {
                secret_key: k.to_bytes(),
                public_key: None,
            }
            .to_pkcs8_der()
            .map(|d| d.as_bytes().to_vec())
            .map_err(|e| encode_error("PKCS#8 private key", e)),
        }
    }

    /// The public key as a DER `SubjectPublicKeyInfo` (`public_key_pem`'s body).
    pub fn spki_der(&self) -> Result<Vec<u8>> {
        match self {
            PrivateKey::Rsa(k) => k
                .to_public_key()
                .to_public_key_der()
                .map(|d| d.as_bytes().to_vec())
                .map_err(|e| encode_error("public key", e)),
            PrivateKey::Ecdsa(k) => k.spki_der(),
            PrivateKey::Ed25519(k) => k
                .verifying_key()
                .to_public_key_der()
                .map(|d| d.as_bytes().to_vec())
                .map_err(|e| encode_error("public key", e)),
        }
    }

    /// The OpenSSH key pair; `None` where SSH has no such key type (ECDSA P-224).
    pub fn ssh_keypair(&self) -> Result<Option<KeypairData>> {
        Ok(match self {
            PrivateKey::Rsa(k) => Some(KeypairData::Rsa(
                RsaKeypair::try_from(k.as_ref()).map_err(|e| encode_error("OpenSSH RSA key", e))?,
            )),
            PrivateKey::Ecdsa(k) => k.ssh_keypair(),
            PrivateKey::Ed25519(k) => Some(KeypairData::Ed25519(Ed25519Keypair::from(k))),
        })
    }
}

fn bits_error(bits: i64) -> ProviderError {
    ProviderError::invalid(format!(
        "`rsa_bits` must be between {MIN_RSA_BITS} and {MAX_RSA_BITS}, got `{bits}`"
    ))
    .with_hint("2048 (the default) or 4096 are the usual sizes")
}

pub fn algorithm_error(got: &str) -> ProviderError {
    ProviderError::invalid(format!(
        "`algorithm` must be one of `{}`, got `{got}`",
        ALGORITHMS.join("`, `")
    ))
}
