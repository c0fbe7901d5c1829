//! `labform import` of Docker objects made by the docker CLI: the volume is recorded, plans
//! clean, is then managed (destroyed by labform), checked with the docker CLI.

use crate::common::Stack;
use crate::compose::docker;

#[test]
fn a_volume_made_by_the_docker_cli_is_imported_planned_clean_and_destroyed() {
    let s = Stack::new();
    let name = format!("labform-import-{}", s.name());
    let (made, _) = docker(&["volume", "create", &name]);
    assert!(made, "docker volume create {name}");
    s.file(
        "main.tf",
        &format!("resource \"docker_volume\" \"v\" {{\n  name = \"{name}\"\n}}\n"),
    );
    s.run(&["import", "docker_volume.v", &name])
        .ok()
        .stdout_has("Import successful!");
    assert_eq!(s.state_list(), vec!["docker_volume.v"]);
    let plan = s.run(&["plan", "-detailed-exitcode"]);
    plan.code(0).stdout_has("No changes.");
    s.run(&["destroy", "-auto-approve"])
        .ok()
        .stdout_has("1 destroyed");
    let (exists, _) = docker(&["volume", "inspect", &name]);
    if exists {
        docker(&["volume", "rm", &name]);
    }
    assert!(!exists, "labform destroyed the imported volume");
}
