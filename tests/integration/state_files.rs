//! The files beside a stack's state, as a user meets them: an emptied `state.json`, a lock file
//! that does not parse, a saved plan written over a wider file, and two runs with `-lock=false`.

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::Stack;

const SLEEP_AND_FILE: &str = r#"
resource "time_sleep" "long" {
  create_duration = "30s"
}
resource "local_file" "quick" {
  filename = "${path.module}/quick.txt"
  content  = "done"
}
"#;

/// Starts `labform args` and waits until it printed `line` on stdout.
fn start_until(s: &Stack, args: &[&str], line: &str) -> std::process::Child {
    let mut child = s
        .command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn labform");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let start = Instant::now();
    loop {
        match lines.next() {
            Some(Ok(l)) if l.contains(line) => break,
            Some(Ok(_)) => {}
            other => panic!("the run ended before printing {line:?}: {other:?}"),
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{line:?} never printed"
        );
    }
    // Keep draining its output so that it never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    child
}

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path)
        .expect("metadata")
        .permissions()
        .mode()
        & 0o777
}

#[test]
fn an_emptied_state_file_stops_every_run_and_keeps_the_journal() {
    let s = Stack::with(SLEEP_AND_FILE);
    s.file(
        "main.tf",
        r#"
resource "local_file" "first" {
  filename = "${path.module}/first.txt"
  content  = "1"
}
"#,
    );
    s.run(&["apply", "-auto-approve"]).ok();
    s.file(
        "main.tf",
        &format!(
            "{SLEEP_AND_FILE}\nresource \"local_file\" \"first\" {{\n  filename = \"${{path.module}}/first.txt\"\n  content  = \"1\"\n}}\n"
        ),
    );
    // A run killed mid-apply leaves a journal holding what it finished.
    let mut killed = start_until(
        &s,
        &["apply", "-auto-approve"],
        "local_file.quick: Creation complete",
    );
    killed.kill().expect("SIGKILL");
    let _ = killed.wait();
    let journal_path = s.path().join(".labform/state.json.journal");
    let journal = std::fs::read(&journal_path).expect("a journal");
    // Something outside labform empties the state file.
    std::fs::write(s.path().join(".labform/state.json"), "").expect("empty it");

    for args in [
        &["plan"][..],
        &["apply", "-auto-approve"],
        &["state", "list"],
    ] {
        s.run(args)
            .code(1)
            .stderr_has("state.json` is empty: labform never writes it so")
            .stderr_has("cp ")
            .stderr_has("state.json.backup")
            .stderr_has("state.json.journal` (kept)")
            .nowhere("will be created");
    }
    assert_eq!(std::fs::read(&journal_path).expect("journal kept"), journal);
    assert_eq!(
        s.read(".labform/state.json"),
        "",
        "the file is left as found"
    );
}

#[test]
fn force_unlock_removes_a_lock_file_that_does_not_parse_and_says_what_it_removed() {
    let s = Stack::with("resource \"terraform_data\" \"x\" {}\n");
    s.run(&["apply", "-auto-approve"]).ok();
    s.file(".labform/state.json.lock", "{\"id\": \"half-writ");
    s.run(&["plan"])
        .code(1)
        .stderr_has("state.json.lock` is unreadable: it is not JSON lock information")
        .stderr_has("labform force-unlock ID` (any ID: the file holds none)");
    s.run(&["force-unlock", "anything", "-force"])
        .ok()
        .stdout_has("successfully unlocked")
        .stdout_has("removed the unreadable lock file")
        .stdout_has("{\\\"id\\\": \\\"half-writ");
    assert!(!s.path().join(".labform/state.json.lock").exists());
    s.run(&["plan", "-detailed-exitcode"]).code(0);
}

#[test]
fn a_saved_plan_is_owner_only_even_over_a_wider_file_and_replaced_whole() {
    let s = Stack::with("resource \"terraform_data\" \"x\" {\n  input = \"a\"\n}\n");
    let out = s.path().join("tfplan");
    std::fs::write(&out, "an older, world-readable plan").expect("write");
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    // A second name for the old file: an in-place rewrite would change what it holds too.
    let other_name = s.path().join("kept-copy");
    std::fs::hard_link(&out, &other_name).expect("link");

    s.run(&["plan", "-out=tfplan"]).ok();
    assert_eq!(mode(&out), 0o600, "the plan holds variable values");
    assert_eq!(s.read("kept-copy"), "an older, world-readable plan");
    let leftovers: Vec<String> = std::fs::read_dir(s.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    s.run(&["apply", "tfplan"]).ok().stdout_has("1 added");
}

/// Two runs with `-lock=false` on one state: the second refuses to write while the first one's
/// journal is live (before, it compacted that journal away under the first run's feet, and the
/// first run's next changes went to a file no one would read).
#[test]
fn a_second_run_without_the_lock_refuses_to_write_over_a_live_runs_journal() {
    let s = Stack::with(
        r#"
resource "time_sleep" "wait" {
  create_duration = "3s"
}
resource "local_file" "quick" {
  filename = "${path.module}/quick.txt"
  content  = "done"
}
resource "local_file" "after" {
  filename   = "${path.module}/after.txt"
  content    = "after"
  depends_on = [time_sleep.wait]
}
"#,
    );
    let first = start_until(
        &s,
        &["apply", "-auto-approve", "-lock=false"],
        "local_file.quick: Creation complete",
    );
    let journal_path = s.path().join(".labform/state.json.journal");
    let journal = std::fs::read(&journal_path).expect("the first run's journal");

    s.run(&["apply", "-auto-approve", "-lock=false"])
        .code(1)
        .stderr_has("another labform run is writing state")
        .stderr_has("state.json.journal` is in use")
        .stderr_has("`-lock=false` must not overlap");
    assert_eq!(
        std::fs::read(&journal_path).expect("journal still there"),
        journal,
        "the second run changed the first one's journal"
    );

    let out = first.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(0));
    let mut list = s.state_list();
    list.sort();
    assert_eq!(
        list,
        ["local_file.after", "local_file.quick", "time_sleep.wait"]
    );
    s.run(&["plan", "-detailed-exitcode"]).code(0);
}
