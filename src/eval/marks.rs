//! Sensitivity marks: which parts of a value are sensitive, carried beside the value (as
//! Terraform's marks are) through every expression, into plans and into state.

use std::collections::BTreeSet;

use labform_sdk::Value;
use serde::{Deserialize, Serialize};

/// A path into a value: attribute or map keys, list indexes as decimal text (the shape state's
/// `sensitive_attributes` records). The empty path is the whole value.
pub type MarkPath = Vec<String>;

/// The sensitive parts of one value. A path below another marked path is never kept: the
/// parent covers it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Marks(BTreeSet<MarkPath>);

impl Marks {
    pub fn none() -> Marks {
        Marks::default()
    }

    /// The whole value is sensitive.
    pub fn whole() -> Marks {
        Marks(BTreeSet::from([Vec::new()]))
    }

    pub fn whole_if(sensitive: bool) -> Marks {
        if sensitive {
            Marks::whole()
        } else {
            Marks::none()
        }
    }

    pub fn from_paths<'a>(paths: impl IntoIterator<Item = &'a Vec<String>>) -> Marks {
        let mut m = Marks::none();
        for p in paths {
            m.insert(p.clone());
        }
        m
    }

    pub fn paths(&self) -> impl Iterator<Item = &MarkPath> {
        self.0.iter()
    }

    pub fn to_paths(&self) -> Vec<Vec<String>> {
        self.0.iter().cloned().collect()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value itself (not only a part of it) is sensitive.
    pub fn is_whole(&self) -> bool {
        self.0.contains(&Vec::new())
    }

    pub fn insert(&mut self, path: MarkPath) {
        if self.covers(&path) {
            return;
        }
        self.0.retain(|p| !p.starts_with(&path));
        self.0.insert(path);
    }

    /// Whether `path` or a parent of it is marked.
    pub fn covers(&self, path: &[String]) -> bool {
        self.0.iter().any(|p| path.starts_with(p))
    }

    /// The marks of the part at `step` (a key or an index): all of it when this value is marked
    /// as a whole.
    pub fn child(&self, step: &str) -> Marks {
        if self.is_whole() {
            return Marks::whole();
        }
        Marks(
            self.0
                .iter()
                .filter(|p| p.first().map(String::as_str) == Some(step))
                .map(|p| p[1..].to_vec())
                .collect(),
        )
    }

    /// Puts the marks of a part under `step`.
    pub fn nest(&mut self, step: &str, child: &Marks) {
        for p in &child.0 {
            let mut path = Vec::with_capacity(p.len() + 1);
            path.push(step.to_string());
            path.extend(p.iter().cloned());
            self.insert(path);
        }
    }

    pub fn union(&mut self, other: &Marks) {
        for p in &other.0 {
            self.insert(p.clone());
        }
    }

    /// The whole value when any part is marked: what operators, templates and functions make
    /// of their operands, whose parts they mix.
    pub fn collapsed(&self) -> Marks {
        Marks::whole_if(!self.is_empty())
    }
}

/// A value with its marks: what the evaluator computes. Providers only ever see `value`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Marked {
    pub value: Value,
    pub marks: Marks,
}

impl Marked {
    pub fn new(value: Value, marks: Marks) -> Marked {
        Marked { value, marks }
    }

    /// A value with nothing sensitive in it.
    pub fn plain(value: Value) -> Marked {
        Marked {
            value,
            marks: Marks::none(),
        }
    }

    /// True when any part of the value is sensitive.
    pub fn is_marked(&self) -> bool {
        !self.marks.is_empty()
    }

    /// The whole value marked when any part of it is.
    pub fn collapsed(self) -> Marked {
        let marks = self.marks.collapsed();
        Marked {
            value: self.value,
            marks,
        }
    }

    /// With `extra` marks added on top.
    pub fn with(mut self, extra: &Marks) -> Marked {
        self.marks.union(extra);
        self
    }
}

impl From<Value> for Marked {
    fn from(value: Value) -> Self {
        Marked::plain(value)
    }
}

/// The text of every sensitive scalar in `value` (strings, and numbers and bools as text), for
/// scrubbing messages that might quote them.
pub fn secret_texts(value: &Value, marks: &Marks) -> Vec<String> {
    let mut out = Vec::new();
    collect(value, marks, &mut Vec::new(), false, &mut out);
    out.sort_by_key(|s| std::cmp::Reverse(s.len()));
    out.dedup();
    out
}

fn collect(v: &Value, marks: &Marks, path: &mut Vec<String>, covered: bool, out: &mut Vec<String>) {
    let covered = covered || marks.covers(path);
    match v {
        Value::String(s) if covered && !s.is_empty() => out.push(s.clone()),
        Value::Number(n) if covered => out.push(labform_sdk::value::format_number(*n)),
        Value::List(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                collect(item, marks, path, covered, out);
                path.pop();
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                path.push(k.clone());
                collect(item, marks, path, covered, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// `text` with every occurrence of a secret replaced by `(sensitive value)`.
pub fn scrub(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for s in secrets {
        if !s.is_empty() {
            out = out.replace(s.as_str(), "(sensitive value)");
        }
    }
    out
}

/// The value with every marked part (known and not null) replaced by the text
/// `(sensitive value)`: what printers show.
pub fn redact(value: &Value, marks: &Marks) -> Value {
    redact_at(value, marks, &mut Vec::new())
}

fn redact_at(v: &Value, marks: &Marks, path: &mut Vec<String>) -> Value {
    // An unknown value holds no secret yet; plans show it as unknown.
    if marks.covers(path) && !v.is_null() && !v.is_unknown() {
        return Value::String(SENSITIVE.to_string());
    }
    match v {
        Value::List(items) => Value::List(
            items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    path.push(i.to_string());
                    let r = redact_at(item, marks, path);
                    path.pop();
                    r
                })
                .collect(),
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, item)| {
                    path.push(k.clone());
                    let r = redact_at(item, marks, path);
                    path.pop();
                    (k.clone(), r)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// What printers show in place of a sensitive value.
pub const SENSITIVE: &str = "(sensitive value)";

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_parent_mark_covers_its_children() {
        let mut m = Marks::from_paths(&[path(&["a", "b"]), path(&["c"])]);
        assert!(m.covers(&path(&["a", "b", "0"])));
        assert!(!m.covers(&path(&["a"])));
        m.insert(path(&["a"]));
        assert_eq!(m.to_paths(), vec![path(&["a"]), path(&["c"])]);
        assert_eq!(m.child("a"), Marks::whole());
        assert!(m.child("z").is_empty());
    }

    #[test]
    fn nesting_and_children_round_trip() {
        let mut m = Marks::none();
        m.nest("1", &Marks::whole());
        assert_eq!(m.to_paths(), vec![path(&["1"])]);
        assert!(m.child("0").is_empty());
        assert!(m.child("1").is_whole());
        assert!(m.collapsed().is_whole());
    }

    #[test]
    fn redaction_and_secrets_follow_the_paths() {
        let v = Value::from_pairs([
            ("pw", Value::from("hunter22")),
            ("user", Value::from("bob")),
            (
                "list",
                Value::List(vec![Value::from("x"), Value::Number(42.0)]),
            ),
        ]);
        let m = Marks::from_paths(&[path(&["pw"]), path(&["list", "1"])]);
        let r = redact(&v, &m);
        assert_eq!(r.get("pw"), &Value::from(SENSITIVE));
        assert_eq!(r.get("user"), &Value::from("bob"));
        assert_eq!(
            secret_texts(&v, &m),
            vec!["hunter22".to_string(), "42".to_string()]
        );
        assert_eq!(
            scrub("bad hunter22!", &secret_texts(&v, &m)),
            "bad (sensitive value)!"
        );
    }
}
