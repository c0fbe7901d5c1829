//! Local workspaces: `terraform.workspace`, separate states under
//! `.labform/terraform.tfstate.d/<workspace>/`, and the refusals that protect them.

use crate::common::Stack;

const STACK: &str = r#"
resource "terraform_data" "x" {
  input = "made in ${terraform.workspace}"
}
output "where" {
  value = terraform_data.x.output
}
"#;

#[test]
fn local_workspaces_keep_separate_states_and_name_themselves() {
    let s = Stack::with(STACK);
    s.run(&["apply", "-auto-approve"]).ok();
    s.run(&["workspace", "new", "bob"]).ok();
    s.run(&["workspace", "new", "bob"])
        .code(1)
        .stderr_has("already exists");
    s.run(&["apply", "-auto-approve"]).ok();
    s.run(&["output", "-raw", "where"])
        .ok()
        .stdout_has("made in bob");
    let bob: serde_json::Value =
        serde_json::from_str(&s.read(".labform/terraform.tfstate.d/bob/state.json"))
            .expect("bob's state");
    assert_eq!(bob["outputs"]["where"]["value"], "made in bob");
    assert_eq!(s.state()["outputs"]["where"]["value"], "made in default");
    s.run(&["workspace", "list"])
        .ok()
        .stdout_has("* bob")
        .stdout_has("  default");
    s.run(&["workspace", "delete", "bob"])
        .code(1)
        .stderr_has("is selected");
    s.run(&["workspace", "select", "nobody"])
        .code(1)
        .stderr_has("does not exist");
    s.run(&["workspace", "select", "default"]).ok();
    s.run(&["workspace", "new", "no/slash"])
        .code(1)
        .stderr_has("not a valid workspace name");
    s.run(&["workspace", "delete", "bob"])
        .code(1)
        .stderr_has("still records 1");
    // TF_WORKSPACE overrides the selection, as in Terraform.
    s.run_env(&["output", "-raw", "where"], &[("TF_WORKSPACE", "bob")])
        .ok()
        .stdout_has("made in bob");
    s.run(&["workspace", "delete", "-force", "bob"]).ok();
    assert!(!s.path().join(".labform/terraform.tfstate.d/bob").exists());
    s.run(&["output", "-raw", "where"])
        .ok()
        .stdout_has("made in default");
}

#[test]
fn a_backend_attribute_labform_does_not_support_is_an_error_not_ignored() {
    let s = Stack::with("terraform {\n  backend \"local\" {\n    path = \"s.json\"\n    colour = \"blue\"\n  }\n}\n");
    s.run(&["plan"])
        .code(1)
        .stderr_has("attribute `colour` is not supported");
    let s = Stack::with("terraform {\n  backend \"consul\" {}\n}\n");
    s.run(&["init"])
        .code(1)
        .stderr_has("the `consul` backend is not supported");
}
