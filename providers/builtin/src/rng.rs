//! Crypto-grade randomness (what the Terraform providers take from Go's crypto/rand).

use labform_sdk::{ProviderError, Result};

/// `n` bytes from the operating system's random source.
pub fn bytes(n: usize) -> Result<Vec<u8>> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf)
        .map_err(|e| ProviderError::api(format!("cannot read the system random source: {e}")))?;
    Ok(buf)
}

/// A random `u64`.
pub fn u64() -> Result<u64> {
    let b = bytes(8)?;
    let mut arr = [0u8; 8];
    arr.copy_from_slice(&b);
    Ok(u64::from_le_bytes(arr))
}

/// A uniform integer in `0..n` (rejection sampling, so no modulo bias). `n` must be positive.
pub fn below(n: u64) -> Result<u64> {
    if n == 0 {
        return Err(ProviderError::invalid("cannot draw from an empty range"));
    }
    // Largest multiple of n that fits: values at or above it would bias the result.
    let zone = u64::MAX - (u64::MAX % n);
    loop {
        let v = u64()?;
        if v < zone {
            return Ok(v % n);
        }
    }
}

/// hashicorp/go-uuid `GenerateUUID`: 16 random bytes as lowercase 8-4-4-4-12 hex. The version
/// and variant bits are deliberately NOT set, as in Terraform.
pub fn go_uuid() -> Result<String> {
    Ok(format_uuid(&bytes(16)?))
}

/// Formats 16 bytes as 8-4-4-4-12 lowercase hex.
pub fn format_uuid(b: &[u8]) -> String {
    let h = crate::encode::hex(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_uuid_is_32_hex_digits_in_8_4_4_4_12() {
        let id = go_uuid().unwrap();
        let groups: Vec<&str> = id.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            vec![8, 4, 4, 4, 12]
        );
        assert!(id
            .chars()
            .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c)));
        assert_ne!(go_uuid().unwrap(), id);
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut seen = [false; 7];
        for _ in 0..500 {
            let v = below(7).unwrap();
            assert!(v < 7);
            seen[v as usize] = true;
        }
        assert!(
            seen.iter().all(|s| *s),
            "500 draws from 0..7 missed a value: {seen:?}"
        );
        assert!(below(0).is_err());
    }
}
