//! `base64gzip`: gzip (RFC 1952) then base64, as Terraform documents it. The header is Go's
//! (no name, no mtime, OS "unknown"); the deflate stream is flate2's at the default level, so its
//! bytes may differ from Go's compressor, but every gzip reader decodes both to the same text.

use std::io::Write;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use flate2::write::GzEncoder;
use flate2::{Compression, GzBuilder};
use labform_sdk::Value;

use super::spec::{f, p, str_at, Func, S};
use super::{FnResult, FunctionContext, FunctionError};

pub(crate) const FUNCS: &[Func] = &[f("base64gzip", &[p("str", S)], base64gzip)];

fn base64gzip(a: &[Value], _: &FunctionContext) -> FnResult {
    let zipped = gzip(str_at(a, 0)?.as_bytes())
        .map_err(|e| FunctionError::arg(0, format!("cannot gzip the string: {e}")))?;
    Ok(Value::String(STANDARD.encode(zipped)))
}

/// One gzip member holding `data`, compressed at the default level.
fn gzip(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder: GzEncoder<Vec<u8>> = GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), Compression::default());
    encoder.write_all(data)?;
    encoder.finish()
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use std::io::Read;

    fn base64gzip_of(text: &str) -> Vec<u8> {
        let Value::String(encoded) = call_ok("base64gzip", vec![s(text)]) else {
            panic!("not a string")
        };
        STANDARD.decode(encoded).expect("base64")
    }

    #[test]
    fn output_is_base64_of_a_gzip_stream_that_gunzip_accepts() {
        let bytes = base64gzip_of("test");
        // Magic, deflate, no flags, no mtime, then OS "unknown" as Go's writer has it.
        assert_eq!(&bytes[..4], &[0x1f, 0x8b, 8, 0]);
        assert_eq!(&bytes[4..8], &[0, 0, 0, 0]);
        assert_eq!(bytes[9], 0xff);
        let mut child = std::process::Command::new("gzip")
            .arg("-dc")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("gzip is installed");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(&bytes)
            .expect("write");
        let out = child.wait_with_output().expect("gzip output");
        assert!(out.status.success());
        assert_eq!(out.stdout, b"test");
    }

    /// The bytes are pinned: a change of deflate backend (a crate switching flate2 to zlib)
    /// would change every configuration that embeds the result, so it must fail here first.
    /// (The deflate bytes are also what zlib gives at level 6, and Python's gzip reads them.)
    #[test]
    fn output_is_stable() {
        let Value::String(encoded) = call_ok("base64gzip", vec![s("Hello, labform!")]) else {
            panic!("not a string")
        };
        assert_eq!(encoded, "H4sIAAAAAAAA//NIzcnJ11HISUxKyy/KVQQAsJSzJg8AAAA=");
    }

    #[test]
    fn output_is_compressed() {
        let text = "x".repeat(200_000);
        let bytes = base64gzip_of(&text);
        // Stored blocks would take the whole 200,000 bytes plus framing.
        assert!(bytes.len() < 1_000, "{} bytes", bytes.len());
        let mut back = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut back)
            .expect("gunzip");
        assert_eq!(back, text);
        assert_eq!(base64gzip_of(""), gzip(b"").expect("gzip"));
    }
}
