//! The random provider's seeded generator: Go math/rand seeded with CRC-64 (ISO) of `seed`, or
//! with a random seed when `seed` is empty or unset.

use labform_sdk::Result;

use crate::crc64;
use crate::gorand::GoRand;
use crate::rng;

pub fn go_rand(seed: Option<&str>) -> Result<GoRand> {
    let seed = match seed.filter(|s| !s.is_empty()) {
        Some(text) => crc64::iso(text.as_bytes()) as i64,
        // Terraform seeds from the clock here; any unpredictable seed is equivalent.
        None => rng::u64()? as i64,
    };
    Ok(GoRand::new(seed))
}
