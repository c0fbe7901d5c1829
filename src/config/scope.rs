//! The module instance an expression is evaluated in: its path (`module.a["k"]`), the prefix its
//! names take in the flat model, and its directory (`path.module`).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use labform_state::ModulePath;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    pub path: ModulePath,
    /// `module.a.` (empty for the root module): what a name in this module is keyed by.
    pub prefix: String,
    /// `path.module`: the module's directory as Terraform shows it (`.` or `modules/etl` when
    /// run inside the stack directory).
    pub module_dir: PathBuf,
}

impl Scope {
    pub fn root(dir: &Path) -> Arc<Scope> {
        Arc::new(Scope {
            path: ModulePath::root(),
            prefix: String::new(),
            module_dir: dir.to_path_buf(),
        })
    }

    pub fn child(&self, path: ModulePath, module_dir: PathBuf) -> Arc<Scope> {
        Arc::new(Scope {
            prefix: path.prefix(),
            path,
            module_dir,
        })
    }

    pub fn is_root(&self) -> bool {
        self.path.is_root()
    }
}
