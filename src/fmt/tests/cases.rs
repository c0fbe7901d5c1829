//! Before/after pairs.

use super::super::format_source;

#[test]
fn smoke() {
    assert_eq!(format_source("a=1\n").unwrap(), "a = 1\n");
}
