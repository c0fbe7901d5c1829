//! State files that went wrong outside labform (emptied, removed), and runs that skipped the
//! lock: each is refused with what is wrong and how to recover, and nothing is deleted.

// A test crate: its helpers may unwrap too (a failed unwrap is a failed test).
#![allow(clippy::unwrap_used)]

mod common;

use std::fs;

use common::{addr, instance, store_in, writer, PROVIDER};
use labform_state::{StateError, StateStore};

/// A store holding one committed instance and a journal of a run killed after one more change.
fn interrupted_run(dir: &std::path::Path) -> labform_state::LocalStore {
    let store = store_in(dir);
    let mut w = writer(&store);
    w.put_instance(&addr("aws_s3_bucket.a"), PROVIDER, instance("a"))
        .expect("put");
    let base = w.commit().expect("commit");
    let mut w = store.writer(base).expect("writer");
    w.put_instance(&addr("aws_s3_bucket.b"), PROVIDER, instance("b"))
        .expect("put");
    drop(w); // as if killed
    assert!(store.journal_path().exists() && store.backup_path().exists());
    store
}

#[test]
fn an_empty_state_file_is_an_error_that_keeps_the_file_and_the_journal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = interrupted_run(dir.path());
    let journal = fs::read(store.journal_path()).expect("journal");
    fs::write(store.path(), "").expect("empty the state");

    let (state, backup, journal_path) = (
        store.path().display().to_string(),
        store.backup_path().display().to_string(),
        store.journal_path().display().to_string(),
    );
    let err = store
        .read()
        .expect_err("an empty state is not \"no state\"");
    assert_eq!(
        err.to_string(),
        format!(
            "state file `{state}` is empty: labform never writes it so, something truncated it; it is not read as \"no state\", which would forget every object it records\nhint: restore the previous version: `cp {backup} {state}`; the journal `{journal_path}` (kept) records the changes of the last, interrupted run: objects it made since that version are not in it, and `labform sweep -dry-run` lists them"
        )
    );
    // What a writer would have done with "no state": store a new one and delete the journal.
    let err = store
        .writer(labform_state::StateFile::new("1.9.0"))
        .err()
        .expect("writer refused");
    assert!(matches!(err, StateError::EmptyState { .. }), "{err}");
    assert_eq!(fs::read(store.path()).expect("state"), b"");
    assert_eq!(fs::read(store.journal_path()).expect("journal"), journal);

    // Whitespace only is empty too; without a backup or journal the hint says so.
    let bare = tempfile::tempdir().expect("tempdir");
    let store = store_in(bare.path());
    fs::create_dir_all(store.path().parent().expect("dir")).expect("mkdir");
    fs::write(store.path(), "\n  \n").expect("write");
    let err = store.read().expect_err("empty");
    assert!(
        err.to_string().ends_with(
            "\nhint: restore it from a copy; if no object was ever made with this state, delete it to start afresh"
        ),
        "{err}"
    );
}

#[test]
fn a_journal_whose_state_file_was_removed_is_kept_and_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = interrupted_run(dir.path());
    fs::remove_file(store.path()).expect("remove the state");
    let err = store.read().expect_err("journal without its state");
    assert_eq!(
        err.to_string(),
        format!(
            "state file `{}` is missing but its journal `{}` exists: the journal records changes to that state\nhint: restore the state file (its previous version is `{}`); to start afresh instead, delete the journal",
            store.path().display(),
            store.journal_path().display(),
            store.backup_path().display()
        )
    );
    assert!(store
        .writer(labform_state::StateFile::new("1.9.0"))
        .is_err());
    assert!(store.journal_path().exists());
}

/// Runs that skipped the lock (`-lock=false`) start from the same state: none can truncate,
/// compact or discard the journal of another that is live, and none journals or commits over
/// a state another one has replaced since.
#[test]
fn a_run_without_the_lock_cannot_touch_a_live_runs_journal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_in(dir.path());
    let base = writer(&store).commit().expect("commit");

    let mut first = store.writer(base.clone()).expect("first writer");
    let mut second = store.writer(base.clone()).expect("second writer");
    let mut late = store.writer(base.clone()).expect("late writer");
    // A run whose refresh changed what it read: it commits even without journal lines.
    let mut refreshed = base.clone();
    refreshed.put_instance(&addr("aws_s3_bucket.r"), PROVIDER, instance("r"));
    let changed = store.writer(refreshed).expect("refreshed writer");

    first
        .put_instance(&addr("aws_s3_bucket.a"), PROVIDER, instance("a"))
        .expect("first put");
    let journal = fs::read(store.journal_path()).expect("journal");

    let err = second
        .put_instance(&addr("aws_s3_bucket.b"), PROVIDER, instance("b"))
        .expect_err("second put");
    assert_eq!(
        err.to_string(),
        format!(
            "another labform run is writing state `{}` right now (its journal `{}` is in use)\nhint: runs started with `-lock=false` must not overlap: wait for the other run to finish, then run this one again",
            store.path().display(),
            store.journal_path().display()
        )
    );
    // Another run reads the live journal (a plan may), but may not compact it.
    let seen = store.read().expect("read").expect("state");
    assert!(seen.instance(&addr("aws_s3_bucket.a")).is_some());
    assert!(matches!(
        store.writer(seen).err(),
        Some(StateError::Busy { .. })
    ));
    // Nor may a run that changed nothing discard it, nor one that changed its base commit.
    second.commit().expect("nothing to commit");
    assert!(matches!(changed.commit(), Err(StateError::Busy { .. })));
    assert_eq!(fs::read(store.journal_path()).expect("journal"), journal);

    first
        .put_instance(&addr("aws_s3_bucket.c"), PROVIDER, instance("c"))
        .expect("first keeps journaling");
    let committed = first.commit().expect("first commit");
    assert_eq!(committed.instance_count(), 2);
    assert!(!store.journal_path().exists());

    // The late run's lines would name the state the first one replaced, and be skipped on
    // replay: its first change is refused, and leaves no journal behind.
    let err = late
        .put_instance(&addr("aws_s3_bucket.d"), PROVIDER, instance("d"))
        .expect_err("late put");
    assert!(
        matches!(
            err,
            StateError::Conflict {
                expected_serial: 0,
                found_serial: 1,
                ..
            }
        ),
        "{err}"
    );
    assert!(!store.journal_path().exists());
    late.commit().expect("nothing to commit");
    assert_eq!(store.read().expect("read"), Some(committed));
}
