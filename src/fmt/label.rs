//! Block labels in their idiomatic quoted form: `terraform fmt` rewrites every label from
//! its value, so `resource aws_vpc main` becomes `resource "aws_vpc" "main"` and a quoted
//! label is re-escaped the canonical way.

/// The value of a quoted label's literal text (between the quotes), or None when an escape
/// is not valid (the label is then left alone).
pub(super) fn unescape(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                't' => out.push('\t'),
                '"' => out.push('"'),
                '\\' => out.push('\\'),
                u @ ('u' | 'U') => {
                    let digits = if u == 'u' { 4 } else { 8 };
                    let hex: String = (0..digits).filter_map(|_| chars.next()).collect();
                    if hex.len() != digits {
                        return None;
                    }
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                _ => return None,
            },
            '$' | '%' if chars.peek() == Some(&c) => {
                // `$${` and `%%{` stand for a literal `${` and `%{`.
                let mut ahead = chars.clone();
                ahead.next();
                if ahead.peek() == Some(&'{') {
                    chars.next();
                }
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    Some(out)
}

/// The literal text (without quotes) that spells `value` in a quoted string.
pub(super) fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '$' | '%' => {
                out.push(c);
                if chars.peek() == Some(&'{') {
                    out.push(c);
                }
            }
            c if !is_printable(c) => {
                let code = u32::from(c);
                if code < 0x10000 {
                    out.push_str(&format!("\\u{code:04x}"));
                } else {
                    out.push_str(&format!("\\U{code:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Close to Go's `unicode.IsPrint`: graphic characters and the ASCII space; control,
/// format, private-use and non-ASCII space characters are not printable.
fn is_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    let code = u32::from(c);
    let format_or_private = matches!(
        code,
        0xAD | 0x600..=0x605
            | 0x61C
            | 0x6DD
            | 0x70F
            | 0x180E
            | 0x200B..=0x200F
            | 0x2028..=0x202E
            | 0x2060..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0xE000..=0xF8FF
            | 0x110BD
            | 0x1D173..=0x1D17A
            | 0xE0001..=0xE007F
            | 0xF0000..
    );
    !(c.is_control() || c.is_whitespace() || format_or_private)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_ordinary_labels() {
        for text in [
            "aws_vpc",
            "main-1",
            "a b",
            "ünïcode",
            "$${x}",
            "%%{y}",
            "\\\"q\\\"",
        ] {
            assert_eq!(escape(&unescape(text).unwrap()), text);
        }
    }

    #[test]
    fn escapes_are_canonicalised() {
        assert_eq!(
            unescape("\\u0041\\t").map(|v| escape(&v)),
            Some("A\\t".to_string())
        );
        assert_eq!(escape("tab\there"), "tab\\there");
        assert_eq!(escape("\u{200b}"), "\\u200b");
        assert_eq!(unescape("bad \\q"), None);
    }
}
