//! The mark every object labform creates carries, so a sweep can find leftovers without state.

use std::collections::BTreeMap;

pub const MANAGED_BY_KEY: &str = "managed-by";
pub const MANAGED_BY_VALUE: &str = "labform";
pub const STACK_KEY: &str = "labform-stack";

/// The labels/tags to merge into every object created for `stack`.
pub fn mark_labels(stack: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        (MANAGED_BY_KEY.to_string(), MANAGED_BY_VALUE.to_string()),
        (STACK_KEY.to_string(), stack.to_string()),
    ])
}
