//! google_bigquery_dataset and google_bigquery_table against the BigQuery emulator, checked with
//! curl.

// A test crate: its helpers may unwrap too (a failed unwrap is a failed test).
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use labform_sdk::{OpContext, Value};

const SCHEMA: &str = r#"[{"name":"vendor_id","type":"INTEGER","mode":"REQUIRED"},{"name":"pickup","type":"TIMESTAMP"},{"name":"zone","type":"STRING"}]"#;

fn stack_datasets(stack: &str) -> Vec<String> {
    let (code, body) = curl("GET", &bq("datasets?all=true"), None);
    assert_eq!(code, 200, "{body}");
    names_of_stack(&body["datasets"], stack, "/datasetReference/datasetId")
}

#[tokio::test]
async fn dataset_create_update_drift_replace_destroy() {
    let stack = unique("stk-d");
    let p = configure(&stack, Value::object()).await;
    let ds = resource(&p, "google_bigquery_dataset");
    let id = unique_id("trips_");
    let mut cfg = config(
        &ds,
        vec![
            ("dataset_id", s(&id)),
            ("location", s("EU")),
            ("description", s("zoomcamp warehouse")),
            ("default_table_expiration_ms", Value::Number(7_200_000.0)),
            ("labels", labels(&[("env", "dev"), ("team", "de")])),
        ],
    );
    let plan = ds.plan(None, &cfg).unwrap();
    assert_eq!(plan.planned.get("project"), &s(&project()));
    assert_eq!(
        plan.planned.get("delete_contents_on_destroy"),
        &Value::Bool(false)
    );
    let state = apply(&ds, None, &cfg).await;
    assert_eq!(
        state.get("id"),
        &s(&format!("projects/{}/datasets/{id}", project()))
    );

    let (code, api) = curl("GET", &bq(&format!("datasets/{id}")), None);
    assert_eq!(code, 200, "{api}");
    assert_eq!(api["location"], "EU");
    assert_eq!(api["description"], "zoomcamp warehouse");
    assert_eq!(api["labels"]["managed-by"], "labform");
    assert_eq!(api["labels"]["labform-stack"], stack.as_str());
    assert_eq!(api["labels"]["env"], "dev");
    assert_eq!(api["defaultTableExpirationMs"], "7200000");

    let read = ds.read(&state).await.unwrap().unwrap();
    assert_eq!(read, state);
    assert!(no_change(&ds, &read, &cfg));

    // Update in place: description and a label value (PATCH).
    cfg.set("description", s("week 3"));
    cfg.set("labels", labels(&[("env", "prod"), ("team", "de")]));
    let state = apply(&ds, Some(&read), &cfg).await;
    let (_, api) = curl("GET", &bq(&format!("datasets/{id}")), None);
    assert_eq!(api["description"], "week 3");
    assert_eq!(api["labels"]["env"], "prod");
    assert_eq!(api["labels"]["managed-by"], "labform");

    // Removing a label key (a full PUT). Clearing `default_table_expiration_ms` goes the same
    // way, but bqemulator's PUT keeps fields the body leaves out, so it is not checked here.
    cfg.set("labels", labels(&[("env", "prod")]));
    let state = apply(&ds, Some(&state), &cfg).await;
    let (_, api) = curl("GET", &bq(&format!("datasets/{id}")), None);
    assert!(api["labels"].get("team").is_none(), "{}", api["labels"]);
    assert_eq!(api["labels"]["labform-stack"], stack.as_str());

    // Drift.
    let (code, _) = curl(
        "PATCH",
        &bq(&format!("datasets/{id}")),
        Some(r#"{"description":"changed by hand"}"#),
    );
    assert_eq!(code, 200);
    let drifted = ds.read(&state).await.unwrap().unwrap();
    assert_eq!(drifted.get("description"), &s("changed by hand"));
    assert!(!no_change(&ds, &drifted, &cfg));
    let state = apply(&ds, Some(&drifted), &cfg).await;
    let (_, api) = curl("GET", &bq(&format!("datasets/{id}")), None);
    assert_eq!(api["description"], "week 3");

    // Location: case is no change, another location is a replacement.
    let mut lower = cfg.clone();
    lower.set("location", s("eu"));
    assert!(no_change(&ds, &state, &lower));
    let mut moved = cfg.clone();
    moved.set("location", s("US"));
    assert_eq!(
        ds.plan(Some(&state), &moved).unwrap().requires_replace,
        vec![vec!["location".to_string()]]
    );
    let state = apply(&ds, Some(&state), &moved).await;
    let (_, api) = curl("GET", &bq(&format!("datasets/{id}")), None);
    assert_eq!(api["location"], "US");

    ds.delete(&state, &OpContext::silent()).await.unwrap();
    let (code, _) = curl("GET", &bq(&format!("datasets/{id}")), None);
    assert_eq!(code, 404);
    assert!(stack_datasets(&stack).is_empty());
}

#[tokio::test]
async fn tables_and_a_dataset_holding_them() {
    let stack = unique("stk-t");
    let p = configure(&stack, Value::object()).await;
    let ds = resource(&p, "google_bigquery_dataset");
    let table = resource(&p, "google_bigquery_table");
    let id = unique_id("lake_");
    let dcfg = config(&ds, vec![("dataset_id", s(&id)), ("location", s("US"))]);
    let dstate = apply(&ds, None, &dcfg).await;

    let partitioning = Value::List(vec![Value::from_pairs([
        ("type", s("DAY")),
        ("field", s("pickup")),
        ("expiration_ms", Value::Null),
    ])]);
    let mut tcfg = config(
        &table,
        vec![
            ("dataset_id", s(&id)),
            ("table_id", s("yellow_trips")),
            ("schema", s(SCHEMA)),
            ("time_partitioning", partitioning),
            ("clustering", Value::List(vec![s("vendor_id")])),
            ("labels", labels(&[("env", "dev")])),
            ("description", s("raw trips")),
        ],
    );
    let tstate = apply(&table, None, &tcfg).await;
    assert_eq!(
        tstate.get("deletion_protection"),
        &Value::Bool(true),
        "Terraform's default"
    );
    let (code, api) = curl(
        "GET",
        &bq(&format!("datasets/{id}/tables/yellow_trips")),
        None,
    );
    assert_eq!(code, 200, "{api}");
    assert_eq!(api["labels"]["managed-by"], "labform");
    assert_eq!(api["labels"]["labform-stack"], stack.as_str());
    assert_eq!(api["timePartitioning"]["type"], "DAY");
    assert_eq!(api["timePartitioning"]["field"], "pickup");
    assert_eq!(api["clustering"]["fields"][0], "vendor_id");
    assert_eq!(api["schema"]["fields"].as_array().map(Vec::len), Some(3));

    // Refresh is no change; an equivalent schema written differently is no change either.
    let read = table.read(&tstate).await.unwrap().unwrap();
    assert!(no_change(&table, &read, &tcfg), "refresh:\n{read}");
    let mut reordered = tcfg.clone();
    reordered.set("schema", s(r#"[{"name":"zone","type":"STRING","mode":"NULLABLE"},{"name":"pickup","type":"timestamp"},{"name":"vendor_id","type":"INT64","mode":"REQUIRED"}]"#));
    assert!(no_change(&table, &read, &reordered));

    // A column type change replaces the table; a new nullable column is added in place.
    let mut retyped = tcfg.clone();
    retyped.set(
        "schema",
        s(&SCHEMA.replace(
            r#""name":"zone","type":"STRING""#,
            r#""name":"zone","type":"INTEGER""#,
        )),
    );
    assert_eq!(
        table.plan(Some(&read), &retyped).unwrap().requires_replace,
        vec![vec!["schema".to_string()]]
    );
    tcfg.set(
        "schema",
        s(&SCHEMA.replace("]", r#",{"name":"fare","type":"FLOAT"}]"#)),
    );
    assert!(table
        .plan(Some(&read), &tcfg)
        .unwrap()
        .requires_replace
        .is_empty());
    let read = apply(&table, Some(&read), &tcfg).await;
    let (_, api) = curl(
        "GET",
        &bq(&format!("datasets/{id}/tables/yellow_trips")),
        None,
    );
    assert_eq!(
        api["schema"]["fields"].as_array().map(Vec::len),
        Some(4),
        "{api}"
    );

    // Update in place: description and labels.
    tcfg.set("description", s("cleaned trips"));
    tcfg.set("labels", labels(&[("env", "prod")]));
    let tstate = apply(&table, Some(&read), &tcfg).await;
    let (_, api) = curl(
        "GET",
        &bq(&format!("datasets/{id}/tables/yellow_trips")),
        None,
    );
    assert_eq!(api["description"], "cleaned trips");
    assert_eq!(api["labels"]["env"], "prod");

    // Drift on the table.
    curl(
        "PATCH",
        &bq(&format!("datasets/{id}/tables/yellow_trips")),
        Some(r#"{"description":"by hand"}"#),
    );
    let drifted = table.read(&tstate).await.unwrap().unwrap();
    assert!(!no_change(&table, &drifted, &tcfg));

    // deletion_protection (default true) refuses, naming the setting.
    let e = table
        .delete(&drifted, &OpContext::silent())
        .await
        .unwrap_err();
    assert!(e.message.contains("`deletion_protection`"), "{}", e.message);
    let (code, _) = curl(
        "GET",
        &bq(&format!("datasets/{id}/tables/yellow_trips")),
        None,
    );
    assert_eq!(code, 200);

    // A dataset holding tables: refused without delete_contents_on_destroy.
    let e = ds.delete(&dstate, &OpContext::silent()).await.unwrap_err();
    assert!(
        e.hint
            .as_deref()
            .unwrap_or_default()
            .contains("delete_contents_on_destroy = true"),
        "{e}"
    );
    let (code, _) = curl("GET", &bq(&format!("datasets/{id}")), None);
    assert_eq!(code, 200);

    // With it, tables go first and the dataset after; nothing labelled with the stack is left.
    let mut dcfg2 = dcfg.clone();
    dcfg2.set("delete_contents_on_destroy", Value::Bool(true));
    let dstate = apply(&ds, Some(&dstate), &dcfg2).await;
    ds.delete(&dstate, &OpContext::silent()).await.unwrap();
    let (code, _) = curl(
        "GET",
        &bq(&format!("datasets/{id}/tables/yellow_trips")),
        None,
    );
    assert_eq!(code, 404);
    let (code, _) = curl("GET", &bq(&format!("datasets/{id}")), None);
    assert_eq!(code, 404);
    assert!(stack_datasets(&stack).is_empty());
    assert!(marked_values(&table, &stack).await.is_empty());
}

#[tokio::test]
async fn an_unprotected_table_is_deleted_and_confirmed() {
    let stack = unique("stk-u");
    let p = configure(&stack, Value::object()).await;
    let ds = resource(&p, "google_bigquery_dataset");
    let table = resource(&p, "google_bigquery_table");
    let id = unique_id("tmp_");
    let dstate = apply(&ds, None, &config(&ds, vec![("dataset_id", s(&id))])).await;
    assert_eq!(dstate.get("location"), &s("US"), "default location");
    let tcfg = config(
        &table,
        vec![
            ("dataset_id", s(&id)),
            ("table_id", s("t1")),
            ("schema", s(SCHEMA)),
            ("deletion_protection", Value::Bool(false)),
        ],
    );
    let tstate = apply(&table, None, &tcfg).await;
    table.delete(&tstate, &OpContext::silent()).await.unwrap();
    let (code, _) = curl("GET", &bq(&format!("datasets/{id}/tables/t1")), None);
    assert_eq!(code, 404);
    ds.delete(&dstate, &OpContext::silent()).await.unwrap();
    assert!(stack_datasets(&stack).is_empty());
}

#[tokio::test]
async fn external_table_over_gcs_parquet() {
    let stack = unique("stk-x");
    let p = configure(&stack, Value::object()).await;
    let ds = resource(&p, "google_bigquery_dataset");
    let table = resource(&p, "google_bigquery_table");
    let id = unique_id("ext_");
    let dstate = scratch_dataset(&ds, &id).await;
    let external = Value::List(vec![Value::from_pairs([
        ("autodetect", Value::Bool(true)),
        ("source_format", s("PARQUET")),
        (
            "source_uris",
            Value::List(vec![s("gs://some-lake/yellow/*.parquet")]),
        ),
        ("compression", Value::Null),
        ("ignore_unknown_values", Value::Null),
        ("max_bad_records", Value::Null),
    ])]);
    let tcfg = config(
        &table,
        vec![
            ("dataset_id", s(&id)),
            ("table_id", s("external_yellow")),
            ("external_data_configuration", external),
            ("deletion_protection", Value::Bool(false)),
        ],
    );
    let tstate = apply(&table, None, &tcfg).await;
    let (code, api) = curl(
        "GET",
        &bq(&format!("datasets/{id}/tables/external_yellow")),
        None,
    );
    assert_eq!(code, 200, "{api}");
    assert_eq!(api["externalDataConfiguration"]["sourceFormat"], "PARQUET");
    assert_eq!(
        api["externalDataConfiguration"]["sourceUris"][0],
        "gs://some-lake/yellow/*.parquet"
    );
    let read = table.read(&tstate).await.unwrap().unwrap();
    assert!(no_change(&table, &read, &tcfg), "refresh:\n{read}");
    ds.delete(&dstate, &OpContext::silent()).await.unwrap();
    let (code, _) = curl("GET", &bq(&format!("datasets/{id}")), None);
    assert_eq!(code, 404);
}

#[tokio::test]
async fn dataset_ids_are_checked_before_any_call() {
    let p = configure("names", Value::object()).await;
    let ds = resource(&p, "google_bigquery_dataset");
    let e = ds
        .validate(&config(&ds, vec![("dataset_id", s("trips-data"))]))
        .unwrap_err();
    assert!(e.message.contains("`trips-data`"));
}
