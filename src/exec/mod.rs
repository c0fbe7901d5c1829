//! Apply and destroy: a bounded-parallel walk over the planned changes, recording state after
//! every resource.

pub mod apply;
pub mod events;
pub mod interrupt;
pub mod ops;
mod run;
pub mod walk;

pub use apply::{execute, ApplyOutcome};
pub use events::{Event, OpKind, Reporter};
