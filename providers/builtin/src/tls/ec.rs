//! ECDSA keys on the four NIST curves hashicorp/tls offers, and their encodings.
//!
//! Each curve is its own crate with its own types, so one macro writes the same method for each.

use labform_sdk::{ProviderError, Result};
use p256::elliptic_curve::pkcs8::{AssociatedOid, EncodePrivateKey, EncodePublicKey};
use p256::elliptic_curve::sec1::ToEncodedPoint;
use rand_core::OsRng;
use sec1::der::Encode as _;
use sec1::{EcParameters, EcPrivateKey};
use ssh_key::private::{EcdsaKeypair, KeypairData};

/// A curve name as written in `ecdsa_curve`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Curve {
    P224,
    P256,
    P384,
    P521,
}

impl Curve {
    pub const NAMES: [&'static str; 4] = ["P224", "P256", "P384", "P521"];

    pub fn parse(name: &str) -> Option<Curve> {
        match name {
            "P224" => Some(Curve::P224),
            "P256" => Some(Curve::P256),
            "P384" => Some(Curve::P384),
            "P521" => Some(Curve::P521),
            _ => None,
        }
    }
}

/// A private key on one of the curves.
pub enum EcKey {
    P224(p224::SecretKey),
    P256(p256::SecretKey),
    P384(p384::SecretKey),
    P521(p521::SecretKey),
}

fn der_error(what: &str, e: impl std::fmt::Display) -> ProviderError {
    ProviderError::api(format!("cannot encode the {what}: {e}"))
}

/// Runs `$body` with `$k` bound to the curve's secret key and `$curve` to its curve type.
macro_rules! each_curve {
    ($key:expr, $k:ident, $curve:ident, $body:expr) => {
        match $key {
            EcKey::P224($k) => {
                type $curve = p224::NistP224;
                $body
            }
            EcKey::P256($k) => {
                type $curve = p256::NistP256;
                $body
            }
            EcKey::P384($k) => {
                type $curve = p384::NistP384;
                $body
            }
            EcKey::P521($k) => {
                type $curve = p521::NistP521;
                $body
            }
        }
    };
}

impl EcKey {
    pub fn generate(curve: Curve) -> EcKey {
        match curve {
            Curve::P224 => EcKey::P224(p224::SecretKey::random(&mut OsRng)),
            Curve::P256 => EcKey::P256(p256::SecretKey::random(&mut OsRng)),
            Curve::P384 => EcKey::P384(p384::SecretKey::random(&mut OsRng)),
            Curve::P521 => EcKey::P521(p521::SecretKey::random(&mut OsRng)),
        }
    }

    /// SEC1 `ECPrivateKey` with the named-curve parameters and the public point, as Go's
    /// `x509.MarshalECPrivateKey` writes it (the "EC PRIVATE KEY" PEM body).
    pub fn sec1_der(&self) -> Result<Vec<u8>> {
        each_curve!(self, k, C, {
            let secret = k.to_bytes();
            let public = k.public_key().to_encoded_point(false);
            EcPrivateKey {
                private_key: &secret,
                parameters: Some(EcParameters::NamedCurve(C::OID)),
                public_key: Some(public.as_bytes()),
            }
            .to_der()
            .map_err(|e| der_error("EC private key", e))
        })
    }

    /// PKCS#8 `PrivateKeyInfo` (curve in the algorithm identifier, as Go writes it).
    pub fn pkcs8_der(&self) -> Result<Vec<u8>> {
        each_curve!(self, k, _C, {
            k.to_pkcs8_der()
                .map(|d| d.as_bytes().to_vec())
                .map_err(|e| der_error("PKCS#8 private key", e))
        })
    }

    /// The public key as a DER `SubjectPublicKeyInfo`.
    pub fn spki_der(&self) -> Result<Vec<u8>> {
        each_curve!(self, k, _C, {
            k.public_key()
                .to_public_key_der()
                .map(|d| d.as_bytes().to_vec())
                .map_err(|e| der_error("public key", e))
        })
    }

    /// The OpenSSH key pair; `None` for P-224, which SSH does not define.
    pub fn ssh_keypair(&self) -> Option<KeypairData> {
        let pair = match self {
            EcKey::P224(_) => return None,
            EcKey::P256(k) => EcdsaKeypair::NistP256 {
                public: k.public_key().into(),
                private: k.clone().into(),
            },
            EcKey::P384(k) => EcdsaKeypair::NistP384 {
                public: k.public_key().into(),
                private: k.clone().into(),
            },
            EcKey::P521(k) => EcdsaKeypair::NistP521 {
                public: k.public_key().into(),
                private: k.clone().into(),
            },
        };
        Some(KeypairData::Ecdsa(pair))
    }

    /// A key from a SEC1 `ECPrivateKey` whose parameters name the curve (or `curve` from an
    /// enclosing PKCS#8 algorithm identifier when it has none).
    pub fn from_sec1_der(
        der: &[u8],
        curve: Option<sec1::der::asn1::ObjectIdentifier>,
    ) -> Result<EcKey, String> {
        use sec1::der::Decode;
        let parsed = EcPrivateKey::from_der(der).map_err(|e| e.to_string())?;
        let oid = parsed
            .parameters
            .and_then(|p| p.named_curve())
            .or(curve)
            .ok_or("the EC private key does not name its curve")?;
        let bytes = parsed.private_key;
        let bad = |e: p256::elliptic_curve::Error| e.to_string();
        if oid == p224::NistP224::OID {
            p224::SecretKey::from_slice(bytes)
                .map(EcKey::P224)
                .map_err(bad)
        } else if oid == p256::NistP256::OID {
            p256::SecretKey::from_slice(bytes)
                .map(EcKey::P256)
                .map_err(bad)
        } else if oid == p384::NistP384::OID {
            p384::SecretKey::from_slice(bytes)
                .map(EcKey::P384)
                .map_err(bad)
        } else if oid == p521::NistP521::OID {
            p521::SecretKey::from_slice(bytes)
                .map(EcKey::P521)
                .map_err(bad)
        } else {
            Err(format!("unsupported elliptic curve `{oid}`"))
        }
    }

    /// A key from OpenSSH key pair data.
    pub fn from_ssh(pair: &EcdsaKeypair) -> Result<EcKey, String> {
        let bad = |e: p256::elliptic_curve::Error| e.to_string();
        match pair {
            EcdsaKeypair::NistP256 { private, .. } => {
                p256::SecretKey::from_slice(private.as_slice())
                    .map(EcKey::P256)
                    .map_err(bad)
            }
            EcdsaKeypair::NistP384 { private, .. } => {
                p384::SecretKey::from_slice(private.as_slice())
                    .map(EcKey::P384)
                    .map_err(bad)
            }
            EcdsaKeypair::NistP521 { private, .. } => {
                p521::SecretKey::from_slice(private.as_slice())
                    .map(EcKey::P521)
                    .map_err(bad)
            }
        }
    }
}
