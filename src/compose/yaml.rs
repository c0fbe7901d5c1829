//! A YAML document as a tree of nodes that keep their byte span, built from saphyr-parser's
//! events: anchors and aliases are resolved here, and so are `<<` merge keys (YAML 1.1, which
//! Compose files use and YAML 1.2 parsers leave to the application).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span};

use crate::diag::{Diagnostic, Location, SourceFile};

/// One YAML node and where it is in its file.
#[derive(Clone, Debug)]
pub struct Node {
    pub kind: Kind,
    pub span: Range<usize>,
    pub file: Arc<SourceFile>,
}

#[derive(Clone, Debug)]
pub enum Kind {
    /// A scalar's text; `plain` when unquoted (only a plain scalar can be null, a bool or a number).
    Scalar {
        text: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    /// Entries in file order, merge keys already applied.
    Map(Vec<(Node, Node)>),
}

impl Node {
    pub fn location(&self) -> Option<Location> {
        Location::new(&self.file, Some(self.span.clone()))
    }

    /// An error pointing at this node.
    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(message).at(self.location())
    }

    /// `null`, `~` or nothing at all.
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, Kind::Scalar { text, plain: true } if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    pub fn scalar(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    pub fn entries(&self) -> Option<&[(Node, Node)]> {
        match &self.kind {
            Kind::Map(e) => Some(e),
            _ => None,
        }
    }

    pub fn items(&self) -> Option<&[Node]> {
        match &self.kind {
            Kind::Seq(i) => Some(i),
            _ => None,
        }
    }

    /// The value under `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()?
            .iter()
            .find(|(k, _)| k.scalar() == Some(key))
            .map(|(_, v)| v)
    }

    /// What kind of value this is, for "expected X, found Y" messages.
    pub fn describe(&self) -> &'static str {
        match &self.kind {
            Kind::Scalar { .. } if self.is_null() => "nothing (null)",
            Kind::Scalar { .. } => "a scalar",
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a mapping",
        }
    }
}

/// Parses one YAML document. An empty file is an empty mapping.
pub fn parse(file: &Arc<SourceFile>) -> Result<Node, Diagnostic> {
    let mut builder = Builder {
        file: file.clone(),
        parser: Parser::new_from_str(&file.text),
        anchors: HashMap::new(),
        byte_of_char: byte_offsets(&file.text),
    };
    builder.document()
}

struct Builder<'a> {
    file: Arc<SourceFile>,
    parser: Parser<'a, saphyr_parser::StrInput<'a>>,
    anchors: HashMap<usize, Node>,
    byte_of_char: Option<Vec<usize>>,
}

/// Byte offset of each character index, `None` for ASCII text (where they are equal).
fn byte_offsets(text: &str) -> Option<Vec<usize>> {
    if text.is_ascii() {
        return None;
    }
    let mut v: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    v.push(text.len());
    Some(v)
}

impl<'a> Builder<'a> {
    fn byte(&self, char_index: usize) -> usize {
        match &self.byte_of_char {
            None => char_index.min(self.file.text.len()),
            Some(v) => v.get(char_index).copied().unwrap_or(self.file.text.len()),
        }
    }

    fn range(&self, span: &Span) -> Range<usize> {
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index()).max(start);
        start..end
    }

    fn syntax_error(&self, e: &ScanError) -> Diagnostic {
        let at = self.byte(e.marker().index());
        let end = (at + 1).min(self.file.text.len()).max(at);
        Diagnostic::error(format!("invalid YAML: {}", e.info()))
            .at(Location::new(&self.file, Some(at..end)))
            .hint("check the indentation and quoting around this place; a value holding `: ` or starting with `*`, `&`, `!`, `{` or `[` needs quotes")
    }

    fn next(&mut self) -> Result<(Event<'a>, Span), Diagnostic> {
        match self.parser.next_event() {
            Some(Ok(ev)) => Ok(ev),
            Some(Err(e)) => Err(self.syntax_error(&e)),
            None => Err(Diagnostic::error(
                "invalid YAML: unexpected end of the file",
            )),
        }
    }

    fn document(&mut self) -> Result<Node, Diagnostic> {
        let empty = Node {
            kind: Kind::Map(Vec::new()),
            span: 0..0,
            file: self.file.clone(),
        };
        let mut root: Option<Node> = None;
        loop {
            let (event, span) = self.next()?;
            match event {
                Event::StreamStart | Event::DocumentEnd | Event::Nothing => {}
                Event::StreamEnd => return Ok(root.unwrap_or(empty)),
                Event::DocumentStart(_) => {
                    if root.is_some() {
                        let r = self.range(&span);
                        return Err(Diagnostic::error(
                            "a compose file holds one YAML document, this is a second one",
                        )
                        .at(Location::new(&self.file, Some(r)))
                        .hint("split the documents into separate files and pass each with `-f`"));
                    }
                    let (event, span) = self.next()?;
                    let node = self.node(event, span)?;
                    root = Some(if node.is_null() { empty.clone() } else { node });
                }
                other => {
                    return Err(Diagnostic::error(format!(
                        "invalid YAML: unexpected {other:?}"
                    )))
                }
            }
        }
    }

    fn node(&mut self, event: Event<'a>, span: Span) -> Result<Node, Diagnostic> {
        let start = self.range(&span);
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                self.no_tag(tag.is_some(), &start)?;
                let node = Node {
                    kind: Kind::Scalar {
                        text: text.into_owned(),
                        plain: style == ScalarStyle::Plain,
                    },
                    span: start,
                    file: self.file.clone(),
                };
                self.remember(anchor, &node);
                Ok(node)
            }
            Event::Alias(id) => match self.anchors.get(&id) {
                Some(n) => Ok(n.clone()),
                None => Err(Diagnostic::error("alias to an unknown anchor")
                    .at(Location::new(&self.file, Some(start)))
                    .hint("define the anchor (`&name`) before the alias (`*name`) uses it")),
            },
            Event::SequenceStart(anchor, tag) => {
                self.no_tag(tag.is_some(), &start)?;
                let mut items = Vec::new();
                let end = loop {
                    let (ev, sp) = self.next()?;
                    if matches!(ev, Event::SequenceEnd) {
                        break self.range(&sp).end;
                    }
                    items.push(self.node(ev, sp)?);
                };
                let node = Node {
                    kind: Kind::Seq(items),
                    span: start.start..end.max(start.end),
                    file: self.file.clone(),
                };
                self.remember(anchor, &node);
                Ok(node)
            }
            Event::MappingStart(anchor, tag) => {
                self.no_tag(tag.is_some(), &start)?;
                let mut own: Vec<(Node, Node)> = Vec::new();
                let mut merged: Vec<(Node, Node)> = Vec::new();
                let end = loop {
                    let (ev, sp) = self.next()?;
                    if matches!(ev, Event::MappingEnd) {
                        break self.range(&sp).end;
                    }
                    let key = self.node(ev, sp)?;
                    let (ev, sp) = self.next()?;
                    let value = self.node(ev, sp)?;
                    if matches!(&key.kind, Kind::Scalar { text, plain: true } if text == "<<") {
                        merge_sources(&value, &mut merged)?;
                        continue;
                    }
                    if key.scalar().is_none() {
                        return Err(
                            key.error("a mapping key must be a plain value, not a list or mapping")
                        );
                    }
                    if let Some((first, _)) = own.iter().find(|(k, _)| k.scalar() == key.scalar()) {
                        let (line, _) = self.file.line_col(first.span.start);
                        return Err(key
                            .error(format!(
                                "duplicate key `{}` (first given on line {line})",
                                key.scalar().unwrap_or_default()
                            ))
                            .hint("keep one of the two"));
                    }
                    own.push((key, value));
                };
                // Keys written in the mapping win over merged ones; among merged mappings
                // the first listed wins (YAML merge key rules).
                for (k, v) in merged {
                    if !own.iter().any(|(o, _)| o.scalar() == k.scalar()) {
                        own.push((k, v));
                    }
                }
                let node = Node {
                    kind: Kind::Map(own),
                    span: start.start..end.max(start.end),
                    file: self.file.clone(),
                };
                self.remember(anchor, &node);
                Ok(node)
            }
            other => Err(
                Diagnostic::error(format!("invalid YAML: unexpected {other:?}"))
                    .at(Location::new(&self.file, Some(start))),
            ),
        }
    }

    fn no_tag(&self, tagged: bool, at: &Range<usize>) -> Result<(), Diagnostic> {
        if tagged {
            return Err(
                Diagnostic::error("YAML tags (`!name`) are not supported by labform yet")
                    .at(Location::new(&self.file, Some(at.clone())))
                    .hint("remove the tag; Compose's `!reset` and `!override` are not implemented"),
            );
        }
        Ok(())
    }

    fn remember(&mut self, anchor: usize, node: &Node) {
        if anchor > 0 {
            self.anchors.insert(anchor, node.clone());
        }
    }
}

/// The entries a `<<` value brings: a mapping, or a list of mappings (earlier ones win).
fn merge_sources(value: &Node, into: &mut Vec<(Node, Node)>) -> Result<(), Diagnostic> {
    let mut add = |m: &Node| -> Result<(), Diagnostic> {
        let entries = m.entries().ok_or_else(|| {
            m.error(format!(
                "a `<<` merge key takes a mapping or a list of mappings, found {}",
                m.describe()
            ))
            .hint("write `<<: *anchor` where `&anchor` marks a mapping")
        })?;
        for (k, v) in entries {
            if !into.iter().any(|(o, _)| o.scalar() == k.scalar()) {
                into.push((k.clone(), v.clone()));
            }
        }
        Ok(())
    };
    match &value.kind {
        Kind::Seq(items) => items.iter().try_for_each(&mut add),
        _ => add(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Node, Diagnostic> {
        let file = SourceFile::new("compose.yaml".into(), "compose.yaml".into(), text.into());
        parse(&file)
    }

    fn position(d: &Diagnostic) -> String {
        d.location.as_ref().map(|l| l.short()).unwrap_or_default()
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let n = load(
            "x-common: &common\n  image: app\n  environment: &env\n    A: '1'\nservices:\n  web:\n    <<: *common\n    image: web\n  worker:\n    <<: [*common]\n    environment: *env\n",
        )
        .unwrap();
        let services = n.get("services").unwrap();
        let web = services.get("web").unwrap();
        assert_eq!(web.get("image").unwrap().scalar(), Some("web"));
        assert_eq!(
            web.get("environment").unwrap().get("A").unwrap().scalar(),
            Some("1")
        );
        let worker = services.get("worker").unwrap();
        assert_eq!(worker.get("image").unwrap().scalar(), Some("app"));
    }

    #[test]
    fn spans_are_byte_offsets_even_after_non_ascii_text() {
        let n = load("# café ☕\nservices:\n  db: {image: x}\n").unwrap();
        let db = n.get("services").unwrap().get("db").unwrap();
        let image = db.get("image").unwrap();
        assert_eq!(position(&image.error("x")), "compose.yaml:3:15");
    }

    #[test]
    fn malformed_yaml_points_at_line_and_column() {
        let e = load("services:\n  db:\n    image: \"x\n").unwrap_err();
        assert!(e.message.starts_with("invalid YAML"), "{}", e.message);
        assert!(position(&e).starts_with("compose.yaml:"), "{e}");
        let e = load("services:\n  db:\n image: x\n   ports: [1\n").unwrap_err();
        assert!(position(&e).starts_with("compose.yaml:"), "{e}");
    }

    #[test]
    fn duplicate_keys_and_bad_merges_are_errors_at_their_place() {
        let e = load("services:\n  a: {}\n  a: {}\n").unwrap_err();
        assert_eq!(position(&e), "compose.yaml:3:3");
        assert!(e.message.contains("first given on line 2"), "{}", e.message);
        let e = load("x: &a [1]\ny:\n  <<: *a\n").unwrap_err();
        assert!(position(&e).starts_with("compose.yaml:1:"), "{e}");
        let e = load("y: *nope\n").unwrap_err();
        assert!(e.message.contains("invalid YAML") || e.message.contains("unknown anchor"));
        let e = load("y: !reset []\n").unwrap_err();
        assert!(e.message.contains("tags"), "{}", e.message);
    }

    #[test]
    fn empty_file_is_an_empty_mapping_and_two_documents_are_refused() {
        assert!(load("").unwrap().entries().unwrap().is_empty());
        let e = load("a: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!(position(&e), "compose.yaml:2:1");
    }
}
