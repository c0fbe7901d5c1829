//! google_storage_bucket and google_storage_bucket_object against the Cloud Storage emulator,
//! checked with curl.

// A test crate: its helpers may unwrap too (a failed unwrap is a failed test).
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use common::*;
use labform_sdk::{OpContext, ProviderError, Resource, Value};

fn rule(action: &str, age: f64) -> Value {
    Value::from_pairs([
        (
            "action",
            Value::List(vec![Value::from_pairs([
                ("type", s(action)),
                ("storage_class", Value::Null),
            ])]),
        ),
        (
            "condition",
            Value::List(vec![Value::from_pairs([
                ("age", Value::Number(age)),
                ("created_before", Value::Null),
                ("custom_time_before", Value::Null),
                ("days_since_custom_time", Value::Null),
                ("days_since_noncurrent_time", Value::Null),
                ("noncurrent_time_before", Value::Null),
                ("with_state", Value::Null),
                ("matches_storage_class", Value::Null),
                ("matches_prefix", Value::Null),
                ("matches_suffix", Value::Null),
                ("num_newer_versions", Value::Null),
            ])]),
        ),
    ])
}

fn versioning(on: bool) -> Value {
    Value::List(vec![Value::from_pairs([("enabled", Value::Bool(on))])])
}

/// The bucket `name` is gone (the API answers 404) and nothing is labelled with `stack`.
fn assert_bucket_gone(name: &str, stack: &str) {
    let (code, _) = curl("GET", &gcs(&format!("b/{name}")), None);
    assert_eq!(code, 404);
    assert!(stack_buckets(stack).is_empty());
}

/// How many objects the bucket `name` holds, noncurrent versions included.
fn versions_held(name: &str) -> Option<usize> {
    let (_, listed) = curl("GET", &gcs(&format!("b/{name}/o?versions=true")), None);
    listed["items"].as_array().map(Vec::len)
}

/// Deleting `state` is refused because the bucket still holds one object.
async fn assert_delete_refused(bucket: &Arc<dyn Resource>, state: &Value) -> ProviderError {
    let err = bucket
        .delete(state, &OpContext::silent())
        .await
        .unwrap_err();
    assert!(
        err.message.contains("still holds 1 objects"),
        "{}",
        err.message
    );
    err
}

fn stack_buckets(stack: &str) -> Vec<String> {
    let (code, body) = curl("GET", &gcs(&format!("b?project={}", project())), None);
    assert_eq!(code, 200);
    names_of_stack(&body["items"], stack, "/name")
}

#[tokio::test]
async fn bucket_create_update_drift_replace_destroy() {
    let stack = unique("stk-b");
    let p = configure(&stack, Value::object()).await;
    let bucket = resource(&p, "google_storage_bucket");
    let name = unique("lab-data-lake-");
    let mut cfg = config(
        &bucket,
        vec![
            ("name", s(&name)),
            ("location", s("us-central1")),
            ("force_destroy", Value::Bool(true)),
            ("uniform_bucket_level_access", Value::Bool(true)),
            ("labels", labels(&[("env", "dev"), ("team", "de")])),
            ("versioning", versioning(true)),
            (
                "lifecycle_rule",
                Value::List(vec![
                    rule("Delete", 30.0),
                    rule("AbortIncompleteMultipartUpload", 1.0),
                ]),
            ),
        ],
    );

    // Create: effective labels are known at plan time.
    let plan = bucket.plan(None, &cfg).unwrap();
    assert_eq!(plan.planned.get("location"), &s("US-CENTRAL1"));
    assert_eq!(
        plan.planned.get("effective_labels").get("labform-stack"),
        &s(&stack)
    );
    let state = apply(&bucket, None, &cfg).await;
    assert_eq!(state.get("url"), &s(&format!("gs://{name}")));
    assert_eq!(
        state.get("labels"),
        &labels(&[("env", "dev"), ("team", "de")]),
        "labels stay what the user wrote"
    );

    // Read back with curl.
    let (code, api) = curl("GET", &gcs(&format!("b/{name}")), None);
    assert_eq!(code, 200);
    assert_eq!(api["location"], "US-CENTRAL1");
    assert_eq!(api["labels"]["managed-by"], "labform");
    assert_eq!(api["labels"]["labform-stack"], stack.as_str());
    assert_eq!(api["labels"]["env"], "dev");
    assert_eq!(api["versioning"]["enabled"], true);
    assert_eq!(
        api["iamConfiguration"]["uniformBucketLevelAccess"]["enabled"],
        true
    );
    let rules = api["lifecycle"]["rule"].as_array().unwrap();
    assert_eq!(rules.len(), 2);
    assert_eq!(rules[0]["action"]["type"], "Delete");
    assert_eq!(rules[0]["condition"]["age"], 30);
    assert_eq!(rules[1]["action"]["type"], "AbortIncompleteMultipartUpload");

    // Refresh shows no change.
    let read = bucket.read(&state).await.unwrap().expect("bucket exists");
    assert_eq!(read, state);
    assert!(no_change(&bucket, &read, &cfg));

    // Update in place: labels (one changed, one removed) and lifecycle.
    cfg.set("labels", labels(&[("env", "prod")]));
    cfg.set("lifecycle_rule", Value::List(vec![rule("Delete", 60.0)]));
    let plan = bucket.plan(Some(&read), &cfg).unwrap();
    assert!(plan.requires_replace.is_empty());
    let state = apply(&bucket, Some(&read), &cfg).await;
    let (_, api) = curl("GET", &gcs(&format!("b/{name}")), None);
    assert_eq!(api["labels"]["env"], "prod");
    assert!(
        api["labels"].get("team").is_none(),
        "removed label is gone: {}",
        api["labels"]
    );
    assert_eq!(api["labels"]["managed-by"], "labform");
    assert_eq!(api["lifecycle"]["rule"].as_array().unwrap().len(), 1);
    assert_eq!(api["lifecycle"]["rule"][0]["condition"]["age"], 60);

    // Drift: someone changes a label and turns versioning off behind our back.
    let (code, _) = curl(
        "PATCH",
        &gcs(&format!("b/{name}")),
        Some(r#"{"labels":{"env":"hacked"},"versioning":{"enabled":false}}"#),
    );
    assert_eq!(code, 200);
    let drifted = bucket.read(&state).await.unwrap().unwrap();
    assert_eq!(drifted.get("labels").get("env"), &s("hacked"));
    assert!(
        !no_change(&bucket, &drifted, &cfg),
        "drift shows as a change"
    );
    let _fixed = apply(&bucket, Some(&drifted), &cfg).await;
    let (_, api) = curl("GET", &gcs(&format!("b/{name}")), None);
    assert_eq!(api["labels"]["env"], "prod");
    assert_eq!(api["versioning"]["enabled"], true);

    // A location change is a replacement.
    let mut moved = cfg.clone();
    moved.set("location", s("EU"));
    let fixed = bucket.read(&state).await.unwrap().unwrap();
    let plan = bucket.plan(Some(&fixed), &moved).unwrap();
    assert_eq!(plan.requires_replace, vec![vec!["location".to_string()]]);
    // Case alone is no change.
    let mut same = cfg.clone();
    same.set("location", s("US-Central1"));
    assert!(no_change(&bucket, &fixed, &same));

    // Objects: one through the resource, more (and a nested path) behind our back.
    let object = resource(&p, "google_storage_bucket_object");
    let ocfg = config(
        &object,
        vec![
            ("bucket", s(&name)),
            ("name", s("raw/hello.txt")),
            ("content", s("hello")),
            ("content_type", s("text/plain")),
        ],
    );
    let ostate = apply(&object, None, &ocfg).await;
    assert_eq!(ostate.get("md5hash"), &s("XUFAKrxLKna5cZ2REBfFkg=="));
    assert!(no_change(
        &object,
        &object.read(&ostate).await.unwrap().unwrap(),
        &ocfg
    ));
    let (code, _) = curl("GET", &gcs(&format!("b/{name}/o/raw%2Fhello.txt")), None);
    assert_eq!(code, 200);
    gcs_upload(&name, "extra-1.csv", "a,b");
    gcs_upload(&name, "extra-1.csv", "a,b,2");
    gcs_upload(&name, "extra-2.csv", "c,d");
    assert_eq!(
        versions_held(&name),
        Some(4),
        "three live objects and one noncurrent version"
    );

    // Replace by a moved location really makes the new bucket (after emptying the old).
    let replaced = apply(&bucket, Some(&fixed), &moved).await;
    let (_, api) = curl("GET", &gcs(&format!("b/{name}")), None);
    assert_eq!(api["location"], "EU");
    assert_eq!(replaced.get("location"), &s("EU"));
    // Only noncurrent versions left (the live object deleted): destroy must still find them.
    gcs_upload(&name, "again.csv", "e,f");
    gcs_upload(&name, "again.csv", "e,f,g");
    assert_eq!(
        curl("DELETE", &gcs(&format!("b/{name}/o/again.csv")), None).0 / 100,
        2
    );
    let (_, listed) = curl("GET", &gcs(&format!("b/{name}/o")), None);
    assert!(
        listed["items"].as_array().is_none_or(Vec::is_empty),
        "no live objects: {listed}"
    );
    assert_eq!(versions_held(&name), Some(2), "two noncurrent versions");

    // Destroy empties (force_destroy) and leaves nothing labelled with the stack.
    bucket
        .delete(&replaced, &OpContext::silent())
        .await
        .unwrap();
    assert_bucket_gone(&name, &stack);
    assert!(bucket.read(&replaced).await.unwrap().is_none());
    // Deleting what is gone succeeds.
    bucket
        .delete(&replaced, &OpContext::silent())
        .await
        .unwrap();
}

#[tokio::test]
async fn a_bucket_holding_objects_needs_force_destroy() {
    let stack = unique("stk-n");
    let p = configure(&stack, Value::object()).await;
    let bucket = resource(&p, "google_storage_bucket");
    let name = unique("lab-keep-");
    let mut cfg = config(
        &bucket,
        vec![
            ("name", s(&name)),
            ("location", s("US")),
            ("versioning", versioning(true)),
        ],
    );
    let state = apply(&bucket, None, &cfg).await;
    gcs_upload(&name, "data.parquet", "PAR1");
    assert_delete_refused(&bucket, &state).await;
    // A noncurrent version alone still blocks the delete.
    assert_eq!(
        curl("DELETE", &gcs(&format!("b/{name}/o/data.parquet")), None).0 / 100,
        2
    );
    let err = assert_delete_refused(&bucket, &state).await;
    assert!(err
        .hint
        .as_deref()
        .unwrap_or_default()
        .contains("force_destroy = true"));
    let (code, _) = curl("GET", &gcs(&format!("b/{name}")), None);
    assert_eq!(code, 200, "nothing was deleted");

    // Setting force_destroy is an update without an API call, then destroy empties it.
    cfg.set("force_destroy", Value::Bool(true));
    let state = apply(&bucket, Some(&state), &cfg).await;
    bucket.delete(&state, &OpContext::silent()).await.unwrap();
    assert_bucket_gone(&name, &stack);
}

#[tokio::test]
async fn names_are_checked_before_any_call() {
    let p = configure("names", Value::object()).await;
    let bucket = resource(&p, "google_storage_bucket");
    for bad in ["UPPER-case", "ab", "goog-bucket", "has space"] {
        let cfg = config(&bucket, vec![("name", s(bad)), ("location", s("US"))]);
        let e = bucket.validate(&cfg).unwrap_err();
        assert!(e.message.contains(&format!("`{bad}`")), "{}", e.message);
        let (code, _) = curl("GET", &gcs(&format!("b/{}", bad.replace(' ', "%20"))), None);
        assert_eq!(code, 404);
    }
}

#[tokio::test]
async fn list_marked_finds_only_this_stacks_buckets() {
    let stack = unique("stk-m");
    let p = configure(&stack, Value::object()).await;
    let bucket = resource(&p, "google_storage_bucket");
    let name = unique("lab-mark-");
    let cfg = config(&bucket, vec![("name", s(&name)), ("location", s("US"))]);
    let state = apply(&bucket, None, &cfg).await;
    let found = marked_values(&bucket, &stack).await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].get("name"), &s(&name));
    assert!(marked_values(&bucket, "some-other-stack")
        .await
        .iter()
        .all(|b| b.get("name") != &s(&name)));
    bucket.delete(&state, &OpContext::silent()).await.unwrap();
    assert!(marked_values(&bucket, &stack).await.is_empty());
}

#[tokio::test]
async fn cors_website_retention_and_public_access_prevention() {
    let stack = unique("stk-c");
    let p = configure(&stack, Value::object()).await;
    let bucket = resource(&p, "google_storage_bucket");
    let name = unique("lab-site-");
    let cors = Value::List(vec![Value::from_pairs([
        ("origin", Value::List(vec![s("https://example.com")])),
        ("method", Value::List(vec![s("GET"), s("HEAD")])),
        ("response_header", Value::List(vec![s("Content-Type")])),
        ("max_age_seconds", Value::Number(3600.0)),
    ])]);
    let website = Value::List(vec![Value::from_pairs([
        ("main_page_suffix", s("index.html")),
        ("not_found_page", s("404.html")),
    ])]);
    let retention = Value::List(vec![Value::from_pairs([
        ("retention_period", s("86400")),
        ("is_locked", Value::Bool(false)),
    ])]);
    let mut cfg = config(
        &bucket,
        vec![
            ("name", s(&name)),
            ("location", s("EU")),
            ("public_access_prevention", s("enforced")),
            ("cors", cors),
            ("website", website),
            ("retention_policy", retention),
        ],
    );
    let state = apply(&bucket, None, &cfg).await;
    let (_, api) = curl("GET", &gcs(&format!("b/{name}")), None);
    assert_eq!(api["cors"][0]["origin"][0], "https://example.com");
    assert_eq!(api["cors"][0]["maxAgeSeconds"], 3600);
    assert_eq!(api["website"]["mainPageSuffix"], "index.html");
    assert_eq!(api["retentionPolicy"]["retentionPeriod"], "86400");
    assert_eq!(
        api["iamConfiguration"]["publicAccessPrevention"],
        "enforced"
    );
    let read = bucket.read(&state).await.unwrap().unwrap();
    assert!(no_change(&bucket, &read, &cfg), "refresh:\n{read}");

    // Removing the retention policy and the website clears them (PATCH with null).
    cfg.set("retention_policy", Value::List(vec![]));
    cfg.set("website", Value::List(vec![]));
    let state = apply(&bucket, Some(&read), &cfg).await;
    let (_, api) = curl("GET", &gcs(&format!("b/{name}")), None);
    assert!(api.get("retentionPolicy").is_none(), "{api}");
    assert!(api.get("website").is_none(), "{api}");
    assert_eq!(api["cors"][0]["method"][1], "HEAD", "untouched fields stay");
    bucket.delete(&state, &OpContext::silent()).await.unwrap();
    assert_eq!(curl("GET", &gcs(&format!("b/{name}")), None).0, 404);
}

#[tokio::test]
async fn object_content_change_reuploads_in_place() {
    let stack = unique("stk-o");
    let p = configure(&stack, Value::object()).await;
    let bucket = resource(&p, "google_storage_bucket");
    let object = resource(&p, "google_storage_bucket_object");
    let name = unique("lab-obj-");
    let b = scratch_bucket(&bucket, &name).await;
    let mut cfg = config(
        &object,
        vec![
            ("bucket", s(&name)),
            ("name", s("notes.txt")),
            ("content", s("v1")),
        ],
    );
    let o = apply(&object, None, &cfg).await;
    cfg.set("content", s("version two"));
    let plan = object.plan(Some(&o), &cfg).unwrap();
    assert!(
        plan.requires_replace.is_empty(),
        "content is updated in place"
    );
    assert!(plan.planned.get("md5hash").is_unknown());
    let o2 = apply(&object, Some(&o), &cfg).await;
    assert_ne!(o.get("md5hash"), o2.get("md5hash"));
    assert_eq!(
        String::from_utf8_lossy(&gcs_download(&name, "notes.txt")),
        "version two"
    );
    // Neither `content` nor `source`, or both: refused before any call.
    let both = config(
        &object,
        vec![
            ("bucket", s(&name)),
            ("name", s("x")),
            ("content", s("a")),
            ("source", s("f")),
        ],
    );
    assert!(object
        .validate(&both)
        .unwrap_err()
        .message
        .contains("exactly one of"));
    bucket.delete(&b, &OpContext::silent()).await.unwrap();
    assert_eq!(curl("GET", &gcs(&format!("b/{name}")), None).0, 404);
}
