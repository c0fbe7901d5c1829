//! `upload` blocks: files copied into the container (as one tar at `/`) before it starts.

use base64_decode::decode;
use labform_sdk::{ProviderError, Result, Value};

use crate::client::Client;
use crate::errors;

mod base64_decode {
    /// Standard base64 (with padding) to bytes; `None` when it is not valid.
    pub fn decode(text: &str) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let mut buf = 0u32;
        let mut bits = 0;
        for c in text.bytes().filter(|c| !c.is_ascii_whitespace()) {
            let v = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' => 62,
                b'/' => 63,
                b'=' => break,
                _ => return None,
            };
            buf = (buf << 6) | v as u32;
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((buf >> bits) as u8);
            }
        }
        Some(out)
    }
}

/// Checks an upload block: one source of content and a valid mode.
pub fn validate(u: &Value) -> Result<()> {
    let file = u.str_attr("file").unwrap_or_default();
    let sources = ["content", "content_base64", "source"]
        .iter()
        .filter(|k| !u.get(k).is_null())
        .count();
    if sources != 1 && u.get("content").is_wholly_known() {
        return Err(ProviderError::invalid(format!(
            "upload of `{file}` needs exactly one of `content`, `content_base64` or `source`"
        )));
    }
    if let Some(p) = u.str_attr("permissions") {
        if p.len() != 4 || !p.starts_with('0') || u32::from_str_radix(p, 8).is_err() {
            return Err(ProviderError::invalid(format!(
                "upload permissions `{p}` must be an octal mode like `0644`"
            )));
        }
    }
    if let Some(b) = u.str_attr("content_base64") {
        if decode(b).is_none() {
            return Err(ProviderError::invalid(format!(
                "upload `content_base64` of `{file}` is not valid base64"
            )));
        }
    }
    Ok(())
}

/// Copies every upload into the container.
pub async fn upload_all(client: &Client, id: &str, uploads: &[Value]) -> Result<()> {
    if uploads.is_empty() {
        return Ok(());
    }
    let mut builder = tar::Builder::new(Vec::new());
    for u in uploads {
        let file = u.str_attr("file").unwrap_or_default();
        let data = if let Some(c) = u.str_attr("content") {
            c.as_bytes().to_vec()
        } else if let Some(b) = u.str_attr("content_base64") {
            decode(b).unwrap_or_default()
        } else if let Some(src) = u.str_attr("source") {
            let path = if std::path::Path::new(src).is_absolute() {
                src.into()
            } else {
                client.stack_dir.join(src)
            };
            std::fs::read(&path).map_err(|e| {
                ProviderError::invalid(format!(
                    "cannot read upload source `{}`: {e}",
                    path.display()
                ))
            })?
        } else {
            Vec::new()
        };
        let mode = match u.str_attr("permissions") {
            Some(p) => u32::from_str_radix(p, 8).unwrap_or(0o644),
            None if u.bool_attr("executable", false) => 0o744,
            None => 0o644,
        };
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(mode);
        header.set_mtime(0);
        header.set_cksum();
        builder
            .append_data(&mut header, file.trim_start_matches('/'), data.as_slice())
            .map_err(|e| ProviderError::api(format!("packing upload `{file}` failed: {e}")))?;
    }
    let tar = builder
        .into_inner()
        .map_err(|e| ProviderError::api(format!("packing uploads failed: {e}")))?;
    let opts = bollard::query_parameters::UploadToContainerOptionsBuilder::new()
        .path("/")
        .build();
    client
        .docker
        .upload_to_container(id, Some(opts), bollard::body_full(tar.into()))
        .await
        .map_err(|e| errors::api("copying `upload` files into the container", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes() {
        assert_eq!(decode("aGVsbG8=").unwrap(), b"hello");
        assert!(decode("!!").is_none());
    }
}
