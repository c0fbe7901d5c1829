//! A zip file laid out as Go's `archive/zip` writes it for hashicorp/archive, so the bytes depend
//! only on the entries: deflate (method 8), a data descriptor after each entry (flag 0x8), no
//! extra fields, no comments, version 2.0.
//!
//! Entries made from a file carry a Unix mode (creator version 3.0 "Unix") and the fixed date
//! Go writes for the zero time (DOS date 0x8A21, 2049-01-01 00:00); entries made from content
//! carry neither (date 0, no attributes). The deflate stream is Go's `compress/flate` at level 5
//! (archive/zip's level), ported in `super::deflate`, so archives, and with them
//! `output_base64sha256` and the other hashes, are byte-identical to Terraform's.

use crc32fast::Hasher;

/// Go's `timeToMsDosTime(time.Time{})`: year 1 wraps around to this date.
const ZERO_TIME_DOS_DATE: u16 = 0x8A21;
const VERSION_20: u16 = 20;
const CREATOR_UNIX: u16 = 3 << 8;
const FLAG_DATA_DESCRIPTOR: u16 = 0x8;
const FLAG_UTF8: u16 = 0x800;
const METHOD_DEFLATE: u16 = 8;
const S_IFREG: u32 = 0o100000;
const MSDOS_READ_ONLY: u32 = 0x01;

/// One file in the archive.
pub struct Entry {
    /// The name inside the archive, `/`-separated.
    pub name: String,
    pub data: Vec<u8>,
    /// `Some(permission bits)` for an entry made from a file (`source_file`, `source_dir`),
    /// `None` for one made from content.
    pub mode: Option<u32>,
}

struct Written {
    offset: u32,
    crc: u32,
    compressed: u32,
    size: u32,
    flags: u16,
    date: u16,
    creator: u16,
    external: u32,
}

fn too_big(what: &str) -> String {
    format!("{what} is 4 GiB or more, which needs zip64 (not supported)")
}

fn u32_of(n: usize, what: &str) -> Result<u32, String> {
    u32::try_from(n)
        .ok()
        .filter(|n| *n != u32::MAX)
        .ok_or_else(|| too_big(what))
}

/// Go sets the UTF-8 flag when the name has a character outside printable ASCII, or `\`, `~`
/// (`detectUTF8`).
fn needs_utf8_flag(name: &str) -> bool {
    name.chars()
        .any(|c| (c as u32) < 0x20 || (c as u32) > 0x7d || c == '\\')
}

/// The archive's bytes.
pub fn write(entries: &[Entry]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut written = Vec::with_capacity(entries.len());
    for entry in entries {
        let offset = u32_of(out.len(), "the archive")?;
        let name_len = u16::try_from(entry.name.len())
            .map_err(|_| format!("the name `{}` is too long for a zip", entry.name))?;
        let mut flags = FLAG_DATA_DESCRIPTOR;
        if needs_utf8_flag(&entry.name) {
            flags |= FLAG_UTF8;
        }
        let (date, creator, external) = match entry.mode {
            Some(perm) => {
                let mut external = (S_IFREG | (perm & 0o7777)) << 16;
                if perm & 0o200 == 0 {
                    external |= MSDOS_READ_ONLY;
                }
                (ZERO_TIME_DOS_DATE, CREATOR_UNIX | VERSION_20, external)
            }
            None => (0, VERSION_20, 0),
        };
        // Local header: sizes and CRC are zero here and follow in the data descriptor.
        put32(&mut out, 0x0403_4b50);
        put16(&mut out, VERSION_20);
        put16(&mut out, flags);
        put16(&mut out, METHOD_DEFLATE);
        put16(&mut out, 0); // time
        put16(&mut out, date);
        out.extend_from_slice(&[0; 12]);
        put16(&mut out, name_len);
        put16(&mut out, 0); // extra length
        out.extend_from_slice(entry.name.as_bytes());

        let compressed = super::deflate::deflate(&entry.data);
        out.extend_from_slice(&compressed);
        let mut hasher = Hasher::new();
        hasher.update(&entry.data);
        let crc = hasher.finalize();
        let compressed = u32_of(compressed.len(), &format!("`{}`", entry.name))?;
        let size = u32_of(entry.data.len(), &format!("`{}`", entry.name))?;
        put32(&mut out, 0x0807_4b50);
        put32(&mut out, crc);
        put32(&mut out, compressed);
        put32(&mut out, size);
        written.push(Written {
            offset,
            crc,
            compressed,
            size,
            flags,
            date,
            creator,
            external,
        });
    }
    let directory_start = u32_of(out.len(), "the archive")?;
    for (entry, w) in entries.iter().zip(&written) {
        put32(&mut out, 0x0201_4b50);
        put16(&mut out, w.creator);
        put16(&mut out, VERSION_20);
        put16(&mut out, w.flags);
        put16(&mut out, METHOD_DEFLATE);
        put16(&mut out, 0); // time
        put16(&mut out, w.date);
        put32(&mut out, w.crc);
        put32(&mut out, w.compressed);
        put32(&mut out, w.size);
        put16(&mut out, entry.name.len() as u16); // checked above
        put16(&mut out, 0); // extra length
        put16(&mut out, 0); // comment length
        put16(&mut out, 0); // disk number
        put16(&mut out, 0); // internal attributes
        put32(&mut out, w.external);
        put32(&mut out, w.offset);
        out.extend_from_slice(entry.name.as_bytes());
    }
    let directory_size = u32_of(out.len(), "the archive")? - directory_start;
    let count = u16::try_from(entries.len())
        .ok()
        .filter(|n| *n != u16::MAX)
        .ok_or_else(|| "65535 or more entries need zip64 (not supported)".to_string())?;
    put32(&mut out, 0x0605_4b50);
    put16(&mut out, 0); // this disk
    put16(&mut out, 0); // directory's disk
    put16(&mut out, count);
    put16(&mut out, count);
    put32(&mut out, directory_size);
    put32(&mut out, directory_start);
    put16(&mut out, 0); // comment length
    Ok(out)
}

fn put16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_zero_time_wraps_to_2049_01_01() {
        // fDate = day + month<<5 + (year-1980)<<9 for year 1, month 1, day 1, as uint16.
        let go = (1i64 + (1 << 5) + ((1 - 1980) << 9)).rem_euclid(1 << 16);
        assert_eq!(go as u16, ZERO_TIME_DOS_DATE);
        assert_eq!(1980 + (ZERO_TIME_DOS_DATE >> 9), 2049);
    }

    #[test]
    fn utf8_flag_follows_go_detect_utf8() {
        assert!(!needs_utf8_flag("dir/file-1_a.txt"));
        assert!(needs_utf8_flag("caf\u{e9}.txt"));
        assert!(needs_utf8_flag("a~b"));
        assert!(needs_utf8_flag("a\\b"));
    }

    #[test]
    fn layout_is_local_headers_data_descriptors_directory_end() {
        let bytes = write(&[Entry {
            name: "a.txt".into(),
            data: b"hello".to_vec(),
            mode: Some(0o644),
        }])
        .unwrap();
        assert_eq!(&bytes[0..4], b"PK\x03\x04");
        assert_eq!(u16::from_le_bytes([bytes[6], bytes[7]]), 0x8, "flags");
        assert_eq!(u16::from_le_bytes([bytes[12], bytes[13]]), 0x8A21, "date");
        let end = bytes.len() - 22;
        assert_eq!(&bytes[end..end + 4], b"PK\x05\x06");
        let directory = u32::from_le_bytes(bytes[end + 16..end + 20].try_into().unwrap()) as usize;
        assert_eq!(&bytes[directory..directory + 4], b"PK\x01\x02");
        let external =
            u32::from_le_bytes(bytes[directory + 38..directory + 42].try_into().unwrap());
        assert_eq!(external, 0o100644 << 16);
    }
}
