//! Values as `terraform console` prints them: two-space indents, quoted map keys, trailing
//! commas in lists, heredocs for multi-line strings, `(sensitive value)` for marked parts.

use labform_sdk::value::format_number;
use labform_sdk::Value;

use crate::eval::marks::SENSITIVE;
use crate::eval::Marks;

pub fn render(v: &Value, marks: &Marks) -> String {
    render_at(v, marks, 0)
}

fn render_at(v: &Value, marks: &Marks, indent: usize) -> String {
    if marks.is_whole() {
        return SENSITIVE.into();
    }
    let pad = "  ".repeat(indent + 1);
    let close = "  ".repeat(indent);
    match v {
        Value::Null => "null".into(),
        Value::Unknown => "(known after apply)".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format_number(*n),
        Value::String(s) if s.contains('\n') => format!("<<EOT\n{s}\nEOT"),
        Value::String(s) => quote(s),
        Value::List(items) if items.is_empty() => "[]".into(),
        Value::List(items) => {
            let mut s = String::from("[\n");
            for (i, item) in items.iter().enumerate() {
                let m = marks.child(&i.to_string());
                s.push_str(&format!("{pad}{},\n", render_at(item, &m, indent + 1)));
            }
            s.push_str(&format!("{close}]"));
            s
        }
        Value::Object(map) if map.is_empty() => "{}".into(),
        Value::Object(map) => {
            let mut s = String::from("{\n");
            for (k, v) in map {
                let m = marks.child(k);
                s.push_str(&format!(
                    "{pad}{} = {}\n",
                    quote(k),
                    render_at(v, &m, indent + 1)
                ));
            }
            s.push_str(&format!("{close}}}"));
            s
        }
    }
}

fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(v: Value) -> String {
        render(&v, &Marks::none())
    }

    #[test]
    fn shapes_match_terraform_console() {
        assert_eq!(show(Value::from("hello")), "\"hello\"");
        assert_eq!(show(Value::from("a\"b\t")), "\"a\\\"b\\t\"");
        assert_eq!(show(Value::from("a\nb")), "<<EOT\na\nb\nEOT");
        assert_eq!(show(Value::List(vec![])), "[]");
        assert_eq!(
            show(Value::List(vec![Value::Number(1.0), Value::from("x")])),
            "[\n  1,\n  \"x\",\n]"
        );
        let nested = Value::from_pairs([(
            "a",
            Value::from_pairs([("b", Value::List(vec![Value::Number(1.0)]))]),
        )]);
        assert_eq!(
            show(nested),
            "{\n  \"a\" = {\n    \"b\" = [\n      1,\n    ]\n  }\n}"
        );
        assert_eq!(show(Value::Null), "null");
        assert_eq!(show(Value::Number(1.5)), "1.5");
    }

    #[test]
    fn sensitive_parts_are_hidden() {
        let v = Value::from_pairs([("a", Value::from("x")), ("b", Value::Number(1.0))]);
        let marks = Marks::from_paths(&[vec!["a".to_string()]]);
        assert_eq!(
            render(&v, &marks),
            "{\n  \"a\" = (sensitive value)\n  \"b\" = 1\n}"
        );
        assert_eq!(
            render(&Value::from("x"), &Marks::whole_if(true)),
            "(sensitive value)"
        );
    }
}
