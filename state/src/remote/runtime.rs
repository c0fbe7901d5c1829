//! Runs a cloud SDK's async calls from the blocking [`crate::StateStore`] calls, which the
//! engine makes from inside its own async runtime (where blocking on another runtime directly
//! would panic): each call runs on a short-lived thread that blocks on the store's runtime.

use std::future::Future;

use crate::error::StateError;

/// A small runtime owned by one remote store.
pub(crate) struct Runtime {
    handle: tokio::runtime::Handle,
    /// Taken only by `drop`.
    rt: Option<tokio::runtime::Runtime>,
}

impl Runtime {
    pub fn new() -> Result<Runtime, StateError> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("labform-state")
            .enable_all()
            .build()
            .map_err(|e| StateError::Remote {
                action: "start",
                object: "the state store's runtime".into(),
                message: e.to_string(),
            })?;
        Ok(Runtime {
            handle: rt.handle().clone(),
            rt: Some(rt),
        })
    }

    /// Runs `future` to completion and returns its output.
    pub fn block<F>(&self, future: F) -> F::Output
    where
        F: Future + Send,
        F::Output: Send,
    {
        let handle = self.handle.clone();
        std::thread::scope(|s| match s.spawn(move || handle.block_on(future)).join() {
            Ok(output) => output,
            Err(payload) => std::panic::resume_unwind(payload),
        })
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        // Dropping a runtime blocks, which panics inside the engine's runtime: let it go.
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}
