//! The local store: `state.json` with its journal, backup and lock file beside it.

mod files;
mod lock_file;
mod sink;

pub use self::files::write_private;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use self::files::Paths;
use self::sink::LocalSink;
use crate::codec::{Codec, SchemaSource};
use crate::error::StateError;
use crate::file::StateFile;
use crate::journal;
use crate::lock::{LockGuard, Removed};
use crate::store::StateStore;
use crate::writer::StateWriter;

/// State in a local file (by default `<stack>/.labform/state.json`), with `state.json.journal`,
/// `state.json.backup` and `state.json.lock` next to it. Directories are created as needed.
#[derive(Clone, Debug)]
pub struct LocalStore {
    paths: Arc<Paths>,
    codec: Codec,
}

/// What is on disk: the stored state with the journal replayed onto it.
struct Loaded {
    state: StateFile,
    /// Journal lines applied (the state's serial then counts one more than the file's).
    replayed: usize,
    journal_exists: bool,
}

impl LocalStore {
    /// A store for the state file at `path` (nothing is touched until used).
    pub fn new(path: PathBuf) -> Self {
        LocalStore {
            paths: Arc::new(Paths::new(path)),
            codec: Codec::default(),
        }
    }

    /// The same store, encoding attribute values by these schemas as Terraform does (a
    /// `dynamic` value with its type), so that Terraform reads the file and labform reads
    /// Terraform's.
    pub fn with_schemas(self, schemas: Arc<dyn SchemaSource>) -> Self {
        self.with_codec(Codec::new(schemas))
    }

    /// The same store, encoding state files with `codec`.
    pub fn with_codec(mut self, codec: Codec) -> Self {
        self.codec = codec;
        self
    }

    /// The default store of a stack: `<stack_dir>/.labform/state.json`.
    pub fn for_stack(stack_dir: &Path) -> Self {
        LocalStore::new(stack_dir.join(".labform").join("state.json"))
    }

    /// The state file.
    pub fn path(&self) -> &Path {
        &self.paths.state
    }

    /// The previous version of the state file, kept by every full write.
    pub fn backup_path(&self) -> &Path {
        &self.paths.backup
    }

    /// The journal of changes not yet compacted into the state file.
    pub fn journal_path(&self) -> &Path {
        &self.paths.journal
    }

    /// The lock file.
    pub fn lock_path(&self) -> &Path {
        &self.paths.lock
    }

    fn load(&self) -> Result<Option<Loaded>, StateError> {
        let existing = |path: &Path| path.exists().then(|| path.to_path_buf());
        let Some(bytes) = files::read_if_exists(&self.paths.state)? else {
            // A journal is only ever written after its state file: the state was removed.
            if self.paths.journal.exists() {
                return Err(StateError::MissingState {
                    path: self.paths.state.clone(),
                    journal: self.paths.journal.clone(),
                    backup: existing(&self.paths.backup),
                });
            }
            return Ok(None);
        };
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(StateError::EmptyState {
                path: self.paths.state.clone(),
                backup: existing(&self.paths.backup),
                journal: existing(&self.paths.journal),
            });
        }
        let mut state = self
            .codec
            .parse(&bytes, &self.paths.state)
            .map_err(|e| self.with_backup(e))?;
        let (replayed, journal_exists) = match files::read_if_exists(&self.paths.journal)? {
            Some(text) => (
                journal::replay(&mut state, &text, &self.paths.journal)?,
                true,
            ),
            None => (0, false),
        };
        if replayed > 0 {
            state.serial += 1;
        }
        Ok(Some(Loaded {
            state,
            replayed,
            journal_exists,
        }))
    }

    fn with_backup(&self, error: StateError) -> StateError {
        match error {
            StateError::Corrupt {
                path,
                line,
                message,
                backup: None,
            } if self.paths.backup.exists() => StateError::Corrupt {
                path,
                line,
                message,
                backup: Some(self.paths.backup.clone()),
            },
            other => other,
        }
    }
}

impl StateStore for LocalStore {
    fn codec(&self) -> &Codec {
        &self.codec
    }

    /// The previous version is kept as the backup.
    fn replace(&self, state: &StateFile) -> Result<(), StateError> {
        files::ensure_dir(self.paths.dir())?;
        if sink::in_use(&self.paths.journal)? {
            return Err(StateError::Busy {
                path: self.paths.state.clone(),
                journal: self.paths.journal.clone(),
            });
        }
        self.paths.replace_state(&self.codec.to_bytes(state))?;
        files::remove_if_exists(&self.paths.journal)
    }

    fn describe(&self) -> String {
        format!("local state file `{}`", self.paths.state.display())
    }

    fn read(&self) -> Result<Option<StateFile>, StateError> {
        Ok(self.load()?.map(|loaded| loaded.state))
    }

    fn lock(&self, operation: &str, timeout: Duration) -> Result<LockGuard, StateError> {
        files::ensure_dir(self.paths.dir())?;
        lock_file::acquire(&self.paths.lock, &self.paths.state, operation, timeout)
    }

    fn force_unlock(&self, id: &str) -> Result<Removed, StateError> {
        lock_file::force_remove(&self.paths.lock, &self.paths.state, id)
    }

    fn writer(&self, base: StateFile) -> Result<StateWriter, StateError> {
        files::ensure_dir(self.paths.dir())?;
        // Under the lock a journal left here is a dead run's, to compact; without the lock
        // (`-lock=false`) it may be a live run's, which must be neither compacted nor removed.
        if sink::in_use(&self.paths.journal)? {
            return Err(StateError::Busy {
                path: self.paths.state.clone(),
                journal: self.paths.journal.clone(),
            });
        }
        let changed = match self.load()? {
            // Journal lines need a stored state to name: store the base first.
            None => {
                self.paths.replace_state(&self.codec.to_bytes(&base))?;
                false
            }
            Some(stored) => {
                if stored.state.lineage != base.lineage || stored.state.serial != base.serial {
                    return Err(StateError::Conflict {
                        path: self.paths.state.clone(),
                        expected_lineage: base.lineage,
                        expected_serial: base.serial,
                        found_lineage: stored.state.lineage,
                        found_serial: stored.state.serial,
                    });
                }
                if stored.replayed > 0 {
                    // Compact what an interrupted run journaled (base carries it, and its serial).
                    self.paths.replace_state(&self.codec.to_bytes(&base))?;
                    files::remove_if_exists(&self.paths.journal)?;
                    false
                } else {
                    if stored.journal_exists {
                        // Only lines of an older serial, already part of the stored state.
                        files::remove_if_exists(&self.paths.journal)?;
                    }
                    stored.state != base
                }
            }
        };
        let sink = LocalSink::new(self.paths.clone(), self.codec.clone(), &base);
        Ok(StateWriter::new(base, changed, Box::new(sink)))
    }
}
