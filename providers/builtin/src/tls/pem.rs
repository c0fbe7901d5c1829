//! PEM text as Go's `encoding/pem` writes it: 64-column base64 lines, LF endings, a final newline.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// Wraps DER (or OpenSSH binary) bytes in a PEM block with the given label.
pub fn encode(label: &str, bytes: &[u8]) -> String {
    let b64 = STANDARD.encode(bytes);
    let mut out = format!("-----BEGIN {label}-----\n");
    // Base64 is ASCII, so splitting the bytes never cuts a character.
    for line in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// The label and decoded bytes of the first PEM block in `text`; `None` when there is none.
pub fn decode(text: &str) -> Option<(String, Vec<u8>)> {
    let start = text.find("-----BEGIN ")?;
    let rest = &text[start + "-----BEGIN ".len()..];
    let label_end = rest.find("-----")?;
    let label = &rest[..label_end];
    let body = &rest[label_end + 5..];
    let end_marker = format!("-----END {label}-----");
    let body_end = body.find(&end_marker)?;
    let b64: String = body[..body_end]
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let bytes = STANDARD.decode(b64).ok()?;
    Some((label.to_string(), bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_64_columns_and_round_trip() {
        let bytes: Vec<u8> = (0..=255u8).collect();
        let text = encode("TEST KEY", &bytes);
        assert!(text.starts_with("-----BEGIN TEST KEY-----\n"));
        assert!(text.ends_with("\n-----END TEST KEY-----\n"));
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[1..lines.len() - 2].iter().all(|l| l.len() == 64));
        assert!(lines[lines.len() - 2].len() <= 64);
        assert_eq!(decode(&text), Some(("TEST KEY".to_string(), bytes)));
    }

    #[test]
    fn decode_finds_no_block_in_plain_text() {
        assert_eq!(decode("not a key"), None);
        assert_eq!(decode("-----BEGIN X-----\nAAAA\n"), None);
    }
}
