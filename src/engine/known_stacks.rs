//! Where this machine's stacks live: every apply writes `<data dir>/stacks/<stack id>` holding
//! the stack's directory. `sweep -expired -all` finds a stack by its objects' marks, and through
//! this it can decide that stack by its own state: an expiry renewed by a later `apply -ttl`
//! is in state, while objects that cannot be relabelled in place (Docker's) still carry the
//! expiry they were made with. Losing the file only costs that: the stack is decided by mark.
//!
//! The data directory is `LABFORM_DATA_DIR`, else `$XDG_DATA_HOME/labform`, else
//! `$HOME/.local/share/labform`.

use std::path::{Path, PathBuf};

fn data_dir() -> Option<PathBuf> {
    let var = |k: &str| {
        std::env::var_os(k)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    var("LABFORM_DATA_DIR")
        .or_else(|| var("XDG_DATA_HOME").map(|d| d.join("labform")))
        .or_else(|| var("HOME").map(|h| h.join(".local/share/labform")))
}

fn entry(stack_id: &str) -> Option<PathBuf> {
    // An id is 16 hex digits; anything else (an old name-only mark) has no entry.
    let plain = !stack_id.is_empty() && stack_id.chars().all(|c| c.is_ascii_alphanumeric());
    plain
        .then(data_dir)
        .flatten()
        .map(|d| d.join("stacks").join(stack_id))
}

/// Notes that the stack `stack_id` lives in `dir`. Best effort: a read-only home directory
/// must not fail an apply, so a failure is only reported by the return value.
pub fn record(stack_id: &str, dir: &Path) -> std::io::Result<()> {
    let Some(path) = entry(stack_id) else {
        return Ok(());
    };
    let dir = std::fs::canonicalize(dir)?;
    let text = dir.to_string_lossy().to_string();
    if std::fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    // Written whole and renamed into place: a reader never sees half a path.
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, &path)
}

/// The directory the stack `stack_id` was last applied from, if it still exists.
pub fn directory_of(stack_id: &str) -> Option<PathBuf> {
    let text = std::fs::read_to_string(entry(stack_id)?).ok()?;
    let dir = PathBuf::from(text.trim());
    dir.is_dir().then_some(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_that_are_not_plain_have_no_entry() {
        assert_eq!(entry(""), None);
        assert_eq!(entry("../etc"), None);
        assert_eq!(entry("a/b"), None);
    }
}
