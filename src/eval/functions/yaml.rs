//! `yamlencode` / `yamldecode` as Terraform has them: the encoder writes what Terraform's YAML
//! library writes (every string double-quoted, or a literal block when it holds a line break,
//! keys sorted, sequences not indented under their key, long quoted lines folded at 80
//! columns, `...` after a lone scalar); the decoder resolves plain scalars as YAML 1.1 does
//! (`yes` is true, `1_000` a string, a date a timestamp).

use labform_sdk::Value;

use super::spec::{f, fmt_num, p, str_at, Func, A, S};
use super::{FnResult, FunctionContext, FunctionError};
use crate::compose::yaml::{self, Kind, Node};
use crate::diag::SourceFile;

pub(crate) const FUNCS: &[Func] = &[
    f("yamlencode", &[p("value", A).nullable()], yamlencode),
    f("yamldecode", &[p("src", S)], yamldecode),
];

const WIDTH: usize = 80;

fn yamlencode(a: &[Value], _: &FunctionContext) -> FnResult {
    let mut out = String::new();
    match &a[0] {
        Value::List(items) if !items.is_empty() => seq(items, 0, &mut out),
        Value::Object(map) if !map.is_empty() => mapping(map, 0, &mut out),
        v => scalar(v, 0, 0, &mut out).map(|()| {
            out.push('\n');
            if !matches!(v, Value::String(_) | Value::List(_) | Value::Object(_)) {
                out.push_str("...\n");
            }
        }),
    }
    .map_err(|e| FunctionError::arg(0, e))?;
    Ok(Value::String(out))
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn mapping(
    map: &std::collections::BTreeMap<String, Value>,
    indent: usize,
    out: &mut String,
) -> Result<(), String> {
    let mut first = true;
    for (k, v) in map {
        if !std::mem::take(&mut first) {
            pad(out, indent);
        }
        let start = out.len();
        quoted(k, indent, &mut column_of(out, start, indent), out);
        out.push(':');
        value_after(v, indent, indent + 2, out)?;
    }
    Ok(())
}

fn seq(items: &[Value], indent: usize, out: &mut String) -> Result<(), String> {
    let mut first = true;
    for v in items {
        if !std::mem::take(&mut first) {
            pad(out, indent);
        }
        out.push('-');
        value_after(v, indent, indent + 2, out)?;
    }
    Ok(())
}

/// A value after `key:` or `-`: scalars and empty collections on the same line, a mapping's
/// entries below at `inner`, a sequence under a key at the key's own indentation.
fn value_after(v: &Value, indent: usize, inner: usize, out: &mut String) -> Result<(), String> {
    let dash = out.ends_with('-');
    match v {
        Value::Object(m) if !m.is_empty() => {
            if dash {
                out.push(' ');
            } else {
                out.push('\n');
                pad(out, inner);
            }
            mapping(m, inner, out)
        }
        Value::List(items) if !items.is_empty() => {
            if dash {
                out.push(' ');
                seq(items, inner, out)
            } else {
                out.push('\n');
                pad(out, indent);
                seq(items, indent, out)
            }
        }
        v => {
            out.push(' ');
            scalar(v, indent, inner, out)?;
            out.push('\n');
            Ok(())
        }
    }
}

/// The column the text from `start` on begins at, given that its line began at `indent`.
fn column_of(out: &str, start: usize, _indent: usize) -> usize {
    let line_start = out[..start].rfind('\n').map_or(0, |i| i + 1);
    out[line_start..start].chars().count()
}

fn scalar(v: &Value, indent: usize, inner: usize, out: &mut String) -> Result<(), String> {
    match v {
        Value::Null => out.push_str("null"),
        Value::Unknown => return Err("value is not yet known".to_string()),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) if !n.is_finite() => return Err(format!("cannot encode `{n}` as yaml")),
        Value::Number(n) => out.push_str(&fmt_num(*n)),
        Value::String(s) if s.contains('\n') && literal_allowed(s) => literal(s, inner, out),
        Value::String(s) => {
            let mut col = column_of(out, out.len(), indent);
            quoted(s, inner, &mut col, out);
        }
        Value::List(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
    Ok(())
}

/// A literal block is refused for text with a space before a line break or at the end, tabs,
/// or characters that must be escaped.
fn literal_allowed(s: &str) -> bool {
    !(s.contains(" \n")
        || s.ends_with(' ')
        || s.contains('\t')
        || s.chars().any(|c| escape(c).is_some() && c != '\n'))
}

fn literal(s: &str, inner: usize, out: &mut String) {
    out.push('|');
    if s.starts_with([' ', '\n']) {
        out.push('2');
    }
    let body = s.trim_end_matches('\n');
    match s.len() - body.len() {
        0 => out.push('-'),
        1 if !body.is_empty() => {}
        _ => out.push('+'),
    }
    // Every line break is written before its line; the caller writes the last one.
    let lines: Vec<&str> = s.split('\n').collect();
    let keep = if s.ends_with('\n') {
        lines.len() - 1
    } else {
        lines.len()
    };
    for line in &lines[..keep] {
        out.push('\n');
        if !line.is_empty() {
            pad(out, inner);
            out.push_str(line);
        }
    }
}

/// A double-quoted scalar starting at column `col`; a long line breaks at a space past the
/// 80th column, continuing at `inner`.
fn quoted(s: &str, inner: usize, col: &mut usize, out: &mut String) {
    out.push('"');
    *col += 1;
    let chars: Vec<char> = s.chars().collect();
    let mut prev_space = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            if !prev_space && *col > WIDTH && i != 0 && i + 1 != chars.len() {
                out.push('\n');
                pad(out, inner);
                *col = inner;
                if chars.get(i + 1) == Some(&' ') {
                    out.push('\\');
                    *col += 1;
                }
            } else {
                out.push(' ');
                *col += 1;
            }
            prev_space = true;
            continue;
        }
        prev_space = false;
        match escape(c) {
            Some(e) => {
                *col += e.chars().count();
                out.push_str(&e);
            }
            None => {
                out.push(c);
                *col += 1;
            }
        }
    }
    out.push('"');
    *col += 1;
}

/// YAML's escape for a character a double-quoted scalar cannot hold as it is.
fn escape(c: char) -> Option<String> {
    Some(match c {
        '"' => "\\\"".into(),
        '\\' => "\\\\".into(),
        '\0' => "\\0".into(),
        '\x07' => "\\a".into(),
        '\x08' => "\\b".into(),
        '\t' => "\\t".into(),
        '\n' => "\\n".into(),
        '\x0b' => "\\v".into(),
        '\x0c' => "\\f".into(),
        '\r' => "\\r".into(),
        '\x1b' => "\\e".into(),
        '\u{85}' => "\\N".into(),
        '\u{a0}' => "\\_".into(),
        '\u{2028}' => "\\L".into(),
        '\u{2029}' => "\\P".into(),
        '\u{feff}' => "\\uFEFF".into(),
        c if (c as u32) < 0x20 || c == '\x7f' || ('\u{80}'..'\u{a0}').contains(&c) => {
            format!("\\x{:02X}", c as u32)
        }
        _ => return None,
    })
}

fn yamldecode(a: &[Value], _: &FunctionContext) -> FnResult {
    let text = str_at(a, 0)?;
    if text.trim().is_empty() {
        return Err(FunctionError::arg(0, "the text holds no YAML document"));
    }
    let file = SourceFile::new(
        "<yamldecode>".into(),
        "<yamldecode>".into(),
        text.to_string(),
    );
    let node = yaml::parse(&file).map_err(|d| {
        let at = d.location.as_ref().map(|l| l.short()).unwrap_or_default();
        FunctionError::arg(0, format!("invalid YAML {at}: {}", d.message))
    })?;
    to_value(&node).map_err(|e| FunctionError::arg(0, e))
}

fn to_value(node: &Node) -> Result<Value, String> {
    Ok(match &node.kind {
        Kind::Scalar { text, plain: false } => Value::String(text.clone()),
        Kind::Scalar { text, plain: true } => resolve(text),
        Kind::Seq(items) => Value::List(items.iter().map(to_value).collect::<Result<_, _>>()?),
        Kind::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|(k, v)| {
                    let key = match to_value(k)? {
                        Value::String(s) => s,
                        Value::Number(n) => fmt_num(n),
                        Value::Bool(b) => b.to_string(),
                        _ => return Err("a mapping key must be a string".to_string()),
                    };
                    Ok((key, to_value(v)?))
                })
                .collect::<Result<_, String>>()?,
        ),
    })
}

/// A plain scalar's value under YAML 1.1's resolution, as Terraform's decoder has it.
fn resolve(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Value::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Value::Bool(false)
        }
        _ => {}
    }
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => (-1.0, rest),
        None => (1.0, text.strip_prefix('+').unwrap_or(text)),
    };
    if let Some(hex) = digits.strip_prefix("0x") {
        if let Ok(n) = i64::from_str_radix(hex, 16) {
            return Value::Number(sign * n as f64);
        }
    }
    if let Some(bin) = digits.strip_prefix("0b") {
        if let Ok(n) = i64::from_str_radix(bin, 2) {
            return Value::Number(sign * n as f64);
        }
    }
    let numeric = !digits.is_empty()
        && digits
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '.')
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '-' | '+'));
    if numeric {
        if let Ok(n) = digits.parse::<f64>() {
            return Value::Number(sign * n);
        }
    }
    if is_date(text) {
        return Value::String(format!("{text}T00:00:00Z"));
    }
    Value::String(text.to_string())
}

fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}
