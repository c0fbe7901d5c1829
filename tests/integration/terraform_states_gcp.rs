//! A directory that Terraform with hashicorp/google managed: a bucket, an object, a dataset and
//! a table made over the emulators' JSON APIs (curl), and the `terraform.tfstate` Terraform
//! would have written for them, from the provider's schema. labform reads it in place, plans no
//! change against the emulators, and destroys the objects.

use std::process::Command;

use serde_json::{json, Value as Json};

use crate::common::Stack;
use crate::provider_schema::{take_over, terraform_state};

/// A JSON request to an emulator; the answer as JSON (`Null` for a 404 or an empty body).
fn call(method: &str, url: &str, body: Option<&Json>) -> Json {
    let mut c = Command::new("curl");
    c.args(["-s", "-X", method, "-H", "Content-Type: application/json"]);
    if let Some(body) = body {
        c.args(["--data-binary", &body.to_string()]);
    }
    let out = c
        .arg("-w")
        .arg("\n%{http_code}")
        .arg(url)
        .output()
        .expect("curl");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let (body, code) = text.rsplit_once('\n').unwrap_or((&text, ""));
    if code.trim() == "404" || body.trim().is_empty() {
        return Json::Null;
    }
    assert!(code.starts_with('2'), "{method} {url}: {text}");
    serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON from {url}: {text}"))
}

#[test]
fn a_terraform_state_of_gcp_objects_plans_no_change_and_destroys() {
    let emulators = crate::kill_gcp::emulators();
    let (gcs, bq, project) = (&emulators.storage, &emulators.bigquery, &emulators.project);
    let s = Stack::new();
    let id = s.name().to_lowercase().replace(['.', '-'], "");
    let (bucket, dataset) = (format!("{id}-tf"), format!("{id}_tf"));
    let labels = json!({"course": "de-zoomcamp"});

    let b = call(
        "POST",
        &format!("{gcs}/storage/v1/b?project={project}"),
        Some(
            &json!({"name": bucket, "location": "US", "storageClass": "STANDARD",
                     "labels": labels, "versioning": {"enabled": true}}),
        ),
    );
    let o = call(
        "POST",
        &format!("{gcs}/upload/storage/v1/b/{bucket}/o?uploadType=media&name=raw/readme.txt"),
        Some(&json!("hello")),
    );
    let d = call(
        "POST",
        &format!("{bq}/bigquery/v2/projects/{project}/datasets"),
        Some(
            &json!({"datasetReference": {"datasetId": dataset, "projectId": project},
                     "location": "US", "labels": labels}),
        ),
    );
    let fields = json!([
        {"name": "id", "type": "INTEGER", "mode": "REQUIRED"},
        {"name": "name", "type": "STRING", "description": "who"}
    ]);
    let t = call(
        "POST",
        &format!("{bq}/bigquery/v2/projects/{project}/datasets/{dataset}/tables"),
        Some(&json!({
            "tableReference": {"projectId": project, "datasetId": dataset, "tableId": "trips"},
            "schema": {"fields": fields}, "labels": labels
        })),
    );
    let text = |v: &Json| v.as_str().unwrap_or_default().to_string();
    let number = |v: &Json| {
        v.as_str()
            .and_then(|n| n.parse::<f64>().ok())
            .map_or(json!(0), |n| json!(n))
    };
    let state = terraform_state(&[
        (
            "google_storage_bucket",
            "lake",
            json!({
                "id": bucket, "name": bucket, "location": "US", "project": project,
                "project_number": number(&b["projectNumber"]),
                "self_link": format!("https://www.googleapis.com/storage/v1/b/{bucket}"),
                "url": format!("gs://{bucket}"),
                "time_created": text(&b["timeCreated"]), "updated": text(&b["updated"]),
                "force_destroy": true, "storage_class": "STANDARD",
                "labels": labels, "terraform_labels": labels, "effective_labels": labels,
                "requester_pays": false, "enable_object_retention": false,
                "default_event_based_hold": false, "uniform_bucket_level_access": false,
                "rpo": "DEFAULT", "public_access_prevention": "inherited",
                "versioning": [{"enabled": true}],
                "soft_delete_policy": [{"retention_duration_seconds": 604800,
                                        "effective_time": text(&b["timeCreated"])}],
                "hierarchical_namespace": [{"enabled": false}],
                "timeouts": null
            }),
        ),
        (
            "google_storage_bucket_object",
            "readme",
            json!({
                "id": format!("{bucket}-raw/readme.txt"), "bucket": bucket,
                "name": "raw/readme.txt", "content": "hello", "source": null,
                "content_type": text(&o["contentType"]), "crc32c": text(&o["crc32c"]),
                "md5hash": text(&o["md5Hash"]), "generation": number(&o["generation"]),
                "media_link": text(&o["mediaLink"]), "self_link": text(&o["selfLink"]),
                "output_name": "raw/readme.txt", "storage_class": "STANDARD",
                "metadata": {}, "detect_md5hash": "different hash",
                "source_md5hash": "", "event_based_hold": false, "temporary_hold": false
            }),
        ),
        (
            "google_bigquery_dataset",
            "dw",
            json!({
                "id": format!("projects/{project}/datasets/{dataset}"), "dataset_id": dataset,
                "project": project, "location": "US", "friendly_name": "", "description": "",
                "default_table_expiration_ms": 0, "default_partition_expiration_ms": 0,
                "default_collation": "", "is_case_insensitive": false,
                "max_time_travel_hours": "168", "storage_billing_model": "",
                "labels": labels, "terraform_labels": labels, "effective_labels": labels,
                "resource_tags": {}, "delete_contents_on_destroy": true,
                "creation_time": number(&d["creationTime"]),
                "last_modified_time": number(&d["lastModifiedTime"]),
                "etag": text(&d["etag"]),
                "self_link": format!("https://bigquery.googleapis.com/bigquery/v2/projects/{project}/datasets/{dataset}"),
                "access": [
                    {"role": "OWNER", "special_group": "projectOwners", "user_by_email": "",
                     "group_by_email": "", "domain": "", "iam_member": "",
                     "dataset": [], "routine": [], "view": [], "condition": []}
                ],
                "timeouts": null
            }),
        ),
        (
            "google_bigquery_table",
            "trips",
            json!({
                "id": format!("projects/{project}/datasets/{dataset}/tables/trips"),
                "dataset_id": dataset, "table_id": "trips", "project": project,
                // The provider stores the API's fields as JSON, keys in its struct's order.
                "schema": r#"[{"mode":"REQUIRED","name":"id","type":"INTEGER"},{"description":"who","mode":"NULLABLE","name":"name","type":"STRING"}]"#,
                "location": "US", "type": "TABLE", "deletion_protection": false,
                "deletion_policy": "", "description": "", "friendly_name": "",
                "expiration_time": 0, "max_staleness": "", "require_partition_filter": null,
                "clustering": [], "resource_tags": {}, "generated_schema_columns": "",
                "ignore_auto_generated_schema": false, "ignore_schema_changes": null,
                "table_metadata_view": null,
                "labels": labels, "terraform_labels": labels, "effective_labels": labels,
                "creation_time": number(&t["creationTime"]),
                "last_modified_time": number(&t["lastModifiedTime"]),
                "etag": text(&t["etag"]),
                "num_bytes": number(&t["numBytes"]),
                "num_long_term_bytes": number(&t["numLongTermBytes"]),
                "num_rows": number(&t["numRows"]),
                "self_link": format!("https://bigquery.googleapis.com/bigquery/v2/projects/{project}/datasets/{dataset}/tables/trips")
            }),
        ),
    ]);
    take_over(
        &s,
        &state,
        &format!(
            r#"
provider "google" {{
  project = "{project}"
}}
resource "google_storage_bucket" "lake" {{
  name          = "{bucket}"
  location      = "US"
  force_destroy = true
  labels        = {{ course = "de-zoomcamp" }}
  versioning {{
    enabled = true
  }}
}}
resource "google_storage_bucket_object" "readme" {{
  bucket  = google_storage_bucket.lake.name
  name    = "raw/readme.txt"
  content = "hello"
}}
resource "google_bigquery_dataset" "dw" {{
  dataset_id                 = "{dataset}"
  location                   = "US"
  delete_contents_on_destroy = true
  labels                     = {{ course = "de-zoomcamp" }}
}}
resource "google_bigquery_table" "trips" {{
  dataset_id          = google_bigquery_dataset.dw.dataset_id
  table_id            = "trips"
  deletion_protection = false
  labels              = {{ course = "de-zoomcamp" }}
  schema = jsonencode([
    {{ name = "id", type = "INTEGER", mode = "REQUIRED" }},
    {{ name = "name", type = "STRING", description = "who" }},
  ])
}}
"#
        ),
        4,
    );
    assert_eq!(
        call("GET", &format!("{gcs}/storage/v1/b/{bucket}"), None),
        Json::Null
    );
    assert_eq!(
        call(
            "GET",
            &format!("{bq}/bigquery/v2/projects/{project}/datasets/{dataset}"),
            None
        ),
        Json::Null
    );
}
