//! The rule deciding whether one space or none separates two tokens on the same line, as
//! `terraform fmt` decides it.

use super::token::{Kind, Token};

/// Whether `subject` is followed by a space when `after` comes next; `before` is the token
/// preceding `subject` in the same cell, None at the start of a cell.
pub(super) fn space_after(subject: &Token, before: Option<&Token>, after: &Token) -> bool {
    use Kind::*;
    let s = subject.kind;
    let a = after.kind;
    match () {
        // Never a space before the end of a line.
        _ if a == Newline || a == Eof => false,
        // A function name stays against its parenthesis, namespace parts against `::`.
        _ if s == Ident && a == OParen => false,
        _ if (s == Ident && a == DoubleColon) || (s == DoubleColon && a == Ident) => false,
        _ if s == Dot || a == Dot => false,
        _ if a == Comma || a == Ellipsis => false,
        _ if s == Comma => true,
        // Template text is never padded: its spaces are part of the string.
        _ if matches!(s, QuotedLit | StringLit | OQuote | OHeredoc)
            || matches!(a, QuotedLit | StringLit | CQuote | CHeredoc) =>
        {
            false
        }
        // `for x in [foo]`: `in` is the keyword, not a value being indexed.
        _ if subject.is_keyword("in") && before.is_some_and(|b| b.kind == Ident) => true,
        _ if a == OBrack && (s == Ident || s == NumberLit || subject.bracket_change() < 0) => false,
        _ if s == Bang => false,
        _ if s == Minus => minus_is_binary(before),
        // Braces are padded inside (`{ a = 1 }`), except an empty pair (`{}`).
        _ if s == OBrace || a == CBrace => !(s == OBrace && a == CBrace),
        _ if (s == TemplateInterp || s == TemplateControl) && a == OBrace => true,
        _ if s == CBrace && a == TemplateSeqEnd => true,
        _ if s == TemplateSeqEnd && (a == TemplateInterp || a == TemplateControl) => false,
        _ if subject.bracket_change() > 0 => false,
        _ if after.bracket_change() < 0 => false,
        _ => true,
    }
}

/// A minus is a subtraction (spaced) unless what precedes it cannot end an operand, in
/// which case it negates what follows (unspaced).
fn minus_is_binary(before: Option<&Token>) -> bool {
    use Kind::*;
    match before {
        None => false,
        Some(b) => !matches!(
            b.kind,
            OParen
                | OBrace
                | OBrack
                | Equal
                | Colon
                | Comma
                | Question
                | Plus
                | Star
                | Slash
                | Percent
                | Minus
                | EqualOp
                | NotEqual
                | GreaterThan
                | GreaterThanEq
                | LessThan
                | LessThanEq
                | And
                | Or
                | Bang
        ),
    }
}
