//! The local lock: `state.json.lock`, created exclusively and holding the holder's `LockInfo`.
//!
//! Every change to the lock file (take, take over, release, force-unlock) runs inside a short
//! section serialised by an advisory `flock` on `state.json.lock.mutex`. Without it, a stale
//! lock is taken over by "read, compare, unlink, create", and two runs that both judged the
//! lock stale can both end up holding it: the second unlinks the lock the first just made. A
//! rename-based takeover has the same hole (the rename can move a live lock away and nothing
//! can put it back atomically). The kernel drops a `flock` when its holder dies, so the mutex
//! itself can never go stale; it is held only while one lock file is read and written (a few
//! milliseconds at most), never while waiting for a holder.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::files;
use crate::error::StateError;
use crate::lock::{LockGuard, LockInfo, LockRelease, Removed};
use crate::sys;

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
    loop {
        let holder = match attempt(lock, &bytes, &info.id)? {
            Ok(took_over) => {
                let release = LocalRelease {
                    lock: lock.to_path_buf(),
                };
                return Ok(LockGuard::new(info, took_over, Box::new(release)));
            }
            Err(holder) => holder,
        };
        let now = Instant::now();
        if now >= deadline {
            return Err(StateError::Locked(Box::new(holder)));
        }
        std::thread::sleep(pause.min(deadline - now));
        pause = (pause * 2).min(Duration::from_millis(500));
    }
}

/// One try at the lock, inside the mutex: `Ok` with the stale lock replaced (if any) when ours
/// is in place, `Err` naming the live holder.
fn attempt(
    lock: &Path,
    bytes: &[u8],
    id: &str,
) -> Result<Result<Option<LockInfo>, LockInfo>, StateError> {
    let _mutex = Mutex::take(lock)?;
    let mut took_over = None;
    // A few rounds at most: after removing a stale lock, and when something outside the mutex
    // (a person, an older labform) changed the lock between our read and our create.
    for _ in 0..3 {
        match read(lock)? {
            None => {
                if create_exclusive(lock, bytes, id)? {
                    return Ok(Ok(took_over));
                }
            }
            Some(holder) if holder.is_stale_here() => {
                // Inside the mutex nobody else can replace this lock between our read and the
                // removal, so what we remove is the stale lock we judged.
                #[cfg(test)]
                tests::paused_before_takeover();
                files::remove_if_exists(lock)?;
                took_over = Some(holder);
            }
            Some(holder) => return Ok(Err(holder)),
        }
    }
    match read(lock)? {
        Some(holder) => Ok(Err(holder)),
        None => Err(StateError::io(
            "create",
            lock,
            std::io::Error::other("the lock file keeps changing while being taken"),
        )),
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
///
/// Errors: [`StateError::BadLock`] for a file that is not lock information.
pub(crate) fn read(lock: &Path) -> Result<Option<LockInfo>, StateError> {
    let Some(bytes) = files::read_if_exists(lock)? else {
        return Ok(None);
    };
    parse(&bytes)
        .map(Some)
        .map_err(|message| StateError::BadLock {
            path: lock.to_path_buf(),
            message,
        })
}

fn parse(bytes: &[u8]) -> Result<LockInfo, String> {
    match serde_json::from_slice::<LockInfo>(bytes) {
        Ok(info) if !info.id.is_empty() => Ok(info),
        Ok(_) => Err("it holds no lock id".to_string()),
        Err(_) if bytes.iter().all(u8::is_ascii_whitespace) => Err("it is empty".to_string()),
        Err(e) => Err(format!("it is not JSON lock information ({e})")),
    }
}

/// Removes the lock if it is the one with `id`; `false` if it is gone or another one.
pub(crate) fn remove_if_id(lock: &Path, id: &str) -> Result<bool, StateError> {
    if !lock.exists() {
        return Ok(false);
    }
    let _mutex = Mutex::take(lock)?;
    match read(lock)? {
        Some(holder) if holder.id == id => {
            files::remove_if_exists(lock)?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// `force-unlock`: removes the lock if its id is `id`, or whatever id is given when the file
/// does not parse (its holder cannot be told, and nothing else could ever remove it).
pub(crate) fn force_remove(lock: &Path, state: &Path, id: &str) -> Result<Removed, StateError> {
    let not_locked = || StateError::NotLocked {
        path: state.to_path_buf(),
    };
    if !lock.exists() {
        return Err(not_locked());
    }
    let _mutex = Mutex::take(lock)?;
    let Some(bytes) = files::read_if_exists(lock)? else {
        return Err(not_locked());
    };
    let removed = match parse(&bytes) {
        Ok(holder) if holder.id == id => Removed::Lock(holder),
        Ok(holder) => {
            return Err(StateError::LockIdMismatch {
                given: id.to_string(),
                actual: Box::new(holder),
            })
        }
        Err(problem) => Removed::Unreadable {
            path: lock.to_path_buf(),
            problem,
            content: String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned(),
        },
    };
    files::remove_if_exists(lock)?;
    Ok(removed)
}

/// Holds the lock file's mutex (`state.json.lock.mutex`) until dropped.
struct Mutex {
    _file: File,
}

impl Mutex {
    fn take(lock: &Path) -> Result<Mutex, StateError> {
        let path = files::sibling(lock, ".mutex");
        let file = files::open_private(&path)?;
        sys::flock_exclusive(&file, false).map_err(|e| StateError::io("lock", &path, e))?;
        Ok(Mutex { _file: file })
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

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::sync::mpsc;

    use super::*;

    thread_local! {
        /// Runs where a takeover has judged the lock stale and is about to remove it.
        static BEFORE_TAKEOVER: RefCell<Option<Box<dyn FnMut()>>> = RefCell::new(None);
    }

    pub(super) fn paused_before_takeover() {
        BEFORE_TAKEOVER.with(|hook| {
            if let Some(f) = hook.borrow_mut().as_mut() {
                f()
            }
        });
    }

    fn plant_stale(lock: &Path) -> LockInfo {
        let mut gone = std::process::Command::new("true").spawn().expect("spawn");
        let pid = gone.id();
        gone.wait().expect("reap");
        let mut info = LockInfo::for_this_process("apply", "state.json");
        info.pid = pid;
        fs::write(lock, serde_json::to_vec(&info).expect("json")).expect("write");
        info
    }

    /// The window that made takeover racy: a run judged the lock stale and, before it removed
    /// it, another run took the stale lock over. The first must not remove the second's lock.
    #[test]
    fn a_takeover_paused_between_judging_and_removing_cannot_remove_a_fresh_lock() {
        let dir = tempfile::tempdir().expect("tempdir");
        let lock = dir.path().join("state.json.lock");
        let state = dir.path().join("state.json");
        let stale = plant_stale(&lock);

        let (paused_tx, paused_rx) = mpsc::channel();
        let (resume_tx, resume_rx) = mpsc::channel::<()>();
        let (l, s) = (lock.clone(), state.clone());
        let first = std::thread::spawn(move || {
            BEFORE_TAKEOVER.with(|hook| {
                *hook.borrow_mut() = Some(Box::new(move || {
                    let _ = paused_tx.send(());
                    let _ = resume_rx.recv();
                }))
            });
            acquire(&l, &s, "apply", Duration::ZERO)
        });
        paused_rx
            .recv()
            .expect("the first run reached its takeover");

        let (l, s) = (lock.clone(), state.clone());
        let second = std::thread::spawn(move || acquire(&l, &s, "plan", Duration::ZERO));
        // Long enough for the second run to take the stale lock over, were it allowed to.
        std::thread::sleep(Duration::from_millis(300));
        resume_tx.send(()).expect("resume");
        let first = first.join().expect("first");
        let second = second.join().expect("second");

        let on_disk = read(&lock).expect("read").expect("a lock");
        match (&first, &second) {
            (Ok(holder), Err(StateError::Locked(named))) => {
                assert_eq!(holder.took_over(), Some(&stale));
                assert_eq!(on_disk.id, holder.id());
                assert_eq!(named.id, holder.id());
            }
            other => panic!("expected the first run alone to hold the lock, got {other:?}"),
        }
    }
}
