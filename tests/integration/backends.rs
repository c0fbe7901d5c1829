//! Remote state against moto (S3): ten applies racing on one state, a kill -9 mid-apply
//! recovered from a fresh copy of the stack directory, migration local -> S3 -> local, and
//! workspaces. A separate client (curl, signing with SigV4) reads what the bucket holds.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{harness_env, Stack};

fn endpoint() -> String {
    harness_env("AWS_ENDPOINT_URL")
}

/// curl against moto, signed as the tests' credentials.
fn curl(args: &[&str]) -> (u16, String) {
    let out = Command::new("curl")
        .args([
            "-s",
            "-w",
            "\n%{http_code}",
            "--aws-sigv4",
            "aws:amz:us-east-1:s3",
            "--user",
            "test:test",
        ])
        .args(args)
        .output()
        .expect("run curl");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (body, code) = text.rsplit_once('\n').unwrap_or(("", "0"));
    (code.trim().parse().unwrap_or(0), body.to_string())
}

fn new_bucket() -> String {
    let name = format!("lf-state-{}", uuid::Uuid::new_v4().simple());
    let (code, body) = curl(&["-X", "PUT", &format!("{}/{name}", endpoint())]);
    assert_eq!(code, 200, "create bucket {name}: {body}");
    name
}

/// The JSON object at `key`, or `None`.
fn object(bucket: &str, key: &str) -> Option<serde_json::Value> {
    let (code, body) = curl(&[&format!("{}/{bucket}/{key}", endpoint())]);
    match code {
        200 => Some(serde_json::from_str(&body).unwrap_or_else(|e| panic!("{key}: {e}: {body}"))),
        404 => None,
        other => panic!("GET {bucket}/{key}: {other} {body}"),
    }
}

fn keys(bucket: &str, prefix: &str) -> Vec<String> {
    let (code, body) = curl(&[&format!(
        "{}/{bucket}?list-type=2&prefix={prefix}",
        endpoint()
    )]);
    assert_eq!(code, 200, "{body}");
    body.split("<Key>")
        .skip(1)
        .filter_map(|s| s.split("</Key>").next())
        .map(str::to_string)
        .collect()
}

fn backend(bucket: &str, key: &str) -> String {
    format!(
        r#"terraform {{
  backend "s3" {{
    bucket       = "{bucket}"
    key          = "{key}"
    region       = "us-east-1"
    encrypt      = true
    use_lockfile = true
  }}
}}
"#
    )
}

fn instances(state: &serde_json::Value) -> usize {
    state["resources"]
        .as_array()
        .map(|rs| {
            rs.iter()
                .map(|r| r["instances"].as_array().map_or(0, Vec::len))
                .sum()
        })
        .unwrap_or(0)
}

const RACE: &str = r#"
variable "i" {
  type = string
}
variable "hold" {
  type    = string
  default = "1s"
}
resource "time_sleep" "hold" {
  create_duration = var.hold
  triggers        = { run = var.i }
}
resource "terraform_data" "r" {
  for_each = toset([for n in range(10) : tostring(n)])
  input    = each.key
}
"#;

fn racers(bucket: &str, extra: &[&str]) -> Vec<(u32, Option<i32>, String)> {
    let dirs: Vec<Stack> = (0..10)
        .map(|_| {
            Stack::with(&format!(
                "{}{RACE}",
                backend(bucket, "race/terraform.tfstate")
            ))
        })
        .collect();
    let children: Vec<_> = dirs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let target = format!("-target=terraform_data.r[\"{i}\"]");
            // A value per round too: a run whose trigger did not change would have nothing to commit.
            let var = format!("-var=i={i}-{}", extra.len());
            let mut args = vec![
                "apply",
                "-auto-approve",
                "-target=time_sleep.hold",
                &target,
                &var,
            ];
            args.extend_from_slice(extra);
            s.command(&args)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn labform")
        })
        .collect();
    children
        .into_iter()
        .map(|c| {
            let pid = c.id();
            let out = c.wait_with_output().expect("wait");
            (
                pid,
                out.status.code(),
                String::from_utf8_lossy(&out.stderr).into_owned(),
            )
        })
        .collect()
}

#[test]
fn ten_applies_racing_on_one_s3_state_take_the_lock_one_at_a_time_and_lose_no_update() {
    let bucket = new_bucket();
    // Without -lock-timeout: exactly one holds the lock, the nine others fail naming it.
    // The winner holds the lock for 6 s, so that a racer slow to start on a loaded machine
    // still finds it held.
    let outcomes = racers(&bucket, &["-var=hold=6s"]);
    let shown: String = outcomes
        .iter()
        .map(|(pid, code, err)| format!("--- pid {pid} exit {code:?}\n{err}"))
        .collect();
    let winners: Vec<u32> = outcomes
        .iter()
        .filter(|o| o.1 == Some(0))
        .map(|o| o.0)
        .collect();
    assert_eq!(winners.len(), 1, "{shown}");
    for (pid, code, err) in &outcomes {
        if *pid != winners[0] {
            assert_eq!(*code, Some(1), "{shown}");
            assert!(
                err.contains("state is locked by")
                    && err.contains(&format!("(pid {})", winners[0])),
                "pid {pid} does not name the holder\n{shown}"
            );
        }
    }
    // With -lock-timeout: all ten wait their turn, and every one's change is kept.
    let start = Instant::now();
    let outcomes = racers(&bucket, &["-lock-timeout=120s", "-var=hold=1s"]);
    let took = start.elapsed();
    let shown: String = outcomes
        .iter()
        .map(|(pid, code, err)| format!("--- pid {pid} exit {code:?}\n{err}"))
        .collect();
    assert!(outcomes.iter().all(|o| o.1 == Some(0)), "{shown}");
    // Each run holds the lock for at least its one-second sleep: one at a time takes >= 10 s.
    assert!(
        took >= Duration::from_secs(10),
        "ten runs took only {took:?}: they overlapped"
    );
    let state = object(&bucket, "race/terraform.tfstate").expect("state object");
    assert_eq!(state["serial"], 11, "one commit per run: {state}");
    assert_eq!(
        instances(&state),
        11,
        "ten resources plus the sleep: {state}"
    );
    assert!(keys(&bucket, "race/terraform.tfstate.journal/").is_empty());
    assert!(
        object(&bucket, "race/terraform.tfstate.tflock").is_none(),
        "lock left behind"
    );
    eprintln!(
        "[s3 race] 1 winner + 9 refused naming it; then 10 waiting runs in {took:?}, serial 11"
    );
}

const MANY: &str = r#"
resource "terraform_data" "n" {
  count = 40
  input = "n-${count.index}"
}
resource "time_sleep" "slow" {
  count           = 4
  create_duration = "300ms"
  triggers        = { i = count.index }
}
"#;

#[test]
fn kill_9_mid_apply_is_recovered_by_the_next_run_from_a_fresh_copy_of_the_stack() {
    let bucket = new_bucket();
    let config = format!("{}{MANY}", backend(&bucket, "kill/terraform.tfstate"));
    let mut recovered_journals = 0;
    for round in 0..4 {
        let s = Stack::with(&config);
        let mut child = s
            .command(&["apply", "-auto-approve", "-parallelism=4"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(250 + 150 * round));
        let _ = child.kill();
        let _ = child.wait();
        if !keys(&bucket, "kill/terraform.tfstate.journal/").is_empty() {
            recovered_journals += 1;
        }
    }
    // A fresh copy: no local file at all. The dead holder's lock (this host, pid gone) is taken
    // over, the journal replayed, and the apply converges with no duplicate.
    let fresh = Stack::with(&config);
    let run = fresh.run(&["apply", "-auto-approve"]);
    run.ok();
    let state = object(&bucket, "kill/terraform.tfstate").expect("state");
    assert_eq!(instances(&state), 44, "{state}");
    assert!(keys(&bucket, "kill/terraform.tfstate.journal/").is_empty());
    let again = Stack::with(&config);
    again.run(&["plan", "-detailed-exitcode"]).code(0);
    eprintln!("[s3 kill] 4 kills, {recovered_journals} left a journal; the fresh copy converged to 44 instances");
}

#[test]
fn an_apply_with_nothing_to_do_removes_the_journal_a_run_killed_after_its_commit_left() {
    // A run killed between writing the state and deleting its journal leaves entries of a
    // serial already committed; the next apply, even with no change, removes them.
    let bucket = new_bucket();
    let s = Stack::with(&format!(
        "{}{SMALL}",
        backend(&bucket, "tidy/terraform.tfstate")
    ));
    s.run(&["apply", "-auto-approve"]).ok();
    let leftover = format!(
        "{}/{bucket}/tidy/terraform.tfstate.journal/000000000000/00000000",
        endpoint()
    );
    let (code, body) = curl(&["-X", "PUT", "--data-binary", "", &leftover]);
    assert_eq!(code, 200, "{body}");
    s.run(&["apply", "-auto-approve"])
        .ok()
        .stdout_has("0 added, 0 changed, 0 destroyed");
    assert!(keys(&bucket, "tidy/terraform.tfstate.journal/").is_empty());
    let state = object(&bucket, "tidy/terraform.tfstate").expect("state");
    assert_eq!(
        state["serial"], 1,
        "a no-op apply writes no new serial: {state}"
    );
}

const SMALL: &str = r#"
resource "terraform_data" "a" {
  input = "a"
}
output "ws" {
  value = terraform.workspace
}
"#;

#[test]
fn migration_local_to_s3_and_back_keeps_serial_and_lineage() {
    let bucket = new_bucket();
    let s = Stack::with(SMALL);
    s.run(&["apply", "-auto-approve"]).ok();
    let local = s.state();
    let (serial, lineage) = (local["serial"].clone(), local["lineage"].clone());

    // A backend block added without migrating is detected and explained.
    s.file("backend.tf", &backend(&bucket, "mig/terraform.tfstate"));
    s.run(&["plan"])
        .code(1)
        .stderr_has("labform init -migrate-state");
    s.run(&["init"]).code(1).stderr_has("-migrate-state");
    s.run(&["init", "-migrate-state"]).ok();
    let remote = object(&bucket, "mig/terraform.tfstate").expect("migrated state");
    assert_eq!(
        (remote["serial"].clone(), remote["lineage"].clone()),
        (serial.clone(), lineage.clone())
    );
    s.run(&["plan", "-detailed-exitcode"]).code(0);

    // And back: the block removed, the state comes home unchanged.
    std::fs::remove_file(s.path().join("backend.tf")).expect("rm backend.tf");
    s.run(&["plan"]).code(1).stderr_has("the backend changed");
    std::fs::remove_file(s.path().join(".labform/state.json")).expect("rm old local state");
    s.run(&["init", "-migrate-state"]).ok();
    let home = s.state();
    assert_eq!(
        (home["serial"].clone(), home["lineage"].clone()),
        (serial, lineage)
    );
    s.run(&["plan", "-detailed-exitcode"]).code(0);
}

#[test]
fn workspaces_on_s3_isolate_state_where_terraform_keeps_it() {
    let bucket = new_bucket();
    let s = Stack::with(&format!(
        "{}{SMALL}",
        backend(&bucket, "course/terraform.tfstate")
    ));
    s.run(&["init", "-backend-config=region=us-east-1"])
        .ok()
        .stdout_has("is reachable");
    s.run(&["apply", "-auto-approve"]).ok();
    s.run(&["workspace", "new", "alice"]).ok();
    s.run(&["workspace", "show"]).ok().stdout_has("alice");
    s.run(&["plan", "-detailed-exitcode"]).code(2);
    s.run(&["apply", "-auto-approve"]).ok();
    s.run(&["output", "-raw", "ws"]).ok().stdout_has("alice");
    let alice = object(&bucket, "env:/alice/course/terraform.tfstate").expect("alice's state");
    let default = object(&bucket, "course/terraform.tfstate").expect("default state");
    assert_ne!(alice["lineage"], default["lineage"]);
    assert_eq!(alice["outputs"]["ws"]["value"], "alice");
    assert_eq!(default["outputs"]["ws"]["value"], "default");
    s.run(&["workspace", "list"]).ok().stdout_has("* alice");
    s.run(&["workspace", "select", "default"]).ok();
    s.run(&["workspace", "delete", "alice"])
        .code(1)
        .stderr_has("still records 1");
    s.run(&["workspace", "delete", "-force", "alice"]).ok();
    assert!(object(&bucket, "env:/alice/course/terraform.tfstate").is_none());
    s.run(&["output", "-raw", "ws"]).ok().stdout_has("default");
}

#[test]
fn dynamodb_table_is_refused_with_a_hint_and_a_missing_bucket_is_explained() {
    let s = Stack::with(
        r#"terraform {
  backend "s3" {
    bucket         = "nowhere-bucket-labform"
    key            = "k"
    region         = "us-east-1"
    dynamodb_table = "locks"
  }
}
"#,
    );
    s.run(&["init"]).code(1).stderr_has("use_lockfile = true");
    s.file("main.tf", "terraform {\n  backend \"s3\" {\n    bucket = \"nowhere-bucket-labform\"\n    key = \"k\"\n    region = \"us-east-1\"\n  }\n}\n");
    s.run(&["init"])
        .code(1)
        .stderr_has("must exist before labform can keep state in it");
}

#[test]
fn backend_config_file_completes_the_block_and_a_changed_key_is_detected() {
    let bucket = new_bucket();
    let block = |key: &str| {
        format!("terraform {{\n  backend \"s3\" {{\n    key    = \"{key}\"\n    region = \"us-east-1\"\n  }}\n}}\n{SMALL}")
    };
    let s = Stack::with(&block("cfg/terraform.tfstate"));
    s.run(&["plan"]).code(1).stderr_has("needs `bucket`");
    s.file(
        "s3.hcl",
        &format!("bucket  = \"{bucket}\"\nencrypt = true\n"),
    );
    s.run(&["init", "-backend-config=s3.hcl"]).ok();
    s.run(&["apply", "-auto-approve"]).ok();
    assert!(object(&bucket, "cfg/terraform.tfstate").is_some());
    s.file("main.tf", &block("moved/terraform.tfstate"));
    s.run(&["plan"]).code(1).stderr_has("the backend changed");
    s.run(&["init", "-backend-config=s3.hcl", "-migrate-state"])
        .ok();
    let moved = object(&bucket, "moved/terraform.tfstate").expect("moved state");
    assert_eq!(instances(&moved), 1);
    s.run(&["plan", "-detailed-exitcode"]).code(0);
}
