//! Shared helpers for the emulator tests: configure the provider, plan/apply like the engine,
//! and a separate client (curl) to check what the emulators really hold.
#![allow(dead_code)]

use std::process::Command;
use std::sync::Arc;

use labform_sdk::{ConfiguredProvider, OpContext, ProviderContext, Resource, Value};
use serde_json::Value as Json;

pub mod adopt;
pub mod loopback;

pub fn env(name: &str) -> String {
    match std::env::var(name) {
        Ok(v) if !v.is_empty() => v,
        _ => panic!(
            "`{name}` is not set: start the emulators first: scripts/services/gcs.sh start /tmp/run && scripts/services/bigquery.sh start /tmp/run && . /tmp/run/gcs.env && . /tmp/run/bigquery.env"
        ),
    }
}

/// The emulator endpoints, checked before any call: each must be set and on 127.0.0.0/8, and
/// no custom endpoint variable may send the provider elsewhere. A test that would reach a
/// real cloud fails here, at once, saying why.
pub fn emulators() -> (String, String) {
    let storage = env("STORAGE_EMULATOR_HOST");
    let bigquery = env("BIGQUERY_EMULATOR_HOST");
    for (name, value) in [
        ("STORAGE_EMULATOR_HOST", Some(storage.clone())),
        ("BIGQUERY_EMULATOR_HOST", Some(bigquery.clone())),
        (
            "GOOGLE_STORAGE_CUSTOM_ENDPOINT",
            std::env::var("GOOGLE_STORAGE_CUSTOM_ENDPOINT").ok(),
        ),
        (
            "GOOGLE_BIG_QUERY_CUSTOM_ENDPOINT",
            std::env::var("GOOGLE_BIG_QUERY_CUSTOM_ENDPOINT").ok(),
        ),
    ] {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            if let Err(why) = loopback::check(&v) {
                panic!("`{name}` is `{v}`: {why}; these tests talk only to local emulators");
            }
        }
    }
    (storage, bigquery)
}

pub fn project() -> String {
    env("GOOGLE_PROJECT")
}

/// A name unique to this run (emulators keep state across tests).
pub fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{prefix}{}{:x}", std::process::id(), nanos)
}

/// [`unique`] as a BigQuery id, which takes letters, digits and underscores.
pub fn unique_id(prefix: &str) -> String {
    unique(prefix).replace('-', "_")
}

pub async fn configure(stack: &str, config: Value) -> Arc<dyn ConfiguredProvider> {
    emulators();
    let ctx = ProviderContext {
        stack_name: stack.to_string(),
        stack_dir: std::env::temp_dir(),
        stack_id: labform_sdk::label_safe(stack),
        expires: None,
    };
    match labform_gcp::provider().configure(&config, &ctx).await {
        Ok(p) => p,
        Err(e) => panic!("configure failed: {e}"),
    }
}

pub fn resource(p: &Arc<dyn ConfiguredProvider>, ty: &str) -> Arc<dyn Resource> {
    p.resource(ty)
        .unwrap_or_else(|| panic!("no resource type {ty}"))
}

/// A configuration value: every schema attribute null / every block empty, then `pairs`.
pub fn config(r: &Arc<dyn Resource>, pairs: Vec<(&str, Value)>) -> Value {
    let mut v = r.schema().empty_value();
    for (k, val) in pairs {
        v.set(k, val);
    }
    v
}

/// Plans and applies like the engine: validate, plan, create/update (replace = delete+create).
pub async fn apply(r: &Arc<dyn Resource>, prior: Option<&Value>, config: &Value) -> Value {
    r.validate(config)
        .unwrap_or_else(|e| panic!("validate: {e}"));
    let plan = r
        .plan(prior, config)
        .unwrap_or_else(|e| panic!("plan: {e}"));
    let ctx = OpContext::silent();
    let out = match prior {
        None => r.create(&plan.planned, &ctx).await,
        Some(p) if !plan.requires_replace.is_empty() => {
            r.delete(p, &ctx)
                .await
                .unwrap_or_else(|e| panic!("delete for replace: {e}"));
            r.create(&plan.planned, &ctx).await
        }
        Some(p) => r.update(p, &plan.planned, &ctx).await,
    };
    let state = out.unwrap_or_else(|e| panic!("apply: {e}"));
    assert!(state.is_wholly_known(), "state holds unknowns: {state}");
    assert_planned_matches(&plan.planned, &state);
    state
}

/// Every value known at plan time is what apply produced.
fn assert_planned_matches(planned: &Value, state: &Value) {
    match (planned, state) {
        (Value::Unknown, _) => {}
        (Value::Object(p), Value::Object(s)) => {
            for (k, v) in p {
                assert_planned_matches(v, s.get(k).unwrap_or(&Value::Null));
            }
        }
        (Value::List(p), Value::List(s)) if p.len() == s.len() => {
            for (a, b) in p.iter().zip(s) {
                assert_planned_matches(a, b);
            }
        }
        _ => assert_eq!(planned, state, "planned value differs from the applied one"),
    }
}

/// Whether a plan against `prior` is a no-op.
pub fn no_change(r: &Arc<dyn Resource>, prior: &Value, config: &Value) -> bool {
    let plan = r
        .plan(Some(prior), config)
        .unwrap_or_else(|e| panic!("plan: {e}"));
    plan.requires_replace.is_empty() && &plan.planned == prior
}

/// What a sweep of `stack` (named as the engine names it, id derived the same way) finds of `r`.
pub async fn marked_values(r: &Arc<dyn Resource>, stack: &str) -> Vec<Value> {
    let filter = labform_sdk::StackFilter::Stack {
        name: stack.to_string(),
        id: labform_sdk::label_safe(stack),
    };
    r.list_marked(&filter)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.value)
        .collect()
}

/// curl against an emulator: (status, JSON body).
pub fn curl(method: &str, url: &str, body: Option<&str>) -> (u16, Json) {
    let mut cmd = Command::new("curl");
    cmd.args(["-s", "-X", method, "-w", "\n%{http_code}", url]);
    if let Some(b) = body {
        cmd.args(["-H", "content-type: application/json", "--data-binary", b]);
    }
    let out = cmd.output().expect("curl runs");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let (body, code) = text.rsplit_once('\n').unwrap_or(("", &text));
    (
        code.trim().parse().unwrap_or(0),
        serde_json::from_str(body).unwrap_or(Json::Null),
    )
}

pub fn gcs(path: &str) -> String {
    format!(
        "{}/storage/v1/{path}",
        env("STORAGE_EMULATOR_HOST").trim_end_matches('/')
    )
}

/// The bytes of the object `encoded_path` (URL-encoded) in `bucket`, read with curl.
pub fn gcs_download(bucket: &str, encoded_path: &str) -> Vec<u8> {
    let url = format!("{}?alt=media", gcs(&format!("b/{bucket}/o/{encoded_path}")));
    Command::new("curl")
        .args(["-s", &url])
        .output()
        .expect("curl runs")
        .stdout
}

/// An empty `google_storage_bucket` named `name` in `US` that may be destroyed holding objects:
/// a place for the object tests' objects.
pub async fn scratch_bucket(bucket: &Arc<dyn Resource>, name: &str) -> Value {
    let cfg = config(
        bucket,
        vec![
            ("name", s(name)),
            ("location", s("US")),
            ("force_destroy", Value::Bool(true)),
        ],
    );
    apply(bucket, None, &cfg).await
}

/// A `google_bigquery_dataset` `id` that may be destroyed holding tables: a place for the
/// table tests' tables.
pub async fn scratch_dataset(ds: &Arc<dyn Resource>, id: &str) -> Value {
    let cfg = config(
        ds,
        vec![
            ("dataset_id", s(id)),
            ("delete_contents_on_destroy", Value::Bool(true)),
        ],
    );
    apply(ds, None, &cfg).await
}

pub fn gcs_upload(bucket: &str, name: &str, data: &str) {
    let url = format!(
        "{}/upload/storage/v1/b/{bucket}/o?uploadType=media&name={name}",
        env("STORAGE_EMULATOR_HOST").trim_end_matches('/')
    );
    let out = Command::new("curl")
        .args([
            "-s",
            "-f",
            "-X",
            "POST",
            "-H",
            "content-type: text/plain",
            "--data-binary",
            data,
            &url,
        ])
        .output()
        .expect("curl runs");
    assert!(
        out.status.success(),
        "upload failed: {}",
        String::from_utf8_lossy(&out.stdout)
    );
}

pub fn bq(path: &str) -> String {
    format!(
        "{}/bigquery/v2/projects/{}/{path}",
        env("BIGQUERY_EMULATOR_HOST").trim_end_matches('/'),
        project()
    )
}

/// The names (at the JSON pointer `name_at`) of the objects of an API's list answer `items`
/// labelled `labform-stack = stack`.
pub fn names_of_stack(items: &Json, stack: &str, name_at: &str) -> Vec<String> {
    items
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|o| o["labels"]["labform-stack"] == stack)
        .map(|o| {
            o.pointer(name_at)
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

pub fn s(v: &str) -> Value {
    Value::from(v)
}

pub fn labels(pairs: &[(&str, &str)]) -> Value {
    Value::string_map(pairs.iter().copied())
}
