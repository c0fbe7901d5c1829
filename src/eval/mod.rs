//! Expression evaluation over [`Value`], with unknown values flowing through.

mod body;
mod expr;
pub mod functions;
pub mod marks;
mod ops;
pub mod refs;
mod template;
#[cfg(test)]
mod tests {
    mod marks;
}
mod traverse;

use std::ops::Range;
use std::path::{Path, PathBuf};

use hcl_edit::expr::Expression;
use labform_sdk::Value;

pub use body::{eval_body, eval_body_marked};
pub use marks::{Marked, Marks};

use crate::config::{Expr, Mode, Scope};
use crate::diag::{Diagnostic, Location, SourceFile};

/// Where the evaluator finds the values that references name, each with its sensitivity marks.
/// Every name is looked up in the module instance (`scope`) the expression belongs to.
pub trait Lookup: Sync {
    /// `var.NAME` of the root module (marked as a whole when declared `sensitive`); `None` when
    /// not declared.
    fn variable(&self, name: &str) -> Option<Marked>;
    /// `terraform.workspace`.
    fn workspace(&self) -> String {
        "default".to_string()
    }
    /// `var.NAME` inside a module instance: the call's argument (or the default), converted and
    /// validated; `None` when not declared.
    fn module_variable(&self, _scope: &Scope, _name: &str) -> Option<Result<Marked, Diagnostic>> {
        None
    }
    /// `local.NAME`; `None` when not declared, `Some(Err)` when its expression fails.
    fn local(&self, scope: &Scope, name: &str) -> Option<Result<Marked, Diagnostic>>;
    /// `TYPE.NAME` or `data.TYPE.NAME`: the resource's value (an object, a list for `count`, an
    /// object keyed by `for_each` key) with the marks of its sensitive attributes; `None` when
    /// not declared.
    fn resource(&self, scope: &Scope, mode: Mode, type_name: &str, name: &str) -> Option<Marked>;
    /// `module.NAME`: an object of the call's outputs (a list of them for `count`, a map for
    /// `for_each`); `None` when no such call.
    fn module(&self, _scope: &Scope, _name: &str) -> Option<Result<Marked, Diagnostic>> {
        None
    }
    /// Every declared name of a kind in `scope`, for "did you mean": `var`, `local`, resource
    /// addresses or module call names.
    fn names(&self, scope: &Scope, kind: NameKind) -> Vec<String>;
    /// The `check` block whose scoped data source has this address (`data.TYPE.NAME`), for
    /// the error when something outside it refers to it.
    fn scoped_check(&self, _scope: &Scope, _address: &str) -> Option<String> {
        None
    }
    /// True while planning: impure functions (`uuid()`, `timestamp()`) are then unknown.
    fn planning(&self) -> bool {
        false
    }
}

#[derive(Clone, Copy, Debug)]
pub enum NameKind {
    Variable,
    Local,
    Resource,
    Module,
}

/// An evaluation failure inside one expression, located by byte span in the expression's file.
#[derive(Debug, Clone)]
pub struct EvalError {
    pub message: String,
    pub span: Option<Range<usize>>,
    pub hint: Option<String>,
    /// Set when the error already carries its own location (a failing local value).
    pub diagnostic: Option<Box<Diagnostic>>,
}

impl EvalError {
    pub fn new(message: impl Into<String>, span: Option<Range<usize>>) -> Self {
        EvalError {
            message: message.into(),
            span,
            hint: None,
            diagnostic: None,
        }
    }
    pub fn hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }
    pub fn into_diagnostic(self, file: &std::sync::Arc<SourceFile>) -> Diagnostic {
        if let Some(d) = self.diagnostic {
            return *d;
        }
        Diagnostic::error(self.message)
            .at(Location::new(file, self.span))
            .maybe_hint(self.hint)
    }
}

pub type EvalResult = Result<Marked, EvalError>;

/// Evaluates expressions in one scope: the stack's values plus `each`, `count` and `self`.
pub struct Evaluator<'a> {
    pub lookup: &'a dyn Lookup,
    /// `path.root`; relative paths in `file()` resolve against it (Terraform resolves them
    /// against the working directory, which is the root module's).
    pub base_dir: PathBuf,
    /// The module instance whose names the expression sees (`path.module` is its directory).
    pub scope: std::sync::Arc<Scope>,
    pub each: Option<(Value, Marked)>,
    pub count_index: Option<Value>,
    pub self_value: Option<Value>,
    /// Names bound by `for` expressions, `dynamic` iterators and `templatefile` variables.
    bindings: Vec<(String, Marked)>,
    /// Inside a `templatefile` template only its variables may be referenced.
    template_only: bool,
}

impl<'a> Evaluator<'a> {
    /// An evaluator for the root module of the stack in `base_dir`.
    pub fn new(lookup: &'a dyn Lookup, base_dir: &Path) -> Self {
        Self::scoped(lookup, base_dir, &Scope::root(base_dir))
    }

    /// An evaluator for expressions of the module instance `scope`.
    pub fn scoped(lookup: &'a dyn Lookup, base_dir: &Path, scope: &std::sync::Arc<Scope>) -> Self {
        Evaluator {
            lookup,
            base_dir: base_dir.to_path_buf(),
            scope: scope.clone(),
            each: None,
            count_index: None,
            self_value: None,
            bindings: Vec::new(),
            template_only: false,
        }
    }

    /// Evaluates an expression from a stack file, for a use that never prints the value.
    pub fn eval(&mut self, expr: &Expr) -> Result<Value, Diagnostic> {
        self.eval_marked(expr).map(|m| m.value)
    }

    /// Evaluates an expression from a stack file, with the marks of its sensitive parts.
    pub fn eval_marked(&mut self, expr: &Expr) -> Result<Marked, Diagnostic> {
        self.eval_expr(&expr.expr)
            .map_err(|e| e.into_diagnostic(&expr.file))
    }

    pub(crate) fn bind(&mut self, name: &str, value: Marked) {
        self.bindings.push((name.to_string(), value));
    }

    pub(crate) fn unbind(&mut self, n: usize) {
        let keep = self.bindings.len().saturating_sub(n);
        self.bindings.truncate(keep);
    }

    fn binding(&self, name: &str) -> Option<&Marked> {
        self.bindings
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    }
}

/// A [`Lookup`] with nothing in it: for `.tfvars` files and constant defaults.
pub struct EmptyLookup;

impl Lookup for EmptyLookup {
    fn variable(&self, _: &str) -> Option<Marked> {
        None
    }
    fn local(&self, _: &Scope, _: &str) -> Option<Result<Marked, Diagnostic>> {
        None
    }
    fn resource(&self, _: &Scope, _: Mode, _: &str, _: &str) -> Option<Marked> {
        None
    }
    fn names(&self, _: &Scope, _: NameKind) -> Vec<String> {
        Vec::new()
    }
}

/// Evaluates an expression that may not reference anything (defaults, `.tfvars` values).
pub fn eval_const(expr: &Expression) -> Result<Value, String> {
    let mut ev = Evaluator::new(&EmptyLookup, Path::new("."));
    ev.eval_expr(expr).map(|m| m.value).map_err(|e| e.message)
}
