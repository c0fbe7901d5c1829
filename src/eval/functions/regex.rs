//! Regular-expression functions (`regex`, `regexall`) and `replace`, whose `/.../` form is a
//! regular expression. Patterns use RE2 syntax, which the `regex` crate shares.

use std::collections::BTreeMap;

use labform_sdk::Value;
use regex::Regex;

use super::spec::{f, p, str_at, Func, S};
use super::{FnResult, FunctionContext, FunctionError};

pub(crate) const FUNCS: &[Func] = &[
    f("regex", &[p("pattern", S), p("string", S)], regex_fn),
    f("regexall", &[p("pattern", S), p("string", S)], regexall),
    f(
        "replace",
        &[p("str", S), p("substr", S), p("replace", S)],
        replace,
    ),
];

fn compile(pattern: &str, arg: usize) -> Result<Regex, FunctionError> {
    Regex::new(pattern).map_err(|e| {
        let text = e.to_string();
        let detail: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        FunctionError::arg(
            arg,
            format!("invalid regular expression pattern: {}", detail.join(" ")),
        )
    })
}

/// Checks that the pattern does not mix named and unnamed groups (the result would have no
/// single shape) and returns the group names (`None` for unnamed), without group 0.
fn group_names(re: &Regex) -> Result<Vec<Option<&str>>, FunctionError> {
    let names: Vec<Option<&str>> = re.capture_names().skip(1).collect();
    let named = names.iter().filter(|n| n.is_some()).count();
    if named > 0 && named < names.len() {
        return Err(FunctionError::arg(
            0,
            "invalid regular expression pattern: named and unnamed capture groups cannot be mixed",
        ));
    }
    Ok(names)
}

/// The value a match produces: the whole match without groups, a list of the groups, or an
/// object of named groups. Groups that did not participate are null.
fn match_value(caps: &regex::Captures, names: &[Option<&str>]) -> Value {
    let text = |i: usize| {
        caps.get(i)
            .map(|m| Value::String(m.as_str().to_string()))
            .unwrap_or(Value::Null)
    };
    if names.is_empty() {
        return text(0);
    }
    if names.iter().all(Option::is_some) {
        let map: BTreeMap<String, Value> = names
            .iter()
            .enumerate()
            .filter_map(|(i, n)| n.map(|n| (n.to_string(), text(i + 1))))
            .collect();
        return Value::Object(map);
    }
    Value::List((1..=names.len()).map(text).collect())
}

fn regex_fn(a: &[Value], _: &FunctionContext) -> FnResult {
    let re = compile(str_at(a, 0)?, 0)?;
    let names = group_names(&re)?;
    match re.captures(str_at(a, 1)?) {
        Some(caps) => Ok(match_value(&caps, &names)),
        None => Err(FunctionError::new(
            "pattern did not match any part of the given string",
        )),
    }
}

fn regexall(a: &[Value], _: &FunctionContext) -> FnResult {
    let re = compile(str_at(a, 0)?, 0)?;
    let names = group_names(&re)?;
    Ok(Value::List(
        re.captures_iter(str_at(a, 1)?)
            .map(|c| match_value(&c, &names))
            .collect(),
    ))
}

fn replace(a: &[Value], _: &FunctionContext) -> FnResult {
    let s = str_at(a, 0)?;
    let substr = str_at(a, 1)?;
    let replacement = str_at(a, 2)?;
    if substr.len() > 1 && substr.starts_with('/') && substr.ends_with('/') {
        let re = compile(&substr[1..substr.len() - 1], 1)?;
        return Ok(Value::String(re.replace_all(s, replacement).into_owned()));
    }
    Ok(Value::String(s.replace(substr, replacement)))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use labform_sdk::Value;

    #[test]
    fn regex_matches_the_docs() {
        assert_eq!(
            call_ok(
                "regex",
                vec![s("[a-z]+"), s("53453453.345345aaabbbccc23454")]
            ),
            s("aaabbbccc")
        );
        assert_eq!(
            call_ok(
                "regex",
                vec![s(r"(\d\d\d\d)-(\d\d)-(\d\d)"), s("2019-02-01")]
            ),
            strs(&["2019", "02", "01"])
        );
        assert_eq!(
            call_ok(
                "regex",
                vec![
                    s(r"^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?"),
                    s("https://terraform.io/docs/")
                ]
            ),
            obj(vec![
                ("authority", s("terraform.io")),
                ("scheme", s("https"))
            ])
        );
        assert_eq!(
            call_ok("regex", vec![s("(a)?b"), s("b")]),
            list(vec![Value::Null])
        );
        let err = call_err("regex", vec![s("[a-z]+"), s("123")]);
        assert_eq!(
            err.message,
            "pattern did not match any part of the given string"
        );
        let err = call_err("regex", vec![s("(?P<x>a)(b)"), s("ab")]);
        assert!(err.message.contains("cannot be mixed"), "{}", err.message);
        let err = call_err("regex", vec![s("[a-"), s("ab")]);
        assert!(err.message.starts_with(
            "invalid value for `pattern` parameter: invalid regular expression pattern: "
        ));
        assert!(!err.message.contains('\n'));
    }

    #[test]
    fn regexall_matches_the_docs() {
        assert_eq!(
            call_ok("regexall", vec![s("[a-z]+"), s("1234abcd5678efgh9")]),
            strs(&["abcd", "efgh"])
        );
        assert_eq!(
            call_ok("regexall", vec![s("[a-z]+"), s("123")]),
            list(vec![])
        );
        assert_eq!(
            call_ok("regexall", vec![s(r"(\d)(\w)"), s("1a2b")]),
            list(vec![strs(&["1", "a"]), strs(&["2", "b"])])
        );
    }

    #[test]
    fn replace_matches_the_docs() {
        assert_eq!(
            call_ok("replace", vec![s("1 + 2 + 3"), s("+"), s("-")]),
            s("1 - 2 - 3")
        );
        assert_eq!(
            call_ok(
                "replace",
                vec![s("hello world"), s("/w.*d/"), s("everybody")]
            ),
            s("hello everybody")
        );
        assert_eq!(
            call_ok("replace", vec![s("hello world"), s("/(h)(e)/"), s("$2$1")]),
            s("ehllo world")
        );
        assert_eq!(call_ok("replace", vec![s("a/b"), s("/"), s("-")]), s("a-b"));
        assert_eq!(call_ok("replace", vec![s("ab"), s(""), s("-")]), s("-a-b-"));
        assert!(try_call("replace", vec![s("a"), s("/(/"), s("")]).is_err());
    }
}
