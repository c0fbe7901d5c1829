//! The public attributes hashicorp/tls derives from a key (`id`, `public_key_pem`,
//! `public_key_openssh`, both fingerprints), shared by `tls_private_key` and `data "tls_public_key"`.

use labform_sdk::{ProviderError, Result, Value};
use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use ssh_key::private::KeypairData;
use ssh_key::public::KeyData;

use super::key::PrivateKey;
use super::pem;
use crate::encode;

/// Sets the public attributes of `key` on `value`. Where SSH has no key type (ECDSA P-224) the
/// SSH attributes are empty strings, as in hashicorp/tls.
pub fn set_public(value: &mut Value, key: &PrivateKey) -> Result<()> {
    let spki = key.spki_der()?;
    value.set(
        "id",
        encode::hex(&Sha1::digest(go_trim_space(&spki))).into(),
    );
    value.set("public_key_pem", pem::encode("PUBLIC KEY", &spki).into());
    let (line, md5, sha256) = match key.ssh_keypair()? {
        Some(pair) => ssh_public(&pair)?,
        None => Default::default(),
    };
    value.set("public_key_openssh", line.into());
    value.set("public_key_fingerprint_md5", md5.into());
    value.set("public_key_fingerprint_sha256", sha256.into());
    Ok(())
}

/// The authorized_keys line (Go's `ssh.MarshalAuthorizedKey`: no comment, a final newline) and
/// the legacy MD5 (`aa:bb:..`) and `SHA256:` (unpadded base64) fingerprints.
fn ssh_public(pair: &KeypairData) -> Result<(String, String, String)> {
    let public = KeyData::try_from(pair)
        .map_err(|e| ProviderError::api(format!("cannot derive the OpenSSH public key: {e}")))?;
    let wire = ssh_key::PublicKey::new(public.clone(), "")
        .to_bytes()
        .map_err(|e| ProviderError::api(format!("cannot encode the OpenSSH public key: {e}")))?;
    let line = format!(
        "{} {}\n",
        public.algorithm().as_str(),
        encode::b64_std(&wire)
    );
    let md5: Vec<String> = Md5::digest(&wire)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let sha256 = encode::b64_std(&Sha256::digest(&wire));
    Ok((
        line,
        md5.join(":"),
        format!("SHA256:{}", sha256.trim_end_matches('=')),
    ))
}

/// The id hashes the DER as Go's `strings.TrimSpace` leaves it: leading and trailing Unicode
/// white space is cut, where the bytes decode as UTF-8 there.
fn go_trim_space(bytes: &[u8]) -> &[u8] {
    let mut s = bytes;
    while let Some(n) = edge_space(s, true) {
        s = &s[n..];
    }
    while let Some(n) = edge_space(s, false) {
        s = &s[..s.len() - n];
    }
    s
}

/// The length of a white-space character at the start (or end) of `s`.
fn edge_space(s: &[u8], start: bool) -> Option<usize> {
    (1..=4.min(s.len())).find_map(|n| {
        let part = if start { &s[..n] } else { &s[s.len() - n..] };
        let text = std::str::from_utf8(part).ok()?;
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_whitespace() => Some(n),
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::go_trim_space;

    #[test]
    fn trims_like_go_strings_trim_space() {
        assert_eq!(go_trim_space(b"\x30\x01\x20"), b"\x30\x01");
        assert_eq!(go_trim_space(b"\n\x30\x0a\x0d"), b"\x30");
        // U+00A0 (C2 A0) is white space; a lone A0 byte is not valid UTF-8 and stays.
        assert_eq!(go_trim_space(b"\x30\xc2\xa0"), b"\x30");
        assert_eq!(go_trim_space(b"\x30\xa0"), b"\x30\xa0");
        assert_eq!(go_trim_space(b"\x30\x85"), b"\x30\x85");
    }
}
