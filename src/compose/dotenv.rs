//! `.env` and `env_file` files: `KEY=VALUE` lines, `#` comments, `export ` prefixes, single
//! quotes (literal), double quotes (escapes `\n`, `\"`, `\\`, and `${VAR}` interpolation),
//! unquoted values (trailing ` # comment` dropped, interpolated).

use std::ops::Range;

use super::interpolate::{interpolate, Lookup};
use crate::diag::Diagnostic;

/// One `KEY=VALUE` line; `value` is `None` for a bare `KEY` (taken from the environment).
pub struct Entry {
    pub key: String,
    pub value: Option<String>,
}

/// Parses the file's text. `env` resolves `${VAR}` in values (earlier entries of the same
/// file are visible too). The error carries the byte range of the bad line.
pub fn parse(text: &str, env: Lookup) -> Result<Vec<Entry>, (Range<usize>, Diagnostic)> {
    let mut out: Vec<Entry> = Vec::new();
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let lead = line.len() - trimmed.len();
        let span = start + lead..start + line.len();
        let body = trimmed
            .strip_prefix("export ")
            .unwrap_or(trimmed)
            .trim_start();
        let (key, value) = match body.split_once('=') {
            Some((k, v)) => (k.trim(), Some(v)),
            None => (body.trim(), None),
        };
        let valid_key = !key.is_empty()
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        if !valid_key {
            return Err((
                span,
                Diagnostic::error(format!("invalid line `{line}`: expected `NAME=value`"))
                    .hint("names hold letters, digits, `_`, `.` and `-`; comments start with `#`"),
            ));
        }
        let earlier = |k: &str| -> Option<String> {
            out.iter()
                .rev()
                .find(|e| e.key == k)
                .and_then(|e| e.value.clone())
                .or_else(|| env(k))
        };
        let value = match value {
            None => None,
            Some(v) => Some(value_of(v.trim(), &earlier).map_err(|d| (span.clone(), d))?),
        };
        out.push(Entry {
            key: key.to_string(),
            value,
        });
    }
    Ok(out)
}

fn value_of(v: &str, env: Lookup) -> Result<String, Diagnostic> {
    if let Some(inner) = v.strip_prefix('\'') {
        return match inner.find('\'') {
            Some(end) => Ok(inner[..end].to_string()),
            None => Err(Diagnostic::error("unterminated `'` quote")
                .hint("close the quote on the same line")),
        };
    }
    if let Some(inner) = v.strip_prefix('"') {
        let mut out = String::new();
        let mut chars = inner.chars();
        loop {
            match chars.next() {
                None => {
                    return Err(Diagnostic::error("unterminated `\"` quote")
                        .hint("close the quote on the same line; write `\\n` for a line break"))
                }
                Some('"') => break,
                Some('\\') => match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(c) => out.push(c),
                    None => out.push('\\'),
                },
                Some(c) => out.push(c),
            }
        }
        return interpolate(&out, env);
    }
    let v = match v.find(" #") {
        Some(i) => v[..i].trim_end(),
        None => v,
    };
    interpolate(v, env)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(k: &str) -> Option<String> {
        (k == "HOME").then(|| "/home/ada".to_string())
    }

    #[test]
    fn lines_quotes_comments_and_references() {
        let text = "# settings\nexport A=1\nB = two words # note\nC='${HOME} raw'\nD=\"x\\ny ${HOME}\"\nE=${A}-${B}\nBARE\n\n";
        let e = parse(text, &env).unwrap_or_else(|(_, d)| panic!("{d}"));
        let got: Vec<(&str, Option<&str>)> = e
            .iter()
            .map(|e| (e.key.as_str(), e.value.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("A", Some("1")),
                ("B", Some("two words")),
                ("C", Some("${HOME} raw")),
                ("D", Some("x\ny /home/ada")),
                ("E", Some("1-two words")),
                ("BARE", None),
            ]
        );
    }

    #[test]
    fn a_bad_line_is_reported_with_its_range() {
        let Err((span, d)) = parse("A=1\nnot valid line\n", &env) else {
            panic!("accepted")
        };
        assert_eq!(span, 4..18);
        assert!(d.message.contains("not valid line"), "{}", d.message);
        assert!(parse("A=\"open\n", &env).is_err());
    }
}
