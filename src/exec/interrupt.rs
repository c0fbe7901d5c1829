//! Ctrl-C: the first stops new operations and lets running ones finish (state is written and the
//! lock released); the second exits at once (the journal already holds every finished change).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

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

/// Listens for SIGINT (and SIGTERM) for the rest of the process. `on_first` runs on the first.
pub fn install(cancel: Cancel, on_first: impl Fn() + Send + 'static) {
    tokio::spawn(async move {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        for round in 0..2 {
            match term.as_mut() {
                Some(t) => {
                    tokio::select! {
                        _ = tokio::signal::ctrl_c() => {},
                        _ = t.recv() => {},
                    }
                }
                None => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
            if round == 0 {
                cancel.cancel();
                on_first();
            }
        }
        eprintln!("\nsecond interrupt: exiting now; finished changes are already recorded");
        std::process::exit(1);
    });
}
