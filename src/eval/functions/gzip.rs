//! `base64gzip`: gzip (RFC 1952) then base64. The deflate stream uses stored blocks, so the
//! bytes differ from Terraform's compressed output, but every gzip reader decodes them to
//! the same text.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use labform_sdk::Value;

use super::spec::{f, p, str_at, Func, S};
use super::{FnResult, FunctionContext};

pub(crate) const FUNCS: &[Func] = &[f("base64gzip", &[p("str", S)], base64gzip)];

fn base64gzip(a: &[Value], _: &FunctionContext) -> FnResult {
    Ok(Value::String(
        STANDARD.encode(gzip_stored(str_at(a, 0)?.as_bytes())),
    ))
}

/// A gzip member holding `data` in uncompressed deflate blocks.
fn gzip_stored(data: &[u8]) -> Vec<u8> {
    // Magic, deflate, no flags, no mtime, no extra flags, OS "unknown" (as Go writes it).
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    let mut chunks = data.chunks(0xffff).peekable();
    if chunks.peek().is_none() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(chunk) = chunks.next() {
        let last = chunks.peek().is_none();
        let len = chunk.len() as u16;
        out.push(u8::from(last));
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(&crc32(data).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

/// CRC-32 (IEEE), bit by bit: inputs are configuration-sized.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in data {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xedb8_8320 & mask);
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;

    #[test]
    fn crc_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    }

    #[test]
    fn output_is_a_gzip_stream_that_gunzip_accepts() {
        let Value::String(encoded) = call_ok("base64gzip", vec![s("test")]) else {
            panic!("not a string")
        };
        let bytes = STANDARD.decode(encoded).expect("base64");
        let mut child = std::process::Command::new("gzip")
            .arg("-dc")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("gzip is installed");
        use std::io::Write;
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(&bytes)
            .expect("write");
        let out = child.wait_with_output().expect("gzip output");
        assert!(out.status.success());
        assert_eq!(out.stdout, b"test");
        let big = "x".repeat(200_000);
        let gz = gzip_stored(big.as_bytes());
        assert_eq!(gz.len(), 10 + 4 * 5 + 200_000 + 8);
    }
}
