//! The local journal: `state.json.journal`, appended and synced one change at a time.

use std::fs::File;
use std::io::{Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::Arc;

use super::files::{self, Paths};
use crate::error::StateError;
use crate::file::StateFile;
use crate::writer::{JournalSync, StateSink};

pub(crate) struct LocalSink {
    paths: Arc<Paths>,
    /// Opened on the first change, so that a run that changes nothing leaves no journal.
    journal: Option<File>,
    /// Bytes of whole lines in the journal: a failed append is cut back to this.
    len: u64,
    poisoned: bool,
}

impl LocalSink {
    pub fn new(paths: Arc<Paths>) -> Self {
        LocalSink {
            paths,
            journal: None,
            len: 0,
            poisoned: false,
        }
    }

    fn open(&mut self) -> Result<&mut File, StateError> {
        if self.journal.is_none() {
            let file = files::create_truncated(&self.paths.journal)?;
            // The journal's directory entry must survive a crash as surely as its lines.
            files::sync_dir(self.paths.dir())?;
            self.journal = Some(file);
            self.len = 0;
        }
        self.journal.as_mut().ok_or_else(|| StateError::Poisoned {
            journal: self.paths.journal.display().to_string(),
        })
    }
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
        self.paths.replace_state(&state.to_json_bytes())?;
        // The new state names a new serial, so a journal surviving a crash here is ignored.
        self.journal = None;
        files::remove_if_exists(&self.paths.journal)?;
        files::sync_dir(self.paths.dir())
    }

    fn discard(&mut self) -> Result<(), StateError> {
        self.journal = None;
        files::remove_if_exists(&self.paths.journal)
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
