//! Commands that edit state without touching objects, through the binary: `taint`/`untaint`,
//! `state pull`/`push` (Terraform's lineage and serial checks), `state replace-provider`, and
//! `providers`.

use crate::common::Stack;

const STACK: &str = r#"
resource "terraform_data" "a" {
  input = "one"
}
resource "random_string" "s" {
  length  = 6
  special = false
}
"#;

fn id_of(s: &Stack, index: usize) -> String {
    s.state()["resources"][index]["instances"][0]["attributes"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn taint_leads_to_a_replace_and_untaint_undoes_it() {
    let s = Stack::with(STACK);
    s.run(&["apply", "-auto-approve"]).ok();
    let resources = s.state()["resources"].clone();
    let index = resources
        .as_array()
        .and_then(|r| r.iter().position(|x| x["type"] == "terraform_data"))
        .expect("terraform_data in state");
    let before = id_of(&s, index);

    s.run(&["taint", "terraform_data.a"])
        .ok()
        .stdout_has("Resource instance terraform_data.a has been marked as tainted.");
    assert_eq!(
        s.state()["resources"][index]["instances"][0]["status"],
        "tainted"
    );
    s.run(&["plan"])
        .ok()
        .stdout_has("# terraform_data.a is tainted, so it must be replaced")
        .stdout_has("Plan: 1 to add, 0 to change, 1 to destroy.");

    s.run(&["untaint", "terraform_data.a"])
        .ok()
        .stdout_has("has been successfully untainted");
    s.run(&["plan", "-detailed-exitcode"]).ok();
    s.run(&["untaint", "terraform_data.a"])
        .code(1)
        .stderr_has("is not tainted");

    s.run(&["taint", "terraform_data.a"]).ok();
    s.run(&["apply", "-auto-approve"])
        .ok()
        .stdout_has("1 added, 0 changed, 1 destroyed");
    assert_ne!(
        id_of(&s, index),
        before,
        "the tainted instance was not replaced"
    );
    assert!(s.state()["resources"][index]["instances"][0]["status"].is_null());
}

#[test]
fn taint_of_an_unknown_instance_fails_unless_allowed() {
    let s = Stack::with(STACK);
    s.run(&["apply", "-auto-approve"]).ok();
    s.run(&["taint", "terraform_data.nope"])
        .code(1)
        .stderr_has("no resource instance `terraform_data.nope` in state");
    s.run(&["taint", "-allow-missing", "terraform_data.nope"])
        .ok()
        .stderr_has("warning");
    s.run(&["taint", "data.x.y"]).code(1);
}

#[test]
fn state_pull_prints_the_state_file() {
    let s = Stack::with(STACK);
    s.run(&["state", "pull"]).ok();
    s.run(&["apply", "-auto-approve"]).ok();
    let pulled: serde_json::Value =
        serde_json::from_str(&s.run(&["state", "pull"]).stdout).expect("pull prints JSON");
    assert_eq!(pulled, s.state());
}

#[test]
fn state_push_checks_lineage_and_serial_as_terraform_does() {
    let s = Stack::with(STACK);
    s.run(&["apply", "-auto-approve"]).ok();
    let current = s.state();
    let serial = current["serial"].as_u64().expect("serial");
    assert!(serial >= 1);

    let mut older = current.clone();
    older["serial"] = (serial - 1).into();
    older["resources"] = serde_json::json!([]);
    s.file("older.json", &older.to_string());
    s.run(&["state", "push", "older.json"])
        .code(1)
        .stderr_has(&format!(
            "cannot push a state with serial {} over newer state with serial {serial}",
            serial - 1
        ));
    assert_eq!(s.state(), current, "a refused push changed state");

    let mut other = current.clone();
    other["lineage"] = "another-stack".into();
    other["serial"] = (serial + 5).into();
    s.file("other.json", &other.to_string());
    s.run(&["state", "push", "other.json"])
        .code(1)
        .stderr_has("over unrelated state with lineage");
    assert_eq!(s.state(), current);

    // Same lineage, newer serial: written exactly as given.
    let mut newer = current.clone();
    newer["serial"] = (serial + 3).into();
    s.file("newer.json", &newer.to_string());
    s.run(&["state", "push", "newer.json"]).ok();
    assert_eq!(s.state()["serial"].as_u64(), Some(serial + 3));
    assert_eq!(s.state_list().len(), 2);

    // -force overrides both checks: the empty older state replaces it.
    s.run(&["state", "push", "-force", "older.json"]).ok();
    assert_eq!(s.state()["serial"].as_u64(), Some(serial - 1));
    assert!(s.state_list().is_empty());
    assert!(
        s.read(".labform/state.json.backup")
            .contains("terraform_data"),
        "the replaced state was not kept as the backup"
    );
    // Anything may be pushed over an empty state.
    s.run(&["state", "push", "other.json"]).ok();
    assert_eq!(s.state()["lineage"], "another-stack");
    s.run(&["state", "push", "missing.json"])
        .code(1)
        .stderr_has("cannot read `missing.json`");
}

#[test]
fn state_push_reads_standard_input_with_a_dash() {
    let s = Stack::with(STACK);
    s.run(&["apply", "-auto-approve"]).ok();
    let mut newer = s.state();
    let serial = newer["serial"].as_u64().expect("serial");
    newer["serial"] = (serial + 1).into();
    let path = s.path().join("newer.json");
    std::fs::write(&path, newer.to_string()).expect("write");
    let out = s
        .command(&["state", "push", "-"])
        .stdin(std::fs::File::open(&path).expect("open"))
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(s.state()["serial"].as_u64(), Some(serial + 1));
}

#[test]
fn replace_provider_rewrites_only_matching_resources() {
    let s = Stack::with(STACK);
    s.run(&["apply", "-auto-approve"]).ok();
    s.run(&[
        "state",
        "replace-provider",
        "-auto-approve",
        "hashicorp/random",
        "acme/random",
    ])
    .ok()
    .stdout_has("Successfully replaced provider for 1 resources.");
    let state = s.state();
    let providers: Vec<&str> = state["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .filter_map(|r| r["provider"].as_str())
        .collect();
    assert!(providers.contains(&"provider[\"registry.terraform.io/acme/random\"]"));
    assert!(providers.contains(&"provider[\"terraform.io/builtin/terraform\"]"));
    s.run(&[
        "state",
        "replace-provider",
        "-auto-approve",
        "hashicorp/aws",
        "acme/aws",
    ])
    .ok()
    .stdout_has("No matching resources found.");
    s.run(&["state", "replace-provider", "acme/random", "x/random"])
        .code(1)
        .stderr_has("-auto-approve");
}

#[test]
fn providers_lists_configuration_and_state() {
    let s = Stack::with(&format!(
        "terraform {{\n  required_providers {{\n    random = {{ source = \"hashicorp/random\", version = \"~> 3.6\" }}\n  }}\n}}\n{STACK}"
    ));
    s.run(&["providers"])
        .ok()
        .stdout_has("provider[registry.terraform.io/hashicorp/random] ~> 3.6")
        .stdout_has("provider[terraform.io/builtin/terraform]")
        .nowhere("Providers required by state");
    s.run(&["apply", "-auto-approve"]).ok();
    s.run(&["providers"])
        .ok()
        .stdout_has("Providers required by state:")
        .stdout_has("    provider[registry.terraform.io/hashicorp/random]");
}
