//! One deflate block as Go's `huffmanBitWriter.writeBlock` writes it: the tokens are counted,
//! dynamic codes built, and the smallest of fixed, dynamic and stored is chosen, with Go's size
//! estimates and tie-breaks (huffman_bit_writer.go).

use super::bits::BitWriter;
use super::huffman::{Code, Encoder};
use super::token::{self, Token, END_BLOCK};
use super::{NUM_LITERALS, NUM_OFFSETS};

const NUM_CODEGENS: usize = 19;
/// The end marker of the codegen list.
const BAD_CODE: u8 = 255;
const LENGTH_CODES_START: usize = 257;
const MAX_STORE_BLOCK_SIZE: usize = 65535;
/// The order the code length code lengths are sent in.
const CODEGEN_ORDER: [usize; NUM_CODEGENS] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

pub struct BlockWriter {
    pub bits: BitWriter,
    literal_freq: [i32; NUM_LITERALS],
    offset_freq: [i32; NUM_OFFSETS],
    /// The run-length coded code lengths, with the repeat counts inline, ended by `BAD_CODE`.
    codegen: Vec<u8>,
    codegen_freq: [i32; NUM_CODEGENS],
    literal_encoding: Encoder,
    offset_encoding: Encoder,
    codegen_encoding: Encoder,
    fixed_literal: Encoder,
    fixed_offset: Encoder,
}

impl BlockWriter {
    pub fn new() -> Self {
        BlockWriter {
            bits: BitWriter::default(),
            literal_freq: [0; NUM_LITERALS],
            offset_freq: [0; NUM_OFFSETS],
            codegen: Vec::with_capacity(NUM_LITERALS + NUM_OFFSETS + 1),
            codegen_freq: [0; NUM_CODEGENS],
            literal_encoding: Encoder::new(NUM_LITERALS),
            offset_encoding: Encoder::new(NUM_OFFSETS),
            codegen_encoding: Encoder::new(NUM_CODEGENS),
            fixed_literal: Encoder::fixed_literal(),
            fixed_offset: Encoder::fixed_offset(),
        }
    }

    /// `writeStoredHeader`: the block type, a byte boundary, then LEN and NLEN.
    pub fn write_stored_header(&mut self, length: usize, eof: bool) {
        self.bits.write_bits(u32::from(eof), 3);
        self.bits.flush();
        self.bits.write_bits(length as u32, 16);
        self.bits.write_bits(u32::from(!(length as u16)), 16);
    }

    /// `writeBlock`: `input` is the bytes the tokens stand for, or `None` when they are no
    /// longer all in the window (then the block cannot be stored).
    pub fn write_block(&mut self, tokens: &mut Vec<Token>, eof: bool, input: Option<&[u8]>) {
        tokens.push(END_BLOCK);
        let (num_literals, num_offsets) = self.index_tokens(tokens);

        let stored = input.filter(|i| i.len() <= MAX_STORE_BLOCK_SIZE);
        let mut extra_bits = 0;
        if stored.is_some() {
            // Go counts the extra bits only when stored is a candidate.
            for code in LENGTH_CODES_START + 8..num_literals {
                extra_bits += self.literal_freq[code] as usize
                    * usize::from(token::LENGTH_EXTRA_BITS[code - LENGTH_CODES_START]);
            }
            for code in 4..num_offsets {
                extra_bits +=
                    self.offset_freq[code] as usize * usize::from(token::OFFSET_EXTRA_BITS[code]);
            }
        }

        let fixed_size = 3
            + self.fixed_literal.bit_length(&self.literal_freq)
            + self.fixed_offset.bit_length(&self.offset_freq)
            + extra_bits;
        self.generate_codegen(num_literals, num_offsets);
        self.codegen_encoding.generate(&self.codegen_freq, 7);
        let (dynamic_size, num_codegens) = self.dynamic_size(extra_bits);
        let dynamic = dynamic_size < fixed_size;
        let size = if dynamic { dynamic_size } else { fixed_size };

        if let Some(input) = stored {
            if (input.len() + 5) * 8 < size {
                self.write_stored_header(input.len(), eof);
                self.bits.write_bytes(input);
                return;
            }
        }
        if dynamic {
            self.write_dynamic_header(num_literals, num_offsets, num_codegens, eof);
            let (lit, off) = (&self.literal_encoding.codes, &self.offset_encoding.codes);
            write_tokens(&mut self.bits, tokens, lit, off);
        } else {
            self.bits.write_bits(if eof { 3 } else { 2 }, 3);
            let (lit, off) = (&self.fixed_literal.codes, &self.fixed_offset.codes);
            write_tokens(&mut self.bits, tokens, lit, off);
        }
    }

    /// Counts the symbols and builds the dynamic codes (`indexTokens`); returns how many
    /// literal/length and distance codes the block's header lists.
    fn index_tokens(&mut self, tokens: &[Token]) -> (usize, usize) {
        self.literal_freq = [0; NUM_LITERALS];
        self.offset_freq = [0; NUM_OFFSETS];
        for &t in tokens {
            if token::is_literal(t) {
                self.literal_freq[t as usize] += 1;
            } else {
                let code = token::length_code(token::length(t));
                self.literal_freq[LENGTH_CODES_START + code] += 1;
                self.offset_freq[token::offset_code(token::offset(t))] += 1;
            }
        }
        // END_BLOCK is always there, so this stops at 257 at the latest.
        let num_literals = self.literal_freq.iter().rposition(|f| *f != 0).unwrap_or(0) + 1;
        let mut num_offsets = self
            .offset_freq
            .iter()
            .rposition(|f| *f != 0)
            .map_or(0, |i| i + 1);
        if num_offsets == 0 {
            // A dynamic header needs at least one distance code.
            self.offset_freq[0] = 1;
            num_offsets = 1;
        }
        self.literal_encoding.generate(&self.literal_freq, 15);
        self.offset_encoding.generate(&self.offset_freq, 15);
        (num_literals, num_offsets)
    }

    /// The code lengths of both codes, run-length coded with symbols 16, 17 and 18
    /// (`generateCodegen`).
    fn generate_codegen(&mut self, num_literals: usize, num_offsets: usize) {
        self.codegen_freq = [0; NUM_CODEGENS];
        let mut sizes: Vec<u8> = Vec::with_capacity(num_literals + num_offsets + 1);
        sizes.extend(
            self.literal_encoding.codes[..num_literals]
                .iter()
                .map(|c| c.len as u8),
        );
        sizes.extend(
            self.offset_encoding.codes[..num_offsets]
                .iter()
                .map(|c| c.len as u8),
        );
        sizes.push(BAD_CODE);

        let out = &mut self.codegen;
        let freq = &mut self.codegen_freq;
        out.clear();
        let mut size = sizes[0];
        let mut count: i32 = 1;
        let mut next_index = 1;
        while size != BAD_CODE {
            let next = sizes[next_index];
            next_index += 1;
            if next == size {
                count += 1;
                continue;
            }
            if size != 0 {
                out.push(size);
                freq[usize::from(size)] += 1;
                count -= 1;
                while count >= 3 {
                    let n = count.min(6);
                    out.extend([16, (n - 3) as u8]);
                    freq[16] += 1;
                    count -= n;
                }
            } else {
                while count >= 11 {
                    let n = count.min(138);
                    out.extend([18, (n - 11) as u8]);
                    freq[18] += 1;
                    count -= n;
                }
                if count >= 3 {
                    out.extend([17, (count - 3) as u8]);
                    freq[17] += 1;
                    count = 0;
                }
            }
            for _ in 0..count {
                out.push(size);
                freq[usize::from(size)] += 1;
            }
            size = next;
            count = 1;
        }
        out.push(BAD_CODE);
    }

    /// The bits of a dynamic block and how many code length codes its header sends
    /// (`dynamicSize`).
    fn dynamic_size(&self, extra_bits: usize) -> (usize, usize) {
        let mut num_codegens = NUM_CODEGENS;
        while num_codegens > 4 && self.codegen_freq[CODEGEN_ORDER[num_codegens - 1]] == 0 {
            num_codegens -= 1;
        }
        let header = 3
            + 5
            + 5
            + 4
            + 3 * num_codegens
            + self.codegen_encoding.bit_length(&self.codegen_freq)
            + self.codegen_freq[16] as usize * 2
            + self.codegen_freq[17] as usize * 3
            + self.codegen_freq[18] as usize * 7;
        let size = header
            + self.literal_encoding.bit_length(&self.literal_freq)
            + self.offset_encoding.bit_length(&self.offset_freq)
            + extra_bits;
        (size, num_codegens)
    }

    /// `writeDynamicHeader`.
    fn write_dynamic_header(
        &mut self,
        num_literals: usize,
        num_offsets: usize,
        num_codegens: usize,
        eof: bool,
    ) {
        let w = &mut self.bits;
        w.write_bits(if eof { 5 } else { 4 }, 3);
        w.write_bits((num_literals - 257) as u32, 5);
        w.write_bits((num_offsets - 1) as u32, 5);
        w.write_bits((num_codegens - 4) as u32, 4);
        let codes = &self.codegen_encoding.codes;
        for &symbol in &CODEGEN_ORDER[..num_codegens] {
            w.write_bits(u32::from(codes[symbol].len), 3);
        }
        let mut i = 0;
        while self.codegen[i] != BAD_CODE {
            let symbol = self.codegen[i];
            i += 1;
            write_code(w, codes[usize::from(symbol)]);
            let extra = match symbol {
                16 => 2,
                17 => 3,
                18 => 7,
                _ => continue,
            };
            w.write_bits(u32::from(self.codegen[i]), extra);
            i += 1;
        }
    }
}

fn write_code(w: &mut BitWriter, c: Code) {
    w.write_bits(u32::from(c.code), u32::from(c.len));
}

/// `writeTokens`.
fn write_tokens(w: &mut BitWriter, tokens: &[Token], lit: &[Code], off: &[Code]) {
    for &t in tokens {
        if token::is_literal(t) {
            write_code(w, lit[t as usize]);
            continue;
        }
        let length = token::length(t);
        let code = token::length_code(length);
        write_code(w, lit[LENGTH_CODES_START + code]);
        let extra = token::LENGTH_EXTRA_BITS[code];
        if extra > 0 {
            w.write_bits(length - token::LENGTH_BASE[code], u32::from(extra));
        }
        let offset = token::offset(t);
        let code = token::offset_code(offset);
        write_code(w, off[code]);
        let extra = token::OFFSET_EXTRA_BITS[code];
        if extra > 0 {
            w.write_bits(offset - token::OFFSET_BASE[code], u32::from(extra));
        }
    }
}
