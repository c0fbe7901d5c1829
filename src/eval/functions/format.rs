//! `format` and `formatlist`: Terraform's printf-like verbs (`%v %#v %t %b %d %o %x %X %e %E %f
//! %g %G %s %q`), flags (`space + - # 0`), width, precision and `[n]` argument indexes.

use labform_sdk::Value;

use super::printf::format_values;
use super::spec::{fv, p, str_at, Func, A, S};
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
