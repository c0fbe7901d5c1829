//! "Did you mean" suggestions for misspelt function names.

/// The name in `candidates` nearest to `given`, if one is close enough to be a likely typo.
pub(crate) fn nearest<'a>(given: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (distance(given, c), *c))
        .filter(|(d, _)| *d < 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance in characters.
fn distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_close_names_only() {
        assert_eq!(nearest("lenght", &["length", "lower"]), Some("length"));
        assert_eq!(
            nearest("jsonencod", &["jsonencode", "jsondecode"]),
            Some("jsonencode")
        );
        assert_eq!(nearest("frobnicate", &["length", "lower"]), None);
    }
}
