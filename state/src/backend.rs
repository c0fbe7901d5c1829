//! A backend: where a stack's states live, one per workspace (Terraform's `default` plus any
//! made with `workspace new`).

use std::path::{Path, PathBuf};

use crate::codec::Codec;
use crate::error::StateError;
use crate::local::LocalStore;
use crate::store::StateStore;

/// The workspace every stack has, which cannot be deleted.
pub const DEFAULT_WORKSPACE: &str = "default";

/// The states of one stack, by workspace.
pub trait Backend: Send + Sync {
    /// Names the backend for messages: "local state file `.labform/state.json`",
    /// "s3 bucket `b`, key `k`".
    fn describe(&self) -> String;

    /// The store of `workspace` (nothing is created until it is written).
    ///
    /// Errors: [`StateError::Remote`] when the backend cannot be reached at all.
    fn store(&self, workspace: &str) -> Result<Box<dyn StateStore>, StateError>;

    /// Every workspace that has a state, `default` always included, sorted.
    fn workspaces(&self) -> Result<Vec<String>, StateError>;

    /// Removes the state of `workspace` (and its journal and lock). The caller checks first
    /// that it is empty or that the user insisted.
    fn delete_workspace(&self, workspace: &str) -> Result<(), StateError>;

    /// Checks that the backend is usable (`init`): the bucket reachable with these
    /// credentials. Returns what it checked, for the user.
    fn check(&self) -> Result<String, StateError>;
}

/// Checks a workspace name: letters, digits, `-`, `_` and `.`, as Terraform allows in
/// practice (no `/`, which would change where its state goes).
pub fn valid_workspace_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 90
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && name != "."
        && name != ".."
}

/// Local state files: the default workspace at `path` (`.labform/state.json` unless a
/// `backend "local"` block or `-state` says otherwise), every other workspace at
/// `<dir of path>/terraform.tfstate.d/<workspace>/<file name>`, as Terraform's local backend
/// keeps `terraform.tfstate.d/<workspace>/`.
#[derive(Clone, Debug)]
pub struct LocalBackend {
    path: PathBuf,
    codec: Codec,
}

impl LocalBackend {
    pub fn new(path: PathBuf) -> Self {
        LocalBackend {
            path,
            codec: Codec::default(),
        }
    }

    /// Encodes the states it stores with `codec` (Terraform's encoding by schema).
    pub fn with_codec(mut self, codec: Codec) -> Self {
        self.codec = codec;
        self
    }

    fn workspaces_dir(&self) -> PathBuf {
        parent(&self.path).join("terraform.tfstate.d")
    }

    /// The state file of `workspace`.
    pub fn path_of(&self, workspace: &str) -> PathBuf {
        if workspace == DEFAULT_WORKSPACE {
            return self.path.clone();
        }
        let file = self
            .path
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_else(|| "state.json".into());
        self.workspaces_dir().join(workspace).join(file)
    }
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

impl Backend for LocalBackend {
    fn describe(&self) -> String {
        format!("local state file `{}`", self.path.display())
    }

    fn store(&self, workspace: &str) -> Result<Box<dyn StateStore>, StateError> {
        Ok(Box::new(
            LocalStore::new(self.path_of(workspace)).with_codec(self.codec.clone()),
        ))
    }

    fn workspaces(&self) -> Result<Vec<String>, StateError> {
        let mut out = vec![DEFAULT_WORKSPACE.to_string()];
        let dir = self.workspaces_dir();
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(StateError::io("read directory", &dir, e)),
        };
        for entry in entries.flatten() {
            if entry.path().is_dir() {
                if let Some(name) = entry.file_name().to_str() {
                    if valid_workspace_name(name) && name != DEFAULT_WORKSPACE {
                        out.push(name.to_string());
                    }
                }
            }
        }
        out.sort();
        Ok(out)
    }

    fn delete_workspace(&self, workspace: &str) -> Result<(), StateError> {
        let dir = self.workspaces_dir().join(workspace);
        match std::fs::remove_dir_all(&dir) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(StateError::io("remove", &dir, e))
            }
            _ => Ok(()),
        }
    }

    fn check(&self) -> Result<String, StateError> {
        Ok(self.describe())
    }
}
