//! Every stack shipped in the repository formats to text that parses and is a fixed point.

use std::path::{Path, PathBuf};

use super::format_source;

fn tf_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            tf_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "tf") {
            found.push(path);
        }
    }
}

#[test]
fn repository_stacks_format_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("stacks");
    let mut files = Vec::new();
    tf_files(&root, &mut files);
    assert!(
        !files.is_empty(),
        "no `*.tf` file under `{}`",
        root.display()
    );
    for file in files {
        let source = std::fs::read_to_string(&file).expect("stack file is readable UTF-8");
        let once = format_source(&source).unwrap_or_else(|e| panic!("`{}`: {e}", file.display()));
        let twice =
            format_source(&once).unwrap_or_else(|e| panic!("`{}` formatted: {e}", file.display()));
        assert_eq!(
            once,
            twice,
            "`{}`: formatting is not idempotent",
            file.display()
        );
    }
}
