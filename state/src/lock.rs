//! Who holds the state lock, and the guard that releases it.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::error::StateError;
use crate::sys;

/// What a lock records about its holder (the JSON content of a local lock file).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LockInfo {
    /// A UUID; `force-unlock` takes it.
    pub id: String,
    /// The command holding the lock: `plan`, `apply`, `destroy`, ...
    pub operation: String,
    /// `user@host`.
    pub who: String,
    pub host: String,
    pub pid: u32,
    /// When the lock was taken, RFC 3339 UTC.
    pub created: String,
    /// The state the lock protects.
    pub path: String,
    /// The labform version of the holder.
    pub version: String,
}

impl LockInfo {
    /// Lock information for this process taking the lock for `operation` on `path`.
    pub fn for_this_process(operation: &str, path: &str) -> Self {
        let host = sys::hostname();
        LockInfo {
            id: uuid::Uuid::new_v4().to_string(),
            operation: operation.to_string(),
            who: format!("{}@{host}", sys::username()),
            host,
            pid: std::process::id(),
            created: sys::now_rfc3339(),
            path: path.to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        }
    }

    /// True when the holder ran on this machine and its process is gone, so the lock can be
    /// taken over. A holder on another host is never judged: we cannot see its processes.
    pub fn is_stale_here(&self) -> bool {
        self.host == sys::hostname() && !sys::pid_alive(self.pid)
    }
}

/// What `force-unlock` removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Removed {
    /// The lock whose id was given.
    Lock(LockInfo),
    /// A lock file that is not lock information (a crash while it was made, an edit by hand):
    /// its holder cannot be told, so any id removes it. `problem` says why it does not parse;
    /// `content` is its first 200 bytes, for the record.
    Unreadable {
        path: std::path::PathBuf,
        problem: String,
        content: String,
    },
}

impl std::fmt::Display for Removed {
    /// What was removed, for the user: the holder, or the unreadable file and its content.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Removed::Lock(info) => write!(f, "removed the lock `{}` held by {info}", info.id),
            Removed::Unreadable {
                path,
                problem,
                content,
            } => write!(
                f,
                "removed the unreadable lock file `{}` ({problem}); it held {content:?}",
                path.display()
            ),
        }
    }
}

/// How a store lets go of a lock it granted (each store kind has its own).
pub trait LockRelease: Send + Sync {
    /// Releases the lock if it is still the one described by `info` (same id).
    fn release(&self, info: &LockInfo) -> Result<(), StateError>;
}

/// Proof of holding the state lock; releases it when dropped (or through [`LockGuard::unlock`]).
pub struct LockGuard {
    info: LockInfo,
    took_over: Option<LockInfo>,
    release: Option<Arc<dyn LockRelease>>,
}

impl LockGuard {
    /// A guard for a lock described by `info`, released through `release`.
    pub fn new(info: LockInfo, took_over: Option<LockInfo>, release: Box<dyn LockRelease>) -> Self {
        LockGuard {
            info,
            took_over,
            release: Some(Arc::from(release)),
        }
    }

    /// Our lock's information.
    pub fn info(&self) -> &LockInfo {
        &self.info
    }

    /// Our lock's id.
    pub fn id(&self) -> &str {
        &self.info.id
    }

    /// The stale lock this one replaced (its process had died on this host), for a warning.
    pub fn took_over(&self) -> Option<&LockInfo> {
        self.took_over.as_ref()
    }

    /// A handle that can release this lock from elsewhere, for a process about to end without
    /// unwinding (a signal handler calling `exit`). It removes the lock only while it is ours.
    pub fn exit_handle(&self) -> Option<LockExitHandle> {
        self.release.clone().map(|release| LockExitHandle {
            info: self.info.clone(),
            release,
        })
    }

    /// Releases the lock now, reporting failure (dropping the guard ignores it).
    pub fn unlock(mut self) -> Result<(), StateError> {
        match self.release.take() {
            Some(release) => release.release(&self.info),
            None => Ok(()),
        }
    }
}

/// See [`LockGuard::exit_handle`].
#[derive(Clone)]
pub struct LockExitHandle {
    info: LockInfo,
    release: Arc<dyn LockRelease>,
}

impl LockExitHandle {
    /// Releases the lock if it is still the one this handle was made for (a lock released
    /// already, or since taken by another run, is left alone).
    pub fn release(&self) -> Result<(), StateError> {
        self.release.release(&self.info)
    }
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        if let Some(release) = self.release.take() {
            let _ = release.release(&self.info);
        }
    }
}

impl std::fmt::Debug for LockGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LockGuard")
            .field("info", &self.info)
            .field("took_over", &self.took_over)
            .finish()
    }
}
