//! The Zoomcamp's Google Cloud stacks through the binary, against the Cloud Storage and BigQuery
//! emulators the test harness starts; checked with curl as a separate client.

use std::process::Command;

use serde_json::Value as Json;

use crate::common::{copy_stack, harness_env as env, Stack};

/// GET on an emulator, as JSON (`Null` for a 404).
fn get(url: &str) -> Json {
    let out = Command::new("curl")
        .args(["-s", "-w", "\n%{http_code}", url])
        .output()
        .expect("curl");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let (body, code) = text.rsplit_once('\n').unwrap_or((&text, ""));
    if code.trim() == "404" {
        return Json::Null;
    }
    serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON from {url}: {text}"))
}

pub(crate) fn bucket(name: &str) -> Json {
    get(&format!(
        "{}/storage/v1/b/{name}",
        env("STORAGE_EMULATOR_HOST")
    ))
}

fn dataset(project: &str, id: &str) -> Json {
    get(&format!(
        "{}/bigquery/v2/projects/{project}/datasets/{id}",
        env("BIGQUERY_EMULATOR_HOST")
    ))
}

pub(crate) fn unique(s: &Stack) -> String {
    s.path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_lowercase()
        .replace(['.', '-'], "")
}

#[test]
fn zoomcamp_gcp_bucket_and_dataset_lifecycle() {
    let project = crate::kill_gcp::emulators().project;
    let s = copy_stack("zoomcamp-gcp");
    let id = unique(&s);
    let bucket_name = format!("{id}-lake");
    let dataset_name = format!("{id}_dw");
    let vars = [
        format!("gcs_bucket_name={bucket_name}"),
        format!("bq_dataset_name={dataset_name}"),
        format!("project={project}"),
    ];
    let with = |cmd: &[&str]| -> Vec<String> {
        let mut a: Vec<String> = cmd.iter().map(|c| c.to_string()).collect();
        for v in &vars {
            a.push("-var".into());
            a.push(v.clone());
        }
        a
    };
    let run = |cmd: &[&str]| {
        let a = with(cmd);
        s.run(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    run(&["apply", "-auto-approve"]).ok().stdout_has("2 added");
    crate::provider_schema::assert_state_matches_provider_schemas(&s.state());

    let b = bucket(&bucket_name);
    assert_eq!(b["labels"]["managed-by"], "labform", "{b}");
    assert_eq!(b["labels"]["course"], "de-zoomcamp", "{b}");
    assert_eq!(b["versioning"]["enabled"], true, "{b}");
    assert_eq!(b["location"], "US", "{b}");
    let rules = b["lifecycle"]["rule"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(rules.len(), 2, "{b}");
    let d = dataset(&project, &dataset_name);
    assert_eq!(d["labels"]["managed-by"], "labform", "{d}");
    assert_eq!(d["labels"]["course"], "de-zoomcamp", "{d}");

    run(&["plan", "-detailed-exitcode"]).code(0);

    // An object written outside labform (the course's ingestion script) does not stop destroy:
    // force_destroy empties the bucket first.
    let upload = Command::new("curl")
        .args([
            "-s",
            "-X",
            "POST",
            "--data-binary",
            "hello",
            "-H",
            "Content-Type: text/plain",
        ])
        .arg(format!(
            "{}/upload/storage/v1/b/{bucket_name}/o?uploadType=media&name=raw/x.txt",
            env("STORAGE_EMULATOR_HOST")
        ))
        .output()
        .expect("curl upload");
    assert!(upload.status.success());

    run(&["destroy", "-auto-approve"])
        .ok()
        .stdout_has("Nothing is left in state");
    assert_eq!(bucket(&bucket_name), Json::Null, "bucket still exists");
    assert_eq!(
        dataset(&project, &dataset_name),
        Json::Null,
        "dataset still exists"
    );
}

#[test]
fn zoomcamp_gcp_external_table_over_parquet_applies_and_destroys() {
    let project = crate::kill_gcp::emulators().project;
    let s = copy_stack("zoomcamp-gcp-external");
    let id = unique(&s);
    let bucket_name = format!("{id}-ext");
    let dataset_name = format!("{id}_ext");
    let args = [
        "-var",
        &format!("gcs_bucket_name={bucket_name}"),
        "-var",
        &format!("bq_dataset_name={dataset_name}"),
        "-var",
        &format!("project={project}"),
    ]
    .map(String::from);
    let mut apply = vec!["apply".to_string(), "-auto-approve".into()];
    apply.extend(args.iter().cloned());
    s.run(&apply.iter().map(String::as_str).collect::<Vec<_>>())
        .ok();
    crate::provider_schema::assert_state_matches_provider_schemas(&s.state());
    let tables = get(&format!(
        "{}/bigquery/v2/projects/{project}/datasets/{dataset_name}/tables",
        env("BIGQUERY_EMULATOR_HOST")
    ));
    assert!(
        tables.to_string().contains("external"),
        "no external table: {tables}"
    );
    let mut destroy = vec!["destroy".to_string(), "-auto-approve".into()];
    destroy.extend(args.iter().cloned());
    s.run(&destroy.iter().map(String::as_str).collect::<Vec<_>>())
        .ok();
    assert_eq!(bucket(&bucket_name), Json::Null);
    assert_eq!(dataset(&project, &dataset_name), Json::Null);
}

/// The course's own week-1 files, unchanged: `credentials = file(var.credentials)`, a pinned
/// provider version, hyphenated resource names.
#[test]
fn the_courses_own_terraform_files_run_unchanged() {
    let project = crate::kill_gcp::emulators().project;
    let s = Stack::new();
    let id = unique(&s);
    s.file(
        "main.tf",
        r#"terraform {
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "5.6.0"
    }
  }
}

provider "google" {
  credentials = file(var.credentials)
  project     = var.project
  region      = var.region
}

resource "google_storage_bucket" "demo-bucket" {
  name          = var.gcs_bucket_name
  location      = var.location
  force_destroy = true

  lifecycle_rule {
    condition {
      age = 1
    }
    action {
      type = "AbortIncompleteMultipartUpload"
    }
  }
}

resource "google_bigquery_dataset" "demo_dataset" {
  dataset_id = var.bq_dataset_name
  location   = var.location
}
"#,
    );
    s.file(
        "variables.tf",
        &format!(
            r#"variable "credentials" {{
  description = "My Credentials"
  default     = "./keys/my-creds.json"
}}

variable "project" {{
  description = "Project"
  default     = "{project}"
}}

variable "region" {{
  description = "Region"
  default     = "us-central1"
}}

variable "location" {{
  description = "Project Location"
  default     = "US"
}}

variable "bq_dataset_name" {{
  description = "My BigQuery Dataset Name"
  default     = "{id}_demo"
}}

variable "gcs_bucket_name" {{
  description = "My Storage Bucket Name"
  default     = "{id}-terra-bucket"
}}
"#
        ),
    );
    s.file("keys/my-creds.json", &fake_service_account(&project));
    s.run(&["init"]).ok();
    s.run(&["apply", "-auto-approve"])
        .ok()
        .stderr_has("labform implements its");
    assert_eq!(
        bucket(&format!("{id}-terra-bucket"))["labels"]["managed-by"],
        "labform"
    );
    s.run(&["destroy", "-auto-approve"]).ok();
    assert_eq!(bucket(&format!("{id}-terra-bucket")), Json::Null);
}

/// A service-account key file of the right shape (its key is never used against an emulator).
fn fake_service_account(project: &str) -> String {
    serde_json::json!({
        "type": "service_account",
        "project_id": project,
        "private_key_id": "0000000000000000000000000000000000000000",
        "private_key": "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEAx\n-----END PRIVATE KEY-----\n",
        "client_email": format!("student@{project}.iam.gserviceaccount.com"),
        "client_id": "1",
        // A closed loopback port: a test never asks Google for a token.
        "token_uri": "http://127.0.0.1:9/token",
    })
    .to_string()
}

#[test]
fn dynamic_blocks_expand_into_nested_blocks() {
    let project = crate::kill_gcp::emulators().project;
    let s = Stack::new();
    let name = format!("{}-dyn", unique(&s));
    s.file(
        "main.tf",
        &format!(
            r#"
provider "google" {{
  project = "{project}"
}}
variable "rules" {{
  default = {{ Delete = 30, AbortIncompleteMultipartUpload = 1 }}
}}
resource "google_storage_bucket" "b" {{
  name          = "{name}"
  location      = "EU"
  force_destroy = true
  dynamic "lifecycle_rule" {{
    for_each = var.rules
    iterator = rule
    content {{
      condition {{
        age = rule.value
      }}
      action {{
        type = rule.key
      }}
    }}
  }}
}}
"#
        ),
    );
    s.run(&["apply", "-auto-approve"]).ok();
    let b = bucket(&name);
    let rules = b["lifecycle"]["rule"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(rules.len(), 2, "{b}");
    assert!(
        rules
            .iter()
            .any(|r| r["action"]["type"] == "Delete" && r["condition"]["age"] == 30),
        "{b}"
    );
    s.run(&["plan", "-detailed-exitcode"]).code(0);
    s.run(&["destroy", "-auto-approve"]).ok();
    assert_eq!(bucket(&name), Json::Null);
}
