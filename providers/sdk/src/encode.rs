//! Percent-encoding as the cloud APIs and Terraform's functions want it, on the
//! `percent-encoding` crate.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but RFC 3986's unreserved characters (letters, digits, `-._~`).
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes every byte outside RFC 3986's unreserved set (upper-case hex): a URL path
/// segment that may hold `/`, spaces, anything (an object name, a tag query).
pub fn escape_unreserved(text: &str) -> String {
    utf8_percent_encode(text, NOT_UNRESERVED).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unreserved_characters_stay() {
        assert_eq!(
            escape_unreserved("raw/yellow 2021.parquet"),
            "raw%2Fyellow%202021.parquet"
        );
        assert_eq!(escape_unreserved("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(escape_unreserved("é=&"), "%C3%A9%3D%26");
    }
}
