//! The marks every object labform creates carries, so a sweep can find leftovers without state
//! and an interrupted create can be found again.

use std::collections::BTreeMap;

pub const MANAGED_BY_KEY: &str = "managed-by";
pub const MANAGED_BY_VALUE: &str = "labform";
pub const STACK_KEY: &str = "labform-stack";
/// The per-instance mark: its value is the create token the engine recorded in state before the
/// create call, written on the object by that same call (tag, label), so that a run killed before
/// state recorded the object finds it by this mark and adopts it instead of making it twice.
/// Providers leave it out of what they read back (`tags_all`, `effective_labels`): it is an
/// implementation detail of labform, never part of a plan.
pub const INSTANCE_KEY: &str = "labform-instance";

/// The labels/tags to merge into every object created for `stack`.
pub fn mark_labels(stack: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        (MANAGED_BY_KEY.to_string(), MANAGED_BY_VALUE.to_string()),
        (STACK_KEY.to_string(), stack.to_string()),
    ])
}

/// Removes the per-instance mark from labels/tags read back from an object.
pub fn without_instance_mark(mut labels: BTreeMap<String, String>) -> BTreeMap<String, String> {
    labels.remove(INSTANCE_KEY);
    labels
}
