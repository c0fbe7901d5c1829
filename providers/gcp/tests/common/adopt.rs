//! The template every resource type's "an interrupted create is adopted" test calls: create
//! with a create token as the engine does, lose the answer, find the object again by the
//! intent and the token, and check with a separate client that exactly one object exists.

use std::sync::Arc;

use labform_sdk::{OpContext, Resource, Value};
use serde_json::Value as Json;

/// One type's part of the template.
pub struct Case<'a> {
    pub resource: &'a Arc<dyn Resource>,
    pub config: Value,
    /// A config for an in-place update (labels or content) made after the adoption.
    pub update: Value,
    /// A separate client's view: every object of this type with the case's name (curl).
    pub objects: &'a dyn Fn() -> Vec<Json>,
    /// Where the create token sits in one of those objects (labels or metadata).
    pub mark_of: fn(&Json) -> Option<String>,
}

/// The intent the engine records before a create: the planned value, unknowns as null.
pub fn intent(planned: &Value) -> Value {
    match planned {
        Value::Unknown => Value::Null,
        Value::List(items) => Value::List(items.iter().map(intent).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), intent(v))).collect())
        }
        other => other.clone(),
    }
}

fn no_instance_key(state: &Value) {
    for key in ["labels", "terraform_labels", "effective_labels"] {
        assert!(
            state.get(key).get("labform-instance").is_null(),
            "`{key}` shows the instance mark: {state}"
        );
    }
}

/// Runs the template; returns the adopted (and updated) state for the caller to delete.
pub async fn interrupted_create_is_adopted(case: Case<'_>) -> Value {
    let r = case.resource;
    let token = format!("tok-{}", super::unique("t"));
    let planned = r.plan(None, &case.config).expect("plan").planned;
    let intent = intent(&planned);
    assert!((case.objects)().is_empty(), "the name is already taken");
    assert_eq!(
        r.find_interrupted(&intent, &token).await.expect("look up"),
        None,
        "a create killed before its call made nothing"
    );

    // The create runs with the engine's token; its answer is lost (the run was killed).
    let ctx = OpContext::silent().with_create_token(token.as_str());
    let _lost = r.create(&planned, &ctx).await.expect("create");

    let found = r
        .find_interrupted(&intent, &token)
        .await
        .expect("look up")
        .expect("the interrupted create's object is found");
    let read = r.read(&found).await.expect("read").expect("it exists");
    assert_eq!(found, read, "adopted state is the object as read back");
    assert!(found.is_wholly_known(), "{found}");
    no_instance_key(&found);
    assert!(
        super::no_change(r, &found, &case.config),
        "the adopted object needs no change:\n{found}"
    );

    // A separate client sees exactly one object, carrying this create's token.
    let seen = (case.objects)();
    assert_eq!(seen.len(), 1, "objects: {seen:?}");
    assert_eq!((case.mark_of)(&seen[0]).as_deref(), Some(token.as_str()));

    // Another create's token does not adopt it: the error names the object.
    let e = r
        .find_interrupted(&intent, "tok-of-another-create")
        .await
        .expect_err("not ours");
    assert!(
        e.message.contains("exists, but labform did not make it"),
        "{}",
        e.message
    );
    assert!(e.hint.unwrap_or_default().contains("labform state rm"));

    // An update keeps the mark on the object and out of the state.
    let updated = super::apply(r, Some(&found), &case.update).await;
    no_instance_key(&updated);
    let seen = (case.objects)();
    assert_eq!(seen.len(), 1, "objects after update: {seen:?}");
    assert_eq!(
        (case.mark_of)(&seen[0]).as_deref(),
        Some(token.as_str()),
        "the update removed the instance mark: {}",
        seen[0]
    );
    updated
}

/// Deletes `state`, checks a separate client sees nothing, and that deleting again (an object
/// already gone, as after a run killed between delete and state update) succeeds.
pub async fn delete_twice(r: &Arc<dyn Resource>, state: &Value, objects: &dyn Fn() -> Vec<Json>) {
    r.delete(state, &OpContext::silent()).await.expect("delete");
    assert!(objects().is_empty(), "still there: {:?}", objects());
    r.delete(state, &OpContext::silent())
        .await
        .expect("deleting what is gone succeeds");
    assert_eq!(r.read(state).await.expect("read"), None);
}

/// The token among an object's labels.
pub fn label_mark(api: &Json) -> Option<String> {
    api["labels"]["labform-instance"]
        .as_str()
        .map(str::to_string)
}

/// The token among a Cloud Storage object's custom metadata.
pub fn metadata_mark(api: &Json) -> Option<String> {
    api["metadata"]["labform-instance"]
        .as_str()
        .map(str::to_string)
}
