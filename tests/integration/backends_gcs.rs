//! Remote state in Cloud Storage (the GCS emulator, started by scripts/services/gcs_emulator.py,
//! which makes it honour `ifGenerationMatch`): racing applies, workspaces, a kill recovered
//! from a fresh copy. curl reads what the bucket holds.

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::{harness_env, Stack};

fn host() -> String {
    let h = harness_env("STORAGE_EMULATOR_HOST");
    if h.starts_with("http") {
        h
    } else {
        format!("http://{h}")
    }
}

fn curl(args: &[&str]) -> (u16, String) {
    let out = Command::new("curl")
        .args(["-s", "-w", "\n%{http_code}"])
        .args(args)
        .output()
        .expect("run curl");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (body, code) = text.rsplit_once('\n').unwrap_or(("", "0"));
    (code.trim().parse().unwrap_or(0), body.to_string())
}

fn new_bucket() -> String {
    let name = format!("lf-state-{}", uuid::Uuid::new_v4().simple());
    let (code, body) = curl(&[
        "-X",
        "POST",
        "-H",
        "content-type: application/json",
        "-d",
        &format!(r#"{{"name":"{name}"}}"#),
        &format!("{}/storage/v1/b?project=test", host()),
    ]);
    assert_eq!(code, 200, "create bucket {name}: {body}");
    name
}

fn object(bucket: &str, name: &str) -> Option<serde_json::Value> {
    let enc = name.replace('/', "%2F");
    let (code, body) = curl(&[&format!(
        "{}/storage/v1/b/{bucket}/o/{enc}?alt=media",
        host()
    )]);
    match code {
        200 => Some(serde_json::from_str(&body).unwrap_or_else(|e| panic!("{name}: {e}: {body}"))),
        404 => None,
        other => panic!("GET {bucket}/{name}: {other} {body}"),
    }
}

fn names(bucket: &str, prefix: &str) -> Vec<String> {
    let (code, body) = curl(&[&format!(
        "{}/storage/v1/b/{bucket}/o?prefix={prefix}",
        host()
    )]);
    assert_eq!(code, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).expect("listing");
    v["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i["name"].as_str().map(str::to_string))
                .filter(|n| n.starts_with(prefix))
                .collect()
        })
        .unwrap_or_default()
}

fn backend(bucket: &str) -> String {
    format!("terraform {{\n  backend \"gcs\" {{\n    bucket = \"{bucket}\"\n    prefix = \"course/week1\"\n  }}\n}}\n")
}

const STACK: &str = r#"
variable "i" {
  type    = string
  default = "0"
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
  input    = "${terraform.workspace}-${each.key}"
}
"#;

#[test]
fn ten_applies_racing_on_one_gcs_state_hold_the_lock_in_turn_and_lose_no_update() {
    let bucket = new_bucket();
    let config = format!("{}{STACK}", backend(&bucket));
    let dirs: Vec<Stack> = (0..10).map(|_| Stack::with(&config)).collect();
    let run = |extra: &[&str]| -> Vec<(u32, Option<i32>, String)> {
        let children: Vec<_> = dirs
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let target = format!("-target=terraform_data.r[\"{i}\"]");
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
                    .expect("spawn")
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
    };
    // The winner holds the lock for 6 s, so that a racer slow to start on a loaded machine
    // still finds it held.
    let outcomes = run(&["-var=hold=6s"]);
    let shown: String = outcomes
        .iter()
        .map(|(p, c, e)| format!("--- pid {p} exit {c:?}\n{e}"))
        .collect();
    let winners: Vec<u32> = outcomes
        .iter()
        .filter(|o| o.1 == Some(0))
        .map(|o| o.0)
        .collect();
    assert_eq!(winners.len(), 1, "{shown}");
    for (pid, _, err) in outcomes.iter().filter(|o| o.0 != winners[0]) {
        assert!(
            err.contains(&format!("(pid {})", winners[0])),
            "pid {pid} does not name the holder\n{shown}"
        );
    }
    let outcomes = run(&["-lock-timeout=120s", "-var=hold=1s"]);
    let shown: String = outcomes
        .iter()
        .map(|(p, c, e)| format!("--- pid {p} exit {c:?}\n{e}"))
        .collect();
    assert!(outcomes.iter().all(|o| o.1 == Some(0)), "{shown}");
    let state = object(&bucket, "course/week1/default.tfstate").expect("state");
    assert_eq!(state["serial"], 11, "{state}");
    let count: usize = state["resources"]
        .as_array()
        .map(|rs| {
            rs.iter()
                .map(|r| r["instances"].as_array().map_or(0, Vec::len))
                .sum()
        })
        .unwrap_or(0);
    assert_eq!(count, 11, "{state}");
    assert!(names(&bucket, "course/week1/default.tfstate.journal/").is_empty());
    assert!(object(&bucket, "course/week1/default.tflock").is_none());
}

#[test]
fn gcs_workspaces_and_a_kill_recovered_from_a_fresh_copy() {
    let bucket = new_bucket();
    let config = format!("{}{STACK}", backend(&bucket));
    let s = Stack::with(&config);
    s.run(&["init"]).ok().stdout_has("is reachable");
    s.run(&["workspace", "new", "dana"]).ok();
    let mut child = s
        .command(&["apply", "-auto-approve"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    std::thread::sleep(Duration::from_millis(1600));
    let _ = child.kill();
    let _ = child.wait();
    // A fresh copy of the stack (no local files) in the same workspace converges.
    let fresh = Stack::with(&config);
    fresh
        .run_env(&["apply", "-auto-approve"], &[("TF_WORKSPACE", "dana")])
        .ok();
    let dana = object(&bucket, "course/week1/dana.tfstate").expect("dana's state");
    assert_eq!(
        dana["resources"].as_array().map_or(0, Vec::len),
        2,
        "{dana}"
    );
    assert!(names(&bucket, "course/week1/dana.tfstate.journal/").is_empty());
    fresh
        .run_env(&["plan", "-detailed-exitcode"], &[("TF_WORKSPACE", "dana")])
        .code(0);
    // The default workspace was never applied: its state is still empty.
    let default = object(&bucket, "course/week1/default.tfstate");
    assert!(default.is_none_or(|d| d["resources"].as_array().is_none_or(Vec::is_empty)));
    s.run(&["workspace", "list"])
        .ok()
        .stdout_has("* dana")
        .stdout_has("  default");
}
