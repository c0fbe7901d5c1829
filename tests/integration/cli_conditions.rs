//! `removed`, `check`, `precondition` and `postcondition` blocks through the binary, with
//! local files a test reads back from disk, as Terraform 1.15 behaves.

use crate::common::Stack;

const TWO_FILES: &str = r#"
resource "local_file" "keep" {
  filename = "${path.module}/keep.txt"
  content  = "kept"
}
resource "local_file" "gone" {
  filename = "${path.module}/gone.txt"
  content  = "gone"
}
"#;

const ONLY_KEEP: &str = r#"
resource "local_file" "keep" {
  filename = "${path.module}/keep.txt"
  content  = "kept"
}
"#;

#[test]
fn removed_with_destroy_false_forgets_the_object_and_leaves_it_in_place() {
    let s = Stack::with(TWO_FILES);
    s.run(&["apply", "-auto-approve"]).ok();
    s.file(
        "main.tf",
        &format!(
            "{ONLY_KEEP}\nremoved {{\n  from = local_file.gone\n  lifecycle {{\n    destroy = false\n  }}\n}}\n"
        ),
    );
    s.run(&["plan"])
        .ok()
        .stdout_has(
            "# local_file.gone will no longer be managed by labform, but will not be destroyed",
        )
        .stdout_has("Plan: 0 to add, 0 to change, 0 to destroy.")
        .stderr_has("some objects will no longer be managed by labform")
        .nowhere("will be destroyed");
    let json = s.run(&["plan", "-json"]);
    json.ok();
    let plan: serde_json::Value = serde_json::from_str(&json.stdout).expect("plan json");
    let forget: Vec<_> = plan["resource_changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|c| c["change"]["actions"] == serde_json::json!(["forget"]))
        .map(|c| c["address"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(forget, vec!["local_file.gone"]);
    s.run(&["apply", "-auto-approve"]).ok();
    assert_eq!(s.state_list(), vec!["local_file.keep"]);
    assert_eq!(
        s.read("gone.txt"),
        "gone",
        "the forgotten file is left in place"
    );
    s.run(&["plan"]).ok().stdout_has("No changes.");
    s.run(&["destroy", "-auto-approve"]).ok();
    assert!(!s.path().join("keep.txt").exists());
    assert!(
        s.path().join("gone.txt").exists(),
        "destroy leaves the forgotten file alone"
    );
}

#[test]
fn removed_without_lifecycle_destroys_and_a_declared_address_is_refused() {
    let s = Stack::with(TWO_FILES);
    s.run(&["apply", "-auto-approve"]).ok();
    s.file(
        "main.tf",
        &format!("{TWO_FILES}\nremoved {{\n  from = local_file.gone\n}}\n"),
    );
    s.run(&["plan"])
        .code(1)
        .stderr_has("removed block for `local_file.gone` that is still declared");
    s.file(
        "main.tf",
        &format!("{ONLY_KEEP}\nremoved {{\n  from = local_file.gone\n}}\n"),
    );
    s.run(&["apply", "-auto-approve"])
        .ok()
        .stdout_has("1 destroyed");
    assert!(!s.path().join("gone.txt").exists());
    assert_eq!(s.state_list(), vec!["local_file.keep"]);
}

#[test]
fn a_failing_check_warns_after_plan_and_apply_but_never_fails() {
    let s = Stack::with(&format!(
        "{ONLY_KEEP}\ncheck \"content\" {{\n  assert {{\n    condition     = local_file.keep.content == \"other\"\n    error_message = \"keep.txt holds ${{local_file.keep.content}}\"\n  }}\n}}\n"
    ));
    // Before apply the content is known from configuration: the check already fails.
    s.run(&["plan"])
        .ok()
        .stderr_has("check block assertion failed: `content`")
        .stderr_has("keep.txt holds kept");
    s.run(&["apply", "-auto-approve"])
        .ok()
        .stdout_has("1 added")
        .stderr_has("keep.txt holds kept");
    assert_eq!(s.read("keep.txt"), "kept");
    s.file(
        "main.tf",
        &format!(
            "{ONLY_KEEP}\ncheck \"content\" {{\n  assert {{\n    condition     = local_file.keep.content == \"kept\"\n    error_message = \"wrong\"\n  }}\n}}\n"
        ),
    );
    s.run(&["apply", "-auto-approve"])
        .ok()
        .nowhere("check block assertion failed");
}

const CONDITIONS: &str = r#"
variable "copies" {
  type    = number
  default = 2
}
resource "local_file" "a" {
  filename = "${path.module}/a.txt"
  content  = "a"
  lifecycle {
    precondition {
      condition     = var.copies > 1
      error_message = "copies must be above 1, got ${var.copies}"
    }
  }
}
resource "terraform_data" "t" {
  input = "made"
  lifecycle {
    postcondition {
      condition     = self.output == "expected"
      error_message = "output is ${self.output}, not expected"
    }
  }
}
resource "local_file" "after" {
  filename = "${path.module}/after.txt"
  content  = terraform_data.t.output
}
"#;

#[test]
fn a_failing_precondition_fails_the_plan_and_a_postcondition_the_apply() {
    let s = Stack::with(CONDITIONS);
    s.run(&["plan", "-var", "copies=1"])
        .code(1)
        .stderr_has("resource precondition failed for `local_file.a`")
        .stderr_has("copies must be above 1, got 1");
    s.run(&["apply", "-auto-approve", "-var", "copies=1"])
        .code(1);
    assert!(!s.path().join("a.txt").exists(), "nothing is applied");
    // The output is known only after apply: the plan passes, the apply fails with the message.
    s.run(&["plan"]).ok().stdout_has("Plan: 3 to add");
    s.run(&["apply", "-auto-approve"])
        .code(1)
        .stderr_has("resource postcondition failed for `terraform_data.t`")
        .stderr_has("output is made, not expected");
    assert!(s.path().join("a.txt").exists());
    assert!(
        !s.path().join("after.txt").exists(),
        "what depends on a failed postcondition is not applied"
    );
    // Now known from state: the next plan fails on it before anything is applied.
    s.run(&["plan"])
        .code(1)
        .stderr_has("output is made, not expected");
    s.file("main.tf", &CONDITIONS.replace("\"expected\"", "\"made\""));
    s.run(&["apply", "-auto-approve"]).ok();
    assert_eq!(s.read("after.txt"), "made");
}
