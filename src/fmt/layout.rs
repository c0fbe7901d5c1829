//! Horizontal layout of a token stream as `terraform fmt` (hclwrite) does it: indentation
//! by bracket nesting, single spaces between tokens, and alignment of the `=` of
//! consecutive attribute lines and of consecutive trailing comments. Only the spaces before
//! tokens change; line breaks and token text are kept as they are.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use super::spacing::space_after;
use super::token::{Kind, Token};

/// One line split into cells whose first tokens get aligned with neighbouring lines:
/// `lead` (always), `assign` (from a `=` whose right side closes every bracket it opens)
/// and `comment` (a single-line comment ending a line that has other tokens).
struct Line {
    lead: Range<usize>,
    assign: Option<Range<usize>>,
    comment: Option<Range<usize>>,
}

/// Rewrites the spaces before every token of `tokens` (which ends with `Eof`).
pub(super) fn layout(tokens: &mut [Token]) {
    let lines = split_lines(tokens);
    indent(tokens, &lines);
    space(tokens, &lines);
    align(tokens, &lines);
}

fn net_brackets(tokens: &[Token]) -> i32 {
    tokens.iter().map(Token::bracket_change).sum()
}

/// Display width of a cell as the columns it takes: spaces plus grapheme clusters.
fn columns(tokens: &[Token]) -> usize {
    tokens
        .iter()
        .map(|t| t.spaces + t.text.graphemes(true).count())
        .sum()
}

fn split_lines(tokens: &[Token]) -> Vec<Line> {
    let mut ranges = Vec::new();
    let mut start = 0;
    for (i, token) in tokens.iter().enumerate() {
        if token.kind == Kind::Eof {
            break;
        }
        if token.ends_line() {
            ranges.push(start..i + 1);
            start = i + 1;
        }
    }
    let end = tokens
        .iter()
        .position(|t| t.kind == Kind::Eof)
        .unwrap_or(tokens.len());
    ranges.push(start..end.max(start));

    ranges
        .into_iter()
        .map(|range| {
            let mut line = Line {
                lead: range.clone(),
                assign: None,
                comment: None,
            };
            if range.len() > 1 && tokens[range.end - 1].kind == Kind::Comment {
                line.comment = Some(range.end - 1..range.end);
                line.lead = range.start..range.end - 1;
            }
            let lead_end = line.lead.end;
            let equals = (line.lead.start + 1..lead_end).find(|&i| tokens[i].kind == Kind::Equal);
            if let Some(eq) = equals {
                // Only a right side that closes what it opens is a whole one-line value;
                // `a = {` starts a multi-line one and takes no part in alignment.
                if net_brackets(&tokens[eq..lead_end]) == 0 {
                    line.assign = Some(eq..lead_end);
                    line.lead = line.lead.start..eq;
                }
            }
            line
        })
        .collect()
}

fn indent(tokens: &mut [Token], lines: &[Line]) {
    // Each entry is the count of brackets a line left open; a closing line pops entries
    // until it has used up its closers, so unbalanced lines cannot drift the indentation.
    let mut stack: Vec<i32> = Vec::new();
    for line in lines {
        if line.lead.is_empty() {
            continue;
        }
        let first = line.lead.start;
        if tokens[first].kind == Kind::Newline {
            tokens[first].spaces = 0;
            continue;
        }
        let mut net = 0;
        for token in &tokens[line.lead.clone()] {
            net += token.bracket_change();
            if token.kind == Kind::OHeredoc {
                break;
            }
        }
        if let Some(assign) = &line.assign {
            net += net_brackets(&tokens[assign.clone()]);
        }
        if net > 0 {
            tokens[first].spaces = 2 * stack.len();
            stack.push(net);
            continue;
        }
        let mut closed = -net;
        while closed > 0 {
            let Some(top) = stack.last_mut() else { break };
            if closed >= *top {
                closed -= *top;
                stack.pop();
            } else {
                *top -= closed;
                closed = 0;
            }
        }
        tokens[first].spaces = 2 * stack.len();
    }
}

fn space(tokens: &mut [Token], lines: &[Line]) {
    for line in lines {
        space_cell(tokens, line.lead.clone());
        if let Some(assign) = &line.assign {
            // The `=` is always set off from the name it follows.
            tokens[assign.start].spaces = 1;
            space_cell(tokens, assign.clone());
        }
    }
}

fn space_cell(tokens: &mut [Token], cell: Range<usize>) {
    for i in cell.start..cell.end.saturating_sub(1) {
        let before = (i > cell.start).then(|| &tokens[i - 1]);
        let spaced = space_after(&tokens[i], before, &tokens[i + 1]);
        tokens[i + 1].spaces = usize::from(spaced);
    }
}

fn align(tokens: &mut [Token], lines: &[Line]) {
    // The `=` first: moving it moves the trailing comments too.
    for chain in chains(lines, |l| l.assign.is_some()) {
        let widths: Vec<usize> = chain
            .iter()
            .map(|l| columns(&tokens[l.lead.clone()]))
            .collect();
        let widest = widths.iter().copied().max().unwrap_or(0);
        for (line, width) in chain.iter().zip(widths) {
            if let Some(assign) = &line.assign {
                tokens[assign.start].spaces = widest - width + 1;
            }
        }
    }
    for chain in chains(lines, |l| l.comment.is_some()) {
        let widths: Vec<usize> = chain
            .iter()
            .map(|l| {
                let assign = l.assign.clone().map_or(0, |a| columns(&tokens[a]));
                columns(&tokens[l.lead.clone()]) + assign
            })
            .collect();
        let widest = widths.iter().copied().max().unwrap_or(0);
        for (line, width) in chain.iter().zip(widths) {
            if let Some(comment) = &line.comment {
                tokens[comment.start].spaces = widest - width + 1;
            }
        }
    }
}

/// Runs of consecutive lines that all have the cell `has` looks for.
fn chains(lines: &[Line], has: impl Fn(&Line) -> bool) -> Vec<&[Line]> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, line) in lines.iter().enumerate() {
        match (has(line), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(&lines[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&lines[s..]);
    }
    out
}
