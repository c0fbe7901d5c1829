//! The remote journal: each change is one small object written with a create-only condition
//! (`<key>.journal/<serial>/<seq>`), so a change costs one small upload whatever the state's
//! size, and two runs can never write the same entry. `commit` replaces the state object on
//! the condition that it is still the version this run started from, then removes the entries.

use std::sync::Arc;

use super::objects::{Condition, ObjectStore};
use super::Layout;
use crate::codec::Codec;
use crate::error::StateError;
use crate::file::StateFile;
use crate::writer::StateSink;

pub(crate) struct RemoteSink {
    pub objects: Arc<dyn ObjectStore>,
    pub layout: Layout,
    pub lineage: String,
    pub serial: u64,
    /// The state object's version this run's entries apply to.
    pub version: String,
    /// Entries written so far.
    pub written: u64,
    pub codec: Codec,
}

impl RemoteSink {
    fn busy(&self) -> StateError {
        StateError::Busy {
            path: self.objects.name(&self.layout.state).into(),
            journal: self
                .objects
                .name(&self.layout.journal_dir(self.serial))
                .into(),
        }
    }
}

impl StateSink for RemoteSink {
    fn append(&mut self, line: &[u8]) -> Result<(), StateError> {
        let key = self.layout.journal_entry(self.serial, self.written);
        match self.objects.put(&key, line, Condition::Absent)? {
            Some(_) => {
                self.written += 1;
                Ok(())
            }
            // Another run (started with `-lock=false`) journals against the same state.
            None => Err(self.busy()),
        }
    }

    fn commit(&mut self, state: &StateFile) -> Result<(), StateError> {
        let bytes = self.codec.to_bytes(state);
        let key = &self.layout.state;
        match self
            .objects
            .put(key, &bytes, Condition::Matches(&self.version))?
        {
            Some(version) => self.version = version,
            None => {
                let found = super::read_head(&*self.objects, key)?;
                return Err(StateError::Conflict {
                    path: self.objects.name(key).into(),
                    expected_lineage: self.lineage.clone(),
                    expected_serial: self.serial,
                    found_lineage: found.0,
                    found_serial: found.1,
                });
            }
        }
        // The new state names a new serial: entries surviving a crash here are ignored.
        super::remove_journal(&*self.objects, &self.layout.journal_dir(self.serial))
    }

    fn discard(&mut self) -> Result<(), StateError> {
        for seq in 0..self.written {
            self.objects
                .delete(&self.layout.journal_entry(self.serial, seq))?;
        }
        self.written = 0;
        Ok(())
    }
}
