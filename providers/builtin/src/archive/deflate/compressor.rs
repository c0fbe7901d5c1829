//! The LZ77 side of Go's `compress/flate` compressor at level 5 (deflate.go): hash chains over
//! 4-byte hashes, lazy matching, a 32 KiB window slid in a 64 KiB buffer, and a block written
//! every 16384 tokens and at the end.

use super::block::BlockWriter;
use super::token::{self, Token};

const WINDOW_SIZE: isize = 1 << 15;
const WINDOW_MASK: isize = WINDOW_SIZE - 1;
const MIN_MATCH_LENGTH: isize = 4;
const MAX_MATCH_LENGTH: isize = 258;
const BASE_MATCH_LENGTH: isize = 3;
const BASE_MATCH_OFFSET: isize = 1;
const MAX_FLATE_BLOCK_TOKENS: usize = 1 << 14;
const HASH_BITS: u32 = 17;
const HASH_SIZE: usize = 1 << HASH_BITS;
const MAX_HASH_OFFSET: isize = 1 << 24;
const HASH_MUL: u32 = 0x1e35_a7bd;

/// Level 5 of Go's `levels` table; levels 4-9 share the code, only these numbers differ.
const GOOD: isize = 8;
const LAZY: isize = 16;
const NICE: isize = 32;
const CHAIN: isize = 32;

/// Go's `compressor` for levels 4-9 (`fastSkipHashing == skipNever`). Positions are `isize`
/// because Go's are `int` and go negative or to `MaxInt32` in places.
pub struct Compressor {
    pub w: BlockWriter,
    /// Unprocessed input is `window[index..window_end]`.
    window: Vec<u8>,
    index: isize,
    window_end: isize,
    /// Where the queued tokens' input starts; `i32::MAX` once it has slid out of the buffer.
    block_start: isize,
    /// Whether `window[index - 1]` still waits for a literal token (lazy matching).
    byte_available: bool,
    tokens: Vec<Token>,
    /// `hash_head[h]` is the latest position (plus `hash_offset`) with hash `h`;
    /// `hash_prev[pos & WINDOW_MASK]` the one before it.
    hash_head: Vec<u32>,
    hash_prev: Vec<u32>,
    hash_offset: isize,
    chain_head: isize,
    length: isize,
    offset: isize,
    max_insert_index: isize,
    sync: bool,
}

/// `hash4`: the top 17 bits of the big-endian first four bytes times a constant.
fn hash4(b: &[u8]) -> usize {
    let v = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (v.wrapping_mul(HASH_MUL) >> (32 - HASH_BITS)) as usize
}

/// `matchLen`: how many of the first `max` bytes of `a` and `b` agree.
fn match_len(a: &[u8], b: &[u8], max: usize) -> isize {
    a[..max]
        .iter()
        .zip(&b[..max])
        .position(|(x, y)| x != y)
        .unwrap_or(max) as isize
}

impl Compressor {
    /// `NewWriter(w, 5)` (`init` and `initDeflate`).
    pub fn new() -> Self {
        Compressor {
            w: BlockWriter::new(),
            window: vec![0; 2 * WINDOW_SIZE as usize],
            index: 0,
            window_end: 0,
            block_start: 0,
            byte_available: false,
            tokens: Vec::with_capacity(MAX_FLATE_BLOCK_TOKENS + 1),
            hash_head: vec![0; HASH_SIZE],
            hash_prev: vec![0; WINDOW_SIZE as usize],
            hash_offset: 1,
            chain_head: -1,
            length: MIN_MATCH_LENGTH - 1,
            offset: 0,
            max_insert_index: 0,
            sync: false,
        }
    }

    /// `Write` of all of `data` at once, as archive/zip's file writer does.
    pub fn write(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            self.deflate();
            let n = self.fill(data);
            data = &data[n..];
        }
    }

    /// `Close`: the pending tokens as a last block, then an empty final stored block.
    pub fn close(&mut self) {
        self.sync = true;
        self.deflate();
        self.w.write_stored_header(0, true);
        self.w.bits.flush();
    }

    /// `fillDeflate`: slides the window by 32 KiB when needed, then copies in what fits.
    fn fill(&mut self, data: &[u8]) -> usize {
        if self.index >= 2 * WINDOW_SIZE - (MIN_MATCH_LENGTH + MAX_MATCH_LENGTH) {
            let ws = WINDOW_SIZE as usize;
            self.window.copy_within(ws..2 * ws, 0);
            self.index -= WINDOW_SIZE;
            self.window_end -= WINDOW_SIZE;
            if self.block_start >= WINDOW_SIZE {
                self.block_start -= WINDOW_SIZE;
            } else {
                self.block_start = i32::MAX as isize;
            }
            self.hash_offset += WINDOW_SIZE;
            if self.hash_offset > MAX_HASH_OFFSET {
                let delta = self.hash_offset - 1;
                self.hash_offset -= delta;
                self.chain_head -= delta;
                for v in self.hash_prev.iter_mut().chain(self.hash_head.iter_mut()) {
                    *v = if *v as isize > delta {
                        (*v as isize - delta) as u32
                    } else {
                        0
                    };
                }
            }
        }
        let start = self.window_end as usize;
        let n = data.len().min(self.window.len() - start);
        self.window[start..start + n].copy_from_slice(&data[..n]);
        self.window_end += n as isize;
        n
    }

    /// The compressor's `writeBlock`: the queued tokens up to `index`.
    fn write_block(&mut self, index: isize) {
        if index > 0 {
            let input = (self.block_start <= index)
                .then(|| &self.window[self.block_start as usize..index as usize]);
            self.w.write_block(&mut self.tokens, false, input);
            self.block_start = index;
        }
        self.tokens.clear();
    }

    /// Adds `pos` to its hash chain.
    fn insert(&mut self, pos: isize) -> isize {
        let p = pos as usize;
        let h = hash4(&self.window[p..p + 4]);
        let head = self.hash_head[h];
        self.hash_prev[(pos & WINDOW_MASK) as usize] = head;
        self.hash_head[h] = (pos + self.hash_offset) as u32;
        head as isize
    }

    /// `findMatch` from `pos` along the chain starting at `prev_head`, for a match longer
    /// than `prev_length`.
    fn find_match(
        &self,
        pos: isize,
        prev_head: isize,
        prev_length: isize,
        lookahead: isize,
    ) -> Option<(isize, isize)> {
        let min_match_look = MAX_MATCH_LENGTH.min(lookahead);
        let win = &self.window[..(pos + min_match_look) as usize];
        let nice = NICE.min(min_match_look);
        let mut tries = CHAIN;
        let mut length = prev_length;
        if length >= GOOD {
            tries >>= 2;
        }
        let mut w_end = win[(pos + length) as usize];
        let w_pos = &win[pos as usize..];
        let min_index = pos - WINDOW_SIZE;
        let mut found = None;
        let mut i = prev_head;
        while tries > 0 {
            if w_end == win[(i + length) as usize] {
                let n = match_len(&win[i as usize..], w_pos, min_match_look as usize);
                if n > length && (n > MIN_MATCH_LENGTH || pos - i <= 4096) {
                    length = n;
                    found = Some((n, pos - i));
                    if n >= nice {
                        break;
                    }
                    w_end = win[(pos + n) as usize];
                }
            }
            if i == min_index {
                // hash_prev[i & WINDOW_MASK] has been overwritten already.
                break;
            }
            i = self.hash_prev[(i & WINDOW_MASK) as usize] as isize - self.hash_offset;
            if i < min_index || i < 0 {
                break;
            }
            tries -= 1;
        }
        found
    }

    /// `deflate`: turns the window into tokens, lazily: a match is taken only when the match
    /// at the next byte is not longer.
    fn deflate(&mut self) {
        if self.window_end - self.index < MIN_MATCH_LENGTH + MAX_MATCH_LENGTH && !self.sync {
            return;
        }
        self.max_insert_index = self.window_end - (MIN_MATCH_LENGTH - 1);
        loop {
            let lookahead = self.window_end - self.index;
            if lookahead < MIN_MATCH_LENGTH + MAX_MATCH_LENGTH {
                if !self.sync {
                    break;
                }
                if lookahead == 0 {
                    if self.byte_available {
                        let byte = self.window[self.index as usize - 1];
                        self.tokens.push(token::literal(byte));
                        self.byte_available = false;
                    }
                    if !self.tokens.is_empty() {
                        self.write_block(self.index);
                    }
                    break;
                }
            }
            if self.index < self.max_insert_index {
                self.chain_head = self.insert(self.index);
            }
            let prev_length = self.length;
            let prev_offset = self.offset;
            self.length = MIN_MATCH_LENGTH - 1;
            self.offset = 0;
            let min_index = (self.index - WINDOW_SIZE).max(0);

            if self.chain_head - self.hash_offset >= min_index
                && lookahead > prev_length
                && prev_length < LAZY
            {
                let head = self.chain_head - self.hash_offset;
                if let Some((length, offset)) =
                    self.find_match(self.index, head, MIN_MATCH_LENGTH - 1, lookahead)
                {
                    self.length = length;
                    self.offset = offset;
                }
            }
            if prev_length >= MIN_MATCH_LENGTH && self.length <= prev_length {
                // The match at the previous byte is at least as long: emit it.
                self.tokens.push(token::match_token(
                    (prev_length - BASE_MATCH_LENGTH) as u32,
                    (prev_offset - BASE_MATCH_OFFSET) as u32,
                ));
                // index and index - 1 are in the chains already; add the rest of the match.
                let new_index = self.index + prev_length - 1;
                self.index += 1;
                while self.index < new_index {
                    if self.index < self.max_insert_index {
                        self.insert(self.index);
                    }
                    self.index += 1;
                }
                self.byte_available = false;
                self.length = MIN_MATCH_LENGTH - 1;
                if self.tokens.len() == MAX_FLATE_BLOCK_TOKENS {
                    self.write_block(self.index);
                }
            } else {
                if self.byte_available {
                    let i = self.index - 1;
                    self.tokens.push(token::literal(self.window[i as usize]));
                    if self.tokens.len() == MAX_FLATE_BLOCK_TOKENS {
                        self.write_block(i + 1);
                    }
                }
                self.index += 1;
                self.byte_available = true;
            }
        }
    }
}
