//! The rewrites `terraform fmt` makes beyond whitespace, found by walking the body
//! structure of the token stream: block labels in quoted form, `"${expr}"` attribute values
//! unwrapped to `expr`, and legacy `type` values of `variable` blocks (`"string"`, `list`)
//! replaced by their modern spelling.

use super::label;
use super::token::{Kind, Token};

/// The token stream with those rewrites made; its spaces are left for the layout pass.
pub(super) fn rewrite(tokens: Vec<Token>) -> Vec<Token> {
    let mut walker = Walker {
        src: tokens,
        pos: 0,
        out: Vec::new(),
    };
    let mut path = Vec::new();
    while walker.pos < walker.src.len() {
        walker.body(&mut path);
        // A stray `}` at file level (the parser rejects it) is simply kept.
        walker.copy(1);
    }
    walker.out
}

struct Walker {
    src: Vec<Token>,
    pos: usize,
    out: Vec<Token>,
}

impl Walker {
    fn kind(&self, i: usize) -> Kind {
        self.src.get(i).map_or(Kind::Eof, |t| t.kind)
    }

    fn copy(&mut self, count: usize) {
        let end = (self.pos + count).min(self.src.len());
        self.out.extend_from_slice(&self.src[self.pos..end]);
        self.pos = end;
    }

    fn next_significant(&self, from: usize) -> usize {
        (from..self.src.len())
            .find(|&i| self.kind(i) != Kind::Comment)
            .unwrap_or(self.src.len())
    }

    /// Walks the items of a body up to (not including) its closing `}` or the end of file.
    /// `path` holds the types of the enclosing blocks.
    fn body(&mut self, path: &mut Vec<String>) {
        loop {
            match self.kind(self.pos) {
                Kind::Eof | Kind::CBrace => return,
                Kind::Ident => {
                    let after = self.next_significant(self.pos + 1);
                    if self.kind(after) == Kind::Equal {
                        self.attribute(after, path);
                    } else if !self.block(path) {
                        self.copy(1);
                    }
                }
                _ => self.copy(1),
            }
        }
    }

    fn attribute(&mut self, equals: usize, path: &[String]) {
        let name = self.src[self.pos].text.clone();
        self.copy(equals + 1 - self.pos);
        let end = self.expression_end(self.pos);
        let mut start = self.pos;
        while start < end && self.kind(start) == Kind::Comment {
            start += 1;
        }
        let mut stop = end;
        while stop > start && self.kind(stop - 1) == Kind::Comment {
            stop -= 1;
        }
        self.copy(start - self.pos);
        let expr = &self.src[start..stop];
        let rewritten = if path.len() == 1 && path[0] == "variable" && name == "type" {
            type_expr(expr)
        } else {
            value_expr(expr)
        };
        self.out.extend(rewritten);
        self.pos = stop;
        self.copy(end - stop);
    }

    /// An attribute's value ends at a line break outside brackets, at the `}` closing a
    /// one-line block, or at the end of file.
    fn expression_end(&self, from: usize) -> usize {
        let mut depth = 0;
        for i in from..self.src.len() {
            let token = &self.src[i];
            if token.kind == Kind::Eof || (depth == 0 && token.ends_line()) {
                return i;
            }
            depth += token.bracket_change();
            if depth < 0 {
                return i;
            }
        }
        self.src.len()
    }

    /// A block: type, labels, `{`, body, `}`. Returns false (nothing consumed) when the
    /// tokens are not shaped as one.
    fn block(&mut self, path: &mut Vec<String>) -> bool {
        let block_type = self.src[self.pos].text.clone();
        let mut labels = Vec::new();
        let mut i = self.pos + 1;
        let open = loop {
            match self.kind(i) {
                Kind::OBrace => break i,
                Kind::Comment => i += 1,
                Kind::Ident => {
                    labels.push(i..i + 1);
                    i += 1;
                }
                Kind::OQuote => {
                    let start = i;
                    i += 1;
                    while self.kind(i) == Kind::QuotedLit {
                        i += 1;
                    }
                    if self.kind(i) != Kind::CQuote {
                        return false;
                    }
                    i += 1;
                    labels.push(start..i);
                }
                _ => return false,
            }
        };
        self.copy(1);
        if let Some(last) = labels.last() {
            let after_labels = last.end;
            for range in &labels {
                self.out.extend(label_tokens(&self.src[range.clone()]));
            }
            // Comments among the labels go with them, as in `terraform fmt`; those after
            // the last label stay.
            self.pos = after_labels;
        }
        self.copy(open + 1 - self.pos);
        path.push(block_type);
        self.body(path);
        path.pop();
        if self.kind(self.pos) == Kind::CBrace {
            self.copy(1);
        }
        true
    }
}

fn label_tokens(tokens: &[Token]) -> Vec<Token> {
    let value = match tokens {
        [ident] if ident.kind == Kind::Ident => Some(ident.text.clone()),
        [_, lits @ .., _] => {
            let text: String = lits.iter().map(|t| t.text.as_str()).collect();
            label::unescape(&text)
        }
        _ => None,
    };
    let Some(value) = value else {
        return tokens.to_vec();
    };
    vec![
        Token::new(Kind::OQuote, "\""),
        Token::new(Kind::QuotedLit, label::escape(&value)),
        Token::new(Kind::CQuote, "\""),
    ]
}

/// `"${expr}"` alone becomes `expr` (in parentheses when it spans lines); anything else is
/// kept.
fn value_expr(tokens: &[Token]) -> Vec<Token> {
    let n = tokens.len();
    if n < 5
        || tokens[0].kind != Kind::OQuote
        || tokens[1].kind != Kind::TemplateInterp
        || tokens[n - 2].kind != Kind::TemplateSeqEnd
        || tokens[n - 1].kind != Kind::CQuote
    {
        return tokens.to_vec();
    }
    let inside = &tokens[2..n - 2];
    // Only one interpolation and no literal text at the outer quoting level: sequences in
    // nested strings (`"${f("${x}")}"`) belong to the inner expression.
    let mut quotes = 0;
    for token in inside {
        match token.kind {
            Kind::OQuote => quotes += 1,
            Kind::CQuote => quotes -= 1,
            _ if quotes > 0 => {}
            Kind::TemplateInterp | Kind::TemplateSeqEnd | Kind::QuotedLit => {
                return tokens.to_vec()
            }
            _ => {}
        }
    }
    let first = inside.iter().position(|t| t.kind != Kind::Newline);
    let last = inside.iter().rposition(|t| t.kind != Kind::Newline);
    let trimmed = match (first, last) {
        (Some(f), Some(l)) => &inside[f..=l],
        _ => &inside[0..0],
    };
    let multi_line = trimmed.iter().any(|t| t.kind == Kind::Newline);
    let parenthesised = trimmed.first().is_some_and(|t| t.kind == Kind::OParen)
        && trimmed.last().is_some_and(|t| t.kind == Kind::CParen);
    if multi_line && !parenthesised {
        let mut wrapped = Vec::with_capacity(trimmed.len() + 2);
        wrapped.push(Token::new(Kind::OParen, "("));
        wrapped.extend_from_slice(trimmed);
        wrapped.push(Token::new(Kind::CParen, ")"));
        return wrapped;
    }
    trimmed.to_vec()
}

/// Legacy type spellings: `list`/`map`/`set` mean their `any` element form, and the
/// pre-0.12 quoted `"string"`, `"list"`, `"map"` mean `string`, `list(string)`,
/// `map(string)`.
fn type_expr(tokens: &[Token]) -> Vec<Token> {
    let collection = |name: &str, element: &str| {
        vec![
            Token::new(Kind::Ident, name),
            Token::new(Kind::OParen, "("),
            Token::new(Kind::Ident, element),
            Token::new(Kind::CParen, ")"),
        ]
    };
    match tokens {
        [word] if word.kind == Kind::Ident => match word.text.as_str() {
            name @ ("list" | "map" | "set") => collection(name, "any"),
            _ => tokens.to_vec(),
        },
        [open, lit, close]
            if open.kind == Kind::OQuote
                && lit.kind == Kind::QuotedLit
                && close.kind == Kind::CQuote =>
        {
            match lit.text.as_str() {
                "string" => vec![Token::new(Kind::Ident, "string")],
                name @ ("list" | "map") => collection(name, "string"),
                _ => tokens.to_vec(),
            }
        }
        _ => tokens.to_vec(),
    }
}
