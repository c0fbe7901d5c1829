//! The constant table Go's math/rand (v1) mixes into every seed.
//!
//! Go documents the table as the state of its additive lagged Fibonacci generator, seeded with 1,
//! after 7.8e12 steps. Running that many steps takes hours, so we jump ahead instead: the
//! generator is the linear recurrence w(t) = w(t-607) + w(t-273) (mod 2^64), and w at any distance
//! is the initial window combined with the coefficients of z^N mod (z^607 - z^334 - 1).
//! Computed once per process in a few milliseconds; tests pin entries to Go's published values.

use std::sync::OnceLock;

pub const LEN: usize = 607;
pub const TAP: usize = 273;
const STEPS: u64 = 7_800_000_000_000;
const MASK: u64 = (1 << 63) - 1;

/// Go's `rngCooked`, lower 63 bits (the bits its generator output depends on).
pub fn table() -> &'static [u64; LEN] {
    static TABLE: OnceLock<[u64; LEN]> = OnceLock::new();
    TABLE.get_or_init(compute)
}

/// The seeding loop of Go's `rngSource.Seed`: 20 `seedrand` steps thrown away, then each slot
/// mixes three steps, shifted left by `2 * shift`, `shift` and 0 bits.
pub fn seed_window(seed: i32, shift: u32) -> [u64; LEN] {
    let mut window = [0u64; LEN];
    let mut x = seed;
    for i in -20i32..LEN as i32 {
        x = seedrand(x);
        if i >= 0 {
            let mut u = (x as i64 as u64) << (2 * shift);
            x = seedrand(x);
            u ^= (x as i64 as u64) << shift;
            x = seedrand(x);
            u ^= x as i64 as u64;
            window[i as usize] = u;
        }
    }
    window
}

/// One step of the Park-Miller generator Go seeds with (Schrage's method, as Go writes it).
fn seedrand(x: i32) -> i32 {
    const A: i32 = 48271;
    const Q: i32 = 44488;
    const R: i32 = 3399;
    const M: i32 = i32::MAX;
    let hi = x / Q;
    let lo = x % Q;
    let mut x = A * lo - R * hi;
    if x < 0 {
        x += M;
    }
    x
}

fn compute() -> [u64; LEN] {
    // The window the generator starts from (seeded with 1, shifts 20 and 10).
    let start = seed_window(1, 10);
    // Step t (t >= 1) writes w(t) into slot (334 - t) mod 607; slot p initially holds w(t) for the
    // t in -606..=0 with (334 - t) = p (mod 607). u[j] = w(j - 606).
    let feed0 = (LEN - TAP) as i64;
    let slot = |t: i64| (feed0 - t).rem_euclid(LEN as i64) as usize;
    let u: Vec<u64> = (0..LEN as i64).map(|j| start[slot(j - 606)]).collect();
    // After STEPS steps slot(t) holds w(t) for t in STEPS-606..=STEPS, i.e. u-index k = t + 606
    // in STEPS..=STEPS+606.
    let mut poly = pow_z(STEPS);
    let mut out = [0u64; LEN];
    for k in 0..LEN as u64 {
        let w = poly
            .iter()
            .zip(&u)
            .fold(0u64, |acc, (c, v)| acc.wrapping_add(c.wrapping_mul(*v)));
        let t = (STEPS + k) as i64 - 606;
        out[slot(t)] = w & MASK;
        poly = times_z(&poly);
    }
    out
}

/// z^n mod (z^607 - z^334 - 1), coefficients mod 2^64.
fn pow_z(n: u64) -> Vec<u64> {
    let mut result = vec![0u64; LEN];
    result[0] = 1;
    for bit in (0..64).rev() {
        result = mul_mod(&result, &result);
        if (n >> bit) & 1 == 1 {
            result = times_z(&result);
        }
    }
    result
}

fn times_z(p: &[u64]) -> Vec<u64> {
    let mut out = vec![0u64; LEN];
    out[1..].copy_from_slice(&p[..LEN - 1]);
    let top = p[LEN - 1];
    // z^607 = z^334 + 1
    out[LEN - TAP] = out[LEN - TAP].wrapping_add(top);
    out[0] = out[0].wrapping_add(top);
    out
}

fn mul_mod(a: &[u64], b: &[u64]) -> Vec<u64> {
    let mut full = vec![0u64; 2 * LEN - 1];
    for (i, x) in a.iter().enumerate() {
        if *x == 0 {
            continue;
        }
        for (j, y) in b.iter().enumerate() {
            full[i + j] = full[i + j].wrapping_add(x.wrapping_mul(*y));
        }
    }
    for d in (LEN..full.len()).rev() {
        let c = full[d];
        if c != 0 {
            full[d - TAP] = full[d - TAP].wrapping_add(c);
            full[d - LEN] = full[d - LEN].wrapping_add(c);
        }
    }
    full.truncate(LEN);
    full
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_matches_go_published_entries() {
        let t = table();
        // First, second, third and last entries of rngCooked as printed in Go's rng.go (63-bit).
        assert_eq!(t[0], 5041579894721019882);
        assert_eq!(t[1], 4646389086726545243);
        assert_eq!(t[2], 1395769623340756751);
        assert_eq!(t[LEN - 1], 4152330101494654406);
    }

    #[test]
    fn jump_ahead_agrees_with_stepping_the_generator() {
        // A small jump (1000 steps) checked against plain stepping guards the index bookkeeping.
        let mut vec = [0u64; LEN];
        let mut x = 7i32;
        for v in vec.iter_mut() {
            x = seedrand(x);
            *v = x as u64;
        }
        let (mut tap, mut feed) = (0usize, LEN - TAP);
        let mut stepped = vec;
        for _ in 0..1000 {
            tap = (tap + LEN - 1) % LEN;
            feed = (feed + LEN - 1) % LEN;
            stepped[feed] = stepped[feed].wrapping_add(stepped[tap]);
        }
        let feed0 = (LEN - TAP) as i64;
        let slot = |t: i64| (feed0 - t).rem_euclid(LEN as i64) as usize;
        let u: Vec<u64> = (0..LEN as i64).map(|j| vec[slot(j - 606)]).collect();
        let mut poly = pow_z(1000);
        for k in 0..LEN as i64 {
            let w = poly
                .iter()
                .zip(&u)
                .fold(0u64, |a, (c, v)| a.wrapping_add(c.wrapping_mul(*v)));
            assert_eq!(stepped[slot(1000 + k - 606)], w, "slot for k={k}");
            poly = times_z(&poly);
        }
    }
}
