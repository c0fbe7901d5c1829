//! Test checks of request bodies: a body must survive the crate's typed model unchanged, since
//! the model is what the client really sends.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value as Json;

use super::client::{from_json, to_json};
use super::dataset_body::Change;

/// Asserts that the typed model `M` sends `body` as it was built.
pub fn assert_sent_as_built<M: Serialize + DeserializeOwned>(body: &Json) {
    let model: M = from_json(body.clone()).expect("a body the typed model accepts");
    assert_eq!(to_json(&model), *body);
}

/// Asserts that `change` is a PATCH of exactly `expected`, sent as built by `M`.
pub fn assert_patch<M: Serialize + DeserializeOwned>(change: Change, expected: Json) {
    let Change::Patch(body) = change else {
        panic!("expected a patch, got {change:?}")
    };
    assert_eq!(body, expected);
    assert_sent_as_built::<M>(&body);
}
