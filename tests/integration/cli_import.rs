//! `labform import ADDR ID` through the binary, with the built-in random provider: the object
//! is recorded, plans clean, is then managed like any other.

use crate::common::Stack;

const STACK: &str = r#"
resource "random_string" "s" {
  length = 6
}
resource "random_integer" "n" {
  for_each = toset(["a"])
  min      = 1
  max      = 100
}
output "s" {
  value = random_string.s.result
}
"#;

#[test]
fn an_imported_object_plans_clean_and_is_then_managed() {
    let s = Stack::with(STACK);
    s.run(&["import", "random_string.s", "abcdef"])
        .ok()
        .stdout_has("random_string.s: Importing from ID \"abcdef\"...")
        .stdout_has("Import successful!");
    let state = s.state();
    let attrs = &state["resources"][0]["instances"][0]["attributes"];
    assert_eq!(attrs["result"], "abcdef");
    assert_eq!(s.state_list(), vec!["random_string.s"]);
    // Only the integer is left to create: the imported string matches its configuration.
    let plan = s.run(&["plan"]);
    plan.ok()
        .stdout_has("Plan: 1 to add, 0 to change, 0 to destroy.")
        .nowhere("random_string.s will");
    s.run(&["import", "random_integer.n[\"a\"]", "42,1,100"])
        .ok();
    // Nothing left to do to a resource; only the output, which state does not hold yet.
    s.run(&["plan"])
        .ok()
        .stdout_has("Changes to Outputs:")
        .stdout_has("+ s = \"abcdef\"")
        .nowhere("Plan:");
    s.run(&["apply", "-auto-approve"])
        .ok()
        .stdout_has("s = \"abcdef\"");
    s.run(&["destroy", "-auto-approve"])
        .ok()
        .stdout_has("2 destroyed");
}

#[test]
fn import_refuses_what_the_configuration_does_not_declare() {
    let s = Stack::with(STACK);
    s.run(&["import", "random_string.t", "x"])
        .code(1)
        .stderr_has("resource address `random_string.t` does not exist in the configuration")
        .stderr_has("resource \"random_string\" \"t\"");
    s.run(&["import", "random_integer.n", "42,1,100"])
        .code(1)
        .stderr_has("has `for_each`");
    s.run(&["import", "random_string.s[0]", "x"]).code(1);
    assert!(s.state_list().is_empty());
}

#[test]
fn import_refuses_an_address_already_managed() {
    let s = Stack::with(STACK);
    s.run(&["import", "random_string.s", "abcdef"]).ok();
    s.run(&["import", "random_string.s", "zzzzzz"])
        .code(1)
        .stderr_has("already managed by labform")
        .stderr_has("labform state rm");
    assert_eq!(
        s.state()["resources"][0]["instances"][0]["attributes"]["result"],
        "abcdef"
    );
}

#[test]
fn import_of_a_type_without_import_says_so() {
    let s = Stack::with(
        "resource \"local_file\" \"f\" {\n  filename = \"x.txt\"\n  content = \"x\"\n}\n",
    );
    s.file("x.txt", "x");
    s.run(&["import", "local_file.f", "x.txt"])
        .code(1)
        .stderr_has("`local_file` does not support import");
    assert!(s.state_list().is_empty());
}
