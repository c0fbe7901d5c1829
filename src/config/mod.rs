//! Stack loading: parsing `*.tf` files into the [`Stack`] model, variable values and versions.

mod backend_block;
mod blocks;
mod checks;
mod labform_block;
pub mod literal;
pub mod load;
pub mod model;
mod module_call;
mod modules;
pub mod scope;
pub mod syntax;
pub mod types;
pub mod vars;
pub mod version;

pub use backend_block::literal as backend_literal;
pub use load::{load_sources, load_stack};
pub use model::*;
