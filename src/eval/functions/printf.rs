//! The printf-like engine behind `format` and `formatlist`: verbs, flags, width, precision
//! and `[n]` argument indexes, with cty's error messages.

use labform_sdk::{Type, Value};
use unicode_segmentation::UnicodeSegmentation;

use super::gofmt::{self, Spec};
use super::json;
use super::spec::{fmt_num, whole};

/// Formats `args` according to `fmt`; the error is the message Terraform gives.
pub(crate) fn format_values(fmt: &str, args: &[Value]) -> Result<String, String> {
    let mut out = String::new();
    let mut chars = fmt.char_indices().peekable();
    let mut next_arg = 1usize;
    let mut max_used = 0usize;
    let mut verbs = 0usize;
    while let Some((start, c)) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if let Some((_, '%')) = chars.peek() {
            chars.next();
            out.push('%');
            continue;
        }
        let mut spec = Spec::default();
        while let Some(&(_, flag)) = chars.peek() {
            match flag {
                '0' => spec.zero = true,
                '#' => spec.sharp = true,
                '-' => spec.minus = true,
                '+' => spec.plus = true,
                ' ' => spec.space = true,
                _ => break,
            }
            chars.next();
        }
        let mut arg_num = next_arg;
        if let Some((_, '[')) = chars.peek() {
            chars.next();
            arg_num = read_number(&mut chars)?;
            match chars.next() {
                Some((_, ']')) => {}
                Some((pos, other)) => return Err(unrecognized(other, pos)),
                None => return Err(format!("invalid format string starting at offset {start}")),
            }
        }
        if let Some(&(_, '1'..='9')) = chars.peek() {
            spec.width = Some(read_number(&mut chars)?);
        }
        if let Some((_, '.')) = chars.peek() {
            chars.next();
            let mut prec = 0usize;
            while let Some(&(_, d @ '0'..='9')) = chars.peek() {
                prec = prec
                    .saturating_mul(10)
                    .saturating_add(d as usize - '0' as usize);
                chars.next();
            }
            if prec > MAX_WIDTH {
                return Err(format!("format precision `{prec}` is too large"));
            }
            spec.prec = Some(prec);
        }
        let (pos, mode) = match chars.next() {
            Some((pos, m)) if m.is_ascii_alphabetic() => (pos, m),
            Some((pos, other)) => return Err(unrecognized(other, pos)),
            None => return Err(format!("invalid format string starting at offset {start}")),
        };
        let raw = &fmt[start..pos + 1];
        verbs += 1;
        if arg_num > args.len() {
            return Err(format!(
                "not enough arguments for `{raw}` at {start}: need index {arg_num} but have {} total",
                args.len()
            ));
        }
        max_used = max_used.max(arg_num);
        next_arg = arg_num + 1;
        let text = format_one(mode, &spec, &args[arg_num - 1], raw, start)?;
        out.push_str(&text);
    }
    if !args.is_empty() {
        if verbs == 0 {
            return Err("too many arguments; no verbs in format string".to_string());
        }
        if max_used < args.len() {
            return Err(format!(
                "too many arguments; only {max_used} used by format string"
            ));
        }
    }
    Ok(out)
}

/// Widths, precisions and argument indexes beyond this are refused: they could only exhaust
/// memory.
const MAX_WIDTH: usize = 1 << 16;

fn unrecognized(c: char, pos: usize) -> String {
    format!("unrecognized format character `{c}` at offset {pos}")
}

/// A decimal number without a leading zero (argument indexes and widths).
fn read_number(chars: &mut std::iter::Peekable<std::str::CharIndices>) -> Result<usize, String> {
    match chars.peek() {
        Some(&(_, '1'..='9')) => {}
        Some(&(pos, other)) => return Err(unrecognized(other, pos)),
        None => return Err("invalid format string: it ends inside a verb".to_string()),
    }
    let mut n = 0usize;
    while let Some(&(_, d @ '0'..='9')) = chars.peek() {
        n = n
            .saturating_mul(10)
            .saturating_add(d as usize - '0' as usize);
        chars.next();
    }
    // A huge width would only exhaust memory.
    if n > MAX_WIDTH {
        return Err(format!("format width or index `{n}` is too large"));
    }
    Ok(n)
}

fn format_one(
    mode: char,
    spec: &Spec,
    arg: &Value,
    raw: &str,
    at: usize,
) -> Result<String, String> {
    let unsupported = |detail: &str| format!("unsupported value for `{raw}` at {at}: {detail}");
    if mode != 'v' && arg.is_null() {
        return Err(unsupported("null value cannot be formatted"));
    }
    match mode {
        'v' => {
            if !spec.sharp {
                match arg {
                    Value::String(s) => return Ok(pad_width(spec, s)),
                    Value::Number(n) if n.is_finite() => {
                        return Ok(pad_width(spec, &gofmt::shortest_g(*n)))
                    }
                    _ => {}
                }
            }
            let text = json::encode(arg).map_err(|e| unsupported(&e))?;
            Ok(pad_width(spec, &text))
        }
        't' => match Type::Bool.convert(arg).map_err(|e| unsupported(&e))? {
            Value::Bool(b) => Ok(b.to_string()),
            _ => Err(unsupported("a bool is required")),
        },
        'b' | 'd' | 'o' | 'x' | 'X' | 'e' | 'E' | 'f' | 'g' | 'G' => {
            let n = match Type::Number.convert(arg).map_err(|e| unsupported(&e))? {
                Value::Number(n) if n.is_finite() => n,
                _ => return Err(unsupported("a finite number is required")),
            };
            if matches!(mode, 'b' | 'd' | 'o' | 'x' | 'X') {
                if whole(n).is_none() && n.fract() != 0.0 {
                    return Err(unsupported("an integer is required"));
                }
                gofmt::integer(n, mode, spec).map_err(|e| unsupported(&e))
            } else {
                Ok(gofmt::float(n, mode, spec))
            }
        }
        's' | 'q' => {
            let s = match arg {
                Value::Number(n) => fmt_num(*n),
                other => match Type::String.convert(other).map_err(|e| unsupported(&e))? {
                    Value::String(s) => s,
                    _ => return Err(unsupported("a string is required")),
                },
            };
            let s = match spec.prec {
                Some(p) if p > 0 => s.graphemes(true).take(p).collect::<String>(),
                _ => s,
            };
            if mode == 'q' {
                Ok(pad_width(spec, &json::quote(&s)))
            } else {
                Ok(pad_width(spec, &s))
            }
        }
        other => Err(format!(
            "unsupported format verb `{other}` in `{raw}` at offset {at}"
        )),
    }
}

/// Pads to the width in grapheme clusters, with `0` when that flag is set, on the right with `-`.
fn pad_width(spec: &Spec, text: &str) -> String {
    let Some(width) = spec.width else {
        return text.to_string();
    };
    let len = text.graphemes(true).count();
    if len >= width {
        return text.to_string();
    }
    let pad = (if spec.zero { "0" } else { " " }).repeat(width - len);
    if spec.minus {
        format!("{text}{pad}")
    } else {
        format!("{pad}{text}")
    }
}
