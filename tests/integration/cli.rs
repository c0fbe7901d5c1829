//! The smaller commands: init, validate, fmt, graph, version, state, output, and Terraform's
//! single-dash flag spelling.

use crate::common::Stack;

#[test]
fn init_succeeds_without_downloading_anything() {
    let s = Stack::with("resource \"terraform_data\" \"x\" {}\n");
    s.run(&["init"]).ok().stdout_has("needs no init");
}

#[test]
fn chdir_and_positional_directories_work() {
    let s = Stack::with("resource \"terraform_data\" \"x\" {}\n");
    let dir = s.path().to_string_lossy().to_string();
    let other = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(crate::common::binary())
            .args(args)
            .current_dir(other.path())
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).to_string(),
        )
    };
    assert_eq!(run(&[&format!("-chdir={dir}"), "plan"]).0, Some(0));
    let (code, out) = run(&["plan", &dir]);
    assert_eq!(code, Some(0));
    assert!(out.contains("terraform_data.x will be created"));
}

#[test]
fn validate_reports_success_and_json() {
    let s = Stack::with("resource \"terraform_data\" \"x\" {}\n");
    s.run(&["validate"]).ok().stdout_has("Success!");
    let v: serde_json::Value =
        serde_json::from_str(&s.run(&["validate", "-json"]).ok().stdout).unwrap();
    assert_eq!(v["valid"], true);
    let bad = Stack::with("resource \"terraform_data\" \"x\" { nope = 1 }\n");
    let v: serde_json::Value =
        serde_json::from_str(&bad.run(&["validate", "-json"]).code(1).stdout).unwrap();
    assert_eq!(v["valid"], false);
    assert_eq!(v["diagnostics"][0]["range"]["start"]["line"], 1);
}

#[test]
fn fmt_rewrites_and_check_exits_3() {
    let s =
        Stack::with("resource \"terraform_data\" \"x\" {\ninput=1\n    triggers_replace = 2\n}\n");
    s.run(&["fmt", "-check"]).code(3).stdout_has("main.tf");
    s.run(&["fmt"]).ok();
    assert_eq!(
        s.read("main.tf"),
        "resource \"terraform_data\" \"x\" {\n  input            = 1\n  triggers_replace = 2\n}\n"
    );
    s.run(&["fmt", "-check"]).ok();
}

#[test]
fn graph_prints_dot_with_edges() {
    let s = Stack::with("resource \"terraform_data\" \"a\" {}\nresource \"terraform_data\" \"b\" {\n  input = terraform_data.a.id\n}\n");
    s.run(&["graph"])
        .ok()
        .stdout_has("digraph {")
        .stdout_has("\"terraform_data.b\" -> \"terraform_data.a\"");
}

#[test]
fn version_names_the_terraform_language_version() {
    let s = Stack::new();
    s.run(&["version"])
        .ok()
        .stdout_has("Terraform 1.15.0 language");
    let v: serde_json::Value =
        serde_json::from_str(&s.run(&["version", "-json"]).ok().stdout).unwrap();
    assert!(
        v["provider_selections"]["aws"].is_string()
            || v["provider_selections"]["random"].is_string()
    );
    // `version -json` lists exactly the providers compiled in, as `version` does.
    let text = s.run(&["version"]).ok().stdout.clone();
    let listed: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("+ "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let selections = v["provider_selections"].as_object().expect("selections");
    assert_eq!(
        selections.keys().map(String::as_str).collect::<Vec<_>>(),
        listed
    );
    for (feature, name) in [("aws", "aws"), ("gcp", "google"), ("docker", "docker")] {
        let built = match feature {
            "aws" => cfg!(feature = "aws"),
            "gcp" => cfg!(feature = "gcp"),
            _ => cfg!(feature = "docker"),
        };
        assert_eq!(selections.contains_key(name), built, "{name}");
    }
}

#[test]
fn course_version_constraints_run_unchanged() {
    let s = Stack::with(
        r#"
terraform {
  required_version = ">= 1.0"
  required_providers {
    random = {
      source  = "hashicorp/random"
      version = "3.1.0"
    }
  }
}
resource "random_id" "x" {
  byte_length = 4
}
"#,
    );
    s.run(&["plan"]).ok().stderr_has("labform implements its");
    let s = Stack::with("terraform {\n  required_version = \"< 1.0\"\n}\n");
    s.run(&["plan"])
        .code(1)
        .stderr_has("requires Terraform `< 1.0`");
}

#[test]
fn state_commands_list_show_mv_rm() {
    let s = Stack::with("resource \"terraform_data\" \"a\" {\n  input = \"x\"\n}\n");
    s.run(&["apply", "-auto-approve"]).ok();
    s.run(&["state", "show", "terraform_data.a"])
        .ok()
        .stdout_has("input")
        .stdout_has("\"x\"");
    s.run(&["state", "show", "terraform_data.b"])
        .code(1)
        .stderr_has("did you mean `terraform_data.a`?");
    s.run(&["state", "mv", "terraform_data.a", "terraform_data.b"])
        .ok();
    assert_eq!(s.state_list(), vec!["terraform_data.b"]);
    s.run(&["state", "rm", "terraform_data.b"])
        .ok()
        .stdout_has("Removed terraform_data.b");
    assert!(s.state_list().is_empty());
}

#[test]
fn backend_local_path_moves_state() {
    let s = Stack::with("terraform {\n  backend \"local\" {\n    path = \"custom/my.tfstate\"\n  }\n}\nresource \"terraform_data\" \"x\" {}\n");
    s.run(&["apply", "-auto-approve"]).ok();
    assert!(s.path().join("custom/my.tfstate").exists());
    assert!(!s.path().join(".labform/state.json").exists());
    s.run(&["plan", "-detailed-exitcode"]).code(0);
}

#[test]
fn graph_takes_var_and_var_file_in_command_line_order() {
    let s = Stack::with(
        "variable \"n\" { type = number }\nvariable \"other\" {}\nmodule \"m\" {\n  count  = var.n\n  source = \"./m\"\n}\n",
    );
    s.file("m/main.tf", "resource \"terraform_data\" \"x\" {}\n");
    s.file("one.tfvars", "n = 1\n");
    let r = s.run(&[
        "graph",
        "-var",
        "n=5",
        "-var-file",
        "one.tfvars",
        "-var=n=3",
    ]);
    r.ok()
        .stdout_has("\"module.m[2].terraform_data.x\"")
        .nowhere("module.m[3]");
    s.run(&["graph", "-var-file", "one.tfvars"])
        .ok()
        .stdout_has("\"module.m[0].terraform_data.x\"")
        .nowhere("module.m[1]");
    s.run(&["graph", "-var-file", "missing.tfvars"])
        .code(1)
        .stderr_has("missing.tfvars");
}

#[test]
fn validate_rejects_an_output_naming_an_undeclared_variable() {
    let s =
        Stack::with("variable \"name\" { default = \"x\" }\noutput \"o\" { value = var.nmae }\n");
    s.run(&["validate"])
        .code(1)
        .stderr_has("reference to undeclared variable `var.nmae`")
        .stderr_has("did you mean `var.name`?")
        .stderr_has("main.tf:2");
    s.file(
        "main.tf",
        "variable \"name\" { default = \"x\" }\noutput \"o\" { value = var.name }\n",
    );
    s.run(&["validate"]).ok();
}

/// The command names a `-help` text lists under `Commands:` (without `help` itself).
fn listed_commands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn every_command_has_help_for_a_user_and_a_row_in_the_readme() {
    let s = Stack::new();
    let top = s.run(&["-help"]);
    top.ok();
    let mut commands = listed_commands(&top.stdout);
    let state = s.run(&["state", "-help"]);
    state.ok();
    commands.extend(
        listed_commands(&state.stdout)
            .into_iter()
            .map(|c| format!("state {c}")),
    );
    for must in [
        "import",
        "console",
        "taint",
        "untaint",
        "providers",
        "refresh",
        "state pull",
        "state push",
        "state replace-provider",
    ] {
        assert!(
            commands.iter().any(|c| c == must),
            "`{must}` is not listed: {commands:?}"
        );
    }
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let table: Vec<&str> = readme
        .lines()
        .filter(|l| l.starts_with("| `labform "))
        .collect();
    for command in &commands {
        let mut args: Vec<&str> = command.split(' ').collect();
        args.push("-help");
        let help = s.run(&args);
        help.ok();
        let first = help.stdout.lines().next().unwrap_or_default();
        assert!(
            first.len() > 20 && first.chars().next().is_some_and(char::is_uppercase),
            "`{command} -help` starts with no description: {first:?}"
        );
        assert!(
            help.stdout.contains(&format!("Usage: labform {command}")),
            "`{command} -help` has no usage line:\n{}",
            help.stdout
        );
        // A row names the command as `labform state pull` or, for a second command in a
        // row, `` / `state push ``; `state list|show|rm|mv` share one.
        let (group, last) = command.rsplit_once(' ').unwrap_or(("", command.as_str()));
        let in_table = table.iter().any(|row| {
            let cell = row.split(" | ").next().unwrap_or_default();
            cell.contains(&format!("`labform {command}"))
                || cell.contains(&format!("/ `{command}"))
                || (!group.is_empty()
                    && cell.contains(&format!("`labform {group} "))
                    && cell.split(['`', ' ', '|', '\\']).any(|w| w == last))
        });
        assert!(
            in_table,
            "`labform {command}` has no row in the README's command table"
        );
    }
    let plan = s.run(&["plan", "-help"]);
    plan.ok()
        .stdout_has("--generate-config-out <FILE>")
        .stdout_has("--refresh-only");
}
