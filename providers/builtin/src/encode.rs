//! Text encodings of bytes used by random_id and local_file: hex, base64 and big-endian decimal.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;

/// Lowercase hex, two digits per byte.
pub fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// Standard base64 with `=` padding (Go's `base64.StdEncoding`).
pub fn b64_std(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// URL-safe base64 without padding (Go's `base64.RawURLEncoding`).
pub fn b64_url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes padded standard base64 (Go's `base64.StdEncoding.DecodeString`).
pub fn decode_b64_std(text: &str) -> Result<Vec<u8>, String> {
    STANDARD.decode(text).map_err(|e| e.to_string())
}

/// Decodes unpadded URL-safe base64.
pub fn decode_b64_url(text: &str) -> Result<Vec<u8>, String> {
    URL_SAFE_NO_PAD.decode(text).map_err(|e| e.to_string())
}

/// The bytes read as one big-endian unsigned integer, in decimal without leading zeros
/// (`"0"` for no bytes or all zeros), like Go's `big.Int.SetBytes(b).String()`.
pub fn big_endian_decimal(bytes: &[u8]) -> String {
    // Repeated division of the base-256 number by 10^9; fine for the lengths random_id uses.
    let mut num: Vec<u32> = bytes.iter().map(|b| u32::from(*b)).collect();
    let mut chunks: Vec<u32> = Vec::new();
    while num.iter().any(|d| *d != 0) {
        let mut rem: u64 = 0;
        for d in num.iter_mut() {
            let cur = (rem << 8) | u64::from(*d);
            *d = (cur / 1_000_000_000) as u32;
            rem = cur % 1_000_000_000;
        }
        chunks.push(rem as u32);
    }
    match chunks.split_last() {
        None => "0".to_string(),
        Some((top, rest)) => {
            let mut s = top.to_string();
            for c in rest.iter().rev() {
                s.push_str(&format!("{c:09}"));
            }
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_matches_known_values() {
        assert_eq!(big_endian_decimal(&[]), "0");
        assert_eq!(big_endian_decimal(&[0, 0]), "0");
        assert_eq!(big_endian_decimal(&[0, 1, 0]), "256");
        assert_eq!(big_endian_decimal(&[0xff; 8]), u64::MAX.to_string());
        let b = 0x0123_4567_89ab_cdef_fedc_ba98_7654_3210u128;
        assert_eq!(big_endian_decimal(&b.to_be_bytes()), b.to_string());
    }

    #[test]
    fn encodings_match_rfc4648_examples() {
        assert_eq!(hex(&[0, 0x0f, 0xa0, 0xff]), "000fa0ff");
        assert_eq!(b64_std(b"fo"), "Zm8=");
        assert_eq!(b64_url(&[0xfb, 0xff]), "-_8");
        assert_eq!(b64_std(&[0xfb, 0xff]), "+/8=");
        assert_eq!(decode_b64_std("Zm9vYg==").unwrap(), b"foob");
        assert!(
            decode_b64_std("Zm9vYg").is_err(),
            "unpadded input must be refused as Go does"
        );
    }
}
