//! Recorded state: the state file (Terraform's state v4 shape), its journal, stores and locks.
//!
//! The engine reads state through a [`StateStore`], takes its lock for the whole operation, and
//! applies changes through a [`StateWriter`]: each change is one journal line synced before the
//! call returns, and `commit` writes the whole state once (atomically, keeping a backup). A run
//! killed at any moment leaves a state that reads, with every journaled change in it.
//!
//! ```
//! use std::time::Duration;
//! use labform_sdk::Value;
//! use labform_state::{InstanceAddr, InstanceState, LocalStore, StateFile, StateStore};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let dir = tempfile::tempdir()?;
//! let store = LocalStore::for_stack(dir.path()); // <stack>/.labform/state.json
//! let lock = store.lock("apply", Duration::ZERO)?; // held for the whole operation
//! if let Some(stale) = lock.took_over() {
//!     eprintln!("warning: took over the lock of {stale}: that process is gone");
//! }
//! let base = store.read()?.unwrap_or_else(|| StateFile::new("1.9.0"));
//! let mut writer = store.writer(base)?; // or `.into_shared()?` for a parallel walk
//! let addr: InstanceAddr = "aws_s3_bucket.logs[0]".parse()?;
//! let attrs = Value::from_pairs([("bucket", Value::from("logs-0"))]);
//! writer.put_instance(&addr, "provider[\"registry.terraform.io/hashicorp/aws\"]", InstanceState::new(attrs))?;
//! let state = writer.commit()?; // serial + 1, previous version kept as state.json.backup
//! assert_eq!(state.serial, 1);
//! drop(lock);
//! # Ok(())
//! # }
//! ```

mod addr;
mod backend;
mod codec;
mod error;
mod file;
mod journal;
mod local;
mod lock;
mod module_path;
mod open;
pub mod remote;
mod resource;
mod shared;
mod store;
mod sys;
mod tf_value;
mod wire;
mod writer;

pub use addr::{AddrParseError, IndexKey, InstanceAddr, Mode};
pub use backend::{valid_workspace_name, Backend, LocalBackend, DEFAULT_WORKSPACE};
pub use codec::{Codec, SchemaSource};
pub use error::StateError;
pub use file::{StateFile, STATE_VERSION};
pub use local::{write_private, LocalStore};
pub use lock::{LockExitHandle, LockGuard, LockInfo, LockRelease, Removed};
pub use module_path::{ModulePath, ModuleStep};
pub use open::{backend_kinds, open_backend};
pub use resource::{InstanceState, OutputState, Pending, ResourceState, Status};
pub use shared::SharedStateWriter;
pub use store::StateStore;
pub use tf_value::{type_of as terraform_type_of, with_every_attribute};
pub use writer::{JournalSync, StateSink, StateWriter};
