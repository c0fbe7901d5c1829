//! The remote store's logic over an in-memory bucket that honours the same conditions S3 and
//! GCS do (the real buckets are exercised by the integration tests against the emulators).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use labform_sdk::Value;

use super::*;
use crate::backend::Backend;
use crate::{InstanceAddr, InstanceState};

#[derive(Default)]
struct Memory {
    objects: Mutex<BTreeMap<String, (Vec<u8>, u64)>>,
    next: Mutex<u64>,
    puts: Mutex<Vec<(String, usize)>>,
}

impl ObjectStore for Memory {
    fn name(&self, key: &str) -> String {
        format!("mem://b/{key}")
    }
    fn get(&self, key: &str) -> Result<Option<Object>, StateError> {
        Ok(self.objects.lock().unwrap().get(key).map(|(b, v)| Object {
            bytes: b.clone(),
            version: v.to_string(),
        }))
    }
    fn put(&self, key: &str, bytes: &[u8], c: Condition<'_>) -> Result<Option<String>, StateError> {
        let mut objects = self.objects.lock().unwrap();
        let current = objects.get(key).map(|(_, v)| v.to_string());
        let ok = match c {
            Condition::Absent => current.is_none(),
            Condition::Matches(v) => current.as_deref() == Some(v),
        };
        if !ok {
            return Ok(None);
        }
        let mut next = self.next.lock().unwrap();
        *next += 1;
        objects.insert(key.to_string(), (bytes.to_vec(), *next));
        self.puts
            .lock()
            .unwrap()
            .push((key.to_string(), bytes.len()));
        Ok(Some(next.to_string()))
    }
    fn delete(&self, key: &str) -> Result<(), StateError> {
        self.objects.lock().unwrap().remove(key);
        Ok(())
    }
    fn list(&self, prefix: &str) -> Result<Vec<String>, StateError> {
        Ok(self
            .objects
            .lock()
            .unwrap()
            .keys()
            .filter(|k| k.starts_with(prefix))
            .cloned()
            .collect())
    }
    fn check(&self) -> Result<String, StateError> {
        Ok("memory".into())
    }
}

fn backend(memory: &Arc<Memory>, naming: WorkspaceNaming) -> RemoteBackend {
    RemoteBackend::new(memory.clone(), naming, "memory".into())
}

fn s3_naming() -> WorkspaceNaming {
    WorkspaceNaming::KeyPrefix {
        key: "lab/terraform.tfstate".into(),
        prefix: "env:".into(),
    }
}

fn put(w: &mut crate::StateWriter, addr: &str, id: &str) {
    let addr: InstanceAddr = addr.parse().unwrap();
    let attrs = Value::from_pairs([("id", Value::from(id))]);
    w.put_instance(&addr, "p", InstanceState::new(attrs))
        .unwrap();
}

#[test]
fn each_change_is_one_small_object_and_commit_writes_the_state_once() {
    let memory = Arc::new(Memory::default());
    let store = backend(&memory, s3_naming()).store("default").unwrap();
    let mut w = store.writer(StateFile::new("1.9.0")).unwrap();
    for i in 0..50 {
        put(&mut w, &format!("t.x[{i}]"), &i.to_string());
    }
    let puts = memory.puts.lock().unwrap().clone();
    // The initial empty state, then one journal entry per change: never the whole state again.
    assert_eq!(puts.len(), 51);
    assert!(puts[1..]
        .iter()
        .all(|(k, n)| k.contains(".journal/") && *n < 400));
    let state = w.commit().unwrap();
    assert_eq!(state.serial, 1);
    assert!(memory
        .list("lab/terraform.tfstate.journal/")
        .unwrap()
        .is_empty());
    assert_eq!(store.read().unwrap().unwrap().instances().count(), 50);
}

#[test]
fn an_interrupted_run_is_replayed_by_the_next_reader_and_compacted_by_its_writer() {
    let memory = Arc::new(Memory::default());
    let store = backend(&memory, s3_naming()).store("default").unwrap();
    let mut w = store.writer(StateFile::new("1.9.0")).unwrap();
    put(&mut w, "t.a", "1");
    put(&mut w, "t.b", "2");
    drop(w); // a crash: no commit
             // Another machine: a new store over the same bucket.
    let other = backend(&memory, s3_naming()).store("default").unwrap();
    let read = other.read().unwrap().unwrap();
    assert_eq!(read.instances().count(), 2);
    assert_eq!(read.serial, 1);
    let w = other.writer(read).unwrap();
    assert!(memory
        .list("lab/terraform.tfstate.journal/")
        .unwrap()
        .is_empty());
    let committed = w.commit().unwrap();
    assert_eq!(committed.serial, 1);
    assert_eq!(other.read().unwrap().unwrap().instances().count(), 2);
}

#[test]
fn a_commit_over_a_state_that_moved_is_a_conflict() {
    let memory = Arc::new(Memory::default());
    let store = backend(&memory, s3_naming()).store("default").unwrap();
    store
        .writer(StateFile::new("1.9.0"))
        .unwrap()
        .commit()
        .unwrap();
    let base = store.read().unwrap().unwrap();
    let mut first = store.writer(base.clone()).unwrap();
    let mut second = store.writer(base).unwrap();
    put(&mut first, "t.a", "1");
    first.commit().unwrap();
    // The second writer's entries would name serial 0 too: its first entry's key is taken.
    let addr: InstanceAddr = "t.b".parse().unwrap();
    let err = second
        .put_instance(&addr, "p", InstanceState::new(Value::from("x")))
        .err();
    let err = match err {
        Some(e) => e,
        None => second.commit().unwrap_err(),
    };
    assert!(
        matches!(err, StateError::Conflict { .. } | StateError::Busy { .. }),
        "{err}"
    );
}

#[test]
fn the_lock_names_its_holder_and_a_holder_that_stopped_refreshing_is_reported_stale() {
    let memory = Arc::new(Memory::default());
    let timing = LockTiming {
        refresh: Duration::from_millis(50),
        stale_after: Duration::from_secs(1),
    };
    let b = backend(&memory, s3_naming()).with_lock_timing(timing);
    let store = b.store("default").unwrap();
    let held = store.lock("apply", Duration::ZERO).unwrap();
    let err = store.lock("plan", Duration::ZERO).unwrap_err();
    assert!(
        matches!(err, StateError::Locked(ref h) if h.id == held.id()),
        "{err}"
    );
    // A refresh happens while held.
    let before = memory
        .get("lab/terraform.tfstate.tflock")
        .unwrap()
        .unwrap()
        .version;
    std::thread::sleep(Duration::from_millis(200));
    let after = memory
        .get("lab/terraform.tfstate.tflock")
        .unwrap()
        .unwrap()
        .version;
    assert_ne!(before, after);
    drop(held);
    assert!(memory
        .get("lab/terraform.tfstate.tflock")
        .unwrap()
        .is_none());

    // A lock left by a holder on another host that stopped refreshing long ago.
    let mut info = crate::LockInfo::for_this_process("apply", "x");
    info.host = "elsewhere".into();
    let mut text = serde_json::to_value(&info).unwrap();
    text["refreshed"] = serde_json::json!(1);
    memory
        .put(
            "lab/terraform.tfstate.tflock",
            text.to_string().as_bytes(),
            Condition::Absent,
        )
        .unwrap();
    let err = store.lock("apply", Duration::ZERO).unwrap_err();
    assert!(matches!(err, StateError::LockedStale { .. }), "{err}");
    assert!(
        err.to_string()
            .contains(&format!("force-unlock {}", info.id)),
        "{err}"
    );
    store.force_unlock(&info.id).unwrap();
    drop(store.lock("apply", Duration::ZERO).unwrap());
}

#[test]
fn workspaces_live_where_terraform_puts_them() {
    let memory = Arc::new(Memory::default());
    let b = backend(&memory, s3_naming());
    for ws in ["default", "alice", "bob"] {
        b.store(ws)
            .unwrap()
            .writer(StateFile::new("1.9.0"))
            .unwrap()
            .commit()
            .unwrap();
    }
    assert!(memory
        .get("env:/alice/lab/terraform.tfstate")
        .unwrap()
        .is_some());
    assert_eq!(b.workspaces().unwrap(), ["alice", "bob", "default"]);
    b.delete_workspace("bob").unwrap();
    assert_eq!(b.workspaces().unwrap(), ["alice", "default"]);

    let gcs = backend(
        &memory,
        WorkspaceNaming::Directory {
            prefix: "course/".into(),
        },
    );
    gcs.store("carol")
        .unwrap()
        .writer(StateFile::new("1.9.0"))
        .unwrap()
        .commit()
        .unwrap();
    assert!(memory.get("course/carol.tfstate").unwrap().is_some());
    assert_eq!(gcs.workspaces().unwrap(), ["carol", "default"]);
}
