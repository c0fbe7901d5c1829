//! Go's per-rune case mapping (`unicode.ToUpper`, `ToLower`, `ToTitle`), which Terraform's
//! `upper`, `lower` and `title` use: one character always maps to one character, so `ß` stays
//! `ß` where Rust's full mapping gives `SS`.

/// Go's `unicode.ToUpper`: Unicode's simple uppercase mapping.
pub fn upper(c: char) -> char {
    let mut full = c.to_uppercase();
    match (full.next(), full.next()) {
        (Some(u), None) => u,
        // Full mappings of several characters; the simple mapping is the titlecase letter
        // for Greek letters with ypogegrammeni, and none (the letter itself) for the rest.
        _ => match c as u32 {
            0x1F80..=0x1FAF if (c as u32) & 0xF < 8 => char::from_u32(c as u32 + 8).unwrap_or(c),
            0x1FB3 => '\u{1FBC}',
            0x1FC3 => '\u{1FCC}',
            0x1FF3 => '\u{1FFC}',
            _ => c,
        },
    }
}

/// Go's `unicode.ToLower`: Unicode's simple lowercase mapping (no final-sigma rule).
pub fn lower(c: char) -> char {
    let mut full = c.to_lowercase();
    match (full.next(), full.next()) {
        (Some(l), None) => l,
        // `İ`'s full mapping is `i` + combining dot; its simple mapping is `i`.
        _ if c == '\u{130}' => 'i',
        _ => c,
    }
}

/// Go's `unicode.ToTitle`: the uppercase letter, except for the digraphs that have a
/// titlecase form (`ǅ`, `ǈ`, `ǋ`, `ǲ`).
pub fn title(c: char) -> char {
    match c {
        '\u{1C4}'..='\u{1C6}' => '\u{1C5}',
        '\u{1C7}'..='\u{1C9}' => '\u{1C8}',
        '\u{1CA}'..='\u{1CC}' => '\u{1CB}',
        '\u{1F1}'..='\u{1F3}' => '\u{1F2}',
        _ => upper(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(s: &str, f: fn(char) -> char) -> String {
        s.chars().map(f).collect()
    }

    #[test]
    fn one_character_maps_to_one() {
        assert_eq!(map("straße", upper), "STRAßE");
        assert_eq!(map("ﬁ ŉ", upper), "ﬁ ŉ");
        assert_eq!(map("ᾀ", upper), "ᾈ");
        assert_eq!(map("ΑΣ İ", lower), "ασ i");
        assert_eq!(map("ǆ", title), "ǅ");
        assert_eq!(map("ǆ", upper), "Ǆ");
    }
}
