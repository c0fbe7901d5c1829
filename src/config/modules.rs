//! Loads the local modules a stack calls, recursively: each `module` call's `source` must be a
//! local path (`./` or `../`); a module that calls itself, directly or not, is an error naming the
//! cycle. A directory used by several calls is parsed once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::load::load_dir;
use super::model::{ModuleCall, Stack};
use crate::diag::{Diagnostic, Diagnostics};
use crate::eval::functions::paths::clean;

/// Loads every module `stack` calls (and theirs), filling `children`.
pub(super) fn load_children(stack: Stack) -> Result<Stack, Diagnostics> {
    let mut loader = Loader {
        cache: HashMap::new(),
    };
    let root = canonical(&stack.dir);
    loader.fill(stack, &mut vec![(root, "the root module".to_string())])
}

struct Loader {
    /// Loaded module configurations by canonical directory.
    cache: HashMap<PathBuf, Arc<Stack>>,
}

impl Loader {
    /// Loads the children of `stack`; `chain` holds the directories (and call addresses) from
    /// the root down to `stack`, to find cycles.
    fn fill(
        &mut self,
        mut stack: Stack,
        chain: &mut Vec<(PathBuf, String)>,
    ) -> Result<Stack, Diagnostics> {
        let mut diags = Diagnostics::new();
        let calls: Vec<ModuleCall> = stack.module_calls.values().cloned().collect();
        for call in calls {
            match self.child(&stack, &call, chain) {
                Ok(child) => {
                    stack.children.insert(call.name.clone(), child);
                }
                Err(d) => diags.extend(d),
            }
        }
        diags.into_result()?;
        Ok(stack)
    }

    fn child(
        &mut self,
        parent: &Stack,
        call: &ModuleCall,
        chain: &mut Vec<(PathBuf, String)>,
    ) -> Result<Arc<Stack>, Diagnostics> {
        let source = &call.source;
        if !(source.starts_with("./") || source.starts_with("../")) {
            return Err(Diagnostic::error(format!(
                "module `{}`: source `{source}` is not a local path; labform supports only local modules (a source starting with `./` or `../`)",
                call.name
            ))
            .at(call.source_location.clone().or(call.location.clone()))
            .hint("copy the module into the stack (e.g. `./modules/NAME`) and point `source` at that directory")
            .into());
        }
        if let Some(at) = &call.version_location {
            return Err(Diagnostic::error(format!(
                "module `{}`: `version` applies only to registry modules, not to the local path `{source}`",
                call.name
            ))
            .at(Some(at.clone()))
            .hint("remove `version`")
            .into());
        }
        let dir = PathBuf::from(clean(&format!("{}/{source}", parent.dir.to_string_lossy())));
        if !dir.is_dir() {
            return Err(Diagnostic::error(format!(
                "module `{}`: the directory `{}` does not exist",
                call.name,
                dir.display()
            ))
            .at(call.source_location.clone())
            .hint("a local module's `source` is relative to the directory of the module that calls it")
            .into());
        }
        let key = canonical(&dir);
        let address = format!(
            "{}module.{}",
            chain
                .last()
                .map(|(_, a)| if a.starts_with("module.") {
                    format!("{a}.")
                } else {
                    String::new()
                })
                .unwrap_or_default(),
            call.name
        );
        if let Some(pos) = chain.iter().position(|(d, _)| *d == key) {
            let names: Vec<String> = chain[pos..]
                .iter()
                .map(|(_, a)| format!("`{a}`"))
                .chain(std::iter::once(format!("`{address}`")))
                .collect();
            return Err(Diagnostic::error(format!(
                "module `{}` calls itself: {}",
                call.name,
                names.join(" -> ")
            ))
            .at(call.location.clone())
            .detail(format!(
                "`{}` is the directory of a module that is already being loaded",
                dir.display()
            ))
            .hint("a module cannot call itself, directly or through other modules")
            .into());
        }
        if let Some(loaded) = self.cache.get(&key) {
            // The same directory through another path: re-anchor `path.module` for this one.
            if loaded.dir == dir {
                return Ok(loaded.clone());
            }
        }
        let stack = load_dir(&dir, None)?;
        let mut diags = Diagnostics::new();
        for p in stack.providers.values() {
            diags.push(
                Diagnostic::error(format!(
                    "module `{}` declares its own `provider \"{}\"` configuration, which labform does not support",
                    call.name, p.name
                ))
                .at(p.location.clone())
                .hint("configure providers in the root module and pass them with `providers = { NAME = NAME.ALIAS }` in the `module` block"),
            );
        }
        for i in &stack.imports {
            diags.push(
                Diagnostic::error(format!(
                    "an `import` block was found in module `{}`; import blocks are only allowed in the root module",
                    call.name
                ))
                .at(i.location.clone())
                .hint("move the block to the root module and prefix its `to` address with the module's, e.g. `module.NAME.aws_s3_bucket.b`"),
            );
        }
        if let Some(b) = &stack.terraform.backend {
            diags.push(
                Diagnostic::error("a `backend` block belongs in the root module only")
                    .at(b.location.clone()),
            );
        }
        diags.into_result()?;
        chain.push((key.clone(), address));
        let filled = self.fill(stack, chain);
        chain.pop();
        let child = Arc::new(filled?);
        self.cache.insert(key, child.clone());
        Ok(child)
    }
}

fn canonical(dir: &Path) -> PathBuf {
    std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf())
}
