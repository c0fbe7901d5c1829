//! The provider block: credentials, project and endpoint errors. Environment variables are
//! process-wide, so everything that changes them runs in this one test, in order.

// A test crate: its helpers may unwrap too (a failed unwrap is a failed test).
#![allow(clippy::unwrap_used)]

mod common;

use std::time::{Duration, Instant};

use labform_sdk::{ErrorKind, OpContext, ProviderContext, Value};

fn ctx(dir: &std::path::Path) -> ProviderContext {
    ProviderContext {
        stack_name: "prov".to_string(),
        stack_dir: dir.to_path_buf(),
        stack_id: labform_sdk::label_safe("prov"),
        expires: None,
    }
}

/// A provider block with the one attribute `key = value`.
fn setting(key: &str, value: &str) -> Value {
    Value::from_pairs([(key, Value::from(value))])
}

async fn configure_err(config: Value, dir: &std::path::Path) -> labform_sdk::ProviderError {
    match labform_gcp::provider().configure(&config, &ctx(dir)).await {
        Ok(_) => panic!("configure should have failed"),
        Err(e) => e,
    }
}

#[tokio::test]
async fn credentials_project_and_endpoint_errors() {
    let (storage, bigquery) = common::emulators();
    let dir = std::env::temp_dir().join(format!("labform-gcp-prov-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    // With emulators, a configured key is still read and checked.
    let e = configure_err(setting("credentials", "{ this is not json"), &dir).await;
    assert_eq!(e.kind, ErrorKind::Credentials);
    assert!(e.message.contains("is not valid JSON"), "{}", e.message);
    let e = configure_err(setting("credentials", "keys/missing.json"), &dir).await;
    assert!(
        e.message.contains("keys/missing.json") && e.message.contains("no such file"),
        "{}",
        e.message
    );
    std::fs::write(
        dir.join("bad.json"),
        "{\"type\": \"service_account\", \"client_email\": \"x@y\"",
    )
    .unwrap();
    let e = configure_err(setting("credentials", "bad.json"), &dir).await;
    assert!(
        e.message.contains("bad.json") && e.message.contains("not valid JSON"),
        "{}",
        e.message
    );
    std::fs::write(dir.join("key.json"), r#"{"type":"service_account","client_email":"sa@p.iam.gserviceaccount.com","private_key":"-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----\n","project_id":"p","token_uri":"http://127.0.0.1:9/token"}"#).unwrap();
    let ok = labform_gcp::provider()
        .configure(&setting("credentials", "key.json"), &ctx(&dir))
        .await;
    assert!(
        ok.is_ok(),
        "a well-formed key file is accepted with emulators (requests go unauthenticated)"
    );

    // A project name where an ID is expected.
    let e = configure_err(setting("project", "My First Project"), &dir).await;
    assert_eq!(e.kind, ErrorKind::InvalidConfig);
    assert!(
        e.message.contains("`My First Project` is not a project ID"),
        "{}",
        e.message
    );
    assert!(e.hint.unwrap().contains("project ID"));

    // A dead endpoint fails fast and says which endpoint.
    let dead = Value::from_pairs([
        (
            "storage_custom_endpoint",
            Value::from("http://127.0.0.1:1/storage/v1/"),
        ),
        (
            "big_query_custom_endpoint",
            Value::from("http://127.0.0.1:1/bigquery/v2/"),
        ),
    ]);
    let p = labform_gcp::provider()
        .configure(&dead, &ctx(&dir))
        .await
        .unwrap();
    let bucket = p.resource("google_storage_bucket").unwrap();
    let mut b = bucket.schema().empty_value();
    b.set("name", Value::from("some-bucket"));
    let started = Instant::now();
    let e = bucket.read(&b).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unreachable, "{e}");
    assert!(e.message.contains("127.0.0.1:1"), "{}", e.message);
    let ds = p.resource("google_bigquery_dataset").unwrap();
    let mut d = ds.schema().empty_value();
    d.set("dataset_id", Value::from("x"));
    let e = ds.read(&d).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unreachable, "{e}");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "no long retries against a dead emulator"
    );
    let e = ds.delete(&d, &OpContext::silent()).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unreachable);

    // No emulators and no credentials anywhere: say where we looked.
    let saved: Vec<(&str, Option<String>)> = [
        "STORAGE_EMULATOR_HOST",
        "BIGQUERY_EMULATOR_HOST",
        "GOOGLE_APPLICATION_CREDENTIALS",
        "GOOGLE_CREDENTIALS",
        "HOME",
        "CLOUDSDK_CONFIG",
    ]
    .into_iter()
    .map(|k| (k, std::env::var(k).ok()))
    .collect();
    for (k, _) in &saved {
        std::env::remove_var(k);
    }
    // Without emulators the endpoints are Google's: point them at a closed loopback port
    // instead, so nothing here can reach a real cloud (they take credentials all the same).
    std::env::set_var(
        "GOOGLE_STORAGE_CUSTOM_ENDPOINT",
        "https://127.0.0.1:9/storage/v1/",
    );
    std::env::set_var(
        "GOOGLE_BIG_QUERY_CUSTOM_ENDPOINT",
        "https://127.0.0.1:9/bigquery/v2/",
    );
    std::env::set_var("HOME", &dir);
    let e = configure_err(Value::object(), &dir).await;
    assert_eq!(e.kind, ErrorKind::Credentials);
    assert!(
        e.message
            .starts_with("no google credentials found; looked in"),
        "{}",
        e.message
    );
    assert!(
        e.message
            .contains("`GOOGLE_APPLICATION_CREDENTIALS` (not set)"),
        "{}",
        e.message
    );
    assert!(
        e.message.contains("application_default_credentials.json"),
        "{}",
        e.message
    );
    assert!(e
        .hint
        .unwrap()
        .contains("gcloud auth application-default login"));
    // Only Cloud Storage on an emulator: buckets work, BigQuery says what is missing when used.
    std::env::remove_var("GOOGLE_STORAGE_CUSTOM_ENDPOINT");
    std::env::set_var("STORAGE_EMULATOR_HOST", &storage);
    let p = labform_gcp::provider()
        .configure(&Value::object(), &ctx(&dir))
        .await
        .expect("configure with one emulator");
    let bucket = p.resource("google_storage_bucket").unwrap();
    let mut b = bucket.schema().empty_value();
    b.set("name", Value::from("never-created-bucket"));
    assert_eq!(bucket.read(&b).await.unwrap(), None);
    let ds = p.resource("google_bigquery_dataset").unwrap();
    let mut d = ds.schema().empty_value();
    d.set("dataset_id", Value::from("x"));
    d.set("project", Value::from("labform-test"));
    let e = ds.read(&d).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Credentials);
    assert!(
        e.message.starts_with("no google credentials found"),
        "{}",
        e.message
    );
    std::env::remove_var("STORAGE_EMULATOR_HOST");

    std::env::set_var("GOOGLE_APPLICATION_CREDENTIALS", dir.join("nope.json"));
    let e = configure_err(Value::object(), &dir).await;
    assert!(
        e.message.contains("nope.json") && e.message.contains("`GOOGLE_APPLICATION_CREDENTIALS`"),
        "{}",
        e.message
    );
    std::env::set_var("GOOGLE_CREDENTIALS", "{broken");
    let e = configure_err(Value::object(), &dir).await;
    assert!(
        e.message.contains("`GOOGLE_CREDENTIALS` is not valid JSON"),
        "{}",
        e.message
    );
    for (k, v) in saved {
        match v {
            Some(v) => std::env::set_var(k, v),
            None => std::env::remove_var(k),
        }
    }
    std::env::remove_var("GOOGLE_APPLICATION_CREDENTIALS");
    std::env::remove_var("GOOGLE_CREDENTIALS");
    std::env::remove_var("GOOGLE_BIG_QUERY_CUSTOM_ENDPOINT");
    assert_eq!(std::env::var("STORAGE_EMULATOR_HOST").ok(), Some(storage));
    assert_eq!(std::env::var("BIGQUERY_EMULATOR_HOST").ok(), Some(bigquery));
    let _ = std::fs::remove_dir_all(&dir);
}
