//! Ctrl-C and SIGKILL in the middle of an apply: state stays readable and complete, the lock is
//! released (or taken over once its process is gone), and the next run converges.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::Stack;

const SLOW: &str = r#"
resource "time_sleep" "slow_a" {
  create_duration = "2s"
}
resource "time_sleep" "slow_b" {
  create_duration = "2s"
}
resource "terraform_data" "after_a" {
  input = time_sleep.slow_a.id
}
resource "local_file" "quick" {
  filename = "${path.module}/quick.txt"
  content  = "done"
}
"#;

fn wait_for(s: &Stack, what: &str, path: &str) {
    let start = Instant::now();
    while !s.read(path).contains(what) {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{what} never appeared in {path}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn signal(pid: u32, sig: &str) {
    let ok = std::process::Command::new("kill")
        .args([sig, &pid.to_string()])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(ok, "kill {sig} {pid} failed");
}

#[test]
fn first_interrupt_lets_running_operations_finish_then_stops() {
    let s = Stack::with(SLOW);
    let child = s
        .command(&["apply", "-auto-approve", "-parallelism=2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Wait until both sleeps are running (their intents are in the journal or state).
    std::thread::sleep(Duration::from_millis(700));
    signal(child.id(), "-INT");
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "stdout:\n{stdout}\nstderr:\n{stderr}"
    );
    assert!(stderr.contains("interrupt"), "{stderr}");
    // The running operations finished and were recorded; nothing new started after the signal.
    let list = s.state_list();
    assert!(
        list.contains(&"time_sleep.slow_a".to_string())
            && list.contains(&"time_sleep.slow_b".to_string()),
        "{list:?}\n{stdout}\n{stderr}"
    );
    assert!(
        !list.contains(&"terraform_data.after_a".to_string()),
        "{list:?}"
    );
    assert!(
        !s.path().join(".labform/state.json.lock").exists(),
        "lock not released"
    );
    // The next run converges.
    s.run(&["apply", "-auto-approve"]).ok();
    s.run(&["plan", "-detailed-exitcode"]).code(0);
}

#[test]
fn sigkill_mid_apply_leaves_readable_state_and_the_next_run_converges() {
    let s = Stack::with(SLOW);
    let mut child = s
        .command(&["apply", "-auto-approve"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    wait_for(&s, "done", "quick.txt");
    std::thread::sleep(Duration::from_millis(200));
    child.kill().expect("SIGKILL");
    let _ = child.wait();
    // The stale lock is detected (its process is gone) and taken over with a warning.
    let r = s.run(&["plan"]);
    r.ok().stderr_has("stale state lock");
    assert!(
        s.state_list().contains(&"local_file.quick".to_string()),
        "finished work was lost"
    );
    s.run(&["apply", "-auto-approve"]).ok();
    s.run(&["plan", "-detailed-exitcode"]).code(0);
    assert_eq!(s.state_list().len(), 4);
}

#[test]
fn a_second_interrupt_exits_at_once_and_state_still_reads() {
    let s = Stack::with(
        r#"
resource "time_sleep" "long" {
  create_duration = "20s"
}
resource "local_file" "quick" {
  filename = "${path.module}/quick.txt"
  content  = "done"
}
"#,
    );
    let started = Instant::now();
    let child = s
        .command(&["apply", "-auto-approve"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    wait_for(&s, "done", "quick.txt");
    signal(child.id(), "-INT");
    std::thread::sleep(Duration::from_millis(300));
    signal(child.id(), "-INT");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "did not exit at once"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("second interrupt"));
    // What finished is recorded (from the journal); the run converges.
    assert!(s.state_list().contains(&"local_file.quick".to_string()));
    s.run(&["plan"])
        .ok()
        .stderr_has("stale state lock")
        .stdout_has("time_sleep.long will be created");
}

/// The kill campaign on local files (no service needed): every file the stack writes is made
/// once, whatever moment the runs are killed at.
#[test]
fn kill_campaign_on_local_files_leaves_no_orphan_and_no_duplicate() {
    let s = Stack::with(
        r#"
resource "time_sleep" "wait" {
  count           = 20
  create_duration  = "500ms"
  destroy_duration = "500ms"
}
resource "local_file" "f" {
  count    = 20
  filename = "${path.module}/out/${count.index}.txt"
  content  = "file ${count.index}"
  depends_on = [time_sleep.wait]
}
"#,
    );
    let files = || {
        std::fs::read_dir(s.path().join("out"))
            .map(|d| d.count())
            .unwrap_or(0)
    };
    let report = crate::campaign::Campaign::new(&s, 20)
        .window(Duration::from_millis(900))
        .run("local_file", files);
    // Most runs are still going when killed (a loaded machine may finish a few early).
    assert!(
        report.kills >= 4,
        "too few runs were still going when killed: {report:?}"
    );
}
