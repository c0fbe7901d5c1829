//! Where a stack's state lives when the directory was Terraform's: labform uses Terraform's own
//! state file in place, so both tools see one truth and a directory moves between them with
//! no copy.
//!
//! In order: `.terraform/terraform.tfstate` naming a `local` backend with a `path` (that file);
//! naming another backend (an error: labform cannot reach it); the current workspace's
//! `terraform.tfstate.d/<workspace>/terraform.tfstate` (`.terraform/environment` names it);
//! `terraform.tfstate`. A directory holding both that file (with resources) and labform's own
//! `.labform/state.json` is an error naming both, never a silent choice.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics};

/// Terraform's state file in `dir` that labform must use, if Terraform left one there.
///
/// Errors: a backend labform cannot reach, two states in one directory.
pub fn terraform_state(dir: &Path) -> Result<Option<PathBuf>, Diagnostics> {
    if let Some(path) = backend_state(dir)? {
        return Ok(Some(path));
    }
    let workspace = current_workspace(dir);
    let tf = if workspace == "default" {
        dir.join("terraform.tfstate")
    } else {
        dir.join("terraform.tfstate.d")
            .join(&workspace)
            .join("terraform.tfstate")
    };
    if !tf.is_file() {
        return Ok(None);
    }
    let ours = dir.join(".labform").join("state.json");
    if ours.is_file() {
        let theirs = resource_count(&tf);
        if theirs == 0 {
            // An emptied Terraform state next to labform's: labform's is the live one.
            return Ok(None);
        }
        return Err(Diagnostic::error(format!(
            "this directory holds two states: Terraform's `{}` ({}) and labform's `{}` ({})",
            tf.display(),
            count_text(theirs),
            ours.display(),
            count_text(resource_count(&ours)),
        ))
        .hint(format!(
            "keep one: `mv {} {}` makes labform use Terraform's (after keeping a copy of it), or pass `-state={}` to choose for one run",
            tf.display(),
            ours.display(),
            tf.display()
        ))
        .into());
    }
    Ok(Some(tf))
}

/// `.terraform/terraform.tfstate` records the backend `terraform init` configured.
fn backend_state(dir: &Path) -> Result<Option<PathBuf>, Diagnostics> {
    let marker = dir.join(".terraform").join("terraform.tfstate");
    let Ok(bytes) = std::fs::read(&marker) else {
        return Ok(None);
    };
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return Ok(None);
    };
    let backend = &json["backend"];
    match backend["type"].as_str() {
        None | Some("") => Ok(None),
        Some("local") => Ok(backend["config"]["path"]
            .as_str()
            .filter(|p| !p.is_empty())
            .map(|p| {
                let path = PathBuf::from(p);
                if path.is_absolute() {
                    path
                } else {
                    dir.join(path)
                }
            })
            .filter(|p| p.is_file())),
        Some(kind) => Err(Diagnostic::error(format!(
            "this directory's Terraform state is in a `{kind}` backend (`{}`), which labform cannot read",
            marker.display()
        ))
        .hint(format!(
            "bring it here with `terraform state pull > terraform.tfstate`, remove the `backend \"{kind}\"` block and `{}`, then run labform again",
            dir.join(".terraform").display()
        ))
        .into()),
    }
}

/// Terraform's current workspace: `.terraform/environment`, else `default`.
fn current_workspace(dir: &Path) -> String {
    std::fs::read_to_string(dir.join(".terraform").join("environment"))
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "default".to_string())
}

/// How many managed resource instances a state file lists (0 when it does not read).
pub fn resource_count(path: &Path) -> usize {
    let Ok(bytes) = std::fs::read(path) else {
        return 0;
    };
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return 0;
    };
    json["resources"]
        .as_array()
        .map(|resources| {
            resources
                .iter()
                .filter(|r| r["mode"] == "managed")
                .map(|r| r["instances"].as_array().map_or(0, Vec::len))
                .sum()
        })
        .unwrap_or(0)
}

fn count_text(n: usize) -> String {
    match n {
        1 => "1 resource".to_string(),
        n => format!("{n} resources"),
    }
}
