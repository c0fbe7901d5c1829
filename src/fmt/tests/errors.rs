//! Files that do not parse are refused with the place of the error.

use super::format_source;

#[track_caller]
fn error_line(input: &str) -> usize {
    match format_source(input) {
        Ok(out) => panic!("expected an error, got:\n{out}"),
        Err(e) => {
            assert!(!e.message.is_empty());
            assert!(e.column >= 1);
            e.line
        }
    }
}

#[test]
fn missing_value() {
    assert_eq!(error_line("a = 1\nb = \nc = 3\n"), 2);
}

#[test]
fn unclosed_block() {
    let line = error_line("resource \"x\" \"y\" {\n  a = 1\n\nb = 2\n");
    assert!(line >= 2, "line {line}");
}

#[test]
fn unclosed_list_inside_block() {
    assert_eq!(
        error_line("resource \"x\" \"y\" {\n  a = 1\n  b = [1,\n}\n"),
        4
    );
}

#[test]
fn unterminated_heredoc() {
    let line = error_line("a = 1\nb = <<EOF\nnever closed\n");
    assert!(line >= 2, "line {line}");
}

#[test]
fn unterminated_string() {
    assert_eq!(error_line("a = 1\nb = \"open\nc = 2\n"), 2);
}

#[test]
fn stray_closing_brace() {
    assert_eq!(error_line("a = 1\n}\n"), 2);
}

#[test]
fn stray_character() {
    let e = format_source("a = 1\nb = @\n").expect_err("`@` is not HCL");
    assert_eq!((e.line, e.column), (2, 5));
    assert!(e.to_string().starts_with("line 2, column 5: "), "{e}");
}

#[test]
fn heredoc_closing_marker_must_stand_alone() {
    // `EOF)` does not close the heredoc (Terraform reads on for a line holding only `EOF`).
    let e = format_source("a = (<<EOF\nx\nEOF)\n").expect_err("heredoc never closed");
    assert_eq!((e.line, e.column), (1, 6), "{e}");
    assert!(format_source("a = (<<EOF\nx\nEOF)\nb = 1\nEOF\n").is_err());
}

#[test]
fn result_that_would_not_parse_is_refused() {
    // `terraform fmt` unwraps this to `a = (a)` and a stray `+ (b)` line.
    let e = format_source("a = \"${(a)\n+ (b)}\"\n").expect_err("unwrapping breaks it");
    assert!(e.message.contains("does not parse"), "{e}");
}
