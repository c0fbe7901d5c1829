//! The provider contract shared by the engine and every provider crate.
//!
//! Providers depend on this crate only. It defines the dynamic [`Value`] that flows between
//! configuration, plans and state, the [`Type`] constraints values are converted to, resource
//! [schemas](schema), the [`Resource`], [`DataSource`] and [`Provider`] traits, the error type
//! providers return, and the default plan logic most resources use unchanged.

pub mod by_id;
pub mod duration;
pub mod encode;
pub mod error;
mod joined;
pub mod mark;
pub mod plan;
pub mod provider;
pub mod resource;
pub mod schema;
pub mod takeover;
pub mod typed;
pub mod types;
pub mod validate;
pub mod value;
pub mod wait;

pub use duration::{go_duration, go_duration_nanos};
pub use error::{gone_ok, ErrorKind, ProviderError, ReadBack, Result};
pub use mark::{
    expires_mark, is_expired, label_safe, mark_labels, without_instance_mark, Marked, StackFilter,
    StackIdentity, EXPIRES_KEY, INSTANCE_KEY, MANAGED_BY_KEY, MANAGED_BY_VALUE, STACK_ID_KEY,
    STACK_KEY,
};
pub use plan::{default_plan, normalize, AttrPath, PlannedChange};
pub use provider::{ConfiguredProvider, NoConfigProvider, Provider, ProviderContext, ResourceSet};
pub use resource::{DataSource, OpContext, Resource, Typed};
pub use schema::{
    completed, Attribute, BlockSchema, NestedBlock, Nesting, Presence, Unimplemented,
};
pub use takeover::differs_only_by_marks;
pub use types::Type;
pub use value::Value;

pub use async_trait::async_trait;
