//! Splits a file into tokens exactly as Terraform's native HCL scanner does (same token
//! kinds, same boundaries where they matter for layout), keeping every byte of text.

mod template;

use super::token::{Kind, Token};

/// A place in the source that no token of HCL can start at.
#[derive(Debug)]
pub(super) struct ScanError {
    pub offset: usize,
    pub message: String,
}

/// What the scanner is reading: expressions, a quoted template or a heredoc template.
/// `start` is where the construct began, for "unterminated" errors.
enum Mode {
    Main {
        start: usize,
    },
    Quoted {
        start: usize,
    },
    Heredoc {
        start: usize,
        marker: String,
        start_of_line: bool,
    },
}

/// Tokens of `src`, ending with an `Eof` token; `spaces` holds the count of bytes of blank
/// (spaces, tabs, byte order mark) between a token and the one before it.
pub(super) fn scan(src: &str) -> Result<Vec<Token>, ScanError> {
    let mut scanner = Scanner {
        src,
        bytes: src.as_bytes(),
        pos: if src.starts_with('\u{feff}') { 3 } else { 0 },
        last_end: 0,
        tokens: Vec::new(),
        modes: vec![Mode::Main { start: 0 }],
        braces: 0,
        ret_braces: Vec::new(),
    };
    while scanner.pos < scanner.bytes.len() {
        match scanner.modes.last() {
            Some(Mode::Quoted { .. }) => scanner.quoted()?,
            Some(Mode::Heredoc { .. }) => scanner.heredoc()?,
            _ => scanner.main()?,
        }
    }
    if scanner.modes.len() > 1 {
        let (offset, message) = match scanner.modes.last() {
            Some(Mode::Quoted { start }) => (*start, "unterminated string".to_string()),
            Some(Mode::Heredoc { start, marker, .. }) => (
                *start,
                format!("unterminated heredoc: no line holding only `{marker}` closes it"),
            ),
            Some(Mode::Main { start }) => (*start, "unterminated template sequence".to_string()),
            None => (0, "unterminated template".to_string()),
        };
        return Err(ScanError { offset, message });
    }
    let end = scanner.bytes.len();
    scanner.emit(Kind::Eof, end, end);
    Ok(scanner.tokens)
}

struct Scanner<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    last_end: usize,
    tokens: Vec<Token>,
    modes: Vec<Mode>,
    /// Open braces of any kind, and the levels at which a `}` closes a template sequence.
    braces: i64,
    ret_braces: Vec<i64>,
}

impl Scanner<'_> {
    fn at(&self, i: usize) -> u8 {
        self.bytes.get(i).copied().unwrap_or(0)
    }

    fn emit(&mut self, kind: Kind, start: usize, end: usize) {
        let mut token = Token::new(kind, &self.src[start..end]);
        token.spaces = start - self.last_end;
        self.tokens.push(token);
        self.last_end = end;
        self.pos = end;
    }

    fn error<T>(&self, offset: usize, message: String) -> Result<T, ScanError> {
        Err(ScanError { offset, message })
    }

    fn char_at(&self, i: usize) -> Option<char> {
        self.src.get(i..).and_then(|rest| rest.chars().next())
    }

    fn main(&mut self) -> Result<(), ScanError> {
        let p = self.pos;
        let c = self.at(p);
        let next = self.at(p + 1);
        let single = |kind| (kind, 1);
        let (kind, len) = match c {
            b' ' | b'\t' => {
                self.pos += 1;
                return Ok(());
            }
            b'0'..=b'9' => (Kind::NumberLit, self.number_len(p)),
            b'#' => (Kind::Comment, self.line_comment_len(p)),
            b'/' if next == b'/' => (Kind::Comment, self.line_comment_len(p)),
            b'/' if next == b'*' => match self.src[p + 2..].find("*/") {
                Some(i) => (Kind::Comment, i + 4),
                None => return self.error(p, "unterminated `/*` comment".to_string()),
            },
            b'\n' => single(Kind::Newline),
            b'\r' if next == b'\n' => (Kind::Newline, 2),
            b'=' if next == b'=' => (Kind::EqualOp, 2),
            b'=' if next == b'>' => (Kind::FatArrow, 2),
            b'=' => single(Kind::Equal),
            b'!' if next == b'=' => (Kind::NotEqual, 2),
            b'!' => single(Kind::Bang),
            b'>' if next == b'=' => (Kind::GreaterThanEq, 2),
            b'>' => single(Kind::GreaterThan),
            b'<' if next == b'<' && self.heredoc_intro(p) => return Ok(()),
            b'<' if next == b'=' => (Kind::LessThanEq, 2),
            b'<' => single(Kind::LessThan),
            b'&' if next == b'&' => (Kind::And, 2),
            b'|' if next == b'|' => (Kind::Or, 2),
            b':' if next == b':' => (Kind::DoubleColon, 2),
            b':' => single(Kind::Colon),
            b'.' if next == b'.' && self.at(p + 2) == b'.' => (Kind::Ellipsis, 3),
            b'.' => single(Kind::Dot),
            b'[' => single(Kind::OBrack),
            b']' => single(Kind::CBrack),
            b'(' => single(Kind::OParen),
            b')' => single(Kind::CParen),
            b',' => single(Kind::Comma),
            b'*' => single(Kind::Star),
            b'/' => single(Kind::Slash),
            b'%' => single(Kind::Percent),
            b'+' => single(Kind::Plus),
            b'-' => single(Kind::Minus),
            b'?' => single(Kind::Question),
            b'{' => {
                self.braces += 1;
                single(Kind::OBrace)
            }
            b'}' => {
                self.close_brace(p, 1);
                return Ok(());
            }
            b'~' if next == b'}' => {
                self.close_brace(p, 2);
                return Ok(());
            }
            b'&' | b'|' | b'~' | b'^' | b';' | b'`' | b'\'' => single(Kind::Stray),
            b'"' => {
                self.modes.push(Mode::Quoted { start: p });
                single(Kind::OQuote)
            }
            _ => match self.char_at(p) {
                Some(ch) if ch == '_' || unicode_ident::is_xid_start(ch) => {
                    (Kind::Ident, self.ident_len(p))
                }
                Some(ch) => {
                    return self.error(p, format!("unexpected character `{}`", ch.escape_debug()))
                }
                None => return self.error(p, "unexpected end of input".to_string()),
            },
        };
        self.emit(kind, p, p + len);
        Ok(())
    }

    /// A `}` (or `~}`) ends a template sequence when it balances the `${`/`%{` that opened
    /// it, and is a plain closing brace otherwise (`~}` always ends a sequence).
    fn close_brace(&mut self, p: usize, len: usize) {
        if self.ret_braces.last() == Some(&self.braces) {
            self.ret_braces.pop();
            self.braces -= 1;
            self.modes.pop();
            self.emit(Kind::TemplateSeqEnd, p, p + len);
        } else {
            self.braces -= 1;
            let kind = if len == 2 {
                Kind::TemplateSeqEnd
            } else {
                Kind::CBrace
            };
            self.emit(kind, p, p + len);
        }
    }

    fn number_len(&self, p: usize) -> usize {
        let mut end = p + 1;
        let mut j = end;
        loop {
            let c = self.at(j);
            if c.is_ascii_digit() {
                j += 1;
                end = j;
            } else if c == b'.' {
                j += 1;
            } else if c == b'e' || c == b'E' {
                let sign = usize::from(matches!(self.at(j + 1), b'+' | b'-'));
                if !self.at(j + 1 + sign).is_ascii_digit() {
                    break;
                }
                j += 2 + sign;
                end = j;
            } else {
                break;
            }
        }
        end - p
    }

    fn ident_len(&self, p: usize) -> usize {
        let rest = &self.src[p..];
        let mut chars = rest.char_indices();
        chars.next();
        for (i, ch) in chars {
            if !(ch == '-' || unicode_ident::is_xid_continue(ch)) {
                return i;
            }
        }
        rest.len()
    }

    fn line_comment_len(&self, p: usize) -> usize {
        match self.src[p..].find('\n') {
            Some(i) => i + 1,
            None => self.src.len() - p,
        }
    }

    /// `<<EOF` or `<<-EOF` followed by a line break opens a heredoc; the token holds the
    /// line break. Returns false (nothing consumed) when this `<<` is not one.
    fn heredoc_intro(&mut self, p: usize) -> bool {
        let mut j = p + 2;
        if self.at(j) == b'-' {
            j += 1;
        }
        match self.char_at(j) {
            Some(ch) if ch == '_' || unicode_ident::is_xid_start(ch) => {}
            _ => return false,
        }
        let marker_end = j + self.ident_len(j);
        let end = match (self.at(marker_end), self.at(marker_end + 1)) {
            (b'\n', _) => marker_end + 1,
            (b'\r', b'\n') => marker_end + 2,
            _ => return false,
        };
        let marker = self.src[j..marker_end].to_string();
        self.emit(Kind::OHeredoc, p, end);
        self.modes.push(Mode::Heredoc {
            start: p,
            marker,
            start_of_line: true,
        });
        true
    }
}
