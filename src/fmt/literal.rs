//! HCL literal text for values: strings quoted so nothing in them is interpolated, numbers,
//! lists and objects. Used wherever labform writes configuration (`convert`,
//! `plan -generate-config-out`); the result is then laid out by [`super::format_source`].

use labform_sdk::Value;

/// A quoted HCL string: escapes, and `${` / `%{` doubled so nothing is interpolated.
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An object key: bare when it is an identifier, quoted otherwise (`"labform-stack"` is fine
/// bare in HCL, but a key like `a.b` or `1x` is not).
pub fn key(k: &str) -> String {
    let bare = k.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        // A keyword first in an object would start a `for` expression or be read as a literal.
        && !matches!(k, "for" | "if" | "in" | "null" | "true" | "false");
    if bare {
        k.to_string()
    } else {
        quoted(k)
    }
}

/// A value as an HCL expression; objects and non-empty lists of objects span lines, indented
/// by `indent` levels of two spaces. `Unknown` never reaches here (it is not a literal) and is
/// written as `null`.
pub fn value(v: &Value, indent: usize) -> String {
    match v {
        Value::Null | Value::Unknown => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
        Value::Number(n) => n.to_string(),
        Value::String(s) => quoted(s),
        Value::List(items) if items.is_empty() => "[]".into(),
        Value::List(items) if items.iter().all(is_scalar) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| value(i, indent))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::List(items) => {
            let pad = "  ".repeat(indent + 1);
            let body: Vec<String> = items
                .iter()
                .map(|i| format!("{pad}{},\n", value(i, indent + 1)))
                .collect();
            format!("[\n{}{}]", body.concat(), "  ".repeat(indent))
        }
        Value::Object(m) if m.is_empty() => "{}".into(),
        Value::Object(m) => {
            let pad = "  ".repeat(indent + 1);
            let body: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{pad}{} = {}\n", key(k), value(v, indent + 1)))
                .collect();
            format!("{{\n{}{}}}", body.concat(), "  ".repeat(indent))
        }
    }
}

fn is_scalar(v: &Value) -> bool {
    !matches!(v, Value::List(_) | Value::Object(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_never_interpolated() {
        assert_eq!(quoted("a${b}%{c}\"\n"), r#""a$${b}%%{c}\"\n""#);
    }

    #[test]
    fn keys_are_bare_only_when_they_can_be() {
        assert_eq!(key("managed-by"), "managed-by");
        assert_eq!(key("a.b"), "\"a.b\"");
        assert_eq!(key("1x"), "\"1x\"");
        assert_eq!(key("for"), "\"for\"");
    }

    #[test]
    fn nested_values_render_as_parseable_hcl() {
        let v = Value::Object(
            [
                ("n".to_string(), Value::Number(3.0)),
                ("f".to_string(), Value::Number(0.5)),
                (
                    "l".to_string(),
                    Value::List(vec![Value::String("x".into()), Value::Bool(true)]),
                ),
            ]
            .into(),
        );
        let text = format!("a = {}\n", value(&v, 0));
        assert_eq!(text, "a = {\n  f = 0.5\n  l = [\"x\", true]\n  n = 3\n}\n");
        assert!(hcl_edit::parser::parse_body(&text).is_ok());
    }
}
