//! The remote lock: an object beside the state (`<key>.tflock`, as Terraform's S3 backend
//! names it) created with a conditional write, holding who took it and when it was last
//! refreshed. A thread refreshes it while the operation runs, so that a lock whose holder died
//! on another machine shows its age; a holder that died on this host is taken over at once,
//! with a conditional replace of exactly the lock judged stale.

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::objects::{Condition, Object, ObjectStore};
use crate::error::StateError;
use crate::lock::{LockGuard, LockInfo, LockRelease, Removed};

/// How often the holder refreshes its lock, and after how long without a refresh the lock is
/// reported stale.
#[derive(Clone, Copy, Debug)]
pub struct LockTiming {
    pub refresh: Duration,
    pub stale_after: Duration,
}

impl Default for LockTiming {
    fn default() -> Self {
        LockTiming {
            refresh: Duration::from_secs(10),
            stale_after: Duration::from_secs(60),
        }
    }
}

/// The lock object's content: Terraform's lock information plus the refresh time.
#[derive(Serialize, Deserialize)]
struct Body {
    #[serde(flatten)]
    info: LockInfo,
    /// Seconds since the Unix epoch of the holder's last refresh.
    #[serde(default)]
    refreshed: u64,
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

fn encode(info: &LockInfo) -> Vec<u8> {
    let body = Body {
        info: info.clone(),
        refreshed: now_secs(),
    };
    let mut bytes = serde_json::to_vec_pretty(&body).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

fn parse(bytes: &[u8]) -> Result<Body, String> {
    match serde_json::from_slice::<Body>(bytes) {
        Ok(body) if !body.info.id.is_empty() => Ok(body),
        Ok(_) => Err("it holds no lock id".to_string()),
        Err(e) => Err(format!("it is not JSON lock information ({e})")),
    }
}

pub(crate) struct RemoteLock<'a> {
    pub objects: &'a Arc<dyn ObjectStore>,
    /// The lock object's key.
    pub key: &'a str,
    /// The state's name, for the lock information and messages.
    pub state: String,
    pub timing: LockTiming,
}

impl RemoteLock<'_> {
    fn bad_lock(&self, message: String) -> StateError {
        StateError::BadLock {
            path: self.objects.name(self.key).into(),
            message,
        }
    }

    /// Takes the lock, polling until `timeout`.
    pub fn acquire(&self, operation: &str, timeout: Duration) -> Result<LockGuard, StateError> {
        let info = LockInfo::for_this_process(operation, &self.state);
        let deadline = Instant::now() + timeout;
        let mut pause = Duration::from_millis(50);
        loop {
            let holder = match self.attempt(&info)? {
                Ok((version, took_over)) => {
                    let release = Refresher::start(
                        self.objects.clone(),
                        self.key.to_string(),
                        info.clone(),
                        version,
                        self.timing.refresh,
                    );
                    return Ok(LockGuard::new(info, took_over, Box::new(release)));
                }
                Err(holder) => holder,
            };
            let now = Instant::now();
            if now >= deadline {
                let age = now_secs().saturating_sub(holder.refreshed);
                if holder.refreshed > 0 && age >= self.timing.stale_after.as_secs() {
                    return Err(StateError::LockedStale {
                        holder: Box::new(holder.info),
                        age_secs: age,
                    });
                }
                return Err(StateError::Locked(Box::new(holder.info)));
            }
            std::thread::sleep(pause.min(deadline - now));
            pause = (pause * 2).min(Duration::from_millis(500));
        }
    }

    /// One try: `Ok((version, stale lock replaced))` when ours is in place, `Err(holder)`.
    #[allow(clippy::type_complexity)]
    fn attempt(
        &self,
        info: &LockInfo,
    ) -> Result<Result<(String, Option<LockInfo>), Body>, StateError> {
        for _ in 0..3 {
            if let Some(version) = self
                .objects
                .put(self.key, &encode(info), Condition::Absent)?
            {
                return Ok(Ok((version, None)));
            }
            let Some(Object { bytes, version }) = self.objects.get(self.key)? else {
                continue; // released between our two calls
            };
            let holder = parse(&bytes).map_err(|m| self.bad_lock(m))?;
            if !holder.info.is_stale_here() {
                return Ok(Err(holder));
            }
            // Replaces exactly the lock judged stale: of two runs doing this, one wins.
            let replace = Condition::Matches(&version);
            if let Some(version) = self.objects.put(self.key, &encode(info), replace)? {
                return Ok(Ok((version, Some(holder.info))));
            }
        }
        match self.objects.get(self.key)? {
            Some(obj) => Ok(Err(parse(&obj.bytes).map_err(|m| self.bad_lock(m))?)),
            None => Err(StateError::Remote {
                action: "create",
                object: self.objects.name(self.key),
                message: "the lock object keeps changing while being taken".into(),
            }),
        }
    }

    /// `force-unlock`: removes the lock if its id is `id`, or any unparseable lock object.
    pub fn force_remove(&self, id: &str) -> Result<Removed, StateError> {
        let Some(obj) = self.objects.get(self.key)? else {
            return Err(StateError::NotLocked {
                path: self.state.clone().into(),
            });
        };
        let removed = match parse(&obj.bytes) {
            Ok(holder) if holder.info.id == id => Removed::Lock(holder.info),
            Ok(holder) => {
                return Err(StateError::LockIdMismatch {
                    given: id.to_string(),
                    actual: Box::new(holder.info),
                })
            }
            Err(problem) => Removed::Unreadable {
                path: self.objects.name(self.key).into(),
                problem,
                content: String::from_utf8_lossy(&obj.bytes[..obj.bytes.len().min(200)])
                    .into_owned(),
            },
        };
        self.objects.delete(self.key)?;
        Ok(removed)
    }
}

/// Refreshes a held lock until released; releasing stops it and removes the lock if it is
/// still ours.
struct Refresher {
    objects: Arc<dyn ObjectStore>,
    key: String,
    stop: Mutex<Option<(Sender<()>, JoinHandle<()>)>>,
}

impl Refresher {
    fn start(
        objects: Arc<dyn ObjectStore>,
        key: String,
        info: LockInfo,
        version: String,
        every: Duration,
    ) -> Refresher {
        let (tx, rx) = mpsc::channel::<()>();
        let thread = {
            let (objects, key) = (objects.clone(), key.clone());
            let mut current = version;
            std::thread::spawn(move || loop {
                match rx.recv_timeout(every) {
                    Err(RecvTimeoutError::Timeout) => {}
                    _ => return,
                }
                match objects.put(&key, &encode(&info), Condition::Matches(&current)) {
                    Ok(Some(next)) => current = next,
                    // Someone removed or replaced our lock (force-unlock): it is not ours to renew.
                    Ok(None) => return,
                    // A network error: try again at the next tick; the lock just ages meanwhile.
                    Err(_) => {}
                }
            })
        };
        Refresher {
            objects,
            key,
            stop: Mutex::new(Some((tx, thread))),
        }
    }
}

impl LockRelease for Refresher {
    fn release(&self, info: &LockInfo) -> Result<(), StateError> {
        if let Some((tx, thread)) = self
            .stop
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            let _ = tx.send(());
            let _ = thread.join();
        }
        match self.objects.get(&self.key)? {
            Some(obj) if parse(&obj.bytes).is_ok_and(|b| b.info.id == info.id) => {
                self.objects.delete(&self.key)
            }
            _ => Ok(()),
        }
    }
}
