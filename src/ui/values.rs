//! Values rendered the way Terraform shows them in plans and outputs.

use labform_sdk::value::format_number;
use labform_sdk::Value;

use crate::eval::marks::SENSITIVE;
use crate::eval::Marks;

/// A value as HCL-like text, nested values indented by `indent` spaces per level.
pub fn render(v: &Value, indent: usize) -> String {
    render_marked(v, &Marks::none(), indent)
}

/// Like [`render`], with `(sensitive value)` in place of every marked part that is not null.
pub fn render_marked(v: &Value, marks: &Marks, indent: usize) -> String {
    if marks.is_whole() && !v.is_null() {
        return SENSITIVE.into();
    }
    match v {
        Value::Null => "null".into(),
        Value::Unknown => "(known after apply)".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format_number(*n),
        Value::String(s) if s.contains('\n') && !s.trim_end().is_empty() => heredoc(s, indent),
        Value::String(s) => quote(s),
        Value::List(items) if items.is_empty() => "[]".into(),
        Value::List(items) => {
            let pad = " ".repeat(indent + 4);
            let mut s = String::from("[\n");
            for (i, item) in items.iter().enumerate() {
                let m = marks.child(&i.to_string());
                s.push_str(&format!("{pad}{},\n", render_marked(item, &m, indent + 4)));
            }
            s.push_str(&format!("{}]", " ".repeat(indent)));
            s
        }
        Value::Object(map) if map.is_empty() => "{}".into(),
        Value::Object(map) => {
            let pad = " ".repeat(indent + 4);
            let width = map.keys().map(|k| key(k).len()).max().unwrap_or(0);
            let mut s = String::from("{\n");
            for (k, v) in map {
                s.push_str(&format!(
                    "{pad}{:width$} = {}\n",
                    key(k),
                    render_marked(v, &marks.child(k), indent + 4)
                ));
            }
            s.push_str(&format!("{}}}", " ".repeat(indent)));
            s
        }
    }
}

/// A map key: bare when it is an identifier, quoted otherwise (as Terraform prints them).
pub fn key(k: &str) -> String {
    let ident = !k.is_empty()
        && k.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ident {
        k.to_string()
    } else {
        quote(k)
    }
}

pub fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
}

fn heredoc(s: &str, indent: usize) -> String {
    let pad = " ".repeat(indent + 4);
    let mut out = String::from("<<-EOT\n");
    for line in s.trim_end_matches('\n').lines() {
        out.push_str(&format!("{pad}{line}\n"));
    }
    out.push_str(&format!("{}EOT", " ".repeat(indent + 2)));
    out
}

/// An object's attributes, one `name = value` line each at `indent`, aligned on the names shown
/// as Terraform does (null and empty-list attributes left out), secrets as `(sensitive value)`.
pub fn render_attributes(attributes: &Value, marks: &Marks, indent: usize) -> String {
    let mut s = String::new();
    let Some(map) = attributes.as_object() else {
        return s;
    };
    let shown = |v: &Value| !v.is_null() && !matches!(v, Value::List(l) if l.is_empty());
    let width = map
        .iter()
        .filter(|(_, v)| shown(v))
        .map(|(k, _)| k.len())
        .max()
        .unwrap_or(0);
    let pad = " ".repeat(indent);
    for (k, v) in map.iter().filter(|(_, v)| shown(v)) {
        let text = render_marked(v, &marks.child(k), indent);
        s.push_str(&format!("{pad}{k:width$} = {text}\n"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_nested_values() {
        let v = Value::from_pairs([("Name", Value::from("x")), ("a b", Value::Number(1.0))]);
        assert_eq!(render(&v, 0), "{\n    Name  = \"x\"\n    \"a b\" = 1\n}");
    }

    #[test]
    fn marked_parts_render_as_sensitive() {
        let v = Value::List(vec![Value::from("s3cr3t"), Value::from("plain")]);
        let m = Marks::from_paths(&[vec!["0".to_string()]]);
        assert_eq!(
            render_marked(&v, &m, 0),
            "[\n    (sensitive value),\n    \"plain\",\n]"
        );
        assert_eq!(render_marked(&v, &Marks::whole(), 0), "(sensitive value)");
        assert_eq!(render_marked(&Value::Null, &Marks::whole(), 0), "null");
    }
}
