//! Diagnostics: errors and warnings that point at the stack file, line and column.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

/// Where blocks of a generated text came from: each block's byte range and its origin.
pub type Origins = Vec<(Range<usize>, Location)>;

/// One loaded stack file, kept for pointing at its text in messages.
#[derive(Debug)]
pub struct SourceFile {
    pub path: PathBuf,
    /// The path as shown to the user (relative to the stack directory when possible).
    pub display: String,
    pub text: String,
    line_starts: Vec<usize>,
    /// For text labform generated from another file (a Compose file): where generated blocks
    /// came from, by the blocks' byte ranges, ascending. A place in such a block is shown at its
    /// origin, which the user wrote, instead of in text they never saw.
    origins: Origins,
}

impl SourceFile {
    pub fn new(path: PathBuf, display: String, text: String) -> Arc<Self> {
        Self::generated(path, display, text, Vec::new())
    }

    /// Text generated from other files; `origins` as the field says (sorted here).
    pub fn generated(
        path: PathBuf,
        display: String,
        text: String,
        mut origins: Origins,
    ) -> Arc<Self> {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        origins.sort_by_key(|(range, _)| range.start);
        Arc::new(SourceFile {
            path,
            display,
            text,
            line_starts,
            origins,
        })
    }

    /// Where the generated text at `offset` came from, if this text was generated.
    fn origin_of(&self, offset: usize) -> Option<&Location> {
        let after = self
            .origins
            .partition_point(|(range, _)| range.start <= offset);
        let (range, origin) = &self.origins[after.checked_sub(1)?];
        range.contains(&offset).then_some(origin)
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(0);
        (line + 1, col + 1)
    }

    /// The text of a 1-based line without its newline.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        self.text
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }

    pub fn snippet(&self, span: &Range<usize>) -> &str {
        self.text.get(span.clone()).unwrap_or("")
    }
}

/// A place in a stack file.
#[derive(Clone, Debug)]
pub struct Location {
    pub file: Arc<SourceFile>,
    pub span: Range<usize>,
}

impl Location {
    pub fn new(file: &Arc<SourceFile>, span: Option<Range<usize>>) -> Option<Location> {
        if let Some(origin) = span.as_ref().and_then(|s| file.origin_of(s.start)) {
            return Some(origin.clone());
        }
        span.map(|span| Location {
            file: file.clone(),
            span,
        })
    }

    /// `main.tf:3:5`
    pub fn short(&self) -> String {
        let (line, col) = self.file.line_col(self.span.start);
        format!("{}:{}:{}", self.file.display, line, col)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// An error or warning, with where it is, what was expected and how to fix it.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub location: Option<Location>,
    /// Extra lines of explanation shown under the source excerpt.
    pub detail: Option<String>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            location: None,
            detail: None,
            hint: None,
        }
    }
    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }
    pub fn into_warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }
    pub fn at(mut self, location: Option<Location>) -> Self {
        if self.location.is_none() {
            self.location = location;
        }
        self
    }
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    /// The diagnostic with every occurrence of a secret replaced by `(sensitive value)`: for
    /// errors whose text comes from elsewhere (a provider) and may quote what it was given.
    pub fn scrubbed(mut self, secrets: &[String]) -> Self {
        if secrets.is_empty() {
            return self;
        }
        use crate::eval::marks::scrub;
        self.message = scrub(&self.message, secrets);
        self.detail = self.detail.map(|t| scrub(&t, secrets));
        self.hint = self.hint.map(|t| scrub(&t, secrets));
        self
    }

    pub fn maybe_hint(mut self, hint: Option<String>) -> Self {
        if hint.is_some() {
            self.hint = hint;
        }
        self
    }
}

impl fmt::Display for Diagnostic {
    /// Renders like a compiler message:
    /// ```text
    /// error: unknown variable `var.regoin`
    ///   --> main.tf:4:12
    ///    |
    ///  4 |   region = var.regoin
    ///    |            ^^^^^^^^^^
    /// hint: did you mean `var.region`?
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}", self.message)?;
        if let Some(loc) = &self.location {
            let (line, col) = loc.file.line_col(loc.span.start);
            let text = loc.file.line_text(line);
            let gutter = line.to_string().len();
            let pad = " ".repeat(gutter);
            write!(f, "\n{pad}--> {}:{line}:{col}", loc.file.display)?;
            write!(f, "\n{pad} |\n{line} | {}", text.replace('\t', " "))?;
            let (end_line, end_col) = loc.file.line_col(loc.span.end.max(loc.span.start + 1));
            let width = if end_line == line {
                end_col.saturating_sub(col).max(1)
            } else {
                1
            };
            let width = width.min(text.chars().count().saturating_sub(col - 1).max(1));
            write!(f, "\n{pad} | {}{}", " ".repeat(col - 1), "^".repeat(width))?;
        }
        if let Some(detail) = &self.detail {
            write!(f, "\n{detail}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\nhint: {hint}")?;
        }
        Ok(())
    }
}

/// One or more diagnostics: what every engine function returns on failure.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }
    /// Drops repeats of the same message at the same place (a provider that cannot be reached
    /// is reported once, not once per resource).
    pub fn dedup(&mut self) {
        let mut seen = std::collections::HashSet::new();
        self.0
            .retain(|d| seen.insert((d.message.clone(), d.location.as_ref().map(|l| l.short()))));
    }

    /// `Err(self)` when it holds an error, else `Ok(())`.
    pub fn into_result(self) -> Result<(), Diagnostics> {
        if self.has_errors() {
            Err(self)
        } else {
            Ok(())
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n\n")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

pub type DiagResult<T> = Result<T, Diagnostics>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_file_line_column_and_caret() {
        let file = SourceFile::new(
            "main.tf".into(),
            "main.tf".into(),
            "a = 1\nb = var.x\n".into(),
        );
        let d = Diagnostic::error("unknown variable `var.x`")
            .at(Location::new(&file, Some(10..15)))
            .hint("did you mean `var.y`?");
        let text = d.to_string();
        assert!(text.contains("--> main.tf:2:5"), "{text}");
        assert!(text.contains("2 | b = var.x\n  |     ^^^^^"), "{text}");
        assert!(text.ends_with("hint: did you mean `var.y`?"));
    }
}
