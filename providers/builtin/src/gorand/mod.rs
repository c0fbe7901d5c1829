//! Go's math/rand (v1) generator, reproduced so that a `seed` gives the same random_integer and
//! random_shuffle results as Terraform (Go 1 compatibility freezes these streams).

mod cooked;

use cooked::{seed_window, LEN, TAP};

const MASK: u64 = (1 << 63) - 1;

/// `rand.New(rand.NewSource(seed))`.
pub struct GoRand {
    tap: usize,
    feed: usize,
    vec: [u64; LEN],
}

impl GoRand {
    pub fn new(seed: i64) -> Self {
        const M: i64 = i32::MAX as i64;
        let mut seed = seed % M;
        if seed < 0 {
            seed += M;
        }
        if seed == 0 {
            seed = 89482311;
        }
        let mut vec = seed_window(seed as i32, 20);
        for (v, c) in vec.iter_mut().zip(cooked::table()) {
            *v = (*v ^ c) & MASK;
        }
        GoRand {
            tap: 0,
            feed: LEN - TAP,
            vec,
        }
    }

    /// `Int63`: a non-negative 63-bit integer.
    pub fn int63(&mut self) -> i64 {
        self.tap = (self.tap + LEN - 1) % LEN;
        self.feed = (self.feed + LEN - 1) % LEN;
        let x = self.vec[self.feed].wrapping_add(self.vec[self.tap]) & MASK;
        self.vec[self.feed] = x;
        x as i64
    }

    fn int31(&mut self) -> i32 {
        (self.int63() >> 32) as i32
    }

    /// Go's `Int31n` (`bits` 31, drawing `Int31`) and `Int63n` (`bits` 63, drawing `Int63`):
    /// for a power of two one draw is masked; otherwise draws above the largest multiple of `n`
    /// are rejected.
    fn below(&mut self, n: i64, bits: u32) -> i64 {
        let mut draw = || {
            if bits == 31 {
                i64::from(self.int31())
            } else {
                self.int63()
            }
        };
        if n & (n - 1) == 0 {
            return draw() & (n - 1);
        }
        let max = ((1u64 << bits) - 1 - (1u64 << bits) % n as u64) as i64;
        let mut v = draw();
        while v > max {
            v = draw();
        }
        v % n
    }

    /// `Intn(n)`; `None` when `n <= 0` (where Go panics).
    pub fn intn(&mut self, n: i64) -> Option<i64> {
        if n <= 0 {
            return None;
        }
        let bits = if n <= i64::from(i32::MAX) { 31 } else { 63 };
        Some(self.below(n, bits))
    }

    /// `Perm(n)`: a permutation of `0..n`.
    pub fn perm(&mut self, n: usize) -> Vec<usize> {
        let mut m = vec![0usize; n];
        for i in 0..n {
            // i + 1 >= 1, so intn always answers.
            let j = self.intn(i as i64 + 1).unwrap_or(0) as usize;
            m[i] = m[j];
            m[j] = i;
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_one_gives_gos_well_known_stream() {
        // rand.New(rand.NewSource(1)).Int63() in every Go release since Go 1.
        let mut r = GoRand::new(1);
        assert_eq!(r.int63(), 5577006791947779410);
        assert_eq!(r.int63(), 8674665223082153551);
    }

    #[test]
    fn zero_and_negative_seeds_are_folded_like_go() {
        assert_eq!(GoRand::new(0).int63(), GoRand::new(89482311).int63());
        assert_eq!(
            GoRand::new(-1).int63(),
            GoRand::new(i64::from(i32::MAX) - 1).int63()
        );
    }

    #[test]
    fn perm_is_a_permutation_and_intn_refuses_empty_ranges() {
        let mut r = GoRand::new(42);
        let mut p = r.perm(10);
        p.sort_unstable();
        assert_eq!(p, (0..10).collect::<Vec<_>>());
        assert_eq!(r.intn(0), None);
        for _ in 0..100 {
            let v = r.intn(6).unwrap();
            assert!((0..6).contains(&v));
        }
    }
}
