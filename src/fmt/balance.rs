//! Every bracket, quote, heredoc and template sequence of the token stream closes with its
//! own kind, as the native parser demands. This backs up the syntax check where it reads
//! heredocs more loosely than Terraform does, so that a file Terraform would reject is
//! never rewritten.

use super::scan::ScanError;
use super::token::{Kind, Token};

pub(super) fn check(tokens: &[Token]) -> Result<(), ScanError> {
    let mut open: Vec<(Kind, usize)> = Vec::new();
    let mut offset = 0;
    for token in tokens {
        offset += token.spaces;
        let closes = match token.kind {
            Kind::CParen => Some(Kind::OParen),
            Kind::CBrack => Some(Kind::OBrack),
            Kind::CBrace => Some(Kind::OBrace),
            Kind::CQuote => Some(Kind::OQuote),
            Kind::CHeredoc => Some(Kind::OHeredoc),
            Kind::TemplateSeqEnd => None,
            Kind::OParen
            | Kind::OBrack
            | Kind::OBrace
            | Kind::OQuote
            | Kind::OHeredoc
            | Kind::TemplateInterp
            | Kind::TemplateControl => {
                open.push((token.kind, offset));
                offset += token.text.len();
                continue;
            }
            _ => {
                offset += token.text.len();
                continue;
            }
        };
        let matched = match (open.pop(), closes) {
            (Some((kind, _)), Some(want)) => kind == want,
            (Some((kind, _)), None) => {
                matches!(kind, Kind::TemplateInterp | Kind::TemplateControl)
            }
            (None, _) => false,
        };
        if !matched {
            return Err(ScanError {
                offset,
                message: format!("unbalanced `{}`", token.text.trim()),
            });
        }
        offset += token.text.len();
    }
    match open.last() {
        Some((kind, start)) => Err(ScanError {
            offset: *start,
            message: format!("{} is never closed", describe(*kind)),
        }),
        None => Ok(()),
    }
}

fn describe(kind: Kind) -> &'static str {
    match kind {
        Kind::OParen => "`(`",
        Kind::OBrack => "`[`",
        Kind::OBrace => "`{`",
        Kind::OQuote => "the string",
        Kind::OHeredoc => "the heredoc",
        _ => "the template sequence",
    }
}
