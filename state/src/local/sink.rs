//! The local journal: `state.json.journal`, appended and synced one change at a time.
//!
//! A run's journal is created exclusively (never truncated: that would erase the changes of a
//! run that skipped the lock) and holds an advisory `flock` for the run's life, so that another
//! run can tell a live journal from one left by a run that died (the kernel drops the `flock`
//! with its process). A run then refuses to write over, compact or discard a live journal.

use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use super::files::{self, Paths};
use crate::codec::Codec;
use crate::error::StateError;
use crate::file::StateFile;
use crate::sys;
use crate::writer::{JournalSync, StateSink};

pub(crate) struct LocalSink {
    paths: Arc<Paths>,
    codec: Codec,
    /// The state this run's journal lines name, which must still be the stored one when the
    /// journal is created and when the run commits.
    lineage: String,
    serial: u64,
    /// Opened on the first change, so that a run that changes nothing leaves no journal.
    journal: Option<File>,
    /// Bytes of whole lines in the journal: a failed append is cut back to this.
    len: u64,
    poisoned: bool,
}

impl LocalSink {
    pub fn new(paths: Arc<Paths>, codec: Codec, base: &StateFile) -> Self {
        LocalSink {
            paths,
            codec,
            lineage: base.lineage.clone(),
            serial: base.serial,
            journal: None,
            len: 0,
            poisoned: false,
        }
    }

    fn open(&mut self) -> Result<&mut File, StateError> {
        if self.journal.is_none() {
            let file = self.create_journal()?;
            // The journal's directory entry must survive a crash as surely as its lines.
            files::sync_dir(self.paths.dir())?;
            // A run without the lock may have committed since this one read the state: lines
            // naming the state it replaced would be skipped on replay, and lost.
            if let Err(e) = self.check_stored() {
                drop(file);
                files::remove_if_exists(&self.paths.journal)?;
                return Err(e);
            }
            self.journal = Some(file);
            self.len = 0;
        }
        self.journal.as_mut().ok_or_else(|| StateError::Poisoned {
            journal: self.paths.journal.display().to_string(),
        })
    }

    fn create_journal(&self) -> Result<File, StateError> {
        let path = &self.paths.journal;
        let busy = || StateError::Busy {
            path: self.paths.state.clone(),
            journal: path.clone(),
        };
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        files::owner_only(&mut options);
        let file = match options.open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == ErrorKind::AlreadyExists => return Err(busy()),
            Err(e) => return Err(StateError::io("create", path, e)),
        };
        if !sys::flock_exclusive(&file, true).map_err(|e| StateError::io("lock", path, e))? {
            return Err(busy());
        }
        Ok(file)
    }

    /// Errors unless the stored state is still the one this run started from.
    fn check_stored(&self) -> Result<(), StateError> {
        #[derive(Deserialize)]
        struct Head {
            lineage: String,
            serial: u64,
        }
        let path = &self.paths.state;
        let bytes = std::fs::read(path).map_err(|e| StateError::io("read", path, e))?;
        let head: Head = serde_json::from_slice(&bytes).map_err(|e| StateError::Corrupt {
            path: path.clone(),
            line: Some(e.line()),
            message: crate::file::json_error_message(&e),
            backup: None,
        })?;
        if head.lineage == self.lineage && head.serial == self.serial {
            return Ok(());
        }
        Err(StateError::Conflict {
            path: path.clone(),
            expected_lineage: self.lineage.clone(),
            expected_serial: self.serial,
            found_lineage: head.lineage,
            found_serial: head.serial,
        })
    }

    /// Errors when another run's journal is live (a run of ours has none open).
    fn check_no_other_run(&self) -> Result<(), StateError> {
        if self.journal.is_none() && in_use(&self.paths.journal)? {
            return Err(StateError::Busy {
                path: self.paths.state.clone(),
                journal: self.paths.journal.clone(),
            });
        }
        Ok(())
    }
}

/// True when `journal` exists and a live run holds it.
pub(crate) fn in_use(journal: &Path) -> Result<bool, StateError> {
    // Opened for writing too: where `flock` is emulated with POSIX locks (NFS), an exclusive
    // lock needs a writable descriptor. Nothing is written.
    let file = match OpenOptions::new().read(true).write(true).open(journal) {
        Ok(file) => file,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(StateError::io("open", journal, e)),
    };
    let free = sys::flock_exclusive(&file, true).map_err(|e| StateError::io("lock", journal, e))?;
    Ok(!free)
}

impl LocalSink {
    /// Writes `line` after the last whole line, syncing it when `sync`.
    fn write_line(&mut self, line: &[u8], sync: bool) -> Result<(), StateError> {
        if self.poisoned {
            return Err(StateError::Poisoned {
                journal: self.paths.journal.display().to_string(),
            });
        }
        let len = self.len;
        let path = self.paths.journal.clone();
        let file = self.open()?;
        let written = file
            .write_all(line)
            .and_then(|_| if sync { file.sync_data() } else { Ok(()) });
        match written {
            Ok(()) => {
                self.len = len + line.len() as u64;
                Ok(())
            }
            Err(e) => {
                // Cut a partial line off, or the next whole line would follow garbage.
                let cut = file
                    .set_len(len)
                    .and_then(|_| file.seek(SeekFrom::Start(len)))
                    .and_then(|_| file.sync_data());
                if cut.is_err() {
                    self.poisoned = true;
                }
                Err(StateError::io("append to", &path, e))
            }
        }
    }
}

impl StateSink for LocalSink {
    fn append(&mut self, line: &[u8]) -> Result<(), StateError> {
        self.write_line(line, true)
    }

    fn write_unsynced(&mut self, line: &[u8]) -> Result<(), StateError> {
        self.write_line(line, false)
    }

    fn sync_handle(&mut self) -> Result<Option<Arc<dyn JournalSync>>, StateError> {
        let path = self.paths.journal.clone();
        let file = self
            .open()?
            .try_clone()
            .map_err(|e| StateError::io("open", &path, e))?;
        Ok(Some(Arc::new(LocalJournalSync { file, path })))
    }

    fn commit(&mut self, state: &StateFile) -> Result<(), StateError> {
        self.check_no_other_run()?;
        self.check_stored()?;
        self.paths.replace_state(&self.codec.to_bytes(state))?;
        // The new state names a new serial, so a journal surviving a crash here is ignored.
        if self.journal.take().is_some() {
            files::remove_if_exists(&self.paths.journal)?;
        }
        files::sync_dir(self.paths.dir())
    }

    fn discard(&mut self) -> Result<(), StateError> {
        // Only our own journal: one at that path otherwise belongs to another, live run.
        if self.journal.take().is_some() {
            files::remove_if_exists(&self.paths.journal)?;
        }
        Ok(())
    }
}

struct LocalJournalSync {
    file: File,
    path: PathBuf,
}

impl JournalSync for LocalJournalSync {
    fn sync(&self) -> Result<(), StateError> {
        self.file
            .sync_data()
            .map_err(|e| StateError::io("sync", &self.path, e))
    }

    fn name(&self) -> String {
        self.path.display().to_string()
    }
}
