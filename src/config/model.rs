//! The Stack model: what a directory of `*.tf` files declares.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use hcl_edit::expr::Expression;
use hcl_edit::structure::Body;
use hcl_edit::Span;
use labform_sdk::Type;

use crate::diag::{Location, SourceFile};

pub use super::scope::Scope;

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
    /// Every attribute of the block as an object (nested blocks as objects).
    pub settings: labform_sdk::Value,
    pub location: Option<Location>,
}

/// A `condition` with its `error_message`: a variable's `validation`, a `precondition` or
/// `postcondition` in `lifecycle`, or a check block's `assert`.
#[derive(Clone, Debug)]
pub struct Validation {
    pub condition: Expr,
    pub error_message: Expr,
}

/// A `removed { from = ADDR }` block: the address leaves the configuration; with
/// `lifecycle { destroy = false }` its objects are forgotten instead of destroyed.
#[derive(Clone, Debug)]
pub struct Removed {
    pub from: String,
    pub destroy: bool,
    pub location: Option<Location>,
}

/// An `import { to = ADDR, id = "..." }` block (root module only): the object `id` is read
/// through its provider during plan and recorded at `to` by apply, as Terraform 1.5+ does.
#[derive(Clone, Debug)]
pub struct Import {
    /// The target address, whose index may be an expression of `each`.
    pub to: Expr,
    pub id: Expr,
    pub for_each: Option<Expr>,
    /// `provider = aws.west`: the provider configuration key.
    pub provider: Option<String>,
    pub location: Option<Location>,
}

/// A `check "name" { assert { ... } }` block: failed assertions are warnings, never errors.
#[derive(Clone, Debug)]
pub struct Check {
    pub name: String,
    pub asserts: Vec<Validation>,
    /// A scoped `data` block: read just before the assertions, seen only by them; a failed
    /// read is a warning, as in Terraform.
    pub data: Option<Arc<ResourceBlock>>,
    pub location: Option<Location>,
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
    /// The module instance it is evaluated in.
    pub scope: Arc<Scope>,
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
    /// Checked before planning the instance: a false one fails the plan.
    pub preconditions: Vec<Validation>,
    /// Checked against the planned value when known, and after apply: a false one fails.
    pub postconditions: Vec<Validation>,
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
    /// The module instance it belongs to (the root scope until modules are expanded).
    pub scope: Arc<Scope>,
}

impl ResourceBlock {
    /// `aws_s3_bucket.b` or `data.aws_ami.ubuntu`, after its module path
    /// (`module.etl.aws_s3_bucket.b`).
    pub fn address(&self) -> String {
        format!(
            "{}{}",
            self.scope.prefix,
            resource_address(self.mode, &self.type_name, &self.name)
        )
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
    /// The module instance it is evaluated in.
    pub scope: Arc<Scope>,
}

/// A `module "name" { source = "./dir" ... }` block.
#[derive(Clone, Debug)]
pub struct ModuleCall {
    pub name: String,
    /// As written (`./modules/etl`).
    pub source: String,
    pub source_location: Option<Location>,
    /// Where `version` was written (it applies to registry modules only).
    pub version_location: Option<Location>,
    pub count: Option<Expr>,
    pub for_each: Option<Expr>,
    /// Resource or module addresses in the calling module (`aws_vpc.main`, `module.net`).
    pub depends_on: Vec<(String, Option<Location>)>,
    /// `providers = { aws = aws.west }`: the child's provider key and the caller's.
    pub providers: Vec<(String, String, Option<Location>)>,
    /// Input variable values, by name, with where the name was written.
    pub args: BTreeMap<String, (Expr, Option<Location>)>,
    pub location: Option<Location>,
}

/// A `moved { from = ..., to = ... }` block: addresses as text.
#[derive(Clone, Debug)]
pub struct Moved {
    pub from: String,
    pub to: String,
    pub location: Option<Location>,
}

/// How a module call expands: no meta-argument, `count` or `for_each`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallShape {
    Single,
    Count,
    ForEach,
}

/// A module call after expansion: its instances and the outputs each one has.
#[derive(Clone, Debug)]
pub struct CallInstances {
    pub shape: CallShape,
    pub instances: Vec<(Option<labform_state::IndexKey>, Arc<Scope>)>,
    pub outputs: Vec<String>,
}

/// An input variable of one module instance: its declaration and the call's argument, which is
/// evaluated in the calling module (with that instance's `each`/`count`).
#[derive(Clone, Debug)]
pub struct ModuleVar {
    pub decl: Variable,
    pub arg: Option<Expr>,
    pub caller: Arc<Scope>,
    pub each: Option<(labform_sdk::Value, crate::eval::Marked)>,
    pub count_index: Option<labform_sdk::Value>,
    pub scope: Arc<Scope>,
}

/// labform's own settings for a stack (the top-level `labform { }` block).
#[derive(Clone, Debug, Default)]
pub struct LabformSettings {
    /// Whether the stack has the block (a second one is an error).
    pub declared: bool,
    /// `ttl = "8h"`: the stack's expiry from its first apply, and where it is written.
    pub ttl: Option<(crate::engine::expiry::Ttl, Option<Location>)>,
}

/// Everything a stack directory declares.
#[derive(Clone, Debug, Default)]
pub struct Stack {
    pub dir: PathBuf,
    /// The selected workspace (`terraform.workspace`); empty means `default`. Set by the CLI.
    pub workspace: String,
    /// The stack's name: its directory name. It goes into every object's `labform-stack` mark.
    pub name: String,
    pub files: Vec<Arc<SourceFile>>,
    pub terraform: TerraformSettings,
    /// The `labform { }` block: labform's own settings for the stack.
    pub labform: LabformSettings,
    pub variables: BTreeMap<String, Variable>,
    pub locals: BTreeMap<String, Local>,
    pub providers: BTreeMap<String, ProviderBlock>,
    /// Keyed by address (`aws_s3_bucket.b`, `data.aws_ami.x`).
    pub resources: BTreeMap<String, Arc<ResourceBlock>>,
    pub outputs: BTreeMap<String, Output>,
    /// Module calls of this directory, and the configuration each one loads.
    pub module_calls: BTreeMap<String, ModuleCall>,
    pub children: BTreeMap<String, Arc<Stack>>,
    pub moved: Vec<Moved>,
    /// `removed` blocks of the root module.
    pub removed: Vec<Removed>,
    /// `check` blocks of the root module.
    pub checks: Vec<Check>,
    /// `import` blocks of the root module.
    pub imports: Vec<Import>,
    /// After modules are expanded: every module instance's input variables, keyed by scope
    /// prefix and name (`module.a.region`).
    pub module_vars: BTreeMap<String, ModuleVar>,
    /// After modules are expanded: every module instance's outputs, keyed like `module_vars`.
    pub module_outputs: BTreeMap<String, Output>,
    /// After modules are expanded: every module call, keyed by the caller's prefix and the call
    /// name (`module.a` for a call `a` in the root, `module.a.module.b` inside it).
    pub calls: BTreeMap<String, CallInstances>,
    /// `moved` blocks of every module, with module-prefixed addresses.
    pub all_moved: Vec<Moved>,
    /// Warnings found while reading the files (a Compose key that has no effect), shown
    /// before the plan.
    pub warnings: crate::diag::Diagnostics,
}
