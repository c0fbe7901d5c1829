//! Reading a private key back from the PEM forms hashicorp/tls writes and accepts (PKCS#1
//! "RSA PRIVATE KEY", SEC1 "EC PRIVATE KEY", PKCS#8 "PRIVATE KEY") or an OpenSSH private key.

use ed25519_dalek::pkcs8::DecodePrivateKey as _;
use ed25519_dalek::SigningKey;
use rsa::pkcs1::DecodeRsaPrivateKey as _;
use rsa::BigUint;
use rsa::RsaPrivateKey;
use sec1::der::Decode as _;
use ssh_key::private::{KeypairData, RsaKeypair};

use super::ec::EcKey;
use super::key::PrivateKey;
use super::pem;

const OID_RSA: &str = "1.2.840.113549.1.1.1";
const OID_EC: &str = "1.2.840.10045.2.1";
const OID_ED25519: &str = "1.3.101.112";

/// A key from `private_key_pem` text.
pub fn from_pem(text: &str) -> Result<PrivateKey, String> {
    let (label, der) = pem::decode(text).ok_or("failed to decode PEM block")?;
    match label.as_str() {
        "RSA PRIVATE KEY" => RsaPrivateKey::from_pkcs1_der(&der)
            .map(|k| PrivateKey::Rsa(Box::new(k)))
            .map_err(|e| format!("failed to parse the RSA private key: {e}")),
        "EC PRIVATE KEY" => EcKey::from_sec1_der(&der, None)
            .map(PrivateKey::Ecdsa)
            .map_err(|e| format!("failed to parse the EC private key: {e}")),
        "PRIVATE KEY" => {
            from_pkcs8(&der).map_err(|e| format!("failed to parse the PKCS#8 private key: {e}"))
        }
        other => Err(format!("unsupported PEM preamble `{other}`")),
    }
}

fn from_pkcs8(der: &[u8]) -> Result<PrivateKey, String> {
    let info = rsa::pkcs8::PrivateKeyInfo::from_der(der).map_err(|e| e.to_string())?;
    let oid = info.algorithm.oid.to_string();
    match oid.as_str() {
        OID_RSA => RsaPrivateKey::from_pkcs8_der(der)
            .map(|k| PrivateKey::Rsa(Box::new(k)))
            .map_err(|e| e.to_string()),
        OID_EC => {
            let curve = info
                .algorithm
                .parameters_oid()
                .map_err(|e| format!("the EC key does not name its curve: {e}"))?;
            EcKey::from_sec1_der(info.private_key, Some(curve)).map(PrivateKey::Ecdsa)
        }
        OID_ED25519 => SigningKey::from_pkcs8_der(der)
            .map(PrivateKey::Ed25519)
            .map_err(|e| e.to_string()),
        other => Err(format!("unsupported key algorithm `{other}`")),
    }
}

/// A key from `private_key_openssh` text (unencrypted).
pub fn from_openssh(text: &str) -> Result<PrivateKey, String> {
    // Decoded here: ssh-key's own PEM reader wants OpenSSH's 70 columns, Go writes 64.
    let (label, bytes) = pem::decode(text).ok_or("failed to decode PEM block")?;
    if label != "OPENSSH PRIVATE KEY" {
        return Err(format!("unsupported PEM preamble `{label}`"));
    }
    let key = ssh_key::PrivateKey::from_bytes(&bytes)
        .map_err(|e| format!("failed to parse the OpenSSH private key: {e}"))?;
    match key.key_data() {
        KeypairData::Rsa(pair) => rsa_from_ssh(pair).map(|k| PrivateKey::Rsa(Box::new(k))),
        KeypairData::Ecdsa(pair) => EcKey::from_ssh(pair).map(PrivateKey::Ecdsa),
        KeypairData::Ed25519(pair) => Ok(PrivateKey::Ed25519(SigningKey::from_bytes(
            &pair.private.to_bytes(),
        ))),
        KeypairData::Encrypted(_) => Err("the OpenSSH private key is encrypted".to_string()),
        other => Err(format!(
            "unsupported OpenSSH key type `{}`",
            other.algorithm().map(|a| a.to_string()).unwrap_or_default()
        )),
    }
}

/// ssh-key 0.6's own conversion passes `p` twice instead of `p` and `q`, so it is done here.
fn rsa_from_ssh(pair: &RsaKeypair) -> Result<RsaPrivateKey, String> {
    let int = |m: &ssh_key::Mpint| {
        m.as_positive_bytes()
            .map(BigUint::from_bytes_be)
            .ok_or_else(|| "the OpenSSH RSA key holds a negative number".to_string())
    };
    let (public, private) = (&pair.public, &pair.private);
    RsaPrivateKey::from_components(
        int(&public.n)?,
        int(&public.e)?,
        int(&private.d)?,
        vec![int(&private.p)?, int(&private.q)?],
    )
    .map_err(|e| e.to_string())
}
