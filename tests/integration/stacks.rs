//! Every ready stack under `stacks/` loads and validates.

use std::path::Path;

#[test]
fn every_stack_validates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("stacks");
    let mut checked = 0;
    for entry in std::fs::read_dir(&root).expect("stacks dir") {
        let dir = entry.expect("entry").path();
        if !dir.is_dir() {
            continue;
        }
        let out = std::process::Command::new(crate::common::binary())
            .args(["validate"])
            .current_dir(&dir)
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{} does not validate:\n{}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        checked += 1;
    }
    assert!(checked > 0, "no stacks found");
}
