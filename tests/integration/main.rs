//! Integration tests: the real `labform` binary on stacks written to temporary directories.
//! One test binary (faster to build than one per file); one module per area.

mod common;

mod apply;
#[cfg(feature = "aws")]
mod aws_stacks;
mod cli;
#[cfg(feature = "docker")]
mod docker_stacks;
mod errors;
#[cfg(feature = "gcp")]
mod gcp_stacks;
mod interrupts;
mod lifecycle;
mod locking;
mod no_panic;
mod saved_plan;
mod stacks;
mod variables;
