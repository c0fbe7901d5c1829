//! A backend over an object store: where each workspace's state object goes, as Terraform's
//! S3 and GCS backends put it.

use std::sync::Arc;

use super::lock::LockTiming;
use super::objects::ObjectStore;
use super::{remove_journal, Layout, RemoteStore};
use crate::backend::{valid_workspace_name, Backend, DEFAULT_WORKSPACE};
use crate::codec::Codec;
use crate::error::StateError;
use crate::store::StateStore;

/// How workspace names map to keys.
#[derive(Clone, Debug)]
pub enum WorkspaceNaming {
    /// S3: `default` at `key`, others at `<prefix>/<workspace>/<key>` (prefix `env:` unless
    /// `workspace_key_prefix` says otherwise).
    KeyPrefix { key: String, prefix: String },
    /// GCS: `<prefix>/<workspace>.tfstate`, locked by `<prefix>/<workspace>.tflock`.
    Directory { prefix: String },
}

impl WorkspaceNaming {
    fn layout(&self, workspace: &str) -> Layout {
        match self {
            WorkspaceNaming::KeyPrefix { key, prefix } => {
                let state = if workspace == DEFAULT_WORKSPACE {
                    key.clone()
                } else {
                    format!("{prefix}/{workspace}/{key}")
                };
                Layout {
                    lock: format!("{state}.tflock"),
                    state,
                }
            }
            WorkspaceNaming::Directory { prefix } => {
                let base = join(prefix, workspace);
                Layout {
                    state: format!("{base}.tfstate"),
                    lock: format!("{base}.tflock"),
                }
            }
        }
    }

    /// The workspace whose state is at `key`, if `key` is one.
    fn workspace_of(&self, key: &str) -> Option<String> {
        let name = match self {
            WorkspaceNaming::KeyPrefix { key: k, prefix } => {
                if key == k {
                    return Some(DEFAULT_WORKSPACE.to_string());
                }
                key.strip_prefix(&format!("{prefix}/"))?
                    .strip_suffix(&format!("/{k}"))?
            }
            WorkspaceNaming::Directory { prefix } => key
                .strip_prefix(&join(prefix, ""))?
                .strip_suffix(".tfstate")?,
        };
        valid_workspace_name(name).then(|| name.to_string())
    }

    fn list_prefix(&self) -> String {
        match self {
            WorkspaceNaming::KeyPrefix { prefix, .. } => format!("{prefix}/"),
            WorkspaceNaming::Directory { prefix } => join(prefix, ""),
        }
    }
}

fn join(prefix: &str, name: &str) -> String {
    let prefix = prefix.trim_end_matches('/');
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}/{name}")
    }
}

/// A [`Backend`] keeping each workspace's state in an object store.
pub struct RemoteBackend {
    objects: Arc<dyn ObjectStore>,
    naming: WorkspaceNaming,
    timing: LockTiming,
    description: String,
    codec: Codec,
}

impl RemoteBackend {
    pub fn new(
        objects: Arc<dyn ObjectStore>,
        naming: WorkspaceNaming,
        description: String,
    ) -> Self {
        RemoteBackend {
            objects,
            naming,
            timing: LockTiming::default(),
            description,
            codec: Codec::default(),
        }
    }

    /// Encodes the states it stores with `codec` (Terraform's encoding by schema).
    pub fn with_codec(mut self, codec: Codec) -> Self {
        self.codec = codec;
        self
    }

    /// Changes how often the lock is refreshed and when it counts as stale.
    pub fn with_lock_timing(mut self, timing: LockTiming) -> Self {
        self.timing = timing;
        self
    }

    /// The object name of `workspace`'s state, for messages.
    pub fn state_name(&self, workspace: &str) -> String {
        self.objects.name(&self.naming.layout(workspace).state)
    }

    fn remote_store(&self, workspace: &str) -> RemoteStore {
        RemoteStore::new(
            self.objects.clone(),
            self.naming.layout(workspace),
            self.timing,
            self.codec.clone(),
        )
    }
}

impl Backend for RemoteBackend {
    fn describe(&self) -> String {
        self.description.clone()
    }

    fn store(&self, workspace: &str) -> Result<Box<dyn StateStore>, StateError> {
        Ok(Box::new(self.remote_store(workspace)))
    }

    fn workspaces(&self) -> Result<Vec<String>, StateError> {
        let mut out = vec![DEFAULT_WORKSPACE.to_string()];
        let mut keys = self.objects.list(&self.naming.list_prefix())?;
        if let WorkspaceNaming::KeyPrefix { key, .. } = &self.naming {
            keys.push(key.clone());
        }
        for key in keys {
            if let Some(ws) = self.naming.workspace_of(&key) {
                if !out.contains(&ws) {
                    out.push(ws);
                }
            }
        }
        out.sort();
        Ok(out)
    }

    fn delete_workspace(&self, workspace: &str) -> Result<(), StateError> {
        let layout = self.naming.layout(workspace);
        remove_journal(&*self.objects, &format!("{}.journal/", layout.state))?;
        self.objects.delete(&layout.state)?;
        self.objects.delete(&layout.lock)
    }

    fn check(&self) -> Result<String, StateError> {
        self.objects.check()
    }
}
