//! One operation at a time per state: a second run fails at once naming the holder, or waits
//! with `-lock-timeout`; `force-unlock` releases a lock by id.

use std::process::Stdio;
use std::time::Duration;

use crate::common::Stack;

const SLOW: &str = r#"
resource "time_sleep" "s" {
  create_duration = "2s"
}
"#;

fn wait_for_lock(s: &Stack) {
    for _ in 0..100 {
        if s.path().join(".labform/state.json.lock").exists() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the first apply never took the lock");
}

#[test]
fn a_second_apply_fails_at_once_with_who_holds_the_lock() {
    let s = Stack::with(SLOW);
    let first = s
        .command(&["apply", "-auto-approve"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    wait_for_lock(&s);
    let started = std::time::Instant::now();
    let r = s.run(&["apply", "-auto-approve"]);
    r.code(1)
        .stderr_has("state is locked by")
        .stderr_has(&format!("pid {}", first.id()))
        .stderr_has("`apply`")
        .stderr_has("force-unlock");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "did not fail at once"
    );
    let out = first.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn lock_timeout_waits_for_the_holder() {
    let s = Stack::with(SLOW);
    let first = s
        .command(&["apply", "-auto-approve"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    wait_for_lock(&s);
    s.run(&["plan", "-lock-timeout=20s", "-detailed-exitcode"])
        .code(0);
    let _ = first.wait_with_output();
}

#[test]
fn force_unlock_removes_a_lock_by_id() {
    let s = Stack::with("resource \"terraform_data\" \"x\" {}\n");
    s.run(&["apply", "-auto-approve"]).ok();
    // A lock from another host cannot be judged stale: it must be released by hand.
    s.file(
        ".labform/state.json.lock",
        r#"{"id":"1234-abcd","operation":"apply","who":"ci@elsewhere","host":"elsewhere","pid":1,"created":"2026-01-01T00:00:00Z","path":"x","version":"0.1.0"}"#,
    );
    let r = s.run(&["plan"]);
    r.code(1).stderr_has("state is locked");
    s.run(&["force-unlock", "wrong-id", "-force"]).code(1);
    s.run(&["force-unlock", "1234-abcd", "-force"]).ok();
    s.run(&["plan"]).ok();
}
