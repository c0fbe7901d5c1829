//! The `keepers` attribute every random_* type has.

use labform_sdk::{Attribute, BlockSchema, Type};

/// Arbitrary map of values that, when changed, will trigger recreation of the resource. Not
/// `force_new`: [`super::plan::keepers_require_replace`] decides.
pub fn attribute() -> Attribute {
    Attribute::optional(Type::map(Type::String))
        .describe("arbitrary map of values that, when changed, recreate the resource")
}

/// A block schema holding `keepers`: every random_* type adds its own attributes to it.
pub fn base_schema() -> BlockSchema {
    BlockSchema::new().attr("keepers", attribute())
}
