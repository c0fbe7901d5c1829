//! Ctrl-C and SIGTERM alike: the first stops new operations and lets running ones finish (state
//! is written and the lock released); the second exits at once (the journal already holds every
//! finished change).
//!
//! One listener per process, started as soon as a command takes the state lock ([`listen`]).
//! An apply hands it its [`Cancel`] ([`install`]) before its first change. A first signal that
//! comes before that (during refresh, planning, or the confirmation prompt: nothing has been
//! changed yet, nothing is left to record) releases the lock and exits 1 at once, instead of
//! dying with the lock held as the default action would.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use labform_state::LockExitHandle;
use tokio::signal::unix::{signal, Signal, SignalKind};

/// Set once the user asked to stop.
#[derive(Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

type Announce = Box<dyn Fn() + Send>;

struct Listener {
    /// The running apply's flag, and how it tells the user it is stopping.
    target: Mutex<Option<(Cancel, Announce)>>,
    /// The state lock to release when a signal ends the command before its apply starts.
    lock: Mutex<Option<LockExitHandle>>,
}

static LISTENER: OnceLock<Listener> = OnceLock::new();

/// Listens for SIGINT and SIGTERM for the rest of the process (once; later calls do nothing).
/// Outside the async runtime, or where signals cannot be caught, the default actions remain.
pub fn listen() {
    let mut started = false;
    let listener = LISTENER.get_or_init(|| {
        started = true;
        Listener {
            target: Mutex::new(None),
            lock: Mutex::new(None),
        }
    });
    if !started || tokio::runtime::Handle::try_current().is_err() {
        return;
    }
    // Registered here, not in the task: a signal arriving before the task first runs is kept.
    let (Ok(int), Ok(term)) = (
        signal(SignalKind::interrupt()),
        signal(SignalKind::terminate()),
    ) else {
        return;
    };
    tokio::spawn(wait_for_signals(listener, int, term));
}

async fn wait_for_signals(listener: &'static Listener, mut int: Signal, mut term: Signal) {
    for round in 0..2 {
        tokio::select! {
            _ = int.recv() => {},
            _ = term.recv() => {},
        }
        if round == 0 {
            listener.first_signal();
        }
    }
    crate::ui::err("\nsecond interrupt: exiting now; finished changes are already recorded");
    std::process::exit(1);
}

impl Listener {
    fn first_signal(&self) {
        let target = self.target.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((cancel, announce)) = target.as_ref() {
            cancel.cancel();
            announce();
            return;
        }
        let lock = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
        let released = match lock.as_ref().map(LockExitHandle::release) {
            Some(Err(e)) => format!("; the state lock could not be released: {e}"),
            Some(Ok(())) => "; the state lock is released".to_string(),
            None => String::new(),
        };
        crate::ui::err(&format!(
            "\ninterrupted before any change was made: exiting{released}"
        ));
        std::process::exit(1);
    }
}

/// Releases `lock` if a signal ends the command before an apply takes the signals over.
pub fn release_on_interrupt(lock: LockExitHandle) {
    listen();
    if let Some(listener) = LISTENER.get() {
        *listener.lock.lock().unwrap_or_else(PoisonError::into_inner) = Some(lock);
    }
}

/// Hands the signals to a running apply: from now on the first sets `cancel` and runs
/// `on_first`.
pub fn install(cancel: Cancel, on_first: impl Fn() + Send + 'static) {
    listen();
    if let Some(listener) = LISTENER.get() {
        *listener
            .target
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some((cancel, Box::new(on_first)));
    }
}
