//! JSON written byte for byte as Go's `encoding/json` writes it (`Marshal` and
//! `MarshalIndent(v, "", "  ")`): the Terraform provider renders policy documents that way, and
//! a plan is only stable when our text is the same as the one users already have in state.

/// A JSON value whose object keys keep the order they were given in (struct fields in Go's
/// declaration order; callers sort map keys themselves, as Go does).
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// A number already formatted.
    Number(String),
    Str(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    /// A parsed JSON value as Go marshals an `any` holding it: object keys sorted.
    pub fn from_serde(v: &serde_json::Value) -> Json {
        match v {
            serde_json::Value::Null => Json::Null,
            serde_json::Value::Bool(b) => Json::Bool(*b),
            serde_json::Value::Number(n) => Json::Number(n.to_string()),
            serde_json::Value::String(s) => Json::Str(s.clone()),
            serde_json::Value::Array(items) => {
                Json::Array(items.iter().map(Json::from_serde).collect())
            }
            serde_json::Value::Object(map) => {
                let mut pairs: Vec<(String, Json)> = map
                    .iter()
                    .map(|(k, v)| (k.clone(), Json::from_serde(v)))
                    .collect();
                pairs.sort_by(|a, b| a.0.cmp(&b.0));
                Json::Object(pairs)
            }
        }
    }

    /// `json.Marshal`: no whitespace.
    pub fn minified(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, None, 0);
        out
    }

    /// `json.MarshalIndent(v, "", "  ")`.
    pub fn indented(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, Some("  "), 0);
        out
    }

    fn write(&self, out: &mut String, indent: Option<&str>, depth: usize) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => out.push_str(n),
            Json::Str(s) => quote(out, s),
            Json::Array(items) => {
                if items.is_empty() {
                    out.push_str("[]");
                    return;
                }
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, indent, depth + 1);
                    item.write(out, indent, depth + 1);
                }
                newline(out, indent, depth);
                out.push(']');
            }
            Json::Object(pairs) => {
                if pairs.is_empty() {
                    out.push_str("{}");
                    return;
                }
                out.push('{');
                for (i, (k, v)) in pairs.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    newline(out, indent, depth + 1);
                    quote(out, k);
                    out.push(':');
                    if indent.is_some() {
                        out.push(' ');
                    }
                    v.write(out, indent, depth + 1);
                }
                newline(out, indent, depth);
                out.push('}');
            }
        }
    }
}

fn newline(out: &mut String, indent: Option<&str>, depth: usize) {
    if let Some(unit) = indent {
        out.push('\n');
        for _ in 0..depth {
            out.push_str(unit);
        }
    }
}

/// A string as Go quotes it: HTML-significant characters and the JavaScript line separators
/// escaped too, `\u` escapes in lowercase hex.
fn quote(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_as_go_escapes_them() {
        let s = Json::Str("a<b>&\"c\\\n\u{1}\u{2028}é".into());
        assert_eq!(
            s.minified(),
            r#""a\u003cb\u003e\u0026\"c\\\n\u0001\u2028é""#
        );
    }

    #[test]
    fn indentation_and_empty_containers_follow_marshal_indent() {
        let v = Json::Object(vec![
            ("A".into(), Json::Array(vec![])),
            ("B".into(), Json::Object(vec![])),
            (
                "C".into(),
                Json::Array(vec![Json::Str("x".into()), Json::Number("1".into())]),
            ),
        ]);
        assert_eq!(
            v.indented(),
            "{\n  \"A\": [],\n  \"B\": {},\n  \"C\": [\n    \"x\",\n    1\n  ]\n}"
        );
        assert_eq!(v.minified(), r#"{"A":[],"B":{},"C":["x",1]}"#);
    }
}
