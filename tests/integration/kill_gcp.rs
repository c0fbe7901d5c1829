//! The kill campaign against the Cloud Storage and BigQuery emulators: buckets, objects,
//! datasets and tables, applies and destroys killed with SIGKILL, counted by curl.
//! Also the guard every Google test calls first: emulators set, and on 127.0.0.0/8.

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value as Json;

use crate::campaign::Campaign;
use crate::common::{assert_loopback, harness_env as env, Stack};

/// The emulators the harness started.
pub struct Emulators {
    pub storage: String,
    pub bigquery: String,
    pub project: String,
}

/// Checks, before any run, that both emulator variables are set and on 127.0.0.0/8, and that
/// no custom endpoint variable (which wins over them) points elsewhere: a Google test must never
/// reach a real cloud. Fails at once with the reason.
pub fn emulators() -> Emulators {
    let storage = env("STORAGE_EMULATOR_HOST");
    let bigquery = env("BIGQUERY_EMULATOR_HOST");
    for name in [
        "GOOGLE_STORAGE_CUSTOM_ENDPOINT",
        "GOOGLE_BIG_QUERY_CUSTOM_ENDPOINT",
    ] {
        if let Ok(value) = std::env::var(name) {
            assert_loopback(name, &value);
        }
    }
    Emulators {
        storage: storage.trim_end_matches('/').to_string(),
        bigquery: bigquery.trim_end_matches('/').to_string(),
        project: env("GOOGLE_PROJECT"),
    }
}

/// GET as JSON: `Null` for a 404; any other answer fails the test.
fn get(url: &str) -> Json {
    let out = Command::new("curl")
        .args(["-s", "-w", "\n%{http_code}", url])
        .output()
        .expect("curl");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let (body, code) = text.rsplit_once('\n').unwrap_or((&text, ""));
    match code.trim() {
        "200" => serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON from {url}")),
        "404" => Json::Null,
        other => panic!("GET {url} answered {other}: {body}"),
    }
}

fn list(body: &Json, key: &str) -> Vec<Json> {
    body[key].as_array().cloned().unwrap_or_default()
}

/// What exists of the stack marked `mark`: (buckets, objects, datasets, tables), each found by
/// a separate client (curl) through the emulators' REST APIs.
fn census(e: &Emulators, mark: &str) -> [usize; 4] {
    let marked = |j: &Json| j["labels"]["labform-stack"] == mark;
    let buckets: Vec<String> = list(
        &get(&format!("{}/storage/v1/b?project={}", e.storage, e.project)),
        "items",
    )
    .into_iter()
    .filter(marked)
    .filter_map(|b| b["name"].as_str().map(str::to_string))
    .collect();
    let objects: usize = buckets
        .iter()
        .map(|b| list(&get(&format!("{}/storage/v1/b/{b}/o", e.storage)), "items").len())
        .sum();
    let bq = format!("{}/bigquery/v2/projects/{}", e.bigquery, e.project);
    let datasets: Vec<String> = list(&get(&format!("{bq}/datasets?all=true")), "datasets")
        .into_iter()
        .filter(marked)
        .filter_map(|d| {
            d["datasetReference"]["datasetId"]
                .as_str()
                .map(str::to_string)
        })
        .collect();
    let mut tables = 0;
    for d in &datasets {
        for t in list(&get(&format!("{bq}/datasets/{d}/tables")), "tables") {
            let id = t["tableReference"]["tableId"].as_str().unwrap_or_default();
            // The list carries no labels: read each table for its mark.
            if marked(&get(&format!("{bq}/datasets/{d}/tables/{id}"))) {
                tables += 1;
            }
        }
    }
    [buckets.len(), objects, datasets.len(), tables]
}

const BUCKETS: usize = 6;
const OBJECTS: usize = 12;
const DATASETS: usize = 6;
const TABLES: usize = 12;

fn stack_tf(project: &str, prefix: &str) -> String {
    format!(
        r#"provider "google" {{
  project = "{project}"
}}

resource "google_storage_bucket" "lake" {{
  count         = {BUCKETS}
  name          = "{prefix}-lake-${{count.index}}"
  location      = "US"
  force_destroy = true
}}

resource "google_storage_bucket_object" "raw" {{
  count   = {OBJECTS}
  bucket  = google_storage_bucket.lake[count.index % {BUCKETS}].name
  name    = "raw/part-${{count.index}}.csv"
  content = "id,value\n${{count.index}},x\n"
}}

resource "google_bigquery_dataset" "dw" {{
  count                      = {DATASETS}
  dataset_id                 = "{ds_prefix}_dw_${{count.index}}"
  delete_contents_on_destroy = true
}}

resource "google_bigquery_table" "trips" {{
  count               = {TABLES}
  dataset_id          = google_bigquery_dataset.dw[count.index % {DATASETS}].dataset_id
  table_id            = "trips_${{count.index}}"
  deletion_protection = false
  schema              = "[{{\"name\":\"id\",\"type\":\"INTEGER\"}},{{\"name\":\"zone\",\"type\":\"STRING\"}}]"
}}
"#,
        ds_prefix = prefix.replace('-', "_"),
    )
}

/// The stack's mark as the provider writes it (a label value: lower case, `-` for the rest).
fn label_value(raw: &str) -> String {
    raw.chars()
        .map(|c| c.to_ascii_lowercase())
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(63)
        .collect()
}

#[test]
fn kill_campaign_on_gcs_and_bigquery_leaves_no_orphan_and_no_duplicate() {
    let e = emulators();
    let s = Stack::new();
    let mark = label_value(&s.name());
    s.file("main.tf", &stack_tf(&e.project, &mark));
    let expected = BUCKETS + OBJECTS + DATASETS + TABLES;
    let most = [BUCKETS, OBJECTS, DATASETS, TABLES];
    // Objects a killed create made before state recorded them, as the next plan reports them.
    // A plan records nothing (the next apply adopts them), so the same ones show again until
    // then: count each only when it first appears.
    let shown = RefCell::new(BTreeSet::<String>::new());
    let adopted = Cell::new(0);
    let count = || {
        let c = census(&e, &mark);
        // Every state a kill leaves can be planned from: no lookup fails.
        let plan = s.run(&["plan", "-no-color"]);
        plan.ok();
        let found: BTreeSet<String> = format!("{}{}", plan.stdout, plan.stderr)
            .lines()
            .filter(|l| l.contains("was found after an interrupted create"))
            .filter_map(|l| l.split('`').nth(1).map(str::to_string))
            .collect();
        let new = found.difference(&shown.borrow()).count();
        adopted.set(adopted.get() + new);
        *shown.borrow_mut() = found;
        eprintln!("[gcp] buckets, objects, datasets, tables: {c:?}; newly found after an interrupted create: {new}");
        // Per type too: a duplicate of one kind must not hide behind a missing other kind.
        assert!(
            c.iter().zip(most).all(|(n, m)| *n <= m),
            "more than the stack makes: {c:?}"
        );
        c.iter().sum::<usize>()
    };

    // The kill window comes from a measured full apply and destroy of this very stack.
    let started = Instant::now();
    s.run(&["apply", "-auto-approve"]).ok();
    let apply_time = started.elapsed();
    assert_eq!(census(&e, &mark), most);
    let started = Instant::now();
    s.run(&["destroy", "-auto-approve"]).ok();
    let destroy_time = started.elapsed();
    assert_eq!(count(), 0, "a full destroy left objects");
    // A killed run starts from what the last one left, often with less to do than a full
    // apply: three quarters of the shorter full run keeps most kills inside a run. On an idle
    // machine a full apply can take 0.2 s, and the campaign may then run under load: below
    // half a second most kills would land before a run starts working.
    let window = apply_time
        .min(destroy_time)
        .mul_f64(0.75)
        .max(Duration::from_millis(500));
    eprintln!(
        "[gcp] full apply {apply_time:?}, full destroy {destroy_time:?}: kill window {window:?}"
    );

    let mut campaign = Campaign::new(&s, expected).window(window);
    campaign.kills = 20;
    let report = campaign.run("gcp", count);
    eprintln!(
        "[gcp] objects of interrupted creates found again: {}",
        adopted.get()
    );
    assert!(
        report.kills >= 10,
        "too few runs were still going when killed: {report:?} (window {window:?})"
    );
}
