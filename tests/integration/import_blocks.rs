//! `import` blocks through the binary: planned as "will be imported", recorded by apply with
//! nothing made, then managed; `for_each` imports; a bucket made by boto3 adopted by a block.

use crate::common::Stack;

const RANDOM: &str = r#"
variable "ids" {
  type    = map(string)
  default = { a = "42,1,100", b = "7,1,100" }
}
resource "random_string" "s" {
  length = 6
}
resource "random_integer" "n" {
  for_each = var.ids
  min      = 1
  max      = 100
}
import {
  to = random_string.s
  id = "abcdef"
}
import {
  for_each = var.ids
  to       = random_integer.n[each.key]
  id       = each.value
}
output "s" {
  value = random_string.s.result
}
"#;

#[test]
fn import_blocks_plan_as_imports_apply_as_records_and_then_are_inert() {
    let s = Stack::with(RANDOM);
    s.run(&["plan"])
        .ok()
        .stdout_has("# random_string.s will be imported")
        .stdout_has("result      = \"abcdef\"")
        .stdout_has("# random_integer.n[\"b\"] will be imported")
        .stdout_has("Plan: 3 to import, 0 to add, 0 to change, 0 to destroy.");
    assert!(s.state_list().is_empty(), "a plan records nothing");
    let json = s.run(&["plan", "-json"]);
    json.ok();
    let plan: serde_json::Value = serde_json::from_str(&json.stdout).expect("plan JSON");
    assert_eq!(plan["summary"]["import"], 3);
    let imported: Vec<String> = plan["resource_changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["change"]["importing"]["id"].as_str().map(str::to_string))
        .collect();
    assert_eq!(imported, vec!["42,1,100", "7,1,100", "abcdef"]);

    s.run(&["apply", "-auto-approve"])
        .ok()
        .stdout_has("random_string.s: Importing... [id=abcdef]")
        .stdout_has("random_string.s: Import complete [id=abcdef]")
        .stdout_has("Apply complete! Resources: 3 imported, 0 added, 0 changed, 0 destroyed.")
        .stdout_has("s = \"abcdef\"");
    assert_eq!(
        s.state_list(),
        vec![
            "random_integer.n[\"a\"]",
            "random_integer.n[\"b\"]",
            "random_string.s"
        ]
    );
    let state = s.state();
    let result = state["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == "random_integer")
        .map(|r| r["instances"][1]["attributes"]["result"].clone());
    assert_eq!(result, Some(serde_json::json!(7)));
    // The blocks stay in the files; with the objects in state they do nothing.
    s.run(&["plan", "-detailed-exitcode"])
        .code(0)
        .stdout_has("No changes.");
}

#[test]
fn an_import_that_differs_from_the_configuration_is_imported_and_changed_in_one_apply() {
    let s = Stack::with(
        r#"
resource "terraform_data" "d" {
  input = "new"
}
resource "random_integer" "n" {
  min = 1
  max = 50
}
import {
  to = random_integer.n
  id = "42,1,100"
}
"#,
    );
    s.run(&["plan"])
        .ok()
        .stdout_has("# random_integer.n must be replaced")
        .stdout_has("# (imported from \"42,1,100\")")
        .stdout_has("Plan: 1 to import, 2 to add, 0 to change, 1 to destroy.");
    s.run(&["apply", "-auto-approve"])
        .ok()
        .stdout_has("1 imported, 2 added, 0 changed, 1 destroyed.");
    let state = s.state();
    let n = state["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == "random_integer")
        .map(|r| r["instances"][0]["attributes"]["max"].clone());
    assert_eq!(n, Some(serde_json::json!(50)));
}

#[test]
fn import_blocks_refuse_what_cannot_be_imported() {
    let undeclared = Stack::with(
        r#"
import {
  to = random_string.t
  id = "x"
}
"#,
    );
    undeclared
        .run(&["plan"])
        .code(1)
        .stderr_has("configuration for import target `random_string.t` does not exist")
        .stderr_has("main.tf:2:1")
        .stderr_has("resource \"random_string\" \"t\"");
    let wrong_key = Stack::with(
        r#"
resource "random_string" "s" {
  for_each = toset(["a"])
  length   = 6
}
import {
  to = random_string.s["b"]
  id = "abcdef"
}
"#,
    );
    wrong_key
        .run(&["plan"])
        .code(1)
        .stderr_has("configuration for import target `random_string.s[\"b\"]` does not exist");
    let unknown_id = Stack::with(
        r#"
resource "random_string" "s" {
  length = 6
}
resource "random_string" "t" {
  length = 6
}
import {
  to = random_string.t
  id = random_string.s.result
}
"#,
    );
    unknown_id
        .run(&["plan"])
        .code(1)
        .stderr_has("the import `id` must be known when planning");
    let twice = Stack::with(
        r#"
resource "random_string" "s" {
  length = 6
}
import {
  to = random_string.s
  id = "abcdef"
}
import {
  to = random_string.s
  id = "zzzzzz"
}
"#,
    );
    twice
        .run(&["plan"])
        .code(1)
        .stderr_has("duplicate import target `random_string.s`");
    for s in [&undeclared, &wrong_key, &unknown_id, &twice] {
        assert!(s.state_list().is_empty());
    }
}

#[cfg(feature = "aws")]
#[test]
fn a_bucket_made_outside_is_adopted_by_an_import_block_and_then_destroyed() {
    use crate::aws_stacks::boto3;
    let s = Stack::new();
    let bucket = format!("{}-clicked", s.name().to_lowercase());
    boto3(&format!(
        "aws('s3').create_bucket(Bucket='{bucket}')\nprint('1')"
    ));
    s.file(
        "main.tf",
        &format!(
            r#"
provider "aws" {{
  region = "us-east-1"
}}
resource "aws_s3_bucket" "clicked" {{
  bucket        = "{bucket}"
  force_destroy = true
}}
import {{
  to = aws_s3_bucket.clicked
  id = "{bucket}"
}}
"#
        ),
    );
    s.run(&["apply", "-auto-approve"])
        .ok()
        .stdout_has("aws_s3_bucket.clicked: Import complete")
        .stdout_has("1 imported, 0 added");
    s.run(&["plan", "-detailed-exitcode"]).code(0);
    s.run(&["destroy", "-auto-approve"])
        .ok()
        .stdout_has("1 destroyed");
    let left = boto3(&format!(
        "print(json.dumps([b['Name'] for b in aws('s3').list_buckets()['Buckets'] if b['Name'] == '{bucket}']))"
    ));
    assert_eq!(left, serde_json::json!([]));
}
