//! Line endings, tabs, byte order marks and vertical whitespace, which `terraform fmt`
//! keeps: it only ever changes horizontal spacing.

use super::{check, unchanged};

#[test]
fn crlf_line_endings_are_kept() {
    check(
        "a=1\r\nbb=2 # c\r\nblock {\r\nx = <<EOF\r\n  body\r\nEOF\r\n}\r\n",
        "a  = 1\r\nbb = 2 # c\r\nblock {\r\n  x = <<EOF\r\n  body\r\nEOF\r\n}\r\n",
    );
    unchanged("a = 1\r\n\r\nb = [\r\n  1,\r\n]\r\n");
}

#[test]
fn tabs_become_canonical_spaces() {
    check(
        "\ta\t=\t1\nb {\n\tc = 2\n\t\tdd\t= 3\n}\n",
        "a = 1\nb {\n  c  = 2\n  dd = 3\n}\n",
    );
}

#[test]
fn trailing_whitespace_is_removed() {
    check(
        "a = 1   \nb {   \n  c = 2\t\n}  \n",
        "a = 1\nb {\n  c = 2\n}\n",
    );
    check("a = 1\n   \n\t\nb = 2\n", "a = 1\n\n\nb = 2\n");
}

#[test]
fn blank_lines_and_final_newline_are_kept_as_terraform_does() {
    unchanged("a = 1\n\n\n\nb = 2\n");
    unchanged("a = 1");
    unchanged("a = 1\n\n\n");
    unchanged("a = 1 # no newline at the end");
    unchanged("");
}

#[test]
fn byte_order_mark_is_dropped() {
    check("\u{feff}a=1\n", "a = 1\n");
}

#[test]
fn formatting_twice_changes_nothing() {
    let samples = [
        "a=1\nbungle  =2\n\nx {\ny = [\n1,\n2]\nz = { p = 1, q = \"${ r }\" }\n}\n",
        "locals {\n  m = {\n    for k, v in var.m : k => v\n    if v != null\n  }\n}\n",
        "a = [{\nx = 1\n}, {\nx = 2\n}]\n",
        "x = <<-EOT\n  ${ a }\n  EOT\ny=1\n",
    ];
    for sample in samples {
        let once = super::format_source(sample).expect("sample parses");
        let twice = super::format_source(&once).expect("formatted sample parses");
        assert_eq!(once, twice, "not idempotent on:\n{sample}");
    }
}
