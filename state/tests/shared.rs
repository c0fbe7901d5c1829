//! The shared writer: many threads, every change durable on return, one sync for many changes.

// A test crate: its helpers may unwrap too (a failed unwrap is a failed test).
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{addr, id_of, instance, store_in, writer, PROVIDER, TF_VERSION};
use labform_state::{JournalSync, StateError, StateFile, StateSink, StateStore, StateWriter};

const THREADS: usize = 8;
const PER_THREAD: usize = 60;

#[test]
fn threads_share_a_writer_and_every_change_survives_a_crash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = store_in(dir.path());
    let base = writer(&store).commit().expect("commit");
    let shared = store
        .writer(base.clone())
        .expect("writer")
        .into_shared()
        .expect("shared");
    std::thread::scope(|scope| {
        for t in 0..THREADS {
            let shared = &shared;
            scope.spawn(move || {
                for i in 0..PER_THREAD {
                    let at = addr(&format!("aws_s3_bucket.t{t}[{i}]"));
                    shared
                        .put_instance(&at, PROVIDER, instance(&format!("{t}-{i}")))
                        .expect("put");
                }
            });
        }
    });
    assert_eq!(
        shared.with_state(StateFile::instance_count),
        THREADS * PER_THREAD
    );
    drop(shared); // as if killed: the journal alone must hold every change, lines intact

    let replayed = store.read().expect("read").expect("state");
    assert_eq!(replayed.instance_count(), THREADS * PER_THREAD);
    assert_eq!(
        id_of(&replayed, "aws_s3_bucket.t7[59]").as_deref(),
        Some("7-59")
    );
    let shared = store
        .writer(replayed.clone())
        .expect("writer")
        .into_shared()
        .expect("shared");
    shared
        .remove_instance(&addr("aws_s3_bucket.t0[0]"))
        .expect("remove");
    let committed = shared.commit().expect("commit");
    assert_eq!(committed.serial, replayed.serial + 1);
    assert_eq!(committed.instance_count(), THREADS * PER_THREAD - 1);
    assert_eq!(store.read().expect("read"), Some(committed));
}

/// A sink that records lines and syncs, with a slow sync like a real disk's.
#[derive(Clone, Default)]
struct Recorder {
    lines: Arc<Mutex<Vec<String>>>,
    /// How many lines the last completed sync covered.
    synced: Arc<AtomicUsize>,
    syncs: Arc<AtomicUsize>,
}

impl StateSink for Recorder {
    fn append(&mut self, _line: &[u8]) -> Result<(), StateError> {
        panic!("a shared writer writes unsynced lines and syncs them in groups");
    }
    fn commit(&mut self, _state: &StateFile) -> Result<(), StateError> {
        Ok(())
    }
    fn discard(&mut self) -> Result<(), StateError> {
        Ok(())
    }
    fn write_unsynced(&mut self, line: &[u8]) -> Result<(), StateError> {
        self.lines
            .lock()
            .expect("lines")
            .push(String::from_utf8_lossy(line).into_owned());
        Ok(())
    }
    fn sync_handle(&mut self) -> Result<Option<Arc<dyn JournalSync>>, StateError> {
        Ok(Some(Arc::new(self.clone())))
    }
}

impl JournalSync for Recorder {
    fn sync(&self) -> Result<(), StateError> {
        let covered = self.lines.lock().expect("lines").len();
        std::thread::sleep(Duration::from_millis(2));
        self.synced.fetch_max(covered, Ordering::SeqCst);
        self.syncs.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
    fn name(&self) -> String {
        "recorder".to_string()
    }
}

#[test]
fn a_change_is_synced_before_its_call_returns_and_syncs_are_shared() {
    let recorder = Recorder::default();
    let writer = StateWriter::new(
        StateFile::new(TF_VERSION),
        false,
        Box::new(recorder.clone()),
    );
    let shared = writer.into_shared().expect("shared");
    std::thread::scope(|scope| {
        for t in 0..THREADS {
            let (shared, recorder) = (&shared, &recorder);
            scope.spawn(move || {
                for i in 0..PER_THREAD {
                    let at = format!("aws_s3_bucket.t{t}[{i}]");
                    shared
                        .put_instance(&addr(&at), PROVIDER, instance("x"))
                        .expect("put");
                    let lines = recorder.lines.lock().expect("lines");
                    let position = lines.iter().position(|l| {
                        l.contains(&format!("\"addr\":\"{}\"", at.replace('"', "\\\"")))
                    });
                    let synced = recorder.synced.load(Ordering::SeqCst);
                    assert!(
                        position.is_some_and(|p| p < synced),
                        "`{at}` returned before its line was synced"
                    );
                }
            });
        }
    });
    let (puts, syncs) = (THREADS * PER_THREAD, recorder.syncs.load(Ordering::SeqCst));
    assert!(
        syncs <= puts / 2,
        "{syncs} syncs for {puts} changes: no group commit"
    );
    assert_eq!(shared.commit().expect("commit").serial, 1);
}
