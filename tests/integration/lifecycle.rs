//! `lifecycle` meta-arguments and data sources read during apply.

use crate::common::Stack;

#[test]
fn create_before_destroy_replaces_without_leaving_the_old_object() {
    let s = Stack::with(
        r#"
variable "t" { default = "1" }
resource "terraform_data" "x" {
  triggers_replace = var.t
  lifecycle {
    create_before_destroy = true
  }
}
resource "terraform_data" "user" {
  input = terraform_data.x.id
}
"#,
    );
    s.run(&["apply", "-auto-approve"]).ok();
    let old = s
        .run(&["state", "show", "-json", "terraform_data.x"])
        .ok()
        .stdout
        .clone();
    s.run(&["plan", "-var", "t=2"])
        .ok()
        .stdout_has("+/- create replacement and then destroy");
    s.run(&["apply", "-auto-approve", "-var", "t=2"])
        .ok()
        .stdout_has("1 added, 1 changed, 1 destroyed");
    assert_eq!(
        s.state_list(),
        vec!["terraform_data.user", "terraform_data.x"]
    );
    let new = s
        .run(&["state", "show", "-json", "terraform_data.x"])
        .ok()
        .stdout
        .clone();
    assert_ne!(old, new);
    s.run(&["plan", "-detailed-exitcode", "-var", "t=2"])
        .code(0);
}

#[test]
fn replace_triggered_by_follows_the_referenced_resource() {
    let s = Stack::with(
        r#"
variable "v" { default = "a" }
resource "terraform_data" "source" {
  input = var.v
}
resource "terraform_data" "follower" {
  input = "static"
  lifecycle {
    replace_triggered_by = [terraform_data.source]
  }
}
"#,
    );
    s.run(&["apply", "-auto-approve"]).ok();
    s.run(&["plan", "-var", "v=b"])
        .ok()
        .stdout_has(
            "terraform_data.follower will be replaced due to changes in replace_triggered_by",
        )
        .stdout_has("Plan: 1 to add, 1 to change, 1 to destroy.");
}

#[test]
fn ignore_changes_keeps_the_recorded_value() {
    let s = Stack::with(
        r#"
variable "v" { default = "a" }
resource "terraform_data" "x" {
  input = var.v
  lifecycle {
    ignore_changes = [input]
  }
}
"#,
    );
    s.run(&["apply", "-auto-approve"]).ok();
    s.run(&["plan", "-detailed-exitcode", "-var", "v=b"])
        .code(0)
        .stdout_has("No changes.");
}

#[test]
fn a_data_source_whose_input_is_not_known_is_read_during_apply() {
    let s = Stack::with(
        r#"
resource "random_id" "r" {
  byte_length = 4
}
resource "local_file" "f" {
  filename = "${path.module}/gen.txt"
  content  = "id=${random_id.r.hex}"
}
data "local_file" "back" {
  filename = local_file.f.filename
}
output "read_back" {
  value = data.local_file.back.content
}
"#,
    );
    s.run(&["plan"])
        .ok()
        .stdout_has("data.local_file.back will be read during apply");
    s.run(&["apply", "-auto-approve"]).ok();
    let hex = s.state()["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == "random_id")
        .map(|r| {
            r["instances"][0]["attributes"]["hex"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .unwrap();
    assert_eq!(
        s.run(&["output", "-raw", "read_back"]).ok().stdout.trim(),
        format!("id={hex}")
    );
    s.run(&["plan", "-detailed-exitcode"]).code(0);
}

#[test]
fn depends_on_orders_creation_and_reverse_orders_destruction() {
    let s = Stack::with(
        r#"
resource "time_sleep" "first" {
  create_duration  = "300ms"
  destroy_duration = "300ms"
}
resource "terraform_data" "second" {
  depends_on = [time_sleep.first]
}
"#,
    );
    let r = s.run(&["apply", "-auto-approve"]);
    r.ok();
    let pos = |t: &str| {
        r.stdout
            .find(t)
            .unwrap_or_else(|| panic!("{t} missing\n{}", r.stdout))
    };
    assert!(pos("time_sleep.first: Creation complete") < pos("terraform_data.second: Creating..."));
    let d = s.run(&["destroy", "-auto-approve"]);
    d.ok();
    let pos = |t: &str| {
        d.stdout
            .find(t)
            .unwrap_or_else(|| panic!("{t} missing\n{}", d.stdout))
    };
    assert!(
        pos("terraform_data.second: Destruction complete") < pos("time_sleep.first: Destroying...")
    );
}

#[test]
fn a_data_source_read_during_plan_feeds_resources_at_apply() {
    let s = Stack::with(
        r#"
data "local_file" "seed" {
  filename = "${path.module}/seed.txt"
}
resource "terraform_data" "x" {
  input = data.local_file.seed.content
}
"#,
    );
    s.file("seed.txt", "from-disk");
    s.run(&["apply", "-auto-approve"]).ok();
    let state = s.state();
    let x = state["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == "terraform_data")
        .unwrap()
        .clone();
    assert_eq!(
        x["instances"][0]["attributes"]["output"]["value"],
        "from-disk"
    );
    s.run(&["plan", "-detailed-exitcode"]).code(0);
}
