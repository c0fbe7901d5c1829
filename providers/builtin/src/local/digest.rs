//! The checksum attributes hashicorp/local computes over a file's exact bytes.

use labform_sdk::Value;

use crate::checksum::Checksums;

/// Every computed checksum attribute, with `id` (the hex SHA-1).
pub const ATTRIBUTES: [&str; 7] = [
    "id",
    "content_md5",
    "content_sha1",
    "content_sha256",
    "content_base64sha256",
    "content_sha512",
    "content_base64sha512",
];

/// The lowercase hex SHA-1, which is the resource's `id`.
pub fn sha1_hex(bytes: &[u8]) -> String {
    Checksums::of(bytes).sha1
}

/// Sets the checksum attributes of `bytes` on `value`.
pub fn set_all(value: &mut Value, bytes: &[u8]) {
    Checksums::of(bytes).set(value, "content_", "sha1");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_of_abc_match_the_published_test_vectors() {
        let mut v = Value::object();
        set_all(&mut v, b"abc");
        assert_eq!(
            v.str_attr("content_md5"),
            Some("900150983cd24fb0d6963f7d28e17f72")
        );
        assert_eq!(
            v.str_attr("id"),
            Some("a9993e364706816aba3e25717850c26c9cd0d89d")
        );
        assert_eq!(v.get("content_sha1"), v.get("id"));
        assert_eq!(
            v.str_attr("content_sha256"),
            Some("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
        assert_eq!(
            v.str_attr("content_base64sha256"),
            Some("ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")
        );
        assert!(v
            .str_attr("content_sha512")
            .unwrap()
            .starts_with("ddaf35a193617aba"));
        assert!(v
            .str_attr("content_base64sha512")
            .unwrap()
            .starts_with("3a81oZNherrMQXNJriBBMRLm"));
    }
}
