//! The resources of stacks/zoomcamp-gcp-external, configured as that stack configures them,
//! applied and destroyed in dependency order; checked with curl.

// A test crate: its helpers may unwrap too (a failed unwrap is a failed test).
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use common::*;
use labform_sdk::{OpContext, ProviderContext, Value};

#[tokio::test]
async fn zoomcamp_external_stack_resources_apply_and_destroy_cleanly() {
    emulators();
    let stack = unique("zoomcamp-gcp-external-");
    let stack_dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../stacks/zoomcamp-gcp-external");
    let ctx = ProviderContext {
        stack_name: stack.clone(),
        stack_dir,
        stack_id: labform_sdk::label_safe(&stack),
        expires: None,
    };
    let p: Arc<dyn labform_sdk::ConfiguredProvider> = labform_gcp::provider()
        .configure(&Value::from_pairs([("region", s("us-central1"))]), &ctx)
        .await
        .expect("configure");
    let (bucket, object, dataset, table) = (
        resource(&p, "google_storage_bucket"),
        resource(&p, "google_storage_bucket_object"),
        resource(&p, "google_bigquery_dataset"),
        resource(&p, "google_bigquery_table"),
    );
    let name = unique("zoomcamp-lake-");
    let ds_id = unique_id("demo_dataset_");
    let rule = |action: &str, age: f64| {
        let mut c = bucket.schema().blocks["lifecycle_rule"].block.blocks["condition"]
            .block
            .empty_value();
        c.set("age", Value::Number(age));
        let mut a = bucket.schema().blocks["lifecycle_rule"].block.blocks["action"]
            .block
            .empty_value();
        a.set("type", s(action));
        Value::from_pairs([
            ("action", Value::List(vec![a])),
            ("condition", Value::List(vec![c])),
        ])
    };
    let bcfg = config(
        &bucket,
        vec![
            ("name", s(&name)),
            ("location", s("US")),
            ("storage_class", s("STANDARD")),
            ("force_destroy", Value::Bool(true)),
            ("uniform_bucket_level_access", Value::Bool(true)),
            (
                "versioning",
                Value::List(vec![Value::from_pairs([("enabled", Value::Bool(true))])]),
            ),
            (
                "lifecycle_rule",
                Value::List(vec![
                    rule("Delete", 30.0),
                    rule("AbortIncompleteMultipartUpload", 1.0),
                ]),
            ),
            ("labels", labels(&[("course", "de-zoomcamp")])),
        ],
    );
    let b = apply(&bucket, None, &bcfg).await;
    let ocfg = config(
        &object,
        vec![
            ("bucket", s(&name)),
            ("name", s("raw/yellow/yellow_tripdata_sample.parquet")),
            ("source", s("data/yellow_tripdata_sample.parquet")),
            ("content_type", s("application/octet-stream")),
        ],
    );
    let o = apply(&object, None, &ocfg).await;
    assert!(
        no_change(&object, &object.read(&o).await.unwrap().unwrap(), &ocfg),
        "an unchanged file is no change"
    );
    let dcfg = config(
        &dataset,
        vec![
            ("dataset_id", s(&ds_id)),
            ("location", s("US")),
            ("delete_contents_on_destroy", Value::Bool(true)),
            ("labels", labels(&[("course", "de-zoomcamp")])),
        ],
    );
    let d = apply(&dataset, None, &dcfg).await;
    let mut ext = table.schema().blocks["external_data_configuration"]
        .block
        .empty_value();
    ext.set("autodetect", Value::Bool(true));
    ext.set("source_format", s("PARQUET"));
    ext.set(
        "source_uris",
        Value::List(vec![s(&format!("gs://{name}/raw/yellow/*.parquet"))]),
    );
    let tcfg = config(
        &table,
        vec![
            ("dataset_id", s(&ds_id)),
            ("table_id", s("external_yellow_tripdata")),
            ("external_data_configuration", Value::List(vec![ext])),
            ("deletion_protection", Value::Bool(false)),
            ("labels", labels(&[("course", "de-zoomcamp")])),
        ],
    );
    let t = apply(&table, None, &tcfg).await;

    // What the emulators hold, seen with curl.
    let (code, obj) = curl(
        "GET",
        &gcs(&format!(
            "b/{name}/o/raw%2Fyellow%2Fyellow_tripdata_sample.parquet"
        )),
        None,
    );
    assert_eq!(code, 200);
    assert!(obj["size"].is_string() || obj["size"].is_number(), "{obj}");
    assert_eq!(o.get("md5hash").as_str(), obj["md5Hash"].as_str());
    let (_, api) = curl(
        "GET",
        &bq(&format!("datasets/{ds_id}/tables/external_yellow_tripdata")),
        None,
    );
    assert_eq!(api["type"], "EXTERNAL");
    assert_eq!(api["labels"]["labform-stack"], stack.as_str());
    assert_eq!(
        api["externalDataConfiguration"]["sourceUris"][0],
        format!("gs://{name}/raw/yellow/*.parquet").as_str()
    );

    // A re-plan of everything is no change.
    for (r, state, cfg) in [
        (&bucket, &b, &bcfg),
        (&object, &o, &ocfg),
        (&dataset, &d, &dcfg),
        (&table, &t, &tcfg),
    ] {
        let read = r.read(state).await.unwrap().expect("exists");
        assert!(
            no_change(r, &read, cfg),
            "{} drifted on refresh:\n{read}",
            r.type_name()
        );
    }

    // Import by the ids Terraform accepts finds the same objects.
    let imported = bucket
        .import(&format!("{}/{name}", project()))
        .await
        .unwrap();
    assert_eq!(imported.get("effective_labels"), b.get("effective_labels"));
    let imported = dataset
        .import(&format!("projects/{}/datasets/{ds_id}", project()))
        .await
        .unwrap();
    assert_eq!(imported.get("id"), d.get("id"));
    let imported = table
        .import(&format!("{ds_id}/external_yellow_tripdata"))
        .await
        .unwrap();
    assert_eq!(imported.get("id"), t.get("id"));
    assert_eq!(
        imported.get("deletion_protection"),
        &Value::Bool(true),
        "import sets deletion_protection, as Terraform does"
    );
    assert_eq!(
        imported.get("external_data_configuration"),
        t.get("external_data_configuration")
    );

    // Destroy in reverse dependency order; nothing labelled with the stack is left.
    let ctx = OpContext::silent();
    table.delete(&t, &ctx).await.unwrap();
    dataset.delete(&d, &ctx).await.unwrap();
    object.delete(&o, &ctx).await.unwrap();
    bucket.delete(&b, &ctx).await.unwrap();
    for r in [&bucket, &dataset, &table] {
        assert!(
            marked_values(r, &stack).await.is_empty(),
            "{} left behind",
            r.type_name()
        );
    }
    assert_eq!(curl("GET", &gcs(&format!("b/{name}")), None).0, 404);
    assert_eq!(curl("GET", &bq(&format!("datasets/{ds_id}")), None).0, 404);
}
