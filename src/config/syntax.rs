//! HCL text parsed the way Terraform reads it: hcl-edit's parser, then Terraform's whitespace
//! rules for templates (`~` strip markers and `<<-` flush heredocs) applied once to the literals.
//!
//! Terraform applies both rules to the template's *tokens*, before evaluation: a heredoc or
//! template file is a sequence of one-line literal tokens, a `~` trims only the literal token
//! next to it, and a `<<-` heredoc strips the smallest indentation of the literal tokens that
//! begin a line after trimming (a directive or interpolation that begins a line counts as no
//! indentation). hcl-edit dedents a `<<-` heredoc's top-level text by its own rule and leaves
//! the strip markers to the evaluator, which cannot reproduce Terraform's results once the
//! directives' bodies are rendered; so the literals are rebuilt here from the source and the
//! evaluator renders them as they are.

use hcl_edit::expr::Expression;
use hcl_edit::parser::Error;
use hcl_edit::structure::Body;
use hcl_edit::template::{Directive, Element, HeredocTemplate, StringTemplate, Template};
use hcl_edit::visit_mut::{self, VisitMut};
use hcl_edit::{Span, Spanned};

/// Parses a whole file (`*.tf`, `*.tfvars`).
pub fn parse_body(text: &str) -> Result<Body, Error> {
    let mut body = hcl_edit::parser::parse_body(text)?;
    Whitespace { source: text }.visit_body_mut(&mut body);
    Ok(body)
}

/// Parses one expression (console input, a `-var` value).
pub fn parse_expr(text: &str) -> Result<Expression, Error> {
    let mut expr = hcl_edit::parser::parse_expr(text)?;
    Whitespace { source: text }.visit_expr_mut(&mut expr);
    Ok(expr)
}

/// Parses a template file (`templatefile`): literal lines as in a heredoc, without the flush.
pub fn parse_template(text: &str) -> Result<Template, Error> {
    let mut template = hcl_edit::parser::parse_template(text)?;
    let mut visitor = Whitespace { source: text };
    visitor.visit_template_mut(&mut template);
    apply(&mut template, Mode::Lines, None);
    Ok(template)
}

struct Whitespace<'s> {
    source: &'s str,
}

impl VisitMut for Whitespace<'_> {
    fn visit_string_template_mut(&mut self, node: &mut StringTemplate) {
        visit_mut::visit_string_template_mut(self, node);
        let mut tokens = Vec::new();
        for element in node.iter_mut() {
            flatten(element, &mut tokens);
        }
        rewrite(tokens, Mode::Quoted, None);
    }

    fn visit_heredoc_template_mut(&mut self, node: &mut HeredocTemplate) {
        visit_mut::visit_heredoc_template_mut(self, node);
        let flush = node.indent().is_some()
            || node
                .span()
                .and_then(|s| self.source.get(s))
                .is_some_and(|s| s.starts_with("<<-"));
        let source = flush.then_some(self.source);
        apply(
            &mut node.template,
            if flush { Mode::Flush } else { Mode::Lines },
            source,
        );
    }
}

/// How a template's literals split into Terraform's literal tokens.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// A quoted string: each literal is one token.
    Quoted,
    /// A heredoc or template file: one token per line.
    Lines,
    /// A `<<-` heredoc: one token per line, then the common indentation stripped.
    Flush,
}

fn apply(template: &mut Template, mode: Mode, source: Option<&str>) {
    let mut tokens = Vec::new();
    for element in template.iter_mut() {
        flatten(element, &mut tokens);
    }
    rewrite(tokens, mode, source);
}

/// One of Terraform's template tokens: a literal (to be rewritten), or a marker (`${`, `%{`)
/// with its strip flags.
enum Token<'a> {
    Literal(&'a mut Spanned<String>),
    Marker {
        strip_before: bool,
        strip_after: bool,
    },
}

/// The template's tokens in source order, directive bodies included.
fn flatten<'a>(element: &'a mut Element, out: &mut Vec<Token<'a>>) {
    let marker = |s: hcl_edit::template::Strip| Token::Marker {
        strip_before: s.strip_start(),
        strip_after: s.strip_end(),
    };
    match element {
        Element::Literal(l) => out.push(Token::Literal(l)),
        Element::Interpolation(i) => out.push(marker(i.strip)),
        Element::Directive(d) => match d.as_mut() {
            Directive::If(d) => {
                out.push(marker(d.if_expr.strip));
                for e in d.if_expr.template.iter_mut() {
                    flatten(e, out);
                }
                if let Some(e) = &mut d.else_expr {
                    out.push(marker(e.strip));
                    for e in e.template.iter_mut() {
                        flatten(e, out);
                    }
                }
                out.push(marker(d.endif_expr.strip));
            }
            Directive::For(d) => {
                out.push(marker(d.for_expr.strip));
                for e in d.for_expr.template.iter_mut() {
                    flatten(e, out);
                }
                out.push(marker(d.endfor_expr.strip));
            }
        },
    }
}

/// A literal token's place: which element, and its text.
enum Item {
    Piece(usize, String),
    Marker,
}

fn rewrite(tokens: Vec<Token<'_>>, mode: Mode, source: Option<&str>) {
    let mut literals = Vec::new();
    let mut items = Vec::new();
    let mut ltrim_next = false;
    for token in tokens {
        let ltrim = std::mem::take(&mut ltrim_next);
        match token {
            Token::Literal(lit) => {
                let text = source
                    .and_then(|s| raw_literal(s, &*lit))
                    .unwrap_or_else(|| lit.as_str().to_string());
                let index = literals.len();
                literals.push(lit);
                let pieces: Vec<String> = if mode == Mode::Quoted {
                    vec![text]
                } else {
                    text.split_inclusive('\n').map(str::to_string).collect()
                };
                for (n, mut piece) in pieces.into_iter().enumerate() {
                    if n == 0 && ltrim {
                        piece = piece.trim_start().to_string();
                    }
                    items.push(Item::Piece(index, piece));
                }
            }
            Token::Marker {
                strip_before,
                strip_after,
            } => {
                if strip_before {
                    if let Some(Item::Piece(_, p)) = items.last_mut() {
                        p.truncate(p.trim_end().len());
                    }
                }
                ltrim_next = strip_after;
                items.push(Item::Marker);
            }
        }
    }
    if mode == Mode::Flush {
        flush(&mut items);
    }
    let mut texts = vec![String::new(); literals.len()];
    for item in items {
        if let Item::Piece(i, p) = item {
            texts[i].push_str(&p);
        }
    }
    for (lit, text) in literals.into_iter().zip(texts) {
        *lit.as_mut() = text;
    }
}

/// Terraform's flush: the least indentation of the tokens that begin a line (blank lines aside;
/// a marker at a line's start counts as none) is removed from each of them.
fn flush(items: &mut [Item]) {
    let mut least = usize::MAX;
    let mut adjust = Vec::new();
    let mut newline = true;
    for (n, item) in items.iter().enumerate() {
        if std::mem::take(&mut newline) {
            match item {
                Item::Piece(_, p) => {
                    let rest = p.trim_start();
                    if !(rest.is_empty() && p.ends_with('\n')) {
                        least = least.min(p[..p.len() - rest.len()].chars().count());
                        adjust.push(n);
                    }
                }
                Item::Marker => least = 0,
            }
        }
        if let Item::Piece(_, p) = item {
            newline = p.ends_with('\n');
        }
    }
    if least == 0 || least == usize::MAX {
        return;
    }
    for n in adjust {
        if let Item::Piece(_, p) = &mut items[n] {
            let cut: usize = p.chars().take(least).map(char::len_utf8).sum();
            p.drain(..cut);
        }
    }
}

/// A heredoc literal as written (hcl-edit has dedented the top-level ones), with the two
/// heredoc escapes `$${` and `%%{` decoded.
fn raw_literal(source: &str, lit: &Spanned<String>) -> Option<String> {
    let text = source.get(lit.span()?)?;
    Some(text.replace("$${", "${").replace("%%{", "%{"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literals(expr: &Expression) -> Vec<String> {
        let Expression::HeredocTemplate(h) = expr else {
            panic!("not a heredoc")
        };
        h.template
            .iter()
            .filter_map(|e| e.as_literal().map(|l| l.as_str().to_string()))
            .collect()
    }

    #[test]
    fn flush_keeps_indentation_relative_to_directive_lines() {
        let e = parse_expr("<<-EOT\n    start\n      %{ for x in y ~}\n      item\n      %{ endfor ~}\n    end\n  EOT").unwrap();
        assert_eq!(literals(&e), ["start\n  ", "    end\n"]);
    }

    #[test]
    fn strip_trims_only_the_next_line() {
        let e = parse_expr("<<EOT\na ${b ~}\n\n  c\nEOT").unwrap();
        assert_eq!(literals(&e), ["a ", "\n  c\n"]);
    }

    #[test]
    fn quoted_strings_strip_the_whole_literal() {
        let e = parse_expr(r#""a ${b ~}\n\n  c""#).unwrap();
        let Expression::StringTemplate(t) = e else {
            panic!("not a template")
        };
        let lits: Vec<_> = t
            .iter()
            .filter_map(|e| e.as_literal().map(|l| l.as_str().to_string()))
            .collect();
        assert_eq!(lits, ["a ", "c"]);
    }

    #[test]
    fn a_line_starting_with_an_interpolation_stops_the_flush() {
        let e = parse_expr("<<-EOT\n    a\n${b}\nEOT").unwrap();
        assert_eq!(literals(&e), ["    a\n", "\n"]);
    }
}
