//! Saved plans (`plan -out FILE`): the configuration, variable values and changes, plus the
//! state's lineage and serial so `apply FILE` refuses a plan whose state has moved since.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use labform_sdk::Value;
use labform_state::{OutputState, StateFile};
use serde::{Deserialize, Serialize};

use super::change::Plan;
use crate::diag::Diagnostic;

const FORMAT: &str = "labform-plan";
/// 2: planned values keep their unknowns.
const VERSION: u32 = 2;

#[derive(Serialize, Deserialize)]
pub struct SavedPlan {
    pub format: String,
    pub version: u32,
    pub stack_dir: PathBuf,
    /// Every `*.tf` file as it was when planned.
    pub sources: Vec<(PathBuf, String)>,
    /// Resolved variable values (sensitive ones included, as in Terraform's plan files: keep the
    /// file private).
    pub variables: BTreeMap<String, Value>,
    pub destroy: bool,
    pub targets: Vec<String>,
    pub replace: Vec<String>,
    pub plan: Plan,
    /// A `plan -refresh-only` plan: the state as refreshed when planned, which applying it
    /// records as it is (Terraform does not read the objects again either).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refreshed: Option<Refreshed>,
    /// The stack's expiry the plan marks objects with (`-ttl`), which `apply FILE` records.
    #[serde(default)]
    pub expires: Option<String>,
}

/// What applying a saved refresh-only plan records.
#[derive(Serialize, Deserialize)]
pub struct Refreshed {
    pub state: StateFile,
    pub outputs: BTreeMap<String, OutputState>,
}

impl SavedPlan {
    pub fn new(
        stack_dir: &Path,
        sources: Vec<(PathBuf, String)>,
        variables: BTreeMap<String, Value>,
        plan: Plan,
        targets: Vec<String>,
        replace: Vec<String>,
    ) -> Self {
        SavedPlan {
            format: FORMAT.into(),
            version: VERSION,
            stack_dir: stack_dir.to_path_buf(),
            sources,
            variables,
            destroy: plan.destroy,
            targets,
            replace,
            plan,
            refreshed: None,
            expires: None,
        }
    }

    /// Writes the plan (it holds variable values, sensitive ones included) readable by its owner
    /// only, even over an existing file that others could read, and whole or not at all: a temp
    /// file synced and renamed into place.
    pub fn write(&self, path: &Path) -> Result<(), Diagnostic> {
        let text = serde_json::to_vec(self)
            .map_err(|e| Diagnostic::error(format!("cannot encode the plan: {e}")))?;
        labform_state::write_private(path, &text).map_err(|e| {
            Diagnostic::error(format!(
                "cannot write the plan to `{}`: {e}",
                path.display()
            ))
        })
    }

    pub fn read(path: &Path) -> Result<SavedPlan, Diagnostic> {
        let bytes = std::fs::read(path).map_err(|e| {
            Diagnostic::error(format!(
                "cannot read the saved plan `{}`: {e}",
                path.display()
            ))
        })?;
        let plan: SavedPlan = serde_json::from_slice(&bytes).map_err(|_| {
            Diagnostic::error(format!("`{}` is not a labform plan file", path.display()))
                .hint("create one with `labform plan -out FILE`")
        })?;
        if plan.format != FORMAT || plan.version != VERSION {
            return Err(Diagnostic::error(format!(
                "`{}` was written by an incompatible labform version",
                path.display()
            ))
            .hint("run `labform plan -out FILE` again"));
        }
        Ok(plan)
    }
}
