//! The stream's framing, and that it inflates back to the input for many sizes and shapes
//! (byte-exactness against Go is `archive::golden_tests`).

use std::io::Read;

use super::deflate;

fn inflate(stream: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(stream)
        .read_to_end(&mut out)
        .expect("a valid deflate stream");
    out
}

#[test]
fn empty_input_is_one_empty_final_stored_block() {
    assert_eq!(deflate(b""), [0x01, 0x00, 0x00, 0xff, 0xff]);
}

#[test]
fn every_stream_ends_with_an_empty_final_stored_block() {
    let stream = deflate(b"hello hello hello hello\n");
    assert!(stream.ends_with(&[0x00, 0x00, 0xff, 0xff]));
}

#[test]
fn streams_inflate_back_to_their_input() {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for size in [
        1, 3, 4, 5, 261, 262, 263, 4096, 32_768, 32_769, 65_535, 65_536, 200_000,
    ] {
        let random: Vec<u8> = (0..size).map(|_| next() as u8).collect();
        let few: Vec<u8> = (0..size).map(|_| b"ab"[(next() % 2) as usize]).collect();
        let runs: Vec<u8> = (0..size).map(|i| (i / 300) as u8).collect();
        for input in [random, few, runs] {
            assert_eq!(inflate(&deflate(&input)), input, "size {size}");
        }
    }
}

#[test]
fn ten_megabytes_in_linear_time() {
    // Release builds take about 0.1 s; the bound only catches a quadratic slip in any build.
    let input: Vec<u8> = (0..10_000_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 27) as u8 ^ (i / 1000) as u8)
        .collect();
    let start = std::time::Instant::now();
    let stream = deflate(&input);
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    assert_eq!(inflate(&stream).len(), input.len());
}
