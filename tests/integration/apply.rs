//! Plan, apply and destroy of builtin resources: the whole lifecycle a user sees.

use crate::common::Stack;

const BASIC: &str = r#"
variable "env" {
  default = "dev"
}
locals {
  tags = { env = var.env, team = "data" }
}
resource "terraform_data" "root" {
  input = local.tags
}
resource "terraform_data" "each" {
  for_each = toset(["a", "b"])
  input    = "${each.key}-${terraform_data.root.id}"
}
resource "terraform_data" "counted" {
  count = 2
  input = count.index
}
output "root_id" {
  value = terraform_data.root.id
}
output "each_outputs" {
  value = { for k, v in terraform_data.each : k => v.output }
}
"#;

#[test]
fn apply_creates_everything_and_a_second_plan_has_no_changes() {
    let s = Stack::with(BASIC);
    s.run(&["plan"])
        .ok()
        .stdout_has("Plan: 5 to add, 0 to change, 0 to destroy.")
        .stdout_has("(known after apply)");
    s.run(&["apply", "-auto-approve"])
        .ok()
        .stdout_has("Apply complete! Resources: 5 added, 0 changed, 0 destroyed.");
    let list = s.state_list();
    for addr in [
        "terraform_data.root",
        "terraform_data.each[\"a\"]",
        "terraform_data.each[\"b\"]",
        "terraform_data.counted[0]",
        "terraform_data.counted[1]",
    ] {
        assert!(
            list.contains(&addr.to_string()),
            "{addr} missing from {list:?}"
        );
    }
    let root_id = s
        .run(&["output", "-raw", "root_id"])
        .ok()
        .stdout
        .trim()
        .to_string();
    assert_eq!(root_id.len(), 36, "{root_id}");
    let outputs: serde_json::Value =
        serde_json::from_str(&s.run(&["output", "-json"]).ok().stdout).unwrap();
    assert_eq!(
        outputs["each_outputs"]["value"]["a"],
        serde_json::json!(format!("a-{root_id}"))
    );
    s.run(&["plan", "-detailed-exitcode"])
        .code(0)
        .stdout_has("No changes.");
}

#[test]
fn changed_input_updates_in_place_and_triggers_replace() {
    let s = Stack::with(
        r#"
variable "v" { default = "one" }
variable "t" { default = "x" }
resource "terraform_data" "d" {
  input            = var.v
  triggers_replace = var.t
}
"#,
    );
    s.run(&["apply", "-auto-approve"]).ok();
    let id = s.state()["resources"][0]["instances"][0]["attributes"]["id"].clone();
    s.run(&["plan", "-var", "v=two", "-detailed-exitcode"])
        .code(2)
        .stdout_has("will be updated in-place")
        .stdout_has("\"one\" -> \"two\"")
        .stdout_has("Plan: 0 to add, 1 to change, 0 to destroy.");
    s.run(&["apply", "-auto-approve", "-var", "v=two"])
        .ok()
        .stdout_has("1 changed");
    assert_eq!(
        s.state()["resources"][0]["instances"][0]["attributes"]["id"],
        id,
        "update keeps the id"
    );
    assert_eq!(
        s.state()["resources"][0]["instances"][0]["attributes"]["output"]["value"],
        "two"
    );
    s.run(&["plan", "-var", "v=two", "-var", "t=y"])
        .ok()
        .stdout_has("must be replaced")
        .stdout_has("# forces replacement")
        .stdout_has("Plan: 1 to add, 0 to change, 1 to destroy.");
    s.run(&["apply", "-auto-approve", "-var", "v=two", "-var", "t=y"])
        .ok();
    assert_ne!(
        s.state()["resources"][0]["instances"][0]["attributes"]["id"],
        id,
        "replace gives a new id"
    );
}

#[test]
fn destroy_empties_state_and_says_so() {
    let s = Stack::with(BASIC);
    s.run(&["apply", "-auto-approve"]).ok();
    s.run(&["destroy", "-auto-approve"])
        .ok()
        .stdout_has("Destroy complete! Resources: 5 destroyed.")
        .stdout_has("Nothing is left in state");
    assert!(s.state_list().is_empty());
    assert_eq!(s.state()["outputs"], serde_json::json!({}));
}

#[test]
fn removed_resources_are_destroyed_and_count_shrinks() {
    let s = Stack::with(BASIC);
    s.run(&["apply", "-auto-approve"]).ok();
    s.file("main.tf", &BASIC.replace("count = 2", "count = 1"));
    s.run(&["apply", "-auto-approve"])
        .ok()
        .stdout_has("terraform_data.counted[1] will be destroyed")
        .stdout_has("1 destroyed");
    assert!(!s
        .state_list()
        .contains(&"terraform_data.counted[1]".to_string()));
}

#[test]
fn a_failed_resource_skips_its_dependents_but_independent_branches_finish() {
    let s = Stack::with(
        r#"
resource "terraform_data" "ok" {
  input = "fine"
}
resource "local_file" "bad" {
  filename = "${path.module}/blocker/inside.txt"
  content  = "x"
}
resource "terraform_data" "after_bad" {
  input = local_file.bad.id
}
resource "local_file" "good" {
  filename = "${path.module}/good.txt"
  content  = "hello"
}
"#,
    );
    // A regular file where a directory is needed makes the create fail.
    s.file("blocker", "not a directory");
    let r = s.run(&["apply", "-auto-approve"]);
    r.code(1).stderr_has("local_file.bad").stderr_has("failed");
    let list = s.state_list();
    assert!(list.contains(&"terraform_data.ok".to_string()), "{list:?}");
    assert!(list.contains(&"local_file.good".to_string()), "{list:?}");
    assert!(
        !list.contains(&"terraform_data.after_bad".to_string()),
        "{list:?}"
    );
    assert!(!list.contains(&"local_file.bad".to_string()), "{list:?}");
    assert_eq!(s.read("good.txt"), "hello");
    r.stdout_has("terraform_data.after_bad: creation skipped");
    // Fix the cause: the next apply converges.
    std::fs::remove_file(s.path().join("blocker")).unwrap();
    s.run(&["apply", "-auto-approve"])
        .ok()
        .stdout_has("2 added");
    s.run(&["plan", "-detailed-exitcode"]).code(0);
}

#[test]
fn drift_is_detected_and_planned_for_re_create() {
    let s = Stack::with(
        r#"
resource "local_file" "f" {
  filename = "${path.module}/out.txt"
  content  = "data"
}
"#,
    );
    s.run(&["apply", "-auto-approve"]).ok();
    std::fs::remove_file(s.path().join("out.txt")).unwrap();
    s.run(&["plan", "-detailed-exitcode"])
        .code(2)
        .stdout_has("local_file.f` has been deleted outside labform")
        .stdout_has("local_file.f will be created");
    s.run(&["apply", "-auto-approve"]).ok();
    assert_eq!(s.read("out.txt"), "data");
}

#[test]
fn sensitive_values_never_print() {
    let s = Stack::with(
        r#"
variable "password" {
  default   = "s3cr3t-value"
  sensitive = true
}
resource "terraform_data" "db" {
  input = var.password
}
resource "random_password" "p" {
  length = 20
}
output "pw" {
  value     = random_password.p.result
  sensitive = true
}
"#,
    );
    s.run(&["plan"])
        .ok()
        .stdout_has("(sensitive value)")
        .nowhere("s3cr3t-value");
    let r = s.run(&["apply", "-auto-approve"]);
    r.ok().nowhere("s3cr3t-value");
    let pw = s.state()["outputs"]["pw"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(pw.len(), 20);
    assert!(!r.stdout.contains(&pw), "generated password printed");
    s.run(&["output"])
        .ok()
        .stdout_has("pw = <sensitive>")
        .nowhere(&pw);
    s.run(&["state", "show", "terraform_data.db"])
        .ok()
        .stdout_has("(sensitive value)")
        .nowhere("s3cr3t-value");
    s.run(&["state", "show", "random_password.p"])
        .ok()
        .nowhere(&pw);
}

#[test]
fn an_output_of_a_sensitive_value_must_be_marked() {
    let s = Stack::with(
        r#"
variable "password" {
  default   = "x"
  sensitive = true
}
output "leak" {
  value = "pw is ${var.password}"
}
"#,
    );
    s.run(&["plan"])
        .code(1)
        .stderr_has("output `leak` refers to sensitive values")
        .stderr_has("sensitive = true");
}

#[test]
fn target_limits_the_plan_to_a_resource_and_its_dependencies() {
    let s = Stack::with(BASIC);
    let r = s.run(&["plan", "-target=terraform_data.each"]);
    r.ok()
        .stdout_has("terraform_data.root will be created")
        .stdout_has("Plan: 3 to add");
    assert!(!r.stdout.contains("counted"), "{}", r.stdout);
}

#[test]
fn replace_flag_forces_a_replacement() {
    let s = Stack::with(BASIC);
    s.run(&["apply", "-auto-approve"]).ok();
    s.run(&["plan", "-replace=terraform_data.counted[0]"])
        .ok()
        .stdout_has("terraform_data.counted[0] will be replaced, as requested")
        .stdout_has("Plan: 1 to add, 0 to change, 1 to destroy.");
}

#[test]
fn prevent_destroy_stops_destroy_naming_the_address() {
    let s = Stack::with(
        r#"
resource "terraform_data" "keep" {
  input = "x"
  lifecycle {
    prevent_destroy = true
  }
}
"#,
    );
    s.run(&["apply", "-auto-approve"]).ok();
    s.run(&["destroy", "-auto-approve"])
        .code(1)
        .stderr_has("`terraform_data.keep` has `lifecycle { prevent_destroy = true }`");
    assert_eq!(s.state_list(), vec!["terraform_data.keep"]);
}

#[test]
fn apply_without_a_terminal_and_without_auto_approve_stops_clearly() {
    let s = Stack::with(BASIC);
    s.run(&["apply"]).code(1).stderr_has("-auto-approve");
    assert!(s.state_list().is_empty());
}

#[test]
fn json_plan_has_terraform_shape() {
    let s = Stack::with(BASIC);
    let r = s.run(&["plan", "-json"]);
    r.ok();
    let plan: serde_json::Value =
        serde_json::from_str(&r.stdout).expect("plan -json is one JSON document");
    let changes = plan["resource_changes"].as_array().unwrap();
    assert_eq!(changes.len(), 5);
    let root = changes
        .iter()
        .find(|c| c["address"] == "terraform_data.root")
        .unwrap();
    assert_eq!(root["change"]["actions"], serde_json::json!(["create"]));
    assert_eq!(
        root["change"]["after_unknown"]["id"],
        serde_json::json!(true)
    );
    assert_eq!(plan["summary"]["add"], 5);
}

#[test]
fn count_on_a_value_known_only_after_apply_suggests_target() {
    let s = Stack::with(
        r#"
resource "random_integer" "n" {
  min = 1
  max = 3
}
resource "terraform_data" "many" {
  count = random_integer.n.result
}
"#,
    );
    s.run(&["plan"])
        .code(1)
        .stderr_has("the `count` of `terraform_data.many` depends on values known only after apply")
        .stderr_has("-target=random_integer.n");
}
