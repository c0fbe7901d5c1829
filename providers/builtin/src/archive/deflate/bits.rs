//! The bit sink under Go's `huffmanBitWriter`: bits are packed least significant first, and
//! `flush` pads the last byte with zeros (a byte boundary before a stored block).

#[derive(Default)]
pub struct BitWriter {
    out: Vec<u8>,
    bits: u64,
    nbits: u32,
}

impl BitWriter {
    /// Appends the low `nb` bits of `b` (`writeBits`, `writeCode`).
    pub fn write_bits(&mut self, b: u32, nb: u32) {
        self.bits |= u64::from(b) << self.nbits;
        self.nbits += nb;
        if self.nbits >= 48 {
            self.out.extend_from_slice(&self.bits.to_le_bytes()[..6]);
            self.bits >>= 48;
            self.nbits -= 48;
        }
    }

    /// Writes the pending bits out, the last byte padded with zeros (`flush`).
    pub fn flush(&mut self) {
        while self.nbits > 0 {
            self.out.push(self.bits as u8);
            self.bits >>= 8;
            self.nbits = self.nbits.saturating_sub(8);
        }
        self.bits = 0;
    }

    /// Appends raw bytes; the pending bits must be whole bytes, as after a stored header
    /// (`writeBytes`).
    pub fn write_bytes(&mut self, bytes: &[u8]) {
        debug_assert_eq!(self.nbits % 8, 0, "write_bytes with unfinished bits");
        self.flush();
        self.out.extend_from_slice(bytes);
    }

    pub fn into_bytes(mut self) -> Vec<u8> {
        self.flush();
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_go_least_significant_first_and_flush_pads() {
        let mut w = BitWriter::default();
        w.write_bits(1, 3);
        w.flush();
        w.write_bits(0, 16);
        w.write_bits(0xffff, 16);
        w.write_bits(0b101, 3);
        assert_eq!(w.into_bytes(), [0x01, 0x00, 0x00, 0xff, 0xff, 0x05]);
    }
}
