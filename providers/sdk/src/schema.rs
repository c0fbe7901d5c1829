//! Resource, data source and provider-configuration schemas.

use std::collections::BTreeMap;

use crate::types::Type;
use crate::value::Value;

/// Who sets an attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// The configuration must set it.
    Required,
    /// The configuration may set it; otherwise it is null (or `default`).
    Optional,
    /// Only the provider sets it; the configuration may not.
    Computed,
    /// The configuration may set it; otherwise the provider does (unknown until apply).
    OptionalComputed,
}

/// One attribute of a block.
#[derive(Clone, Debug, PartialEq)]
pub struct Attribute {
    pub ty: Type,
    pub presence: Presence,
    /// A change to it replaces the resource instead of updating it in place.
    pub force_new: bool,
    /// Never printed in plans, logs or errors.
    pub sensitive: bool,
    /// Planned when the configuration leaves the attribute unset.
    pub default: Option<Value>,
    /// On update, a computed value keeps its prior value instead of becoming unknown.
    /// True by default: most computed attributes (ids, arns) do not change in place.
    pub use_state_for_unknown: bool,
    pub description: &'static str,
}

impl Attribute {
    fn new(ty: Type, presence: Presence) -> Self {
        Attribute {
            ty,
            presence,
            force_new: false,
            sensitive: false,
            default: None,
            use_state_for_unknown: true,
            description: "",
        }
    }
    pub fn required(ty: Type) -> Self {
        Self::new(ty, Presence::Required)
    }
    pub fn optional(ty: Type) -> Self {
        Self::new(ty, Presence::Optional)
    }
    pub fn computed(ty: Type) -> Self {
        Self::new(ty, Presence::Computed)
    }
    pub fn optional_computed(ty: Type) -> Self {
        Self::new(ty, Presence::OptionalComputed)
    }
    pub fn force_new(mut self) -> Self {
        self.force_new = true;
        self
    }
    pub fn sensitive(mut self) -> Self {
        self.sensitive = true;
        self
    }
    pub fn default(mut self, value: impl Into<Value>) -> Self {
        self.default = Some(value.into());
        self
    }
    /// A computed value that is recomputed (unknown) by every in-place update.
    pub fn changes_on_update(mut self) -> Self {
        self.use_state_for_unknown = false;
        self
    }
    pub fn describe(mut self, text: &'static str) -> Self {
        self.description = text;
        self
    }
    pub fn is_settable(&self) -> bool {
        !matches!(self.presence, Presence::Computed)
    }
    pub fn is_computed(&self) -> bool {
        matches!(
            self.presence,
            Presence::Computed | Presence::OptionalComputed
        )
    }
}

/// How a nested block repeats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nesting {
    /// At most one; carried as an object or null.
    Single,
    /// Ordered; carried as a list of objects.
    List,
    /// Unordered; carried as a list of objects, sorted.
    Set,
}

/// A nested block type (`versioning { ... }`, `ingress { ... }`).
#[derive(Clone, Debug, PartialEq)]
pub struct NestedBlock {
    pub nesting: Nesting,
    pub min_items: usize,
    pub max_items: Option<usize>,
    /// Any change inside the block replaces the resource.
    pub force_new: bool,
    /// Optional and computed (the plugin SDK's `Optional + Computed` block): left out of the
    /// configuration, it keeps what the provider last read instead of planning no blocks.
    pub computed: bool,
    pub block: BlockSchema,
}

impl NestedBlock {
    pub fn single(block: BlockSchema) -> Self {
        NestedBlock {
            nesting: Nesting::Single,
            min_items: 0,
            max_items: Some(1),
            force_new: false,
            computed: false,
            block,
        }
    }
    pub fn list(block: BlockSchema) -> Self {
        NestedBlock {
            nesting: Nesting::List,
            min_items: 0,
            max_items: None,
            force_new: false,
            computed: false,
            block,
        }
    }
    pub fn set(block: BlockSchema) -> Self {
        NestedBlock {
            nesting: Nesting::Set,
            min_items: 0,
            max_items: None,
            force_new: false,
            computed: false,
            block,
        }
    }
    pub fn max(mut self, n: usize) -> Self {
        self.max_items = Some(n);
        self
    }
    pub fn min(mut self, n: usize) -> Self {
        self.min_items = n;
        self
    }
    pub fn force_new(mut self) -> Self {
        self.force_new = true;
        self
    }
    pub fn computed(mut self) -> Self {
        self.computed = true;
        self
    }
}

/// The attributes and nested blocks of a resource, data source, provider block or nested block.
///
/// A configuration value handed to a provider is an object holding every attribute (null when
/// unset) and every nested block type: a `Single` block as an object or null, `List` and `Set`
/// blocks as lists of objects (empty when absent).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BlockSchema {
    pub attributes: BTreeMap<String, Attribute>,
    pub blocks: BTreeMap<String, NestedBlock>,
    pub description: &'static str,
    /// What the Terraform provider's schema declares here and labform does not implement:
    /// state files carry each (null, or no blocks) so that Terraform with the real provider
    /// reads them; configuration may not set them.
    pub unimplemented: BTreeMap<String, Unimplemented>,
    /// The resource type's schema version as the Terraform provider declares it (a
    /// resource's top-level block only): recorded with each instance in state, so that
    /// Terraform runs none of its state upgrades on labform's files.
    pub version: u64,
}

/// An attribute or nested block of the Terraform provider's schema that labform does not
/// implement (see [`BlockSchema::unimplemented`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unimplemented {
    /// Written to state as null.
    Attribute,
    /// Written to state as no blocks: an empty list, or null for single nesting.
    Block(Nesting),
}

impl BlockSchema {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn attr(mut self, name: &str, attribute: Attribute) -> Self {
        self.attributes.insert(name.to_string(), attribute);
        self
    }
    /// Several attributes declared alike (`&["arn", "owner_id"], Attribute::computed(..)`).
    pub fn attrs(self, names: &[&str], attribute: Attribute) -> Self {
        names
            .iter()
            .fold(self, |schema, name| schema.attr(name, attribute.clone()))
    }
    pub fn block(mut self, name: &str, block: NestedBlock) -> Self {
        self.blocks.insert(name.to_string(), block);
        self
    }
    pub fn describe(mut self, text: &'static str) -> Self {
        self.description = text;
        self
    }
    /// The Terraform provider's schema version of this resource type.
    pub fn version(mut self, version: u64) -> Self {
        self.version = version;
        self
    }
    /// Attributes of the Terraform provider's schema that labform does not implement.
    pub fn unimplemented(mut self, names: &[&str]) -> Self {
        for name in names {
            self.unimplemented
                .insert(name.to_string(), Unimplemented::Attribute);
        }
        self
    }
    /// Nested blocks of the Terraform provider's schema that labform does not implement.
    pub fn unimplemented_blocks(mut self, nesting: Nesting, names: &[&str]) -> Self {
        for name in names {
            self.unimplemented
                .insert(name.to_string(), Unimplemented::Block(nesting));
        }
        self
    }
    /// The same schema with the nested block `name` (if there is one) changed by `change`.
    pub fn nested(mut self, name: &str, change: impl FnOnce(BlockSchema) -> BlockSchema) -> Self {
        if let Some(nested) = self.blocks.get_mut(name) {
            nested.block = change(std::mem::take(&mut nested.block));
        }
        self
    }

    /// Every attribute and block name, for "did you mean" suggestions.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.attributes
            .keys()
            .chain(self.blocks.keys())
            .map(String::as_str)
    }

    /// Whether the attribute at the top level is sensitive.
    pub fn is_sensitive(&self, name: &str) -> bool {
        self.attributes.get(name).is_some_and(|a| a.sensitive)
    }

    /// A value of this block's shape with every attribute null and every block empty.
    pub fn empty_value(&self) -> Value {
        let mut map = BTreeMap::new();
        for name in self.attributes.keys() {
            map.insert(name.clone(), Value::Null);
        }
        for (name, nested) in &self.blocks {
            let empty = match nested.nesting {
                Nesting::Single => Value::Null,
                Nesting::List | Nesting::Set => Value::List(Vec::new()),
            };
            map.insert(name.clone(), empty);
        }
        Value::Object(map)
    }
}

/// A provider's schemas by type name (`resource_schemas`, `data_source_schemas`), each completed
/// by `complete`: the provider's table of what its Terraform schema declares beyond what labform
/// implements, and of schema versions.
pub fn completed(
    schemas: BTreeMap<&'static str, BlockSchema>,
    complete: fn(&str, BlockSchema) -> BlockSchema,
) -> BTreeMap<&'static str, BlockSchema> {
    schemas
        .into_iter()
        .map(|(type_name, schema)| (type_name, complete(type_name, schema)))
        .collect()
}
