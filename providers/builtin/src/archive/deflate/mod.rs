//! Deflate (RFC 1951) byte for byte as Go's `compress/flate` writes it at level 5, the level
//! `archive/zip` uses, so that archive_file's zips and their hashes equal Terraform's. Each part
//! mirrors one of Go's files: `compressor` deflate.go, `block` and `bits`
//! huffman_bit_writer.go, `huffman` huffman_code.go, `token` token.go.
//!
//! This is the compressor Go shipped from 1.7 to 1.26; hashicorp/archive releases up to 2.8.0
//! (built with Go 1.25.8) write these bytes. Go 1.27 replaced it with a port of
//! klauspost/compress (golang/go#75532), whose output differs: a provider release built with Go
//! 1.27 or later would change archives' hashes again, and would need that compressor here.

mod bits;
mod block;
mod compressor;
mod huffman;
mod token;

#[cfg(test)]
mod tests;

/// Literal/length symbols (`maxNumLit`).
const NUM_LITERALS: usize = 286;
/// Distance symbols (`offsetCodeCount`).
const NUM_OFFSETS: usize = 30;

/// `flate.NewWriter(w, 5)`, one `Write(data)`, `Close()`: the raw deflate stream.
pub fn deflate(data: &[u8]) -> Vec<u8> {
    let mut c = compressor::Compressor::new();
    c.write(data);
    c.close();
    c.w.bits.into_bytes()
}
