//! The state store contract: where state lives, how it is read, locked and written. The local
//! file store implements it; S3 and GCS stores can implement the same trait.

use std::time::Duration;

use crate::codec::Codec;
use crate::error::StateError;
use crate::file::StateFile;
use crate::lock::{LockGuard, Removed};
use crate::writer::StateWriter;

pub trait StateStore: Send + Sync {
    /// Names the store for messages: "local state file `path`".
    fn describe(&self) -> String;

    /// The recorded state, with any journal left by an interrupted run replayed onto it (its
    /// serial then counts one more than the stored file's, as the next commit will write).
    /// `None` when no state has been written yet.
    ///
    /// An empty state file is not "no state": it is [`StateError::EmptyState`], and a journal
    /// without its state file is [`StateError::MissingState`]; both leave every file in place.
    ///
    /// Errors: [`StateError::Io`], [`StateError::Corrupt`], [`StateError::CorruptJournal`],
    /// [`StateError::UnsupportedVersion`], [`StateError::EmptyState`],
    /// [`StateError::MissingState`].
    fn read(&self) -> Result<Option<StateFile>, StateError>;

    /// Takes the state lock for `operation`, waiting up to `timeout` for another holder
    /// (`Duration::ZERO`: fail at once). A lock left by a process that is gone from this host is
    /// taken over and reported by [`LockGuard::took_over`].
    ///
    /// Errors: [`StateError::Locked`] naming the holder, [`StateError::BadLock`], I/O errors.
    fn lock(&self, operation: &str, timeout: Duration) -> Result<LockGuard, StateError>;

    /// Removes the lock if its id is `id`, or whatever `id` is when the lock does not parse
    /// (nothing else could ever remove it); says what it removed.
    ///
    /// Errors: [`StateError::NotLocked`], [`StateError::LockIdMismatch`] naming the actual id.
    fn force_unlock(&self, id: &str) -> Result<Removed, StateError>;

    /// A writer whose changes start from `base`, which must be the state `read` returned (or a
    /// new one when `read` returned `None`) under the lock the caller still holds. A journal
    /// left by an interrupted run is compacted into the stored state first.
    ///
    /// Without the lock (`-lock=false`) runs may overlap: a writer never truncates, compacts or
    /// discards the journal of another live run, and neither journals nor commits once the
    /// stored state is no longer `base` (its changes would name a state that is gone).
    ///
    /// Errors: [`StateError::Conflict`] when the stored state's lineage or serial is not
    /// `base`'s (here, at the writer's first change, or at its commit), [`StateError::Busy`]
    /// when another run's journal is live, the errors of `read`, I/O errors.
    fn writer(&self, base: StateFile) -> Result<StateWriter, StateError>;

    /// How this store encodes state (what `state pull` prints and `state push` reads).
    fn codec(&self) -> &Codec;

    /// Replaces the stored state with `state` exactly as given (its lineage and serial too), as
    /// `state push` does; the caller holds the lock and has checked lineage and serial. Any
    /// journal, already part of what the caller read, is discarded.
    ///
    /// Errors: [`StateError::Busy`] when another run's journal is live, I/O errors.
    fn replace(&self, state: &StateFile) -> Result<(), StateError>;
}

impl<T: StateStore + ?Sized> StateStore for Box<T> {
    fn describe(&self) -> String {
        (**self).describe()
    }
    fn read(&self) -> Result<Option<StateFile>, StateError> {
        (**self).read()
    }
    fn lock(&self, operation: &str, timeout: Duration) -> Result<LockGuard, StateError> {
        (**self).lock(operation, timeout)
    }
    fn force_unlock(&self, id: &str) -> Result<Removed, StateError> {
        (**self).force_unlock(id)
    }
    fn writer(&self, base: StateFile) -> Result<StateWriter, StateError> {
        (**self).writer(base)
    }
    fn codec(&self) -> &Codec {
        (**self).codec()
    }
    fn replace(&self, state: &StateFile) -> Result<(), StateError> {
        (**self).replace(state)
    }
}
