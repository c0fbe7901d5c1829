//! Length-limited Huffman codes as Go's `huffmanEncoder` builds them (huffman_code.go): the
//! package-merge style `bitCounts` over literals sorted by (frequency, literal), then canonical
//! codes handed out by literal within each length, stored bit-reversed for the LSB-first writer.

/// One symbol's code, already bit-reversed (`hcode`).
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct Code {
    pub code: u16,
    pub len: u16,
}

#[derive(Clone, Copy)]
struct Node {
    literal: u16,
    freq: i32,
}

/// The sentinel Go appends after the sorted list (`maxNode`).
const MAX_NODE: Node = Node {
    literal: u16::MAX,
    freq: i32::MAX,
};

/// Go's `levelInfo`: the state of one level of the chain in `bitCounts`.
#[derive(Clone, Copy, Default)]
struct Level {
    last_freq: i32,
    next_char_freq: i32,
    next_pair_freq: i32,
    needed: i32,
}

pub struct Encoder {
    pub codes: Vec<Code>,
}

/// `reverseBits`: the low `len` bits of `number`, reversed.
fn reverse(number: u16, len: u16) -> u16 {
    (number << (16 - len)).reverse_bits()
}

impl Encoder {
    pub fn new(size: usize) -> Self {
        Encoder {
            codes: vec![Code::default(); size],
        }
    }

    /// The fixed literal/length code of RFC 1951 3.2.6 (`generateFixedLiteralEncoding`).
    pub fn fixed_literal() -> Self {
        let mut e = Encoder::new(super::NUM_LITERALS);
        for (ch, code) in e.codes.iter_mut().enumerate() {
            let ch = ch as u16;
            let (bits, len) = match ch {
                0..=143 => (ch + 48, 8),
                144..=255 => (ch + 400 - 144, 9),
                256..=279 => (ch - 256, 7),
                _ => (ch + 192 - 280, 8),
            };
            *code = Code {
                code: reverse(bits, len),
                len,
            };
        }
        e
    }

    /// The fixed distance code: five bits each (`generateFixedOffsetEncoding`).
    pub fn fixed_offset() -> Self {
        let mut e = Encoder::new(super::NUM_OFFSETS);
        for (ch, code) in e.codes.iter_mut().enumerate() {
            *code = Code {
                code: reverse(ch as u16, 5),
                len: 5,
            };
        }
        e
    }

    /// The bits `freq` takes in this code (`bitLength`).
    pub fn bit_length(&self, freq: &[i32]) -> usize {
        freq.iter()
            .zip(&self.codes)
            .filter(|(f, _)| **f != 0)
            .map(|(f, c)| *f as usize * usize::from(c.len))
            .sum()
    }

    /// Builds the code for `freq` with no code longer than `max_bits` (`generate`).
    pub fn generate(&mut self, freq: &[i32], max_bits: i32) {
        let mut list = Vec::with_capacity(freq.len() + 1);
        for (i, &f) in freq.iter().enumerate() {
            if f != 0 {
                list.push(Node {
                    literal: i as u16,
                    freq: f,
                });
            } else {
                self.codes[i].len = 0;
            }
        }
        if list.len() <= 2 {
            for (i, node) in list.iter().enumerate() {
                self.codes[usize::from(node.literal)] = Code {
                    code: i as u16,
                    len: 1,
                };
            }
            return;
        }
        // (freq, literal) is a total order, so Go's unstable sort gives this same order.
        list.sort_unstable_by_key(|n| (n.freq, n.literal));
        let bit_count = bit_counts(&list, max_bits);
        self.assign(&bit_count, &mut list);
    }

    /// Hands out codes, shortest to the most frequent, in literal order within a length
    /// (`assignEncodingAndSize`).
    fn assign(&mut self, bit_count: &[i32], list: &mut [Node]) {
        let mut code: u16 = 0;
        let mut list = list;
        for (n, &bits) in bit_count.iter().enumerate() {
            code = code.wrapping_shl(1);
            if n == 0 || bits == 0 {
                continue;
            }
            let split = list.len() - bits as usize;
            let (rest, chunk) = list.split_at_mut(split);
            chunk.sort_unstable_by_key(|node| node.literal);
            for node in chunk.iter() {
                self.codes[usize::from(node.literal)] = Code {
                    code: reverse(code, n as u16),
                    len: n as u16,
                };
                code = code.wrapping_add(1);
            }
            list = rest;
        }
    }
}

/// How many literals get each code length, 1..=max_bits (`bitCounts`); `list` is sorted by
/// frequency and holds at least three literals.
fn bit_counts(list: &[Node], max_bits: i32) -> Vec<i32> {
    let n = list.len() as i32;
    let mut list = list.to_vec();
    list.push(MAX_NODE);
    let max_bits = max_bits.min(n - 1) as usize;

    let mut levels = [Level::default(); 17];
    let mut leaf_counts = [[0i32; 16]; 16];
    for level in 1..=max_bits {
        levels[level] = Level {
            last_freq: list[1].freq,
            next_char_freq: list[2].freq,
            next_pair_freq: list[0].freq.wrapping_add(list[1].freq),
            needed: 0,
        };
        leaf_counts[level][level] = 2;
        if level == 1 {
            levels[level].next_pair_freq = i32::MAX;
        }
    }
    levels[max_bits].needed = 2 * n - 4;

    let mut level = max_bits;
    loop {
        let l = levels[level];
        if l.next_pair_freq == i32::MAX && l.next_char_freq == i32::MAX {
            levels[level].needed = 0;
            levels[level + 1].next_pair_freq = i32::MAX;
            level += 1;
            continue;
        }
        let prev_freq = l.last_freq;
        if l.next_char_freq < l.next_pair_freq {
            let count = leaf_counts[level][level] + 1;
            levels[level].last_freq = l.next_char_freq;
            leaf_counts[level][level] = count;
            levels[level].next_char_freq = list[count as usize].freq;
        } else {
            levels[level].last_freq = l.next_pair_freq;
            let (lower, upper) = leaf_counts.split_at_mut(level);
            upper[0][..level].copy_from_slice(&lower[level - 1][..level]);
            levels[level - 1].needed = 2;
        }
        levels[level].needed -= 1;
        if levels[level].needed == 0 {
            if level == max_bits {
                break;
            }
            levels[level + 1].next_pair_freq = prev_freq.wrapping_add(levels[level].last_freq);
            level += 1;
        } else {
            while levels[level - 1].needed > 0 {
                level -= 1;
            }
        }
    }

    let counts = &leaf_counts[max_bits];
    let mut bit_count = vec![0; max_bits + 1];
    for (bits, level) in (1..=max_bits).rev().enumerate() {
        bit_count[bits + 1] = counts[level] - counts[level - 1];
    }
    bit_count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_codes_are_rfc_1951() {
        let lit = Encoder::fixed_literal();
        // 'A' (65) is 0x30 + 65 = 0b01110001 in 8 bits, sent most significant bit first.
        assert_eq!(
            lit.codes[65],
            Code {
                code: reverse(0x71, 8),
                len: 8
            }
        );
        assert_eq!(lit.codes[256], Code { code: 0, len: 7 });
        assert_eq!(lit.codes[200].len, 9);
    }

    #[test]
    fn codes_respect_the_length_limit_and_kraft() {
        // Fibonacci frequencies make the unlimited code 20 deep.
        let mut freq = vec![0i32; 30];
        let (mut a, mut b) = (1, 1);
        for f in freq.iter_mut().take(22) {
            *f = a;
            (a, b) = (b, a + b);
        }
        let mut e = Encoder::new(30);
        e.generate(&freq, 15);
        let lens: Vec<u16> = e.codes.iter().map(|c| c.len).collect();
        assert!(lens.iter().all(|l| *l <= 15));
        let kraft: f64 = lens
            .iter()
            .filter(|l| **l > 0)
            .map(|l| 0.5f64.powi(*l as i32))
            .sum();
        assert!((kraft - 1.0).abs() < 1e-12, "{kraft}");
        assert!(lens[22..].iter().all(|l| *l == 0));
    }

    #[test]
    fn two_symbols_get_one_bit_each() {
        let mut e = Encoder::new(4);
        e.generate(&[0, 5, 0, 9], 15);
        assert_eq!(e.codes[1], Code { code: 0, len: 1 });
        assert_eq!(e.codes[3], Code { code: 1, len: 1 });
        assert_eq!(e.codes[0].len, 0);
    }
}
