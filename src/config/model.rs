//! The Stack model: what a directory of `*.tf` files declares.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use hcl_edit::expr::Expression;
use hcl_edit::structure::Body;
use hcl_edit::Span;
use labform_sdk::Type;

use crate::diag::{Location, SourceFile};

/// An expression with the file it came from, so errors can point at it.
#[derive(Clone, Debug)]
pub struct Expr {
    pub expr: Expression,
    pub file: Arc<SourceFile>,
}

impl Expr {
    pub fn location(&self) -> Option<Location> {
        Location::new(&self.file, self.expr.span())
    }
}

/// A block body with the file it came from.
#[derive(Clone, Debug)]
pub struct BodyRef {
    pub body: Body,
    pub file: Arc<SourceFile>,
}

pub use labform_state::Mode;

#[derive(Clone, Debug, Default)]
pub struct TerraformSettings {
    pub required_version: Option<(String, Option<Location>)>,
    pub required_providers: BTreeMap<String, ProviderRequirement>,
    pub backend: Option<Backend>,
}

#[derive(Clone, Debug, Default)]
pub struct ProviderRequirement {
    pub source: Option<String>,
    pub version: Option<String>,
    pub location: Option<Location>,
}

#[derive(Clone, Debug)]
pub struct Backend {
    pub kind: String,
    pub path: Option<String>,
    pub location: Option<Location>,
}

#[derive(Clone, Debug)]
pub struct Validation {
    pub condition: Expr,
    pub error_message: Expr,
}

#[derive(Clone, Debug)]
pub struct Variable {
    pub name: String,
    pub ty: Option<Type>,
    pub default: Option<Expr>,
    pub description: Option<String>,
    pub sensitive: bool,
    pub nullable: bool,
    pub validations: Vec<Validation>,
    pub location: Option<Location>,
}

#[derive(Clone, Debug)]
pub struct Local {
    pub name: String,
    pub expr: Expr,
}

#[derive(Clone, Debug)]
pub struct ProviderBlock {
    pub name: String,
    pub alias: Option<String>,
    pub body: BodyRef,
    pub location: Option<Location>,
}

impl ProviderBlock {
    /// `aws` or `aws.west`.
    pub fn key(&self) -> String {
        provider_key(&self.name, self.alias.as_deref())
    }
}

pub fn provider_key(name: &str, alias: Option<&str>) -> String {
    match alias {
        Some(a) => format!("{name}.{a}"),
        None => name.to_string(),
    }
}

#[derive(Clone, Debug, Default)]
pub enum IgnoreChanges {
    #[default]
    None,
    All,
    Paths(Vec<Vec<String>>),
}

#[derive(Clone, Debug, Default)]
pub struct Lifecycle {
    pub prevent_destroy: bool,
    pub create_before_destroy: bool,
    pub ignore_changes: IgnoreChanges,
    pub replace_triggered_by: Vec<Expr>,
}

/// A `resource` or `data` block.
#[derive(Clone, Debug)]
pub struct ResourceBlock {
    pub mode: Mode,
    pub type_name: String,
    pub name: String,
    pub count: Option<Expr>,
    pub for_each: Option<Expr>,
    /// Resource addresses (`aws_vpc.main`, `data.aws_ami.x`) with where they were written.
    pub depends_on: Vec<(String, Option<Location>)>,
    /// Provider key (`aws`, `aws.west`) from the `provider` meta-argument, else the type prefix.
    pub provider: String,
    pub lifecycle: Lifecycle,
    /// The body without meta-arguments.
    pub body: BodyRef,
    pub location: Option<Location>,
}

impl ResourceBlock {
    /// `aws_s3_bucket.b` or `data.aws_ami.ubuntu`.
    pub fn address(&self) -> String {
        resource_address(self.mode, &self.type_name, &self.name)
    }
}

pub fn resource_address(mode: Mode, type_name: &str, name: &str) -> String {
    match mode {
        Mode::Managed => format!("{type_name}.{name}"),
        Mode::Data => format!("data.{type_name}.{name}"),
    }
}

/// The provider local name implied by a resource type: the text before the first `_`.
pub fn implied_provider(type_name: &str) -> &str {
    type_name.split('_').next().unwrap_or(type_name)
}

#[derive(Clone, Debug)]
pub struct Output {
    pub name: String,
    pub value: Expr,
    pub description: Option<String>,
    pub sensitive: bool,
    pub depends_on: Vec<(String, Option<Location>)>,
    pub location: Option<Location>,
}

/// Everything a stack directory declares.
#[derive(Clone, Debug, Default)]
pub struct Stack {
    pub dir: PathBuf,
    /// The stack's name: its directory name. It goes into every object's `labform-stack` mark.
    pub name: String,
    pub files: Vec<Arc<SourceFile>>,
    pub terraform: TerraformSettings,
    pub variables: BTreeMap<String, Variable>,
    pub locals: BTreeMap<String, Local>,
    pub providers: BTreeMap<String, ProviderBlock>,
    /// Keyed by address (`aws_s3_bucket.b`, `data.aws_ami.x`).
    pub resources: BTreeMap<String, Arc<ResourceBlock>>,
    pub outputs: BTreeMap<String, Output>,
}
