//! `jsonencode` / `jsondecode`, and the JSON writer that `format`'s `%#v`/`%q` share: object keys
//! sorted, no spaces, and Go's escaping (`<`, `>`, `&`, U+2028 and U+2029 as `\uXXXX`).

use labform_sdk::Value;

use super::spec::{f, fmt_num, p, str_at, Func, A, S};
use super::{FnResult, FunctionContext, FunctionError};

pub(crate) const FUNCS: &[Func] = &[
    f("jsonencode", &[p("val", A).nullable()], jsonencode),
    f("jsondecode", &[p("str", S)], jsondecode),
];

fn jsonencode(a: &[Value], _: &FunctionContext) -> FnResult {
    encode(&a[0])
        .map(Value::String)
        .map_err(|e| FunctionError::arg(0, e))
}

fn jsondecode(a: &[Value], _: &FunctionContext) -> FnResult {
    let text = str_at(a, 0)?;
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(json) => Ok(Value::from_json(&json)),
        Err(e) => Err(FunctionError::arg(0, format!("invalid json: {e}"))),
    }
}

/// Serializes `value` as Terraform does. Errors on unknown values and non-finite numbers.
pub(crate) fn encode(value: &Value) -> Result<String, String> {
    let mut out = String::new();
    write_value(value, &mut out)?;
    Ok(out)
}

fn write_value(value: &Value, out: &mut String) -> Result<(), String> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Unknown => return Err("value is not yet known".to_string()),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) if !n.is_finite() => return Err(format!("cannot encode `{n}` as json")),
        Value::Number(n) => out.push_str(&fmt_num(*n)),
        Value::String(s) => write_string(s, out),
        Value::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                write_value(v, out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// A JSON string literal with Go's `encoding/json` escaping.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_string(s, &mut out);
    out
}

fn write_string(s: &str, out: &mut String) {
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
            c if (c as u32) < 0x20 || matches!(c, '<' | '>' | '&' | '\u{2028}' | '\u{2029}') => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use labform_sdk::Value;

    #[test]
    fn jsonencode_matches_terraform() {
        assert_eq!(
            call_ok("jsonencode", vec![obj(vec![("hello", s("world"))])]),
            s(r#"{"hello":"world"}"#)
        );
        assert_eq!(
            call_ok(
                "jsonencode",
                vec![obj(vec![
                    ("b", n(1.0)),
                    ("a", list(vec![b(true), Value::Null, n(1.5)]))
                ])]
            ),
            s(r#"{"a":[true,null,1.5],"b":1}"#)
        );
        assert_eq!(
            call_ok("jsonencode", vec![s("<a&b>\u{2028}\n\u{1}é")]),
            s(r#""\u003ca\u0026b\u003e\u2028\n\u0001é""#)
        );
        assert_eq!(call_ok("jsonencode", vec![Value::Null]), s("null"));
        assert_eq!(
            call_ok("jsonencode", vec![n(1e20)]),
            s("100000000000000000000")
        );
        assert_eq!(call_ok("jsonencode", vec![n(0.1)]), s("0.1"));
        assert_eq!(
            call_ok("jsonencode", vec![list(vec![Value::Unknown])]),
            Value::Unknown
        );
        assert!(try_call("jsonencode", vec![n(f64::NAN)]).is_err());
    }

    #[test]
    fn jsondecode_matches_terraform() {
        assert_eq!(
            call_ok("jsondecode", vec![s(r#"{"hello": "world"}"#)]),
            obj(vec![("hello", s("world"))])
        );
        assert_eq!(call_ok("jsondecode", vec![s("true")]), b(true));
        assert_eq!(
            call_ok("jsondecode", vec![s(" [1, \"a\", null] ")]),
            list(vec![n(1.0), s("a"), Value::Null])
        );
        let err = call_err("jsondecode", vec![s("{")]);
        assert!(
            err.message
                .starts_with("invalid value for `str` parameter: invalid json: "),
            "{}",
            err.message
        );
        let deep = "[".repeat(100_000);
        assert!(try_call("jsondecode", vec![s(&deep)]).is_err());
    }
}
