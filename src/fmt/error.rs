//! The error `labform fmt` reports for a file it refuses to rewrite, with the place in the
//! file that stopped it.

use std::fmt;

/// A file that cannot be formatted because it does not parse; `line` and `column` are
/// one-based, the column counted in characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl FormatError {
    /// An error at byte `offset` of `source`.
    pub(super) fn at_offset(source: &str, offset: usize, message: String) -> FormatError {
        let offset = offset.min(source.len());
        let before = source.get(..offset).unwrap_or(source);
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        FormatError {
            line: before.matches('\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
            message,
        }
    }

    pub(super) fn from_parser(error: &hcl_edit::parser::Error) -> FormatError {
        let location = error.location();
        FormatError {
            line: location.line(),
            column: location.column(),
            message: error.message().to_string(),
        }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for FormatError {}
