//! SIGTERM (what `docker stop`, systemd and CI runners send) is handled like the first Ctrl-C:
//! running operations finish and are recorded, the lock is released, and the run exits 1 saying
//! it was interrupted. A second signal, INT or TERM, exits at once with the journal intact.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::Stack;

/// Two slow creates side by side, and one that must wait for the first.
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
"#;

/// One create that outlasts any test, and a file written at once.
const LONG: &str = r#"
resource "time_sleep" "long" {
  create_duration = "30s"
}
resource "local_file" "quick" {
  filename = "${path.module}/quick.txt"
  content  = "done"
}
"#;

/// A run whose progress lines (stdout) are watched as they come.
struct Watched {
    child: Child,
    stdout: Arc<Mutex<String>>,
    reader: std::thread::JoinHandle<()>,
}

impl Watched {
    fn start(s: &Stack, args: &[&str]) -> Watched {
        let mut child = s
            .command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn labform");
        let pipe = child.stdout.take().expect("stdout");
        let stdout = Arc::new(Mutex::new(String::new()));
        let sink = stdout.clone();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                let mut text = sink.lock().unwrap_or_else(|e| e.into_inner());
                text.push_str(&line);
                text.push('\n');
            }
        });
        Watched {
            child,
            stdout,
            reader,
        }
    }

    fn printed(&self) -> String {
        self.stdout
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Waits (up to 20 s) until every one of `lines` was printed.
    fn wait_for(&self, lines: &[&str]) {
        let start = Instant::now();
        while !lines.iter().all(|l| self.printed().contains(l)) {
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "{lines:?} never printed:\n{}",
                self.printed()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn send(&self, signal: &str) {
        let ok = std::process::Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(ok, "kill {signal} {} failed", self.child.id());
    }

    /// Waits for the exit: its code, and both streams for messages.
    fn finish(self) -> (Option<i32>, String, String) {
        let out = self.child.wait_with_output().expect("wait");
        self.reader.join().expect("stdout reader");
        let stdout = self
            .stdout
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let shown = format!("--- stdout\n{stdout}\n--- stderr\n{stderr}");
        (out.status.code(), stderr, shown)
    }
}

#[test]
fn sigterm_mid_apply_lets_running_creates_finish_records_them_and_releases_the_lock() {
    let s = Stack::with(SLOW);
    let run = Watched::start(&s, &["apply", "-auto-approve", "-parallelism=2"]);
    run.wait_for(&[
        "time_sleep.slow_a: Creating...",
        "time_sleep.slow_b: Creating...",
    ]);
    let signalled = Instant::now();
    run.send("-TERM");
    let (code, stderr, shown) = run.finish();
    assert_eq!(code, Some(1), "{shown}");
    assert!(
        signalled.elapsed() >= Duration::from_millis(1000),
        "exited before the running creates finished\n{shown}"
    );
    assert!(stderr.contains("interrupt received"), "{shown}");
    assert!(stderr.contains("interrupted, state saved"), "{shown}");
    // Both running creates finished and were committed; nothing new started after the signal.
    assert_eq!(
        s.state_list(),
        ["time_sleep.slow_a", "time_sleep.slow_b"],
        "{shown}"
    );
    assert!(
        !s.path().join(".labform/state.json.journal").exists(),
        "the state was not committed\n{shown}"
    );
    assert!(
        !s.path().join(".labform/state.json.lock").exists(),
        "lock not released\n{shown}"
    );
    // The next run takes no stale lock over, and converges.
    s.run(&["apply", "-auto-approve"])
        .ok()
        .nowhere("stale state lock")
        .stdout_has("1 added");
    s.run(&["plan", "-detailed-exitcode"]).code(0);
}

/// TERM then INT, INT then TERM, TERM twice: the second signal ends the run at once.
#[test]
fn a_second_signal_of_either_kind_exits_at_once_with_the_journal_intact() {
    for (first, second) in [("-TERM", "-INT"), ("-INT", "-TERM"), ("-TERM", "-TERM")] {
        let s = Stack::with(LONG);
        let run = Watched::start(&s, &["apply", "-auto-approve"]);
        run.wait_for(&[
            "time_sleep.long: Creating...",
            "local_file.quick: Creation complete",
        ]);
        let started = Instant::now();
        run.send(first);
        std::thread::sleep(Duration::from_millis(300));
        run.send(second);
        let (code, stderr, shown) = run.finish();
        let which = format!("{first} then {second}");
        assert_eq!(code, Some(1), "{which}\n{shown}");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{which}: did not exit at once\n{shown}"
        );
        assert!(stderr.contains("second interrupt"), "{which}\n{shown}");
        // The journal is intact: the finished file is recorded, and the run that was cut short
        // left its lock to be taken over.
        let journal = s.read(".labform/state.json.journal");
        assert!(journal.contains("local_file.quick"), "{which}\n{journal}");
        assert!(s.state_list().contains(&"local_file.quick".to_string()));
        s.run(&["plan"])
            .ok()
            .stderr_has("stale state lock")
            .stdout_has("time_sleep.long will be created");
    }
}

/// A signal before the apply starts (here while planning waits on a data source reading a named
/// pipe, with the lock held): nothing has changed, so the run releases the lock and exits 1 at
/// once instead of dying with the lock held.
#[test]
fn a_signal_while_planning_releases_the_lock_and_changes_nothing() {
    for sig in ["-TERM", "-INT"] {
        let s = Stack::with(
            r#"
data "local_file" "gate" {
  filename = "${path.module}/gate"
}
resource "terraform_data" "x" {
  input = data.local_file.gate.content
}
"#,
        );
        let made = std::process::Command::new("mkfifo")
            .arg(s.path().join("gate"))
            .status()
            .map(|st| st.success())
            .unwrap_or(false);
        assert!(made, "mkfifo failed");
        let run = Watched::start(&s, &["apply", "-auto-approve"]);
        let lock = s.path().join(".labform/state.json.lock");
        let start = Instant::now();
        while !lock.exists() {
            assert!(start.elapsed() < Duration::from_secs(20), "never locked");
            std::thread::sleep(Duration::from_millis(20));
        }
        // The read of the pipe blocks until a writer opens it: planning is under way.
        std::thread::sleep(Duration::from_millis(300));
        let signalled = Instant::now();
        run.send(sig);
        let (code, stderr, shown) = run.finish();
        assert_eq!(code, Some(1), "{sig}\n{shown}");
        assert!(
            signalled.elapsed() < Duration::from_secs(5),
            "{sig}: did not exit at once\n{shown}"
        );
        assert!(
            stderr.contains(
                "interrupted before any change was made: exiting; the state lock is released"
            ),
            "{sig}\n{shown}"
        );
        assert!(!lock.exists(), "{sig}: lock left behind\n{shown}");
        assert!(s.state_list().is_empty(), "{sig}: something was recorded");
    }
}
