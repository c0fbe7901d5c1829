//! A writer for a parallel walk: callable from many threads at once, with group commit (one
//! journal sync covers every change written while the previous sync ran).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use crate::addr::InstanceAddr;
use crate::error::StateError;
use crate::file::StateFile;
use crate::resource::{InstanceState, OutputState};
use crate::writer::{JournalSync, StateWriter};

/// A [`StateWriter`] shared by worker threads (`&self` methods; it is `Sync`). Every change is
/// durable when its call returns, as with `StateWriter`, but a caller whose line was written
/// while another caller's sync ran shares the next sync instead of queueing its own: with N
/// workers, about one sync per N changes.
pub struct SharedStateWriter {
    writer: Mutex<StateWriter>,
    /// Lines written to the journal so far (set under the writer's mutex, after the write).
    written: AtomicU64,
    durable: Mutex<Durable>,
    synced: Condvar,
    /// `None`: the sink makes each line durable itself, nothing to wait for.
    syncer: Option<Arc<dyn JournalSync>>,
}

#[derive(Default)]
struct Durable {
    /// Lines known durable.
    synced: u64,
    /// A sync is running (its caller will wake the others).
    syncing: bool,
    /// A sync failed: what was written may not be durable, and a retried sync cannot tell.
    failed: bool,
}

impl SharedStateWriter {
    /// Shares `writer`. Errors: the store's, when it cannot prepare its journal.
    pub fn new(mut writer: StateWriter) -> Result<Self, StateError> {
        let syncer = writer.sink.sync_handle()?;
        writer.group = syncer.is_some();
        Ok(SharedStateWriter {
            written: AtomicU64::new(writer.written),
            writer: Mutex::new(writer),
            durable: Mutex::new(Durable::default()),
            synced: Condvar::new(),
            syncer,
        })
    }

    /// Runs `f` on the current state (which may include changes still being synced).
    pub fn with_state<R>(&self, f: impl FnOnce(&StateFile) -> R) -> R {
        f(self.lock().state())
    }

    /// As [`StateWriter::put_instance`]; durable when this returns.
    pub fn put_instance(
        &self,
        addr: &InstanceAddr,
        provider: &str,
        instance: InstanceState,
    ) -> Result<(), StateError> {
        self.change(|w| w.put_instance(addr, provider, instance))
    }

    /// As [`StateWriter::put_instance`], but returns once the line is written, without waiting
    /// for it to be durable; the next sync (another change's, or `commit`) covers it. For objects
    /// that exist only in state (nothing outside it can be lost track of), so that a chain of
    /// them does not wait for one disk sync per link.
    pub fn put_instance_lazy(
        &self,
        addr: &InstanceAddr,
        provider: &str,
        instance: InstanceState,
    ) -> Result<(), StateError> {
        let mut writer = self.lock();
        writer.put_instance(addr, provider, instance)?;
        self.written.store(writer.written, Ordering::Release);
        Ok(())
    }

    /// As [`StateWriter::remove_instance`], without waiting for durability (see
    /// [`SharedStateWriter::put_instance_lazy`]).
    pub fn remove_instance_lazy(&self, addr: &InstanceAddr) -> Result<(), StateError> {
        let mut writer = self.lock();
        writer.remove_instance(addr)?;
        self.written.store(writer.written, Ordering::Release);
        Ok(())
    }

    /// As [`StateWriter::remove_instance`]; durable when this returns.
    pub fn remove_instance(&self, addr: &InstanceAddr) -> Result<(), StateError> {
        self.change(|w| w.remove_instance(addr))
    }

    /// As [`StateWriter::move_instance`]; durable when this returns.
    pub fn move_instance(&self, from: &InstanceAddr, to: &InstanceAddr) -> Result<(), StateError> {
        self.change(|w| w.move_instance(from, to))
    }

    /// As [`StateWriter::set_outputs`]; durable when this returns.
    pub fn set_outputs(&self, outputs: BTreeMap<String, OutputState>) -> Result<(), StateError> {
        self.change(|w| w.set_outputs(outputs))
    }

    /// As [`StateWriter::commit`].
    pub fn commit(self) -> Result<StateFile, StateError> {
        let mut writer = self
            .writer
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        writer.group = false;
        writer.commit()
    }

    fn lock(&self) -> MutexGuard<'_, StateWriter> {
        // A panic elsewhere cannot leave the writer half-changed: every change is applied in
        // memory only after its line is written.
        self.writer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn change(
        &self,
        f: impl FnOnce(&mut StateWriter) -> Result<(), StateError>,
    ) -> Result<(), StateError> {
        let seq = {
            let mut writer = self.lock();
            f(&mut writer)?;
            self.written.store(writer.written, Ordering::Release);
            writer.written
        };
        self.wait_durable(seq)
    }

    /// Returns once the first `seq` lines are durable, syncing them if no one else is.
    fn wait_durable(&self, seq: u64) -> Result<(), StateError> {
        let Some(syncer) = &self.syncer else {
            return Ok(());
        };
        let poisoned = || StateError::Poisoned {
            journal: syncer.name(),
        };
        let mut durable = self.durable.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if durable.failed {
                return Err(poisoned());
            }
            if durable.synced >= seq {
                return Ok(());
            }
            if durable.syncing {
                durable = self
                    .synced
                    .wait(durable)
                    .unwrap_or_else(PoisonError::into_inner);
                continue;
            }
            durable.syncing = true;
            // Everything written up to now, ours included, is covered by the sync below.
            let target = self.written.load(Ordering::Acquire);
            drop(durable);
            let result = syncer.sync();
            durable = self.durable.lock().unwrap_or_else(PoisonError::into_inner);
            durable.syncing = false;
            match &result {
                Ok(()) => durable.synced = durable.synced.max(target),
                Err(_) => durable.failed = true,
            }
            self.synced.notify_all();
            result?;
        }
    }
}

impl StateWriter {
    /// Shares this writer between threads with group commit; see [`SharedStateWriter`].
    pub fn into_shared(self) -> Result<SharedStateWriter, StateError> {
        SharedStateWriter::new(self)
    }
}
