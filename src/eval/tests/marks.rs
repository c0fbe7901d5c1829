//! Sensitivity marks through every expression form: which parts of a result are sensitive, and
//! that no error quotes a sensitive value.

use std::path::Path;

use labform_sdk::Value;

use crate::config::{Mode, Scope};
use crate::diag::Diagnostic;
use crate::eval::{Evaluator, Lookup, Marked, Marks, NameKind};

const SECRET: &str = "s3cr3t-CANARY-42";

/// `var.pw` is sensitive (and a number-looking string in `var.pin`); `var.name` is not.
struct Vars;

impl Lookup for Vars {
    fn variable(&self, name: &str) -> Option<Marked> {
        match name {
            "pw" => Some(Marked::new(SECRET.into(), Marks::whole())),
            "pin" => Some(Marked::new("1234".into(), Marks::whole())),
            "name" => Some(Marked::plain("bob".into())),
            _ => None,
        }
    }
    fn local(&self, _: &Scope, _: &str) -> Option<Result<Marked, Diagnostic>> {
        None
    }
    fn resource(&self, _: &Scope, _: Mode, _: &str, _: &str) -> Option<Marked> {
        None
    }
    fn names(&self, _: &Scope, _: NameKind) -> Vec<String> {
        vec!["pw".into(), "pin".into(), "name".into()]
    }
}

fn eval(src: &str) -> Marked {
    let expr = crate::config::syntax::parse_expr(src).expect("parses");
    let mut ev = Evaluator::new(&Vars, Path::new("."));
    match ev.eval_expr(&expr) {
        Ok(m) => m,
        Err(e) => panic!("{src}: {}", e.message),
    }
}

fn error(src: &str) -> String {
    let expr = crate::config::syntax::parse_expr(src).expect("parses");
    let mut ev = Evaluator::new(&Vars, Path::new("."));
    match ev.eval_expr(&expr) {
        Ok(m) => panic!("{src} evaluated to {:?}", m.value),
        Err(e) => e.message,
    }
}

fn paths(m: &Marked) -> Vec<Vec<String>> {
    m.marks.to_paths()
}

fn p(steps: &[&str]) -> Vec<String> {
    steps.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_sensitive_variable_is_marked_and_a_plain_one_is_not() {
    assert!(eval("var.pw").marks.is_whole());
    assert!(eval("var.name").marks.is_empty());
    assert!(eval("\"literal\"").marks.is_empty());
}

#[test]
fn function_results_are_sensitive_when_any_argument_is() {
    for src in [
        "upper(var.pw)",
        "join(\",\", [var.name, var.pw])",
        "format(\"%s-%s\", var.name, var.pw)",
        "jsonencode({ a = var.pw })",
        "lookup({ a = var.pw }, \"a\", \"x\")",
        "merge({ a = var.pw }, { b = 1 })",
        "tostring(var.pw)",
        "length(var.pw)",
    ] {
        let m = eval(src);
        assert!(m.marks.is_whole(), "{src} is not marked: {:?}", m.marks);
    }
    assert!(eval("upper(var.name)").marks.is_empty());
    assert_eq!(
        eval("upper(var.pw)").value,
        Value::from(SECRET.to_uppercase())
    );
}

#[test]
fn sensitive_nonsensitive_and_issensitive_act_on_marks() {
    assert!(eval("sensitive(\"x\")").marks.is_whole());
    let m = eval("nonsensitive(var.pw)");
    assert!(m.marks.is_empty());
    assert_eq!(m.value, Value::from(SECRET));
    assert_eq!(
        eval("issensitive(var.pw)"),
        Marked::plain(Value::Bool(true))
    );
    assert_eq!(
        eval("issensitive(var.name)"),
        Marked::plain(Value::Bool(false))
    );
    assert_eq!(
        eval("issensitive(upper(var.pw))"),
        Marked::plain(Value::Bool(true))
    );
}

#[test]
fn collections_keep_the_mark_on_the_element_only() {
    let list = eval("[var.name, var.pw]");
    assert_eq!(paths(&list), vec![p(&["1"])]);
    assert!(eval("[var.name, var.pw][0]").marks.is_empty());
    assert!(eval("[var.name, var.pw][1]").marks.is_whole());
    let obj = eval("{ user = var.name, pass = var.pw }");
    assert_eq!(paths(&obj), vec![p(&["pass"])]);
    assert!(eval("{ user = var.name, pass = var.pw }.user")
        .marks
        .is_empty());
    assert!(eval("{ user = var.name, pass = var.pw }[\"pass\"]")
        .marks
        .is_whole());
    // A list marked as a whole marks each element read from it.
    assert!(eval("sensitive([1, 2])[0]").marks.is_whole());
    // A sensitive key marks what it selects.
    assert!(eval("{ (var.pw) = 1 }").marks.is_whole());
}

#[test]
fn conditionals_templates_and_operators_propagate() {
    assert!(eval("var.pw == \"x\" ? \"a\" : \"b\"").marks.is_whole());
    assert!(eval("true ? var.pw : \"b\"").marks.is_whole());
    assert!(eval("false ? var.pw : \"b\"").marks.is_empty());
    assert!(eval("\"user=${var.name} pass=${var.pw}\"").marks.is_whole());
    assert!(eval("\"user=${var.name}\"").marks.is_empty());
    assert!(eval("\"%{if var.pw == \"x\"}a%{else}b%{endif}\"")
        .marks
        .is_whole());
    assert!(eval("var.pin + 1").marks.is_whole());
    assert!(eval("!(var.pw == \"x\")").marks.is_whole());
    assert!(eval("[var.pw] == []").marks.is_whole());
}

#[test]
fn for_expressions_and_splats_carry_marks_per_element() {
    let list = eval("[for s in [var.name, var.pw] : upper(s)]");
    assert_eq!(paths(&list), vec![p(&["1"])]);
    let obj = eval("{ for k, v in { a = var.pw, b = \"x\" } : k => v }");
    assert_eq!(paths(&obj), vec![p(&["a"])]);
    let filtered = eval("[for s in [var.name, \"x\"] : s if s != \"bob\"]");
    assert!(filtered.marks.is_empty());
    let grouped = eval("{ for s in [var.pw, \"x\"] : \"k\" => s... }");
    assert_eq!(paths(&grouped), vec![p(&["k", "0"])]);
    // A sensitive `if` clause decides what is kept: the whole result is sensitive.
    assert!(eval("[for s in [1, 2] : s if var.pw == \"x\"]")
        .marks
        .is_whole());
    let splat = eval("[{ a = var.pw }, { a = \"x\" }][*].a");
    assert_eq!(paths(&splat), vec![p(&["0"])]);
}

#[test]
fn errors_never_quote_a_sensitive_value() {
    for src in [
        "tonumber(var.pw)",
        "var.pw ? 1 : 2",
        "var.pw + 1",
        "-var.pw",
        "[1][var.pw]",
        "{ a = 1 }[var.pw]",
        "var.pw.attr",
        "[for s in var.pw : s]",
        "\"%{if var.pw}a%{endif}\"",
        "regex(\"[\", var.pw)",
        "cidrhost(var.pw, 1)",
    ] {
        let message = error(src);
        assert!(
            !message.contains(SECRET) && !message.contains("CANARY"),
            "{src}: {message}"
        );
    }
    assert!(error("tonumber(var.pw)").contains("(sensitive value)"));
    assert!(error("var.pw ? 1 : 2").contains("(sensitive value)"));
    // A plain value is still quoted, to help.
    assert!(error("tonumber(var.name)").contains("bob"));
}
