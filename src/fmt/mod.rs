//! `labform fmt`: rewrites one Terraform file in the canonical style, byte for byte as
//! `terraform fmt` does. Only horizontal spacing changes (indentation, spaces between
//! tokens, alignment of `=` and trailing comments); line breaks, comments, heredoc bodies
//! and string contents are kept, plus `terraform fmt`'s few rewrites (quoted labels,
//! `"${x}"` unwrapped, legacy variable types). A file that does not parse is refused.
//!
//! Like `terraform fmt`, blank lines are kept as they are and no final line break is added.
//! Where `terraform fmt` would damage a file we do not follow it: a label it cannot read
//! back (one holding `$` or `%`) is kept instead of dropped, and a result that would not
//! parse is refused instead of written.

mod balance;
mod error;
mod label;
mod layout;
pub mod literal;
mod rewrite;
mod scan;
mod spacing;
mod token;

#[cfg(test)]
mod tests;

pub use error::FormatError;

/// Formats one file's text; `Ok(text)` is the canonical form (equal to the input when already canonical).
///
/// # Errors
///
/// A [`FormatError`] with the line and column of the first syntax error when `source` is
/// not valid HCL native syntax; nothing is formatted then.
pub fn format_source(source: &str) -> Result<String, FormatError> {
    let body = source.strip_prefix('\u{feff}').unwrap_or(source);
    hcl_edit::parser::parse_body(body).map_err(|e| FormatError::from_parser(&e))?;

    let tokens = scan::scan(source)
        .and_then(|tokens| balance::check(&tokens).map(|()| tokens))
        .map_err(|e| FormatError::at_offset(source, e.offset, e.message))?;
    let mut tokens = rewrite::rewrite(tokens);
    layout::layout(&mut tokens);

    let mut out = String::with_capacity(source.len() + source.len() / 8);
    for token in &tokens {
        out.extend(std::iter::repeat_n(' ', token.spaces));
        out.push_str(&token.text);
    }

    // Formatting must never turn a valid file into an invalid one; refuse rather than
    // write something broken.
    if let Err(e) = hcl_edit::parser::parse_body(&out) {
        let inner = FormatError::from_parser(&e);
        return Err(FormatError {
            message: format!(
                "formatting would produce text that does not parse ({}); the file was left as it is",
                inner.message
            ),
            ..inner
        });
    }
    Ok(out)
}
