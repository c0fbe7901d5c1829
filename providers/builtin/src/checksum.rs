//! The checksums hashicorp/local and hashicorp/archive export for a file's bytes.

use labform_sdk::Value;
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

    /// Sets `id` (the hex SHA-1) and every checksum on `value`, each named `prefix` + its
    /// digest's name (`md5`, `sha256`, `base64sha512`, ...), the SHA-1 one `prefix` + `sha1`.
    pub fn set(self, value: &mut Value, prefix: &str, sha1: &str) {
        value.set("id", self.sha1.clone().into());
        let sums = [
            ("md5", self.md5),
            (sha1, self.sha1),
            ("sha256", self.sha256),
            ("base64sha256", self.base64sha256),
            ("sha512", self.sha512),
            ("base64sha512", self.base64sha512),
        ];
        for (name, sum) in sums {
            value.set(format!("{prefix}{name}"), sum.into());
        }
    }
}
