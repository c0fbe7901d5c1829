//! The writer an apply uses: every change is journaled durably before it returns, and `commit`
//! writes the whole state once. Cost stays linear in the number of changes.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::addr::InstanceAddr;
use crate::error::StateError;
use crate::file::StateFile;
use crate::journal::{self, Op};
use crate::resource::{InstanceState, OutputState};

/// Where a [`StateWriter`] puts its bytes; one per store kind.
pub trait StateSink: Send {
    /// Appends one journal line (ending in a newline); durable when this returns.
    fn append(&mut self, line: &[u8]) -> Result<(), StateError>;
    /// Writes `state` as the new full state atomically, then discards the journal.
    fn commit(&mut self, state: &StateFile) -> Result<(), StateError>;
    /// Nothing changed: discard whatever journal exists without writing the state.
    fn discard(&mut self) -> Result<(), StateError>;

    /// For group commit ([`crate::SharedStateWriter`]): writes one line without waiting for it
    /// to be durable; a later [`JournalSync::sync`] makes it so. By default, appends durably.
    fn write_unsynced(&mut self, line: &[u8]) -> Result<(), StateError> {
        self.append(line)
    }

    /// A handle that makes every line written so far durable, usable while other lines are
    /// being written. `None` (the default): the sink makes each line durable itself.
    fn sync_handle(&mut self) -> Result<Option<Arc<dyn JournalSync>>, StateError> {
        Ok(None)
    }
}

/// Makes a journal's written lines durable (an `fdatasync` for a local file).
pub trait JournalSync: Send + Sync {
    fn sync(&self) -> Result<(), StateError>;
    /// Names the journal in messages (a path for a local file).
    fn name(&self) -> String;
}

/// Applies changes to a state, journaling each one durably, until [`StateWriter::commit`].
///
/// Dropping a writer without committing leaves the journal in place, exactly like a crash: the
/// store's next `read` replays it. The caller holds the state lock for the writer's lifetime.
pub struct StateWriter {
    state: StateFile,
    base_lineage: String,
    base_serial: u64,
    changed: bool,
    /// Lines written so far; with `group`, lines are written unsynced (see `SharedStateWriter`).
    pub(crate) written: u64,
    pub(crate) group: bool,
    pub(crate) sink: Box<dyn StateSink>,
}

impl StateWriter {
    /// A writer over `base` (the state the journal lines will name). `changed` says whether
    /// `base` already differs from the stored state, so that `commit` must write it.
    pub fn new(base: StateFile, changed: bool, sink: Box<dyn StateSink>) -> Self {
        StateWriter {
            base_lineage: base.lineage.clone(),
            base_serial: base.serial,
            state: base,
            changed,
            written: 0,
            group: false,
            sink,
        }
    }

    /// The state with every change so far (its serial is still the base's until commit).
    pub fn state(&self) -> &StateFile {
        &self.state
    }

    /// Records `instance` at `addr`; durable when this returns. A put identical to what is
    /// recorded writes nothing.
    ///
    /// Errors: [`StateError::UnknownValue`] if the attributes hold unknown values (an engine bug),
    /// or the store's write error (the change is then not applied).
    pub fn put_instance(
        &mut self,
        addr: &InstanceAddr,
        provider: &str,
        mut instance: InstanceState,
    ) -> Result<(), StateError> {
        if !instance.attributes.is_wholly_known() {
            return Err(StateError::UnknownValue(addr.clone()));
        }
        instance.index_key = addr.key.clone();
        if let Some((resource, prior)) = self.state.instance(addr) {
            if resource.provider == provider && *prior == instance {
                return Ok(());
            }
        }
        self.append(Op::Put {
            addr: addr.to_string(),
            provider,
            instance: &instance,
        })?;
        self.state.put_instance(addr, provider, instance);
        Ok(())
    }

    /// Forgets the instance at `addr`; durable when this returns. Removing an instance that is
    /// not recorded writes nothing.
    pub fn remove_instance(&mut self, addr: &InstanceAddr) -> Result<(), StateError> {
        if self.state.instance(addr).is_none() {
            return Ok(());
        }
        self.append(Op::Remove {
            addr: addr.to_string(),
        })?;
        self.state.remove_instance(addr);
        Ok(())
    }

    /// Moves an instance (`state mv`) as one durable change; errors as
    /// [`StateFile::move_instance`].
    pub fn move_instance(
        &mut self,
        from: &InstanceAddr,
        to: &InstanceAddr,
    ) -> Result<(), StateError> {
        self.state.check_move(from, to)?;
        if from == to {
            return Ok(());
        }
        self.append(Op::Move {
            from: from.to_string(),
            to: to.to_string(),
        })?;
        self.state.move_instance(from, to)
    }

    /// Replaces every output; durable when this returns.
    pub fn set_outputs(
        &mut self,
        outputs: BTreeMap<String, OutputState>,
    ) -> Result<(), StateError> {
        if outputs == self.state.outputs {
            return Ok(());
        }
        self.append(Op::Outputs { outputs: &outputs })?;
        self.state.outputs = outputs;
        Ok(())
    }

    /// Writes the whole state (serial + 1 if anything changed) atomically and discards the
    /// journal; returns the state as written.
    pub fn commit(mut self) -> Result<StateFile, StateError> {
        if self.changed {
            self.state.serial = self.base_serial + 1;
            self.sink.commit(&self.state)?;
        } else {
            self.sink.discard()?;
        }
        Ok(self.state)
    }

    fn append(&mut self, op: Op<'_>) -> Result<(), StateError> {
        let line = journal::line(&self.base_lineage, self.base_serial, op);
        if self.group {
            self.sink.write_unsynced(&line)?;
        } else {
            self.sink.append(&line)?;
        }
        self.written += 1;
        self.changed = true;
        Ok(())
    }
}
