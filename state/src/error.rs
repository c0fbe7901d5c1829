//! Everything that can go wrong with recorded state, worded for the user.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::addr::{AddrParseError, InstanceAddr};
use crate::lock::LockInfo;

/// An error reading, writing or locking state. Display is the whole message (the underlying
/// I/O error included, then a `hint:` line where there is a fix); there is no separate cause.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// A file operation failed; `action` says which ("read", "write", "rename", ...).
    #[error("cannot {action} `{}`: {error}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        error: std::io::Error,
    },

    /// A state file (or journal) that does not parse. `backup` names the previous version if
    /// one exists.
    #[error("{}", corrupt_message(path, *line, message, backup.as_deref()))]
    Corrupt {
        path: PathBuf,
        line: Option<usize>,
        message: String,
        backup: Option<PathBuf>,
    },

    /// A journal line that is damaged although whole lines follow it (a crash only tears the
    /// last line), or a change that does not fit the state it names.
    #[error("state journal `{}` is not valid at line {line}: {message}\nhint: move it aside to continue from the last committed state, losing the changes it records from that line on", path.display())]
    CorruptJournal {
        path: PathBuf,
        line: usize,
        message: String,
    },

    /// A state file that is empty: labform never writes one (it writes a temporary file, syncs
    /// it and renames it into place), so something truncated it. It is not read as "no state",
    /// which would forget every object it records; the file and its journal are kept.
    #[error("{}", empty_message(path, backup.as_deref(), journal.as_deref()))]
    EmptyState {
        path: PathBuf,
        backup: Option<PathBuf>,
        journal: Option<PathBuf>,
    },

    /// A journal whose state file is gone: its changes name a state that no longer exists.
    #[error("state file `{}` is missing but its journal `{}` exists: the journal records changes to that state\nhint: restore the state file{}; to start afresh instead, delete the journal", path.display(), journal.display(), backup.as_ref().map(|b| format!(" (its previous version is `{}`)", b.display())).unwrap_or_default())]
    MissingState {
        path: PathBuf,
        journal: PathBuf,
        backup: Option<PathBuf>,
    },

    /// Another run is writing this state right now (its journal is in use): runs without the
    /// lock (`-lock=false`) overlapped.
    #[error("another labform run is writing state `{}` right now (its journal `{}` is in use)\nhint: runs started with `-lock=false` must not overlap: wait for the other run to finish, then run this one again", path.display(), journal.display())]
    Busy { path: PathBuf, journal: PathBuf },

    /// A state format version other than the one labform understands.
    #[error("{}", version_message(path, *version))]
    UnsupportedVersion { path: PathBuf, version: u32 },

    /// Someone else holds the lock (after waiting for the timeout, if any).
    #[error("state is locked by {0}\nhint: wait for it to finish, or if it is gone run `labform force-unlock {id}`", id = .0.id)]
    Locked(Box<LockInfo>),

    /// Someone else holds a remote lock and has not refreshed it for `age_secs`: its holder
    /// probably died (on another machine, where we cannot tell).
    #[error("state is locked by {holder}, but the holder stopped refreshing the lock {age_secs} s ago: it is probably gone\nhint: if no run is using this state, run `labform force-unlock {id}`", id = .holder.id)]
    LockedStale {
        holder: Box<LockInfo>,
        age_secs: u64,
    },

    /// A call to a remote store failed (credentials, network, a missing bucket). `message`
    /// may end with a `hint:` line.
    #[error("cannot {action} `{object}`: {message}")]
    Remote {
        action: &'static str,
        object: String,
        message: String,
    },

    /// A backend block (or `-backend-config`) that cannot be used as written; the message may
    /// end with a `hint:` line.
    #[error("{0}")]
    BackendConfig(String),

    /// `force-unlock` was given an id that is not the lock's.
    #[error("lock id `{given}` does not match the lock on the state, held by {actual} with id `{id}`\nhint: run `labform force-unlock {id}` if that run is gone", id = .actual.id)]
    LockIdMismatch {
        given: String,
        actual: Box<LockInfo>,
    },

    /// `force-unlock` on a state that is not locked.
    #[error("state `{}` is not locked", path.display())]
    NotLocked { path: PathBuf },

    /// A lock file that is not ours to read (not JSON lock info).
    #[error("lock file `{}` is unreadable: {message}\nhint: if no labform run is using this state, remove it with `labform force-unlock ID` (any ID: the file holds none)", path.display())]
    BadLock { path: PathBuf, message: String },

    /// The state on disk is not the one the caller started from (serial or lineage moved).
    #[error(
        "state `{}` changed since it was read: expected lineage `{expected_lineage}` serial {expected_serial}, found lineage `{found_lineage}` serial {found_serial}\nhint: run the command again",
        path.display()
    )]
    Conflict {
        path: PathBuf,
        expected_lineage: String,
        expected_serial: u64,
        found_lineage: String,
        found_serial: u64,
    },

    #[error("resource `{0}` is not in the state")]
    NotFound(InstanceAddr),

    #[error("resource `{0}` is already in the state")]
    AlreadyExists(InstanceAddr),

    #[error("cannot move `{from}` to `{to}`: {reason}")]
    InvalidMove {
        from: String,
        to: String,
        reason: String,
    },

    /// An engine bug: state never holds values known only after apply.
    #[error("attributes of `{0}` hold unknown values, which state never records")]
    UnknownValue(InstanceAddr),

    /// A journal append failed earlier and could not be undone; the writer refuses more work.
    #[error("state journal `{journal}` is in an unknown condition after an earlier write error\nhint: run the command again; the journal is replayed up to its last whole entry")]
    Poisoned { journal: String },

    #[error(transparent)]
    Address(#[from] AddrParseError),
}

impl StateError {
    pub(crate) fn io(action: &'static str, path: &Path, error: std::io::Error) -> Self {
        StateError::Io {
            action,
            path: path.to_path_buf(),
            error,
        }
    }
}

fn corrupt_message(
    path: &Path,
    line: Option<usize>,
    message: &str,
    backup: Option<&Path>,
) -> String {
    let mut text = format!("state file `{}` is not valid", path.display());
    if let Some(line) = line {
        text.push_str(&format!(" at line {line}"));
    }
    text.push_str(&format!(": {message}"));
    if let Some(backup) = backup {
        text.push_str(&format!(
            "\nhint: the previous version is kept in `{}`; inspect both and copy the good one into place",
            backup.display()
        ));
    }
    text
}

fn empty_message(path: &Path, backup: Option<&Path>, journal: Option<&Path>) -> String {
    let mut text = format!(
        "state file `{}` is empty: labform never writes it so, something truncated it; it is not read as \"no state\", which would forget every object it records",
        path.display()
    );
    match backup {
        Some(backup) => text.push_str(&format!(
            "\nhint: restore the previous version: `cp {} {}`",
            backup.display(),
            path.display()
        )),
        None => text.push_str(
            "\nhint: restore it from a copy; if no object was ever made with this state, delete it to start afresh",
        ),
    }
    if let Some(journal) = journal {
        text.push_str(&format!(
            "; the journal `{}` (kept) records the changes of the last, interrupted run: objects it made since that version are not in it, and `labform sweep -dry-run` lists them",
            journal.display()
        ));
    }
    text
}

fn version_message(path: &Path, version: u32) -> String {
    let mut text = format!(
        "state file `{}` has format version {version}; this labform reads version {}",
        path.display(),
        crate::file::STATE_VERSION
    );
    if version > crate::file::STATE_VERSION {
        text.push_str("\nhint: it was written by a newer tool: upgrade labform");
    } else {
        text.push_str("\nhint: upgrade it by running terraform 0.12 or later on it once");
    }
    text
}

impl fmt::Display for LockInfo {
    /// `` `root@host` (pid 123) for `apply` since 2026-11-23T14:00:00Z ``
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` (pid {}) for `{}` since {}",
            self.who, self.pid, self.operation, self.created
        )
    }
}
