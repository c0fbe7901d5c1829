//! Tests of `labform fmt` against `terraform fmt`'s documented behaviour (hclwrite's layout
//! rules plus Terraform's rewrites).

mod errors;
mod input;
mod layout;
mod stacks;
mod templates;
mod terraform;

use super::format_source;

/// `input` formats to `want`, and `want` is a fixed point (formatting it changes nothing).
#[track_caller]
fn check(input: &str, want: &str) {
    match format_source(input) {
        Ok(got) => assert_eq!(got, want, "formatting:\n{input}"),
        Err(e) => panic!("unexpected error {e} formatting:\n{input}"),
    }
    match format_source(want) {
        Ok(again) => assert_eq!(again, want, "expected output is not canonical:\n{want}"),
        Err(e) => panic!("unexpected error {e} formatting expected output:\n{want}"),
    }
}

/// Text that is already canonical comes back byte for byte.
#[track_caller]
fn unchanged(input: &str) {
    check(input, input);
}
