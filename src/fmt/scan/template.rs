//! Template text: the literal parts of quoted strings and heredocs, and the `${`/`%{`
//! sequences that interrupt them. Heredoc closing markers are recognised here.

use super::super::token::Kind;
use super::{Mode, ScanError, Scanner};

impl Scanner<'_> {
    /// `${` or `%{` (with an optional `~`) at `p` opens a template sequence.
    fn template_open(&mut self, p: usize) -> bool {
        let kind = match (self.at(p), self.at(p + 1)) {
            (b'$', b'{') => Kind::TemplateInterp,
            (b'%', b'{') => Kind::TemplateControl,
            _ => return false,
        };
        let len = if self.at(p + 2) == b'~' { 3 } else { 2 };
        if let Some(Mode::Heredoc { start_of_line, .. }) = self.modes.last_mut() {
            *start_of_line = false;
        }
        self.braces += 1;
        self.ret_braces.push(self.braces);
        self.modes.push(Mode::Main { start: p });
        self.emit(kind, p, p + len);
        true
    }

    /// Length of the template introducer escape (`$${` or `%%{`) or lone `$`/`%` at `p`,
    /// or None when a template sequence starts there.
    fn dollar_or_percent_len(&self, p: usize) -> Option<usize> {
        let c = self.at(p);
        match self.at(p + 1) {
            b'{' => None,
            n if n == c && self.at(p + 2) == b'{' => Some(3),
            _ => Some(1),
        }
    }

    pub(super) fn quoted(&mut self) -> Result<(), ScanError> {
        let p = self.pos;
        if self.template_open(p) {
            return Ok(());
        }
        match self.at(p) {
            b'"' => {
                self.modes.pop();
                self.emit(Kind::CQuote, p, p + 1);
                return Ok(());
            }
            b'\r' | b'\n' => {
                return self.error(
                    p,
                    "unterminated string: a quoted string cannot hold a line break".to_string(),
                )
            }
            _ => {}
        }
        let mut j = p;
        while j < self.bytes.len() {
            match self.at(j) {
                b'"' | b'\r' | b'\n' => break,
                b'\\' => match self.char_at(j + 1) {
                    Some(ch) if ch != '\r' && ch != '\n' => j += 1 + ch.len_utf8(),
                    _ => return self.error(j, "invalid escape sequence".to_string()),
                },
                b'$' | b'%' => match self.dollar_or_percent_len(j) {
                    Some(len) => j += len,
                    None => break,
                },
                _ => j += self.char_at(j).map_or(1, char::len_utf8),
            }
        }
        self.emit(Kind::QuotedLit, p, j);
        Ok(())
    }

    pub(super) fn heredoc(&mut self) -> Result<(), ScanError> {
        let p = self.pos;
        if self.template_open(p) {
            return Ok(());
        }
        let mut j = p;
        let mut line_end = None;
        while j < self.bytes.len() {
            match self.at(j) {
                b'\n' => {
                    line_end = Some((j, j + 1));
                    break;
                }
                b'\r' if self.at(j + 1) == b'\n' => {
                    line_end = Some((j, j + 2));
                    break;
                }
                b'\r' => return self.error(j, "unexpected carriage return".to_string()),
                b'$' | b'%' => match self.dollar_or_percent_len(j) {
                    Some(len) => j += len,
                    None => break,
                },
                _ => j += self.char_at(j).map_or(1, char::len_utf8),
            }
        }
        let Some(Mode::Heredoc {
            marker,
            start_of_line,
            ..
        }) = self.modes.last_mut()
        else {
            return self.error(p, "heredoc state lost".to_string());
        };
        match line_end {
            Some((nl_start, nl_end)) => {
                if *start_of_line && self.src[p..nl_start].trim() == marker.as_str() {
                    self.modes.pop();
                    self.emit(Kind::CHeredoc, p, nl_start);
                    self.emit(Kind::Newline, nl_start, nl_end);
                } else {
                    *start_of_line = true;
                    self.emit(Kind::StringLit, p, nl_end);
                }
            }
            None => {
                *start_of_line = false;
                self.emit(Kind::StringLit, p, j);
            }
        }
        Ok(())
    }
}
