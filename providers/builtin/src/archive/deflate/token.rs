//! LZ77 tokens as Go's `compress/flate` packs them (token.go): a literal byte, or a match whose
//! length and offset are stored minus their smallest values (3 and 1), plus the deflate length
//! and distance codes of RFC 1951 3.2.5.

/// A literal or a match, packed as Go's `token` (type in bits 30-31, length above bit 22).
pub type Token = u32;

const LENGTH_SHIFT: u32 = 22;
const OFFSET_MASK: u32 = (1 << LENGTH_SHIFT) - 1;
const MATCH_TYPE: u32 = 1 << 30;

/// The end-of-block symbol, queued as a literal token as Go does.
pub const END_BLOCK: Token = 256;

/// The extra bits of length codes 257.. (index = code - 257).
pub const LENGTH_EXTRA_BITS: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];

/// The smallest length (minus 3) of each length code.
pub const LENGTH_BASE: [u32; 29] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 56, 64, 80, 96, 112, 128,
    160, 192, 224, 255,
];

/// The extra bits of each distance code.
pub const OFFSET_EXTRA_BITS: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

/// The smallest distance (minus 1) of each distance code.
pub const OFFSET_BASE: [u32; 30] = [
    0x0000, 0x0001, 0x0002, 0x0003, 0x0004, 0x0006, 0x0008, 0x000c, 0x0010, 0x0018, 0x0020, 0x0030,
    0x0040, 0x0060, 0x0080, 0x00c0, 0x0100, 0x0180, 0x0200, 0x0300, 0x0400, 0x0600, 0x0800, 0x0c00,
    0x1000, 0x1800, 0x2000, 0x3000, 0x4000, 0x6000,
];

pub fn literal(byte: u8) -> Token {
    u32::from(byte)
}

/// `matchToken`: `xlength` is the length minus 3, `xoffset` the distance minus 1.
pub fn match_token(xlength: u32, xoffset: u32) -> Token {
    MATCH_TYPE + (xlength << LENGTH_SHIFT) + xoffset
}

pub fn is_literal(t: Token) -> bool {
    t < MATCH_TYPE
}

/// The length minus 3 of a match token.
pub fn length(t: Token) -> u32 {
    (t - MATCH_TYPE) >> LENGTH_SHIFT
}

/// The distance minus 1 of a match token.
pub fn offset(t: Token) -> u32 {
    t & OFFSET_MASK
}

/// The length code (minus 257) of a length minus 3, as Go's `lengthCodes` table gives it.
pub fn length_code(xlength: u32) -> usize {
    match xlength {
        0..=7 => xlength as usize,
        255 => 28,
        _ => {
            let top = 31 - xlength.leading_zeros();
            (4 * (top - 1) + ((xlength >> (top - 2)) & 3)) as usize
        }
    }
}

/// The distance code of a distance minus 1 (Go's `offsetCode`).
pub fn offset_code(xoffset: u32) -> usize {
    if xoffset < 4 {
        return xoffset as usize;
    }
    let top = 31 - xoffset.leading_zeros();
    (2 * top + ((xoffset >> (top - 1)) & 1)) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The code whose base is the largest one not above `value`.
    fn by_base(bases: &[u32], value: u32) -> usize {
        bases.iter().rposition(|b| *b <= value).unwrap()
    }

    #[test]
    fn codes_follow_the_base_tables() {
        for xlength in 0..=255 {
            assert_eq!(
                length_code(xlength),
                by_base(&LENGTH_BASE, xlength),
                "{xlength}"
            );
        }
        for xoffset in 0..(1 << 15) {
            assert_eq!(
                offset_code(xoffset),
                by_base(&OFFSET_BASE, xoffset),
                "{xoffset}"
            );
        }
    }

    #[test]
    fn match_tokens_round_trip() {
        let t = match_token(255, 32767);
        assert!(!is_literal(t));
        assert_eq!((length(t), offset(t)), (255, 32767));
        assert!(is_literal(literal(255)) && is_literal(END_BLOCK));
    }
}
