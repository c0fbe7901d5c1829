//! Remote state in an object store (S3, GCS): the state object, small journal objects, and a
//! lock object, each written with conditional writes so that no two writers can silently
//! overwrite each other.
//!
//! For a state at key `K`: `K` holds the whole state (Terraform's format, so Terraform can read
//! it); `K.journal/<serial>/<seq>` hold one change each since that serial was committed; the
//! lock is `K.tflock` (GCS: `<prefix>/<workspace>.tflock`).

mod backend;
#[cfg(feature = "gcs")]
pub mod gcs;
pub(crate) mod lock;
mod objects;
#[cfg(any(feature = "s3", feature = "gcs"))]
mod runtime;
#[cfg(feature = "s3")]
pub mod s3;
mod sink;

pub use self::backend::{RemoteBackend, WorkspaceNaming};
pub use self::lock::LockTiming;
pub use self::objects::{Condition, Object, ObjectStore};

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;

use self::lock::RemoteLock;
use self::sink::RemoteSink;
use crate::codec::Codec;
use crate::error::StateError;
use crate::file::StateFile;
use crate::journal;
use crate::lock::{LockGuard, Removed};
use crate::store::StateStore;
use crate::writer::StateWriter;

/// The keys of one state.
#[derive(Clone, Debug)]
pub(crate) struct Layout {
    pub state: String,
    pub lock: String,
}

impl Layout {
    fn journal_root(&self) -> String {
        format!("{}.journal/", self.state)
    }

    pub fn journal_dir(&self, serial: u64) -> String {
        format!("{}{serial:012}/", self.journal_root())
    }

    pub fn journal_entry(&self, serial: u64, seq: u64) -> String {
        format!("{}{seq:08}", self.journal_dir(serial))
    }
}

/// State in an object store; see the module documentation for the objects it keeps.
pub struct RemoteStore {
    objects: Arc<dyn ObjectStore>,
    layout: Layout,
    timing: LockTiming,
    codec: Codec,
}

/// The stored state with its journal replayed, and the version of the state object.
struct Loaded {
    state: StateFile,
    version: String,
    /// The serial written in the stored object (the replayed state counts one more).
    stored_serial: u64,
    replayed: usize,
}

impl RemoteStore {
    pub(crate) fn new(
        objects: Arc<dyn ObjectStore>,
        layout: Layout,
        timing: LockTiming,
        codec: Codec,
    ) -> Self {
        RemoteStore {
            objects,
            layout,
            timing,
            codec,
        }
    }

    fn name(&self) -> String {
        self.objects.name(&self.layout.state)
    }

    fn load(&self) -> Result<Option<Loaded>, StateError> {
        let path = PathBuf::from(self.name());
        let Some(obj) = self.objects.get(&self.layout.state)? else {
            let journal = self.objects.list(&self.layout.journal_root())?;
            if !journal.is_empty() {
                return Err(StateError::MissingState {
                    path,
                    journal: self.objects.name(&self.layout.journal_root()).into(),
                    backup: None,
                });
            }
            return Ok(None);
        };
        if obj.bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(StateError::EmptyState {
                path,
                backup: None,
                journal: None,
            });
        }
        let mut state = self.codec.parse(&obj.bytes, &path)?;
        let stored_serial = state.serial;
        let dir = self.layout.journal_dir(stored_serial);
        let mut text = Vec::new();
        for key in self.objects.list(&dir)? {
            if let Some(entry) = self.objects.get(&key)? {
                text.extend(entry.bytes);
            }
        }
        let replayed = journal::replay(&mut state, &text, &PathBuf::from(self.objects.name(&dir)))?;
        if replayed > 0 {
            state.serial += 1;
        }
        Ok(Some(Loaded {
            state,
            version: obj.version,
            stored_serial,
            replayed,
        }))
    }

    fn conflict(&self, base: &StateFile, found: (String, u64)) -> StateError {
        StateError::Conflict {
            path: self.name().into(),
            expected_lineage: base.lineage.clone(),
            expected_serial: base.serial,
            found_lineage: found.0,
            found_serial: found.1,
        }
    }

    /// Removes journal entries of serials older than `serial` (left by a crash after a commit).
    fn remove_old_journals(&self, serial: u64) -> Result<(), StateError> {
        let current = self.layout.journal_dir(serial);
        for key in self.objects.list(&self.layout.journal_root())? {
            if !key.starts_with(&current) {
                self.objects.delete(&key)?;
            }
        }
        Ok(())
    }
}

/// The lineage and serial of the state object at `key` (empty and 0 when it is gone).
pub(crate) fn read_head(objects: &dyn ObjectStore, key: &str) -> Result<(String, u64), StateError> {
    #[derive(Deserialize)]
    struct Head {
        lineage: String,
        serial: u64,
    }
    Ok(match objects.get(key)? {
        Some(obj) => serde_json::from_slice::<Head>(&obj.bytes)
            .map(|h| (h.lineage, h.serial))
            .unwrap_or_default(),
        None => (String::new(), 0),
    })
}

/// Removes every journal entry under `dir`.
pub(crate) fn remove_journal(objects: &dyn ObjectStore, dir: &str) -> Result<(), StateError> {
    for key in objects.list(dir)? {
        objects.delete(&key)?;
    }
    Ok(())
}

impl StateStore for RemoteStore {
    fn codec(&self) -> &Codec {
        &self.codec
    }

    /// Written whatever version is stored (the caller holds the lock and checked lineage and
    /// serial); the journal of the replaced serial is removed.
    fn replace(&self, state: &StateFile) -> Result<(), StateError> {
        let stored = self.load()?;
        let bytes = self.codec.to_bytes(state);
        let cond = match &stored {
            Some(s) => Condition::Matches(&s.version),
            None => Condition::Absent,
        };
        if self
            .objects
            .put(&self.layout.state, &bytes, cond)?
            .is_none()
        {
            let found = read_head(&*self.objects, &self.layout.state)?;
            return Err(self.conflict(state, found));
        }
        if let Some(s) = stored {
            remove_journal(&*self.objects, &self.layout.journal_dir(s.stored_serial))?;
        }
        Ok(())
    }

    fn describe(&self) -> String {
        format!("remote state `{}`", self.name())
    }

    fn read(&self) -> Result<Option<StateFile>, StateError> {
        Ok(self.load()?.map(|loaded| loaded.state))
    }

    fn lock(&self, operation: &str, timeout: Duration) -> Result<LockGuard, StateError> {
        self.remote_lock().acquire(operation, timeout)
    }

    fn force_unlock(&self, id: &str) -> Result<Removed, StateError> {
        self.remote_lock().force_remove(id)
    }

    fn writer(&self, base: StateFile) -> Result<StateWriter, StateError> {
        let (version, changed) = match self.load()? {
            None => {
                let bytes = self.codec.to_bytes(&base);
                match self
                    .objects
                    .put(&self.layout.state, &bytes, Condition::Absent)?
                {
                    Some(version) => (version, false),
                    None => {
                        let found = read_head(&*self.objects, &self.layout.state)?;
                        return Err(self.conflict(&base, found));
                    }
                }
            }
            Some(stored) => {
                if stored.state.lineage != base.lineage || stored.state.serial != base.serial {
                    return Err(self.conflict(&base, (stored.state.lineage, stored.state.serial)));
                }
                if stored.replayed > 0 {
                    // Compact what an interrupted run journaled (base carries it, and its serial).
                    let bytes = self.codec.to_bytes(&base);
                    let cond = Condition::Matches(&stored.version);
                    let Some(version) = self.objects.put(&self.layout.state, &bytes, cond)? else {
                        let found = read_head(&*self.objects, &self.layout.state)?;
                        return Err(self.conflict(&base, found));
                    };
                    remove_journal(
                        &*self.objects,
                        &self.layout.journal_dir(stored.stored_serial),
                    )?;
                    (version, false)
                } else {
                    let changed = stored.state != base;
                    (stored.version, changed)
                }
            }
        };
        self.remove_old_journals(base.serial)?;
        let sink = RemoteSink {
            objects: self.objects.clone(),
            layout: self.layout.clone(),
            lineage: base.lineage.clone(),
            serial: base.serial,
            version,
            written: 0,
            codec: self.codec.clone(),
        };
        Ok(StateWriter::new(base, changed, Box::new(sink)))
    }
}

impl RemoteStore {
    fn remote_lock(&self) -> RemoteLock<'_> {
        RemoteLock {
            objects: &self.objects,
            key: &self.layout.lock,
            state: self.name(),
            timing: self.timing,
        }
    }
}

#[cfg(test)]
mod tests;
