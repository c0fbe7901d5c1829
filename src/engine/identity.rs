//! The stack's id: what its objects' `labform-stack-id` mark says, so two stacks whose
//! directories share a name never take each other's objects for their own.

use std::path::Path;

use sha2::{Digest, Sha256};

/// The id a stack in `dir` gets on its first apply: the first 16 hex digits of the SHA-256 of
/// the directory's canonical absolute path. Lowercase hex is a legal AWS tag value, GCP label
/// value and Docker label. State records it, so a moved directory keeps its id.
pub fn stack_id_for(dir: &Path) -> String {
    let path = std::fs::canonicalize(dir).unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|cwd| cwd.join(dir))
            .unwrap_or_else(|_| dir.to_path_buf())
    });
    let digest = Sha256::digest(path.to_string_lossy().as_bytes());
    hex::encode(&digest[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_with_one_name_get_different_ids() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let (da, db) = (a.path().join("terraform"), b.path().join("terraform"));
        std::fs::create_dir(&da).unwrap();
        std::fs::create_dir(&db).unwrap();
        let (ia, ib) = (stack_id_for(&da), stack_id_for(&db));
        assert_ne!(ia, ib);
        assert_eq!(ia.len(), 16);
        assert!(ia
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)));
        assert_eq!(ia, stack_id_for(&da), "stable for one directory");
    }
}
