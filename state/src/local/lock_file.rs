//! The local lock: `state.json.lock`, created exclusively and holding the holder's `LockInfo`.

use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::files;
use crate::error::StateError;
use crate::lock::{LockGuard, LockInfo, LockRelease};

/// Takes the lock at `lock`, polling until `timeout`; takes over a lock whose holder died here.
pub(crate) fn acquire(
    lock: &Path,
    state: &Path,
    operation: &str,
    timeout: Duration,
) -> Result<LockGuard, StateError> {
    let info = LockInfo::for_this_process(operation, &state.display().to_string());
    let mut bytes = serde_json::to_vec_pretty(&info).unwrap_or_default();
    bytes.push(b'\n');
    let deadline = Instant::now() + timeout;
    let mut pause = Duration::from_millis(20);
    let mut took_over = None;
    loop {
        if create_exclusive(lock, &bytes, &info.id)? {
            let release = LocalRelease {
                lock: lock.to_path_buf(),
            };
            return Ok(LockGuard::new(info, took_over, Box::new(release)));
        }
        let Some(holder) = read(lock)? else {
            continue; // released between our attempt and our look
        };
        if holder.is_stale_here() {
            remove_if_id(lock, &holder.id)?;
            took_over = Some(holder);
            continue;
        }
        let now = Instant::now();
        if now >= deadline {
            return Err(StateError::Locked(Box::new(holder)));
        }
        std::thread::sleep(pause.min(deadline - now));
        pause = (pause * 2).min(Duration::from_millis(500));
    }
}

/// Creates `lock` holding `bytes` only if it does not exist; `false` if it does.
///
/// The content is written to a private file first and then hard-linked into place (link never
/// replaces a file), so the lock file is never seen half written, even after a crash.
fn create_exclusive(lock: &Path, bytes: &[u8], id: &str) -> Result<bool, StateError> {
    let tmp = files::sibling(lock, &format!(".{id}.tmp"));
    files::write_synced(&tmp, bytes, false)?;
    let linked = fs::hard_link(&tmp, lock);
    files::remove_if_exists(&tmp)?;
    match linked {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(false),
        // Filesystems without hard links: O_EXCL create, then write.
        Err(_) => {
            let mut options = OpenOptions::new();
            options.write(true).create_new(true);
            match options.open(lock) {
                Ok(mut file) => {
                    file.write_all(bytes)
                        .and_then(|_| file.sync_all())
                        .map_err(|e| StateError::io("write", lock, e))?;
                    Ok(true)
                }
                Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(false),
                Err(e) => Err(StateError::io("create", lock, e)),
            }
        }
    }
}

/// The lock's holder; `None` when there is no lock.
pub(crate) fn read(lock: &Path) -> Result<Option<LockInfo>, StateError> {
    let Some(bytes) = files::read_if_exists(lock)? else {
        return Ok(None);
    };
    let bad = |message: String| StateError::BadLock {
        path: lock.to_path_buf(),
        message,
    };
    match serde_json::from_slice::<LockInfo>(&bytes) {
        Ok(info) if !info.id.is_empty() => Ok(Some(info)),
        Ok(_) => Err(bad("it holds no lock id".to_string())),
        Err(e) => Err(bad(format!("it is not JSON lock information ({e})"))),
    }
}

/// Removes the lock if it is the one with `id`; `false` if it is gone or another one.
pub(crate) fn remove_if_id(lock: &Path, id: &str) -> Result<bool, StateError> {
    match read(lock)? {
        Some(holder) if holder.id == id => {
            files::remove_if_exists(lock)?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

struct LocalRelease {
    lock: PathBuf,
}

impl LockRelease for LocalRelease {
    fn release(&self, info: &LockInfo) -> Result<(), StateError> {
        remove_if_id(&self.lock, &info.id).map(|_| ())
    }
}
