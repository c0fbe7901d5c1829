//! Helpers shared by the integration tests: a store in a fresh directory, simple instances.

#![allow(dead_code)]

use std::path::Path;

use labform_sdk::Value;
use labform_state::{InstanceAddr, InstanceState, LocalStore, StateFile, StateStore, StateWriter};

pub const TF_VERSION: &str = "1.9.0";
pub const PROVIDER: &str = "provider[\"registry.terraform.io/hashicorp/aws\"]";

pub fn store_in(dir: &Path) -> LocalStore {
    LocalStore::for_stack(dir)
}

pub fn addr(text: &str) -> InstanceAddr {
    text.parse().unwrap_or_else(|e| panic!("{e}"))
}

pub fn instance(id: &str) -> InstanceState {
    InstanceState::new(Value::from_pairs([
        ("id", Value::from(id)),
        ("bucket", Value::from(format!("b-{id}"))),
    ]))
}

/// The `id` attribute of the instance at `addr`, if recorded.
pub fn id_of(state: &StateFile, at: &str) -> Option<String> {
    state
        .instance(&addr(at))
        .and_then(|(_, i)| i.attributes.str_attr("id").map(str::to_string))
}

/// A writer over whatever the store holds (a new state when empty).
pub fn writer(store: &LocalStore) -> StateWriter {
    let base = store
        .read()
        .expect("read")
        .unwrap_or_else(|| StateFile::new(TF_VERSION));
    store.writer(base).expect("writer")
}
