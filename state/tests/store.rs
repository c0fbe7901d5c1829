//! The local store: journaled writes, replay after a crash, commit, backup, conflicts.

// A test crate: its helpers may unwrap too (a failed unwrap is a failed test).
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;

use common::{addr, id_of, instance, store_in, writer, PROVIDER, TF_VERSION};
use labform_sdk::Value;
use labform_state::{OutputState, StateError, StateFile, StateStore};

#[test]
fn no_state_reads_as_none_and_the_store_creates_its_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_in(dir.path());
    assert!(store.read().expect("read").is_none());
    assert_eq!(
        store.describe(),
        format!(
            "local state file `{}`",
            dir.path().join(".labform/state.json").display()
        )
    );
    let state = store
        .writer(StateFile::new(TF_VERSION))
        .expect("writer")
        .commit()
        .expect("commit");
    assert_eq!(state.serial, 0, "nothing changed");
    assert!(store.path().exists());
    assert_eq!(
        fs::read_to_string(dir.path().join(".labform/.gitignore"))
            .ok()
            .as_deref(),
        Some("# labform's recorded state: never commit it\n*\n")
    );
    assert_eq!(store.read().expect("read"), Some(state));
}

#[test]
fn commit_bumps_the_serial_once_keeps_a_backup_and_removes_the_journal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_in(dir.path());
    let mut w = writer(&store);
    w.put_instance(&addr("aws_s3_bucket.a"), PROVIDER, instance("a"))
        .expect("put");
    w.put_instance(&addr("aws_s3_bucket.b"), PROVIDER, instance("b"))
        .expect("put");
    assert!(store.journal_path().exists(), "changes are journaled");
    let first = w.commit().expect("commit");
    assert_eq!(first.serial, 1);
    assert!(!store.journal_path().exists());
    let on_disk: serde_json::Value =
        serde_json::from_slice(&fs::read(store.path()).expect("state")).expect("json");
    assert_eq!(on_disk["serial"], 1);
    let backup: serde_json::Value =
        serde_json::from_slice(&fs::read(store.backup_path()).expect("backup")).expect("json");
    assert_eq!(backup["serial"], 0, "the backup is the version before");

    let mut w = store.writer(first.clone()).expect("writer");
    w.remove_instance(&addr("aws_s3_bucket.a")).expect("remove");
    w.put_instance(&addr("aws_s3_bucket.c"), PROVIDER, instance("c"))
        .expect("put");
    w.set_outputs(BTreeMap::from([(
        "n".to_string(),
        OutputState {
            value: Value::from(2.0),
            ty: serde_json::json!("number"),
            sensitive: false,
        },
    )]))
    .expect("outputs");
    let second = w.commit().expect("commit");
    assert_eq!(second.serial, 2);
    assert_eq!(id_of(&second, "aws_s3_bucket.a"), None);
    assert_eq!(id_of(&second, "aws_s3_bucket.c").as_deref(), Some("c"));
    assert_eq!(store.read().expect("read"), Some(second.clone()));
    let backup = StateFile::parse(
        &fs::read(store.backup_path()).expect("backup"),
        store.backup_path(),
    )
    .expect("parse");
    assert_eq!(backup, first);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(store.path())
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "state may hold secrets: owner only");
    }

    // Changes that change nothing write nothing and keep the serial.
    let mut w = store.writer(second.clone()).expect("writer");
    w.put_instance(&addr("aws_s3_bucket.c"), PROVIDER, instance("c"))
        .expect("same put");
    w.remove_instance(&addr("aws_s3_bucket.gone"))
        .expect("remove missing");
    assert!(!store.journal_path().exists());
    assert_eq!(w.commit().expect("commit").serial, 2);
}

#[test]
fn a_writer_dropped_without_commit_loses_nothing_journaled() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_in(dir.path());
    let mut w = writer(&store);
    w.put_instance(&addr("aws_s3_bucket.keep"), PROVIDER, instance("k"))
        .expect("put");
    let base = w.commit().expect("commit");

    let mut w = store.writer(base.clone()).expect("writer");
    for i in 0..5 {
        w.put_instance(
            &addr(&format!("aws_s3_bucket.n[{i}]")),
            PROVIDER,
            instance(&i.to_string()),
        )
        .expect("put");
    }
    w.remove_instance(&addr("aws_s3_bucket.keep"))
        .expect("remove");
    w.move_instance(&addr("aws_s3_bucket.n[4]"), &addr("aws_s3_bucket.moved"))
        .expect("move");
    drop(w); // as if killed

    let replayed = store.read().expect("read").expect("state");
    assert_eq!(
        replayed.serial,
        base.serial + 1,
        "a replayed journal counts as the next serial"
    );
    assert_eq!(replayed.lineage, base.lineage);
    assert_eq!(id_of(&replayed, "aws_s3_bucket.n[3]").as_deref(), Some("3"));
    assert_eq!(
        id_of(&replayed, "aws_s3_bucket.moved").as_deref(),
        Some("4")
    );
    assert_eq!(id_of(&replayed, "aws_s3_bucket.keep"), None);
    assert_eq!(replayed.instance_count(), 5);
    // Reading again (say, a plan) replays the same way and changes nothing on disk.
    assert_eq!(store.read().expect("read").as_ref(), Some(&replayed));

    // The next writer compacts the journal into the state before journaling its own changes.
    let w = store.writer(replayed.clone()).expect("writer");
    assert!(!store.journal_path().exists());
    let stored =
        StateFile::parse(&fs::read(store.path()).expect("state"), store.path()).expect("parse");
    assert_eq!(stored, replayed);
    assert_eq!(
        w.commit().expect("commit").serial,
        replayed.serial,
        "nothing more changed"
    );

    // A writer from a state that is not the stored one is refused.
    let err = store.writer(base).err().expect("stale base");
    assert!(
        matches!(
            err,
            StateError::Conflict {
                expected_serial: 1,
                found_serial: 2,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_torn_last_journal_line_is_ignored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_in(dir.path());
    let base = writer(&store).commit().expect("commit");
    let mut w = store.writer(base.clone()).expect("writer");
    w.put_instance(&addr("aws_s3_bucket.a"), PROVIDER, instance("a"))
        .expect("put");
    w.put_instance(&addr("aws_s3_bucket.b"), PROVIDER, instance("b"))
        .expect("put");
    drop(w);
    // Cut the last line in half, as a crash in the middle of a write would.
    let text = fs::read(store.journal_path()).expect("journal");
    let last_start = text[..text.len() - 1]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |p| p + 1);
    let cut = last_start + (text.len() - last_start) / 2;
    fs::write(store.journal_path(), &text[..cut]).expect("truncate");

    let state = store.read().expect("read").expect("state");
    assert_eq!(id_of(&state, "aws_s3_bucket.a").as_deref(), Some("a"));
    assert_eq!(id_of(&state, "aws_s3_bucket.b"), None);
    let committed = store
        .writer(state)
        .expect("writer")
        .commit()
        .expect("commit");
    assert_eq!(committed.serial, base.serial + 1);
    assert!(!store.journal_path().exists());
}

#[test]
fn a_journal_of_an_older_serial_is_ignored() {
    // A crash after commit renamed the new state into place but before it removed the journal.
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_in(dir.path());
    let base = writer(&store).commit().expect("commit");
    let mut w = store.writer(base).expect("writer");
    w.put_instance(&addr("aws_s3_bucket.a"), PROVIDER, instance("a"))
        .expect("put");
    let journal = fs::read(store.journal_path()).expect("journal");
    let committed = w.commit().expect("commit");
    fs::write(store.journal_path(), &journal).expect("restore journal");
    let mut extra = fs::OpenOptions::new()
        .append(true)
        .open(store.journal_path())
        .expect("open");
    extra.write_all(journal.as_slice()).expect("append");
    assert_eq!(store.read().expect("read"), Some(committed.clone()));
    assert_eq!(
        store
            .writer(committed.clone())
            .expect("writer")
            .commit()
            .expect("commit"),
        committed
    );
    assert!(!store.journal_path().exists());
}

#[test]
fn a_corrupt_state_file_names_file_line_and_backup() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_in(dir.path());
    let mut w = writer(&store);
    w.put_instance(&addr("aws_s3_bucket.a"), PROVIDER, instance("a"))
        .expect("put");
    w.commit().expect("commit");
    let text = fs::read_to_string(store.path()).expect("state");
    fs::write(
        store.path(),
        text.replacen("\"serial\": 1,", "\"serial\": 1", 1),
    )
    .expect("damage");
    let err = store.read().expect_err("corrupt");
    // serde_json notices the missing comma at the next key, on line 5.
    let message = err.to_string();
    assert!(
        message.starts_with(&format!(
            "state file `{}` is not valid at line 5: ",
            store.path().display()
        )),
        "{message}"
    );
    assert!(message.ends_with(&format!("\nhint: the previous version is kept in `{}`; inspect both and copy the good one into place", store.backup_path().display())), "{message}");
}

#[test]
fn unknown_values_never_reach_state() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_in(dir.path());
    let mut w = writer(&store);
    let mut bad = instance("x");
    bad.attributes.set("arn", Value::Unknown);
    let err = w
        .put_instance(&addr("aws_s3_bucket.x"), PROVIDER, bad)
        .expect_err("unknown");
    assert_eq!(
        err.to_string(),
        "attributes of `aws_s3_bucket.x` hold unknown values, which state never records"
    );
    assert!(w.state().is_empty());
}

/// 10,000 changes cost one journal line each and one full write at commit: the state file is
/// not rewritten per change, and the journal grows by one bounded line per change.
#[test]
fn ten_thousand_puts_append_lines_and_write_the_state_once() {
    // tmpfs where there is one: the point is the bytes written, not the disk's sync latency.
    let shm = std::path::Path::new("/dev/shm");
    let dir = if shm.is_dir() {
        tempfile::tempdir_in(shm)
    } else {
        tempfile::tempdir()
    }
    .expect("tempdir");
    let store = store_in(dir.path());
    let base = store
        .writer(StateFile::new(TF_VERSION))
        .expect("writer")
        .commit()
        .expect("commit");
    let before = fs::read(store.path()).expect("state");

    let mut w = store.writer(base).expect("writer");
    let mut max_line = 0u64;
    let mut last_len = 0u64;
    for i in 0..10_000 {
        let at = addr(&format!("aws_s3_bucket.many[{i}]"));
        w.put_instance(&at, PROVIDER, instance(&format!("bucket-{i}")))
            .expect("put");
        if i % 1000 == 999 {
            let len = fs::metadata(store.journal_path()).expect("journal").len();
            max_line = max_line.max((len - last_len) / 1000);
            last_len = len;
            assert_eq!(
                fs::read(store.path()).expect("state"),
                before,
                "state file untouched until commit"
            );
        }
    }
    assert!(
        max_line < 400,
        "a journal line stays small ({max_line} bytes)"
    );
    let state = w.commit().expect("commit");
    assert_eq!(state.serial, 1);
    assert_eq!(state.instance_count(), 10_000);
    assert!(!store.journal_path().exists());
    let reread = store.read().expect("read").expect("state");
    assert_eq!(
        id_of(&reread, "aws_s3_bucket.many[9999]").as_deref(),
        Some("bucket-9999")
    );
}
