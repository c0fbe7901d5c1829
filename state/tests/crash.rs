//! SIGKILL at any moment: a child process applies changes in a loop and is killed at varying
//! moments (mid-journal, mid-commit, holding the lock); every time the state must read, hold
//! every change the child reported durable, and the next run must converge.

// A test crate: its helpers may unwrap too (a failed unwrap is a failed test).
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::{addr, store_in, PROVIDER, TF_VERSION};
use labform_sdk::Value;
use labform_state::{InstanceState, StateFile, StateStore};

const CHILD_ENV: &str = "LABFORM_STATE_CRASH_CHILD_DIR";
const INSTANCES: i64 = 150;

/// The generation recorded for each instance (`gen` attribute).
fn generations(state: &StateFile) -> BTreeMap<String, i64> {
    state
        .instances()
        .map(|(a, _, i)| (a.to_string(), i.attributes.i64_attr("gen").unwrap_or(-1)))
        .collect()
}

/// Runs in the child: apply generation after generation until killed, printing
/// `durable <addr> <gen>` after each change returns and `committed <serial>` after each commit.
#[test]
#[ignore = "the child process of `sigkill_at_any_moment_leaves_a_state_that_reads_and_converges`"]
fn crash_child() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        panic!("run only by the crash test, with {CHILD_ENV} set");
    };
    let store = store_in(std::path::Path::new(&dir));
    let mut out = std::io::stdout().lock();
    // The test harness has printed "test crash_child ... " without a newline: end that line.
    writeln!(out).expect("stdout");
    loop {
        let guard = store.lock("apply", Duration::from_secs(30)).expect("lock");
        if let Some(old) = guard.took_over() {
            writeln!(out, "took-over {}", old.pid).expect("stdout");
        }
        let base = store
            .read()
            .expect("read")
            .unwrap_or_else(|| StateFile::new(TF_VERSION));
        let gen = generations(&base).values().copied().max().unwrap_or(0) + 1;
        let mut writer = store.writer(base).expect("writer");
        for i in 0..INSTANCES {
            let at = addr(&format!("aws_s3_bucket.b[{i}]"));
            let attrs = Value::from_pairs([
                ("id", Value::from(format!("b{i}"))),
                ("gen", Value::from(gen)),
            ]);
            writer
                .put_instance(&at, PROVIDER, InstanceState::new(attrs))
                .expect("put");
            writeln!(out, "durable {at} {gen}").expect("stdout");
            out.flush().expect("flush");
        }
        let state = writer.commit().expect("commit");
        writeln!(out, "committed {}", state.serial).expect("stdout");
        out.flush().expect("flush");
        guard.unlock().expect("unlock");
    }
}

#[test]
fn sigkill_at_any_moment_leaves_a_state_that_reads_and_converges() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_in(dir.path());
    let exe = std::env::current_exe().expect("test binary");
    let mut seen: BTreeMap<String, i64> = BTreeMap::new();
    let mut last_serial = 0;
    let mut took_over = 0;
    let mut commits = 0;
    for round in 0..12u64 {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "crash_child",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn child");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Wait for the child to make progress, then kill it after a varying number of changes
        // (some rounds land in the middle of a commit, others mid-journal).
        let target = 20 + round * 37 % 400;
        let mut changes = 0;
        while changes < target {
            match rx.recv_timeout(Duration::from_secs(60)) {
                Ok(line) => {
                    changes += u64::from(line.starts_with("durable "));
                    record(&line, &mut seen, &mut took_over, &mut commits);
                }
                Err(e) => panic!("child made no progress in round {round}: {e}"),
            }
        }
        child.kill().expect("SIGKILL");
        child.wait().expect("reap");
        reader.join().expect("reader");
        for line in rx.try_iter() {
            record(&line, &mut seen, &mut took_over, &mut commits);
        }

        let state = store
            .read()
            .unwrap_or_else(|e| panic!("round {round}: state does not read: {e}"))
            .expect("state");
        let recorded = generations(&state);
        for (at, gen) in &seen {
            let got = recorded.get(at).copied();
            assert!(
                got >= Some(*gen),
                "round {round}: `{at}` reported durable at gen {gen}, state has {got:?}"
            );
        }
        assert!(
            state.serial >= last_serial,
            "round {round}: serial went back"
        );
        last_serial = state.serial;
    }
    assert!(
        took_over >= 10,
        "children killed holding the lock were taken over ({took_over})"
    );
    assert!(commits > 0, "some rounds committed");

    // The next run converges: lock, compact, commit; nothing left over.
    let guard = store
        .lock("apply", Duration::ZERO)
        .expect("lock after the last kill");
    let state = store.read().expect("read").expect("state");
    let committed = store
        .writer(state.clone())
        .expect("writer")
        .commit()
        .expect("commit");
    assert_eq!(generations(&committed), generations(&state));
    assert!(!store.journal_path().exists());
    drop(guard);
    assert_eq!(store.read().expect("read"), Some(committed));
}

fn record(line: &str, seen: &mut BTreeMap<String, i64>, took_over: &mut u32, commits: &mut u32) {
    let mut words = line.split(' ');
    match (words.next(), words.next(), words.next()) {
        (Some("durable"), Some(at), Some(gen)) => {
            let gen: i64 = gen.parse().expect("gen");
            seen.insert(at.to_string(), gen);
        }
        (Some("took-over"), _, _) => *took_over += 1,
        (Some("committed"), _, _) => *commits += 1,
        _ => {}
    }
}
