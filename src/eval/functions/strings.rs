//! String functions: case, trimming, splitting and joining, substrings. "Characters" are
//! grapheme clusters, as in Terraform.

use labform_sdk::Value;
use unicode_segmentation::UnicodeSegmentation;

use super::spec::{f, fv, int_at, list_at, p, str_at, Func, LIST_S, N, S};
use super::{FnResult, FunctionContext, FunctionError};

pub(crate) const FUNCS: &[Func] = &[
    f("lower", &[p("str", S)], lower),
    f("upper", &[p("str", S)], upper),
    f("title", &[p("str", S)], title),
    f("trimspace", &[p("str", S)], trimspace),
    f("trim", &[p("str", S), p("cutset", S)], trim),
    f("trimprefix", &[p("str", S), p("prefix", S)], trimprefix),
    f("trimsuffix", &[p("str", S), p("suffix", S)], trimsuffix),
    f("chomp", &[p("str", S)], chomp),
    f("indent", &[p("spaces", N), p("str", S)], indent),
    f("strrev", &[p("str", S)], strrev),
    f(
        "substr",
        &[p("str", S), p("offset", N), p("length", N)],
        substr,
    ),
    fv("join", &[p("separator", S)], p("lists", LIST_S), join),
    f("split", &[p("separator", S), p("str", S)], split),
    f("startswith", &[p("str", S), p("prefix", S)], startswith),
    f("endswith", &[p("str", S), p("suffix", S)], endswith),
    f("strcontains", &[p("str", S), p("substr", S)], strcontains),
];

fn string(s: impl Into<String>) -> FnResult {
    Ok(Value::String(s.into()))
}

fn lower(a: &[Value], _: &FunctionContext) -> FnResult {
    string(
        str_at(a, 0)?
            .chars()
            .map(super::gocase::lower)
            .collect::<String>(),
    )
}

fn upper(a: &[Value], _: &FunctionContext) -> FnResult {
    string(
        str_at(a, 0)?
            .chars()
            .map(super::gocase::upper)
            .collect::<String>(),
    )
}

/// Upper-cases the first letter of every word, where words are separated as Go's
/// `strings.Title` separates them (anything but ASCII letters, digits and `_`, or Unicode space).
fn title(a: &[Value], _: &FunctionContext) -> FnResult {
    let mut out = String::new();
    let mut prev = ' ';
    for c in str_at(a, 0)?.chars() {
        if is_word_separator(prev) {
            out.push(super::gocase::title(c));
        } else {
            out.push(c);
        }
        prev = c;
    }
    string(out)
}

fn is_word_separator(c: char) -> bool {
    if c.is_ascii() {
        return !(c.is_ascii_alphanumeric() || c == '_');
    }
    if c.is_alphanumeric() {
        return false;
    }
    c.is_whitespace()
}

fn trimspace(a: &[Value], _: &FunctionContext) -> FnResult {
    string(str_at(a, 0)?.trim())
}

fn trim(a: &[Value], _: &FunctionContext) -> FnResult {
    let cutset = str_at(a, 1)?;
    string(str_at(a, 0)?.trim_matches(|c| cutset.contains(c)))
}

fn trimprefix(a: &[Value], _: &FunctionContext) -> FnResult {
    let s = str_at(a, 0)?;
    string(s.strip_prefix(str_at(a, 1)?).unwrap_or(s))
}

fn trimsuffix(a: &[Value], _: &FunctionContext) -> FnResult {
    let s = str_at(a, 0)?;
    string(s.strip_suffix(str_at(a, 1)?).unwrap_or(s))
}

/// Removes every trailing `\n`, `\r\n` or `\r`.
fn chomp(a: &[Value], _: &FunctionContext) -> FnResult {
    string(str_at(a, 0)?.trim_end_matches(['\n', '\r']))
}

fn indent(a: &[Value], _: &FunctionContext) -> FnResult {
    let spaces = int_at(a, 0)?;
    // Go's strings.Repeat panics on a negative count; Terraform reports it.
    let spaces = usize::try_from(spaces)
        .ok()
        .filter(|n| *n <= 1 << 20)
        .ok_or_else(|| {
            FunctionError::arg(0, format!("`{spaces}` is not a valid number of spaces"))
        })?;
    let pad = " ".repeat(spaces);
    string(str_at(a, 1)?.replace('\n', &format!("\n{pad}")))
}

fn strrev(a: &[Value], _: &FunctionContext) -> FnResult {
    string(str_at(a, 0)?.graphemes(true).rev().collect::<String>())
}

/// The number of grapheme clusters in `s` (Terraform's notion of string length).
pub(crate) fn char_count(s: &str) -> usize {
    s.graphemes(true).count()
}

fn substr(a: &[Value], _: &FunctionContext) -> FnResult {
    let s = str_at(a, 0)?;
    let mut offset = int_at(a, 1)?;
    let length = int_at(a, 2)?;
    if offset < 0 {
        offset = offset.saturating_add(char_count(s) as i64);
    } else if length == 0 {
        return string("");
    }
    let mut rest = s;
    if offset > 0 {
        let skip = offset as usize;
        let mut graphemes = s.grapheme_indices(true);
        match graphemes.nth(skip - 1) {
            Some((i, g)) => rest = &s[i + g.len()..],
            None => return string(""),
        }
    }
    if length < 0 {
        return string(rest);
    }
    // Terraform's quirk: a zero length after a negative offset takes the whole remainder.
    if length == 0 {
        return string(rest);
    }
    let end = rest
        .grapheme_indices(true)
        .nth(length as usize)
        .map(|(i, _)| i)
        .unwrap_or(rest.len());
    string(&rest[..end])
}

fn join(a: &[Value], _: &FunctionContext) -> FnResult {
    let sep = str_at(a, 0)?;
    let lists = &a[1..];
    if lists.is_empty() {
        return Err(FunctionError::new("at least one list is required"));
    }
    let mut parts = Vec::new();
    for (li, _) in lists.iter().enumerate() {
        for (ei, item) in list_at(a, li + 1)?.iter().enumerate() {
            match item {
                Value::String(s) => parts.push(s.as_str()),
                _ if lists.len() > 1 => {
                    return Err(FunctionError::arg(
                        li + 1,
                        format!(
                            "element {ei} of list {} is null; cannot concatenate null values",
                            li + 1
                        ),
                    ))
                }
                _ => {
                    return Err(FunctionError::arg(
                        li + 1,
                        format!("element {ei} is null; cannot concatenate null values"),
                    ))
                }
            }
        }
    }
    string(parts.join(sep))
}

fn split(a: &[Value], _: &FunctionContext) -> FnResult {
    let sep = str_at(a, 0)?;
    let s = str_at(a, 1)?;
    let parts: Vec<Value> = if sep.is_empty() {
        // Go splits into single characters when the separator is empty.
        s.chars().map(|c| Value::String(c.to_string())).collect()
    } else {
        s.split(sep).map(|p| Value::String(p.to_string())).collect()
    };
    Ok(Value::List(parts))
}

fn startswith(a: &[Value], _: &FunctionContext) -> FnResult {
    Ok(Value::Bool(str_at(a, 0)?.starts_with(str_at(a, 1)?)))
}

fn endswith(a: &[Value], _: &FunctionContext) -> FnResult {
    Ok(Value::Bool(str_at(a, 0)?.ends_with(str_at(a, 1)?)))
}

fn strcontains(a: &[Value], _: &FunctionContext) -> FnResult {
    Ok(Value::Bool(str_at(a, 0)?.contains(str_at(a, 1)?)))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use labform_sdk::Value;

    fn call1(name: &str, arg: &str) -> Value {
        call_ok(name, vec![s(arg)])
    }

    #[test]
    fn case_functions_match_the_docs() {
        assert_eq!(call1("lower", "HELLO"), s("hello"));
        assert_eq!(call1("lower", "АЛЛО!"), s("алло!"));
        assert_eq!(call1("upper", "hello"), s("HELLO"));
        assert_eq!(call1("upper", "алло!"), s("АЛЛО!"));
        assert_eq!(call1("title", "hello world"), s("Hello World"));
        assert_eq!(
            call1("title", "hello-world o'neil snake_case"),
            s("Hello-World O'Neil Snake_case")
        );
        // Arguments convert to strings as in Terraform.
        assert_eq!(call_ok("upper", vec![n(5.0)]), s("5"));
        assert_eq!(call_ok("upper", vec![b(true)]), s("TRUE"));
    }

    #[test]
    fn trimming_matches_the_docs() {
        assert_eq!(call1("trimspace", "  hello\n\n"), s("hello"));
        assert_eq!(call_ok("trim", vec![s("?!hello?!"), s("!?")]), s("hello"));
        assert_eq!(call_ok("trim", vec![s("foobar"), s("far")]), s("oob"));
        assert_eq!(
            call_ok("trim", vec![s("   hello! world.!  "), s("! ")]),
            s("hello! world.")
        );
        assert_eq!(
            call_ok("trimprefix", vec![s("helloworld"), s("hello")]),
            s("world")
        );
        assert_eq!(
            call_ok("trimprefix", vec![s("helloworld"), s("cat")]),
            s("helloworld")
        );
        assert_eq!(
            call_ok("trimsuffix", vec![s("helloworld"), s("world")]),
            s("hello")
        );
        assert_eq!(call1("chomp", "hello\n"), s("hello"));
        assert_eq!(call1("chomp", "hello\r\n"), s("hello"));
        assert_eq!(call1("chomp", "hello\n\n"), s("hello"));
        assert_eq!(call1("chomp", "hel\nlo"), s("hel\nlo"));
    }

    #[test]
    fn indent_and_strrev() {
        assert_eq!(
            call_ok("indent", vec![n(2.0), s("[\n  foo,\n  bar,\n]\n")]),
            s("[\n    foo,\n    bar,\n  ]\n  ")
        );
        assert!(try_call("indent", vec![n(-1.0), s("a")]).is_err());
        assert_eq!(call1("strrev", "hello"), s("olleh"));
        assert_eq!(call1("strrev", "a☃"), s("☃a"));
    }

    #[test]
    fn substr_matches_terraform() {
        let sub = |st: &str, o: f64, l: f64| call_ok("substr", vec![s(st), n(o), n(l)]);
        assert_eq!(sub("hello world", 1.0, 4.0), s("ello"));
        assert_eq!(sub("🤔🤷", 0.0, 1.0), s("🤔"));
        assert_eq!(sub("hello world", -5.0, -1.0), s("world"));
        assert_eq!(sub("hello world", 6.0, 10.0), s("world"));
        assert_eq!(sub("hello", 10.0, 2.0), s(""));
        assert_eq!(sub("hello", -10.0, 2.0), s("he"));
        assert_eq!(sub("hello", 1.0, 0.0), s(""));
        assert_eq!(sub("hello", 1.0, -7.0), s("ello"));
        assert_eq!(sub("e\u{301}t\u{301}e", 1.0, 1.0), s("t\u{301}"));
        assert!(try_call("substr", vec![s("a"), n(0.5), n(1.0)]).is_err());
        assert!(try_call("substr", vec![s("a"), n(f64::NAN), n(1.0)]).is_err());
        assert!(try_call("substr", vec![s("a"), n(1e300), n(1.0)]).is_err());
        assert_eq!(sub("hello", 1e15, 1.0), s(""));
        assert_eq!(sub("hello", -1e15, 0.0), s("hello"));
    }

    #[test]
    fn join_and_split_match_the_docs() {
        assert_eq!(
            call_ok("join", vec![s("-"), strs(&["foo", "bar", "baz"])]),
            s("foo-bar-baz")
        );
        assert_eq!(call_ok("join", vec![s(", "), strs(&["foo"])]), s("foo"));
        assert_eq!(
            call_ok("join", vec![s(","), strs(&["a"]), strs(&["b", "c"])]),
            s("a,b,c")
        );
        assert_eq!(call_ok("join", vec![s(","), nums(&[1.0, 2.0])]), s("1,2"));
        assert_eq!(
            call_err("join", vec![s(",")]).message,
            "at least one list is required"
        );
        let err = call_err("join", vec![s(","), list(vec![s("a"), Value::Null])]);
        assert_eq!(err.message, "invalid value for `lists` parameter: element 1 is null; cannot concatenate null values");
        assert_eq!(
            call_ok("split", vec![s(","), s("foo,bar,baz")]),
            strs(&["foo", "bar", "baz"])
        );
        assert_eq!(call_ok("split", vec![s(","), s("foo")]), strs(&["foo"]));
        assert_eq!(call_ok("split", vec![s(","), s("")]), strs(&[""]));
        assert_eq!(
            call_ok("split", vec![s(""), s("abc")]),
            strs(&["a", "b", "c"])
        );
    }

    #[test]
    fn predicates() {
        assert_eq!(
            call_ok("startswith", vec![s("hello world"), s("hello")]),
            b(true)
        );
        assert_eq!(
            call_ok("startswith", vec![s("hello world"), s("world")]),
            b(false)
        );
        assert_eq!(
            call_ok("endswith", vec![s("hello world"), s("world")]),
            b(true)
        );
        assert_eq!(
            call_ok("strcontains", vec![s("hello world"), s("wor")]),
            b(true)
        );
        assert_eq!(
            call_ok("strcontains", vec![s("hello world"), s("wod")]),
            b(false)
        );
    }
}
