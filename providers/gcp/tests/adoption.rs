//! Every resource type finds and adopts the object of an interrupted create (the shared
//! template in common/adopt.rs), checked with curl against the emulators.

// A test crate: its helpers may unwrap too (a failed unwrap is a failed test).
#![allow(clippy::unwrap_used)]

mod common;

use common::adopt::{delete_twice, interrupted_create_is_adopted, label_mark, metadata_mark, Case};
use common::*;
use labform_sdk::{OpContext, Value};
use serde_json::Value as Json;

fn items(body: &Json, key: &str) -> Vec<Json> {
    body[key].as_array().cloned().unwrap_or_default()
}

fn buckets_named(name: &str) -> Vec<Json> {
    let (code, body) = curl(
        "GET",
        &gcs(&format!("b?project={}&prefix={name}", project())),
        None,
    );
    assert_eq!(code, 200, "{body}");
    items(&body, "items")
        .into_iter()
        .filter(|b| b["name"] == name)
        .collect()
}

fn datasets_named(id: &str) -> Vec<Json> {
    let (code, body) = curl("GET", &bq("datasets?all=true"), None);
    assert_eq!(code, 200, "{body}");
    items(&body, "datasets")
        .into_iter()
        .filter(|d| d["datasetReference"]["datasetId"] == id)
        .collect()
}

/// Tables of `dataset` named `id`, each read whole (the list carries no labels).
fn tables_named(dataset: &str, id: &str) -> Vec<Json> {
    let (code, body) = curl("GET", &bq(&format!("datasets/{dataset}/tables")), None);
    assert_eq!(code, 200, "{body}");
    items(&body, "tables")
        .into_iter()
        .filter(|t| t["tableReference"]["tableId"] == id)
        .map(|_| curl("GET", &bq(&format!("datasets/{dataset}/tables/{id}")), None).1)
        .collect()
}

fn objects_named(bucket: &str, name: &str) -> Vec<Json> {
    let prefix = name.replace('/', "%2F").replace(' ', "%20");
    let (code, body) = curl("GET", &gcs(&format!("b/{bucket}/o?prefix={prefix}")), None);
    assert_eq!(code, 200, "{body}");
    items(&body, "items")
        .into_iter()
        .filter(|o| o["name"] == name)
        .collect()
}

#[tokio::test]
async fn an_interrupted_bucket_create_is_adopted() {
    let p = configure(&unique("stk-ab"), Value::object()).await;
    let bucket = resource(&p, "google_storage_bucket");
    let name = unique("lab-adopt-");
    let base = vec![
        ("name", s(&name)),
        ("location", s("US")),
        ("force_destroy", Value::Bool(true)),
    ];
    let mut update = base.clone();
    update.push(("labels", labels(&[("env", "prod")])));
    let objects = || buckets_named(&name);
    let state = interrupted_create_is_adopted(Case {
        resource: &bucket,
        config: config(&bucket, base),
        update: config(&bucket, update),
        objects: &objects,
        mark_of: label_mark,
    })
    .await;
    assert_eq!(objects()[0]["labels"]["env"], "prod");
    delete_twice(&bucket, &state, &objects).await;
}

#[tokio::test]
async fn an_interrupted_object_upload_is_adopted() {
    let p = configure(&unique("stk-ao"), Value::object()).await;
    let bucket = resource(&p, "google_storage_bucket");
    let object = resource(&p, "google_storage_bucket_object");
    let name = unique("lab-adopt-o-");
    let b = scratch_bucket(&bucket, &name).await;
    let cfg = |content: &str| {
        config(
            &object,
            vec![
                ("bucket", s(&name)),
                ("name", s("raw/day 1.csv")),
                ("content", s(content)),
                ("content_type", s("text/csv")),
            ],
        )
    };
    let objects = || objects_named(&name, "raw/day 1.csv");
    let state = interrupted_create_is_adopted(Case {
        resource: &object,
        config: cfg("a,b\r\n1,2\n"),
        update: cfg("a,b\r\n1,2\n3,4\n"),
        objects: &objects,
        mark_of: metadata_mark,
    })
    .await;
    assert_eq!(
        gcs_download(&name, "raw%2Fday%201.csv"),
        b"a,b\r\n1,2\n3,4\n",
        "the bytes uploaded are the bytes stored"
    );
    delete_twice(&object, &state, &objects).await;
    bucket
        .delete(&b, &OpContext::silent())
        .await
        .expect("delete bucket");
}

#[tokio::test]
async fn an_interrupted_dataset_create_is_adopted() {
    let p = configure(&unique("stk-ad"), Value::object()).await;
    let ds = resource(&p, "google_bigquery_dataset");
    let id = unique_id("adopt_");
    let base = vec![
        ("dataset_id", s(&id)),
        ("labels", labels(&[("env", "dev")])),
    ];
    // Changing a value is a PATCH; removing a key below is a full PUT: both keep the mark.
    let update = vec![
        ("dataset_id", s(&id)),
        ("labels", labels(&[("env", "prod"), ("team", "de")])),
    ];
    let objects = || datasets_named(&id);
    let state = interrupted_create_is_adopted(Case {
        resource: &ds,
        config: config(&ds, base),
        update: config(&ds, update),
        objects: &objects,
        mark_of: label_mark,
    })
    .await;
    let removed = config(
        &ds,
        vec![
            ("dataset_id", s(&id)),
            ("labels", labels(&[("team", "de")])),
        ],
    );
    let state = apply(&ds, Some(&state), &removed).await;
    let seen = objects();
    assert!(seen[0]["labels"].get("env").is_none(), "{}", seen[0]);
    assert!(
        label_mark(&seen[0]).is_some(),
        "a PUT removed the mark: {}",
        seen[0]
    );
    delete_twice(&ds, &state, &objects).await;
}

#[tokio::test]
async fn an_interrupted_table_create_is_adopted() {
    let p = configure(&unique("stk-at"), Value::object()).await;
    let ds = resource(&p, "google_bigquery_dataset");
    let table = resource(&p, "google_bigquery_table");
    let dataset = unique_id("adopt_t_");
    let d = scratch_dataset(&ds, &dataset).await;
    let cfg = |env: &str| {
        config(
            &table,
            vec![
                ("dataset_id", s(&dataset)),
                ("table_id", s("trips")),
                ("schema", s(r#"[{"name":"id","type":"INTEGER"}]"#)),
                ("deletion_protection", Value::Bool(false)),
                ("labels", labels(&[("env", env)])),
            ],
        )
    };
    let objects = || tables_named(&dataset, "trips");
    let state = interrupted_create_is_adopted(Case {
        resource: &table,
        config: cfg("dev"),
        update: cfg("prod"),
        objects: &objects,
        mark_of: label_mark,
    })
    .await;
    delete_twice(&table, &state, &objects).await;
    ds.delete(&d, &OpContext::silent())
        .await
        .expect("delete dataset");
    assert!(datasets_named(&dataset).is_empty());
}

/// A dataset of that name made outside labform is never adopted, and the error says how to
/// get out (its intent stays until the user decides).
#[tokio::test]
async fn a_foreign_object_of_the_same_name_is_not_adopted() {
    let p = configure(&unique("stk-af"), Value::object()).await;
    let ds = resource(&p, "google_bigquery_dataset");
    let id = unique_id("foreign_");
    let body = serde_json::json!({
        "datasetReference": {"projectId": project(), "datasetId": id},
        "labels": {"owner": "someone-else"}
    });
    let (code, made) = curl("POST", &bq("datasets"), Some(&body.to_string()));
    assert_eq!(code, 200, "{made}");
    let planned = ds
        .plan(None, &config(&ds, vec![("dataset_id", s(&id))]))
        .expect("plan")
        .planned;
    let e = ds
        .find_interrupted(&common::adopt::intent(&planned), "tok-1")
        .await
        .expect_err("someone else's dataset");
    assert!(
        e.message.contains(&format!(
            "dataset `{id}` exists, but labform did not make it"
        )),
        "{}",
        e.message
    );
    assert!(e
        .hint
        .unwrap_or_default()
        .contains(&format!("bq rm -r -d {}:{id}", project())));
    assert_eq!(datasets_named(&id).len(), 1, "it was left alone");
    let (code, _) = curl("DELETE", &bq(&format!("datasets/{id}")), None);
    assert_eq!(code / 100, 2);
}
