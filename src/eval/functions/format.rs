//! `format` and `formatlist`: Terraform's printf-like verbs (`%v %#v %t %b %d %o %x %X %e %E %f
//! %g %G %s %q`), flags (`space + - # 0`), width, precision and `[n]` argument indexes.

use labform_sdk::{Type, Value};
use unicode_segmentation::UnicodeSegmentation;

use super::gofmt::{self, Spec};
use super::json;
use super::spec::{fmt_num, fv, p, str_at, whole, Func, A, S};
use super::{FnResult, FunctionContext, FunctionError};

pub(crate) const FUNCS: &[Func] = &[
    fv(
        "format",
        &[p("format", S)],
        p("args", A).nullable(),
        format_fn,
    ),
    fv(
        "formatlist",
        &[p("format", S)],
        p("args", A).nullable().unknown(),
        formatlist,
    ),
];

fn format_fn(a: &[Value], _: &FunctionContext) -> FnResult {
    format_values(str_at(a, 0)?, &a[1..])
        .map(Value::String)
        .map_err(FunctionError::new)
}

fn formatlist(a: &[Value], _: &FunctionContext) -> FnResult {
    let fmt = str_at(a, 0)?;
    let args = &a[1..];
    let mut iter_len: Option<(usize, usize)> = None; // (length, which argument chose it)
    for (i, arg) in args.iter().enumerate() {
        match arg {
            // Whether an unknown value would have been a list is itself unknown.
            Value::Unknown => return Ok(Value::Unknown),
            Value::List(items) => match iter_len {
                None => iter_len = Some((items.len(), i)),
                Some((len, chooser)) if len != items.len() => {
                    return Err(FunctionError::arg(
                        i + 1,
                        format!(
                            "argument {} has length {}, which is inconsistent with argument {} of length {len}",
                            i + 1,
                            items.len(),
                            chooser + 1
                        ),
                    ))
                }
                Some(_) => {}
            },
            _ => {}
        }
    }
    let count = iter_len.map(|(len, _)| len).unwrap_or(1);
    let mut out = Vec::with_capacity(count);
    for index in 0..count {
        let row: Vec<Value> = args
            .iter()
            .map(|arg| match arg {
                Value::List(items) => items[index].clone(),
                other => other.clone(),
            })
            .collect();
        if !row.iter().all(Value::is_wholly_known) {
            out.push(Value::Unknown);
            continue;
        }
        let text = format_values(fmt, &row)
            .map_err(|e| FunctionError::new(format!("error on format iteration {index}: {e}")))?;
        out.push(Value::String(text));
    }
    Ok(Value::List(out))
}

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

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use labform_sdk::Value;

    fn fmt(f: &str, args: Vec<Value>) -> String {
        let mut all = vec![s(f)];
        all.extend(args);
        match call_ok("format", all) {
            Value::String(s) => s,
            other => panic!("not a string: {other}"),
        }
    }

    fn fmt_err(f: &str, args: Vec<Value>) -> String {
        let mut all = vec![s(f)];
        all.extend(args);
        call_err("format", all).message
    }

    #[test]
    fn documented_examples() {
        assert_eq!(fmt("Hello, %s!", vec![s("Ander")]), "Hello, Ander!");
        assert_eq!(
            fmt("There are %d lights", vec![n(4.0)]),
            "There are 4 lights"
        );
        assert_eq!(fmt("%05.2f", vec![n(7.12345)]), "07.12");
        assert_eq!(fmt("%-5d|", vec![n(42.0)]), "42   |");
        assert_eq!(fmt("%#v", vec![obj(vec![("a", n(1.0))])]), r#"{"a":1}"#);
        assert_eq!(fmt("%v", vec![list(vec![s("a"), n(2.0)])]), r#"["a",2]"#);
        assert_eq!(fmt("%q", vec![s("Hello\nWorld")]), r#""Hello\nWorld""#);
        assert_eq!(fmt("%q", vec![s("<x>")]), r#""\u003cx\u003e""#);
        assert_eq!(fmt("%s", vec![n(5.0)]), "5");
        assert_eq!(fmt("%s", vec![n(1234567.0)]), "1234567");
        assert_eq!(fmt("%v", vec![n(1234567.0)]), "1.234567e+06");
        assert_eq!(fmt("%v", vec![Value::Null]), "null");
        assert_eq!(fmt("%#v", vec![s("hello")]), r#""hello""#);
        assert_eq!(fmt("%%%v", vec![b(false)]), "%false");
    }

    #[test]
    fn cty_test_cases() {
        assert_eq!(
            fmt("string %[2]v", vec![b(true), s("hello")]),
            "string hello"
        );
        assert_eq!(fmt("%10s", vec![s("hello")]), "     hello");
        assert_eq!(fmt("%-10s", vec![s("hello")]), "hello     ");
        assert_eq!(fmt("%4s", vec![s("💃🏿")]), "   💃🏿");
        assert_eq!(fmt("%6q", vec![s("💃🏿")]), "   \"💃🏿\"");
        assert_eq!(fmt("%.2s", vec![s("hello")]), "he");
        assert_eq!(fmt("%.2q", vec![s("hello")]), "\"he\"");
        assert_eq!(fmt("%.5s", vec![s("日本語日本語")]), "日本語日本");
        assert_eq!(fmt("%4.2s", vec![s("hello")]), "  he");
        assert_eq!(fmt("%-4.2s", vec![s("hello")]), "he  ");
        assert_eq!(
            fmt("This statement is %t", vec![s("false")]),
            "This statement is false"
        );
        assert_eq!(
            fmt("This statement is %q", vec![b(false)]),
            "This statement is \"false\""
        );
        assert_eq!(fmt("%+d", vec![n(10.0)]), "+10");
        assert_eq!(fmt("% d", vec![n(10.0)]), " 10");
        assert_eq!(fmt("%5d", vec![n(10.0)]), "   10");
        assert_eq!(
            fmt("%b %o %x %X", vec![n(5.0), n(9.0), n(254.0), n(254.0)]),
            "101 11 fe FE"
        );
        assert_eq!(fmt("%f things", vec![n(10.0)]), "10.000000 things");
        assert_eq!(
            fmt("%e %E", vec![n(1000.0), n(1000.0)]),
            "1.000000e+03 1.000000E+03"
        );
        assert_eq!(
            fmt("%g %G", vec![s("0.00000000000000000000001"), n(1000.0)]),
            "1e-23 1000"
        );
        assert_eq!(fmt("%.1f", vec![s("1.06")]), "1.1");
        assert_eq!(fmt("%v", vec![obj(vec![])]), "{}");
        assert_eq!(fmt("", vec![]), "");
        assert_eq!(fmt("100%%", vec![]), "100%");
    }

    #[test]
    fn errors_match_cty() {
        assert_eq!(
            fmt_err("%s", vec![Value::Null]),
            "unsupported value for `%s` at 0: null value cannot be formatted"
        );
        assert_eq!(
            fmt_err("%s is", vec![]),
            "not enough arguments for `%s` at 0: need index 1 but have 0 total"
        );
        assert_eq!(
            fmt_err("%[3]s", vec![b(true), b(true)]),
            "not enough arguments for `%[3]s` at 0: need index 3 but have 2 total"
        );
        assert_eq!(
            fmt_err("%[0]s", vec![b(true)]),
            "unrecognized format character `0` at offset 2"
        );
        assert_eq!(
            fmt_err("%v %v %v", vec![b(true), b(true)]),
            "not enough arguments for `%v` at 6: need index 3 but have 2 total"
        );
        assert_eq!(
            fmt_err("%z", vec![n(1.0)]),
            "unsupported format verb `z` in `%z` at offset 0"
        );
        assert_eq!(
            fmt_err("%012z", vec![n(1.0)]),
            "unsupported format verb `z` in `%012z` at offset 0"
        );
        assert_eq!(
            fmt_err("%☠", vec![n(1.0)]),
            "unrecognized format character `☠` at offset 1"
        );
        assert_eq!(
            fmt_err("no verbs", vec![n(1.0)]),
            "too many arguments; no verbs in format string"
        );
        assert_eq!(
            fmt_err("one %d", vec![n(1.0), n(2.0)]),
            "too many arguments; only 1 used by format string"
        );
        assert!(fmt_err("%d", vec![b(true)]).starts_with("unsupported value for `%d` at 0: "));
        assert!(fmt_err("%d", vec![n(1.5)]).contains("an integer is required"));
        assert!(fmt_err("%s", vec![list(vec![])]).starts_with("unsupported value for `%s` at 0: "));
        assert!(fmt_err("%", vec![]).starts_with("invalid format string"));
        assert!(fmt_err("%99999999999d", vec![n(1.0)]).contains("too large"));
        assert!(fmt_err("%.99999999999f", vec![n(1.0)]).contains("too large"));
    }

    #[test]
    fn unknown_arguments() {
        assert_eq!(
            call_ok("format", vec![s("%s"), Value::Unknown]),
            Value::Unknown
        );
        assert_eq!(
            call_ok("format", vec![s("%v"), list(vec![Value::Unknown])]),
            Value::Unknown
        );
        assert_eq!(
            call_ok("formatlist", vec![s("%s"), Value::Unknown]),
            Value::Unknown
        );
        assert_eq!(
            call_ok(
                "formatlist",
                vec![s("%s"), list(vec![s("a"), Value::Unknown])]
            ),
            list(vec![s("a"), Value::Unknown])
        );
    }

    #[test]
    fn formatlist_matches_the_docs() {
        assert_eq!(
            call_ok(
                "formatlist",
                vec![
                    s("Hello, %s!"),
                    strs(&["Valentina", "Ander", "Olivia", "Sam"])
                ]
            ),
            strs(&[
                "Hello, Valentina!",
                "Hello, Ander!",
                "Hello, Olivia!",
                "Hello, Sam!"
            ])
        );
        assert_eq!(
            call_ok(
                "formatlist",
                vec![
                    s("%s, %s!"),
                    s("Salutations"),
                    strs(&["Valentina", "Ander"])
                ]
            ),
            strs(&["Salutations, Valentina!", "Salutations, Ander!"])
        );
        assert_eq!(call_ok("formatlist", vec![s("hello")]), strs(&["hello"]));
        assert_eq!(
            call_ok("formatlist", vec![s("%v"), list(vec![])]),
            list(vec![])
        );
        assert_eq!(
            call_ok("formatlist", vec![s("%v"), Value::Null]),
            strs(&["null"])
        );
        let err = call_err(
            "formatlist",
            vec![s("%s %s"), strs(&["a", "b"]), strs(&["c"])],
        );
        assert_eq!(
            err.message,
            "invalid value for `args` parameter: argument 2 has length 1, which is inconsistent with argument 1 of length 2"
        );
        let err = call_err("formatlist", vec![s("%s"), list(vec![obj(vec![])])]);
        assert!(err
            .message
            .starts_with("error on format iteration 0: unsupported value for `%s` at 0: "));
    }
}
