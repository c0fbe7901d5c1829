//! The checksums hashicorp/local and hashicorp/archive export for a file's bytes.

use md5::Md5;
use sha1::{Digest, Sha1};
use sha2::{Sha256, Sha512};

use crate::encode;

/// Hex digests, and the standard-base64 forms of the SHA-256 and SHA-512 ones.
pub struct Checksums {
    pub md5: String,
    pub sha1: String,
    pub sha256: String,
    pub base64sha256: String,
    pub sha512: String,
    pub base64sha512: String,
}

impl Checksums {
    pub fn of(bytes: &[u8]) -> Self {
        let sha256 = Sha256::digest(bytes);
        let sha512 = Sha512::digest(bytes);
        Checksums {
            md5: encode::hex(&Md5::digest(bytes)),
            sha1: encode::hex(&Sha1::digest(bytes)),
            sha256: encode::hex(&sha256),
            base64sha256: encode::b64_std(&sha256),
            sha512: encode::hex(&sha512),
            base64sha512: encode::b64_std(&sha512),
        }
    }
}
