//! Golden hashes: archive_file's zips are byte-identical to the ones hashicorp/archive writes
//! (Go's archive/zip and compress/flate at level 5).
//!
//! The inputs are generated here, deterministically. The hashes were produced by the Go program
//! in `providers/builtin/tests/go-oracle` (Go 1.19's standard library, as Debian ships it; its
//! compress/flate writes what Go up to 1.26 does, so what hashicorp/archive 2.8.0, built with Go
//! 1.25.8, does, but not Go 1.27's), which zips as hashicorp/archive does:
//!
//! ```text
//! LABFORM_ORACLE_DIR=/tmp/o cargo test -p labform-builtin dump_oracle_inputs -- --ignored
//! cd providers/builtin/tests/go-oracle
//! go run . content /tmp/o/content/*                         # CONTENT_ZIPS
//! go run . multiple /tmp/o/content/{empty,one-byte,tiny,short-repeat,text-3k,text-257,\
//!     text-200k,code-64k,pattern-300k,dna-300k}            # SOURCE_BLOCKS_ZIP
//! go run . dir /tmp/o/tree logs/debug.log vendor            # TREE_ZIP
//! mkdir /tmp/o/single && cp /tmp/o/tree/lib/util.py /tmp/o/single && chmod 755 /tmp/o/single/*
//! go run . dir /tmp/o/single                                # SOURCE_FILE_ZIP
//! ```
//!
//! The same comparison, byte for byte, also passed for two inputs too big to keep here (17 and
//! 18 MB, past the point where Go rebases its hash chains): put them in `/tmp/o/extra`, run
//! `dump_labform_zips` and `OUT=/tmp/o/go go run . content /tmp/o/extra/*`, and `cmp` the zips.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use sha2::{Digest, Sha256};

use labform_sdk::Value;

use super::tests::Stack;
use super::zip::{self, Entry};

/// SplitMix64: a fixed pseudo-random sequence for the inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

const WORDS: [&str; 24] = [
    "the",
    "archive",
    "lambda",
    "function",
    "handler",
    "return",
    "import",
    "data",
    "source",
    "terraform",
    "labform",
    "zip",
    "deflate",
    "window",
    "match",
    "huffman",
    "block",
    "of",
    "and",
    "to",
    "a",
    "in",
    "is",
    "resource",
];

/// Words, punctuation and line breaks: text with many short and medium matches.
fn text(rng: &mut Rng, n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n + 16);
    while out.len() < n {
        out.extend_from_slice(WORDS[rng.below(WORDS.len())].as_bytes());
        out.push(match rng.below(12) {
            0 => b'\n',
            1 => b',',
            2 => b'.',
            _ => b' ',
        });
    }
    out.truncate(n);
    out
}

/// Python-like source lines with counters: long repeats with small differences.
fn code(n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while out.len() < n {
        let line = format!(
            "def handler_{i}(event, context):\n    return {{'status': {}, 'id': \"{i:08x}\"}}\n\n",
            200 + i % 7
        );
        out.extend_from_slice(line.as_bytes());
        i += 1;
    }
    out.truncate(n);
    out
}

/// The inputs: shapes that exercise each part of the compressor.
pub fn cases() -> Vec<(&'static str, Vec<u8>)> {
    let mut rng = Rng(0x1abf_0e5d);
    let mut mixed = Vec::new();
    while mixed.len() < 1_600_000 {
        let n = 1000 + rng.below(40_000);
        match rng.below(4) {
            0 => mixed.extend(rng.bytes(n)),
            1 => mixed.extend(text(&mut rng, n)),
            2 => mixed.extend(std::iter::repeat_n(rng.next() as u8, n)),
            _ => mixed.extend(code(n)),
        }
    }
    let dna: Vec<u8> = (0..300_000).map(|_| b"ACGT"[rng.below(4)]).collect();
    let counters: Vec<u8> = (0u32..65_536).flat_map(|i| (i * 7).to_le_bytes()).collect();
    vec![
        ("empty", Vec::new()),
        ("one-byte", b"a".to_vec()),
        ("tiny", b"hello\n".to_vec()),
        ("short-repeat", b"hello hello hello hello\n".to_vec()),
        ("text-3k", text(&mut rng, 3_000)),
        ("text-257", text(&mut rng, 257)),
        ("text-262", text(&mut rng, 262)),
        ("text-263", text(&mut rng, 263)),
        ("text-200k", text(&mut rng, 200_000)),
        ("code-64k", code(65_535)),
        ("code-64k-plus-1", code(65_537)),
        ("code-300k", code(300_000)),
        ("zeros-1m", vec![0; 1 << 20]),
        ("pattern-300k", b"abcdefghij".repeat(30_000)),
        ("random-100", rng.bytes(100)),
        ("random-70k", rng.bytes(70_000)),
        ("random-200k", rng.bytes(200_000)),
        ("dna-300k", dna),
        ("counters-256k", counters),
        ("mixed-1600k", mixed),
    ]
}

/// Writes the inputs for the Go oracle: `content/NAME` per case and the `tree` source_dir.
#[test]
#[ignore = "writes the oracle's inputs; run by hand, see the module comment"]
fn dump_oracle_inputs() {
    let dir = std::env::var("LABFORM_ORACLE_DIR").expect("LABFORM_ORACLE_DIR");
    let dir = Path::new(&dir);
    fs::create_dir_all(dir.join("content")).unwrap();
    for (name, data) in cases() {
        fs::write(dir.join("content").join(name), data).unwrap();
    }
    tree(&dir.join("tree"));
}

/// A source_dir: nested directories, modes, an excluded file and an excluded directory.
fn tree(root: &Path) {
    let mut rng = Rng(7);
    let files: [(&str, Vec<u8>, u32); 7] = [
        ("main.py", code(5_000), 0o644),
        (
            "run.sh",
            b"#!/bin/sh\nexec python3 main.py \"$@\"\n".to_vec(),
            0o755,
        ),
        ("lib/util.py", code(120_000), 0o444),
        ("lib/blob.bin", rng.bytes(90_000), 0o600),
        ("logs/debug.log", text(&mut rng, 10_000), 0o644),
        ("vendor/dep.py", code(1_000), 0o644),
        ("README", text(&mut rng, 2_000), 0o640),
    ];
    for (rel, data, mode) in files {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, data).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Writes labform's zip of every case to `$LABFORM_ORACLE_DIR/rs/NAME.zip`, for comparing
/// with the oracle's byte by byte while debugging.
#[test]
#[ignore = "writes labform's zips for a byte comparison; run by hand"]
fn dump_labform_zips() {
    let dir = std::env::var("LABFORM_ORACLE_DIR").expect("LABFORM_ORACLE_DIR");
    let dir = Path::new(&dir).join("rs");
    fs::create_dir_all(&dir).unwrap();
    let mut inputs = cases();
    // Any other inputs to compare, e.g. ones too big to keep in the tests.
    if let Ok(extra) = fs::read_dir(dir.join("../extra")) {
        for file in extra.flatten() {
            let name = file.file_name().to_string_lossy().into_owned().leak();
            inputs.push((name, fs::read(file.path()).unwrap()));
        }
    }
    for (name, data) in inputs {
        let bytes = zip::write(&[Entry {
            name: name.into(),
            data,
            mode: None,
        }])
        .unwrap();
        println!("{}  {name}", sha256_hex(&bytes));
        fs::write(dir.join(format!("{name}.zip")), bytes).unwrap();
    }
}

/// sha256 of the zip of each case alone, as `source_content` would give.
const CONTENT_ZIPS: [(&str, &str); 20] = [
    (
        "code-300k",
        "00920d899dcf551c61fd36801cddb01042365a1d90ea3eeaf8d9793b2cb677ba",
    ),
    (
        "code-64k",
        "c33857d801c9d123f88093c67832e096932c383e246c110b70faadf2053da45e",
    ),
    (
        "code-64k-plus-1",
        "4c570573b7a90c61e3104dc134fdac72f81e2b7626cb674bd01d7da186f67aa2",
    ),
    (
        "counters-256k",
        "cd5b0325f14c886ec70355cd1a66ad3220f1f9a72b46ec88ae5ace04b7eb70a6",
    ),
    (
        "dna-300k",
        "cb8353e8778559e040627e2844fc2e9295bc52ac6a332e4472a8c54dee8902c1",
    ),
    (
        "empty",
        "4b4c243b8b51ae2f0a8db5f530b262196bc7e1782b47c864675fadcf13a48318",
    ),
    (
        "mixed-1600k",
        "427d2cad3abcb696aaeb0f5bf14ce22e5d3e4bfa6142f834cc3e9507afc7c43c",
    ),
    (
        "one-byte",
        "0f7a215299f75e0d83eb694b8aa230497f313b847260bf3b3bf467e53b4d5236",
    ),
    (
        "pattern-300k",
        "e5d4cd3ba5f972424342cc65ce598668d451172660f547d2b4961ccd8a7e79ad",
    ),
    (
        "random-100",
        "acba9c03228b9cae2da23db792891a20313b89cad19e33cb1dd08e4d1405b256",
    ),
    (
        "random-200k",
        "bd1611a95e48dfef8db5b71e7aa5300003d85b070cfa5ac0a84ecd3b411b322a",
    ),
    (
        "random-70k",
        "7faea394fa7f82ef4fccad2a94d642f05ddca80cec792750f0096a0b7c93dfa4",
    ),
    (
        "short-repeat",
        "758ab08e32e71a95debe1a1f16c73a39495ab877793f980d94c034245eefde16",
    ),
    (
        "text-200k",
        "4a628e09bf48edec296a4adbfa4c6eaf6867d1c744b5f5ec36916c1b37e7fc35",
    ),
    (
        "text-257",
        "3c12a502221e1a5510261733102d384ff0ef8210f148a7c7bf0551dbc9d4dd89",
    ),
    (
        "text-262",
        "f9650e1beda422417a7ac33ecc1cc224bdf14b429e8c7702542aeffd177dc7f3",
    ),
    (
        "text-263",
        "dcd0eecf9b8c6bb80a9fd4bec61f529c0702e1bf5fb2746546ff111271cd5ff7",
    ),
    (
        "text-3k",
        "64f691bf7072f2815e8ba87f32122c10ae37f6f2ca07cbb562cde924b96cd7c8",
    ),
    (
        "tiny",
        "547cce7fbb6080379ba803591f63ef24f01f1cc85f67799391a49f5e020ad22f",
    ),
    (
        "zeros-1m",
        "eadf8f3924d66f017ade6a7a03beb53fdef37c95aa3901041e006e6ffa712334",
    ),
];
/// The cases `source` blocks name, one entry each.
const SOURCE_BLOCKS: [&str; 10] = [
    "empty",
    "one-byte",
    "tiny",
    "short-repeat",
    "text-3k",
    "text-257",
    "text-200k",
    "code-64k",
    "pattern-300k",
    "dna-300k",
];
const SOURCE_BLOCKS_ZIP: &str = "189a327ff7a34c97ced524a2fee1fbd69a0ad1876200be87037d2f52032359e4";
const TREE_ZIP: &str = "64e2c4dc401c62ccc39ce27badb62023357da42f0f16be0624bd9f8f1af8ed9e";
const SOURCE_FILE_ZIP: &str = "ce0fe774f8f658e123c56412b2718d22865b6b908240a3d29a4ceb20fc3e5674";

fn case(name: &str) -> Vec<u8> {
    cases()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, data)| data)
        .unwrap()
}

#[test]
fn each_case_zips_to_go_s_bytes() {
    let cases = cases();
    assert_eq!(cases.len(), CONTENT_ZIPS.len());
    let mut wrong = Vec::new();
    for (name, data) in cases {
        let bytes = zip::write(&[Entry {
            name: name.into(),
            data,
            mode: None,
        }])
        .unwrap();
        let golden = CONTENT_ZIPS.iter().find(|(n, _)| *n == name).unwrap().1;
        if sha256_hex(&bytes) != golden {
            wrong.push(name);
        }
    }
    assert!(wrong.is_empty(), "zips that differ from Go's: {wrong:?}");
}

#[test]
fn data_source_outputs_equal_terraform_s() {
    let s = Stack::new();
    let text = String::from_utf8(case("text-3k")).unwrap();
    let state = s.archive(&[
        ("source_content", text.into()),
        ("source_content_filename", "text-3k".into()),
    ]);
    assert_eq!(state.str_attr("output_sha256"), Some(CONTENT_ZIPS[17].1));

    let blocks = SOURCE_BLOCKS
        .iter()
        .rev()
        .map(|name| {
            let content = String::from_utf8(case(name)).unwrap();
            Value::from_pairs([("filename", (*name).into()), ("content", content.into())])
        })
        .collect();
    let state = s.archive(&[("source", Value::List(blocks))]);
    assert_eq!(state.str_attr("output_sha256"), Some(SOURCE_BLOCKS_ZIP));
    assert_eq!(sha256_hex(&s.zip_bytes()), SOURCE_BLOCKS_ZIP);
}

#[test]
fn source_dir_and_source_file_equal_terraform_s() {
    let s = Stack::new();
    tree(&s.dir.path().join("src"));
    let excludes = Value::List(vec!["logs/debug.log".into(), "vendor".into()]);
    let state = s.archive(&[("source_dir", "src".into()), ("excludes", excludes)]);
    assert_eq!(state.str_attr("output_sha256"), Some(TREE_ZIP));

    let file = s.dir.path().join("util.py");
    fs::copy(s.dir.path().join("src/lib/util.py"), &file).unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o755)).unwrap();
    let state = s.archive(&[("source_file", "util.py".into())]);
    assert_eq!(state.str_attr("output_sha256"), Some(SOURCE_FILE_ZIP));
}

/// Each `(output, value)` of `want` is what `state` holds.
fn assert_outputs(state: &Value, want: &[(&str, &str)]) {
    for (output, value) in want {
        assert_eq!(state.str_attr(output), Some(*value), "{output}");
    }
}

/// The hashes hashicorp/archive's own acceptance tests expect
/// (internal/provider/data_source_archive_file_zip_test.go, `TestAccZipArchiveFile_Basic`), on
/// its fixtures: `This is test content` and `This is file N`, without final newlines.
#[test]
fn hashicorp_archive_acceptance_test_hashes() {
    let s = Stack::new();
    let content = s.archive(&[
        ("source_content", "This is some content".into()),
        ("source_content_filename", "content.txt".into()),
    ]);
    assert_outputs(
        &content,
        &[
            (
                "output_sha256",
                "3fb55c931a048943b8d7558dde7c2e4bfc8e04be33b1b55691053d1352391fa7",
            ),
            (
                "output_base64sha256",
                "P7VckxoEiUO411WN3nwuS/yOBL4zsbVWkQU9E1I5H6c=",
            ),
            ("output_md5", "ea35f0444ea9a3d5641d8760bc2815cc"),
            ("output_sha", "019c79c4dc14dbe1edb3e467b2de6a6aad148717"),
        ],
    );

    s.file("test-dir/test-file.txt", "This is test content", 0o644);
    for n in 1..=3 {
        s.file(
            &format!("test-dir/test-dir1/file{n}.txt"),
            &format!("This is file {n}"),
            0o644,
        );
    }
    let file = s.archive(&[
        ("source_file", "test-dir/test-file.txt".into()),
        ("output_file_mode", "0666".into()),
    ]);
    assert_outputs(
        &file,
        &[
            (
                "output_sha256",
                "5131387f97167da47aa741df3ab2c82f182f17c514c222538d34708d04e0756b",
            ),
            ("output_md5", "59fbc9e62af3cbc2f588f97498240dae"),
        ],
    );
    let dir = s.archive(&[
        ("source_dir", "test-dir/test-dir1".into()),
        ("output_file_mode", "0666".into()),
    ]);
    assert_outputs(
        &dir,
        &[(
            "output_sha256",
            "c9d07cc2dabc9caf6f43bed51fa613c281e6ca58cae3a8d6fae2094b00b3369a",
        )],
    );
    assert_eq!(
        dir.str_attr("output_base64sha256"),
        Some("ydB8wtq8nK9vQ77VH6YTwoHmyljK46jW+uIJSwCzNpo=")
    );
}
