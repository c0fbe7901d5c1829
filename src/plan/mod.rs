//! Planning: what each resource instance needs (create, update, replace, delete, nothing),
//! decided by small pure functions and collected into a [`Plan`].

pub mod action;
pub mod change;
pub mod conditions;
pub mod genconfig;
pub mod ignore;
pub mod imports;
pub mod moved;
pub mod planner;
pub mod refresh;
pub mod removed;
pub mod saved;
mod targets;

pub use action::{decide, Action};
pub use change::{OutputChange, Plan, ResourceChange};
