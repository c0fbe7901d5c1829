//! Estimated running costs: a checked-in price table (`prices.json`, keyed by resource type,
//! each number with its source page and date) applied to planned or recorded attributes.
//! Estimates only: list prices, one region, no network call.

pub mod estimate;
pub mod stack;
pub mod table;

pub use estimate::{estimate, Estimate, Part};
pub use stack::{Item, PlanCost, StackCost};
pub use table::{builtin, Kind, PriceTable};
