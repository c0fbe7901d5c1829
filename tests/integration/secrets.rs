//! A canary secret through every command, every `-json` output and every error path: it is
//! printed only where Terraform prints it (`output NAME`, `-raw`, `-json NAME`) and recorded
//! only in the state file.

use crate::common::{Run, Stack};

const CANARY: &str = "cAnArY-5b1e-secret";
const CANARY_UPPER: &str = "CANARY-5B1E-SECRET";
const CANARY_2: &str = "cAnArY-77d0-rotated";

/// The canary flows through locals, functions, a `for` expression, conditionals, a
/// `terraform_data` input, a `local_sensitive_file` whose content a `local_file` copies, and
/// outputs.
const STACK: &str = r#"
variable "secret" {
  type      = string
  sensitive = true
}

locals {
  upper_s   = upper(var.secret)
  joined    = join("-", ["a", var.secret])
  formatted = format("pw=%s", var.secret)
  json      = jsonencode({ pw = var.secret })
  looked    = lookup({ pw = var.secret }, "pw", "none")
  merged    = merge({ pw = var.secret }, { user = "bob" })
  str       = tostring(var.secret)
  listed    = [for s in [var.secret, "plain"] : upper(s)]
  chosen    = length(var.secret) > 3 ? var.secret : "short"
  by_cond   = var.secret == "x" ? "yes" : "no"
}

resource "terraform_data" "all" {
  input = {
    upper     = local.upper_s
    joined    = local.joined
    formatted = local.formatted
    json      = local.json
    looked    = local.looked
    str       = local.str
    chosen    = local.chosen
    by_cond   = local.by_cond
    plain     = "visible"
  }
}

resource "terraform_data" "list" {
  input = local.listed
}

resource "terraform_data" "merged" {
  input = local.merged
}

resource "local_sensitive_file" "f" {
  filename = "${path.module}/out/secret.txt"
  content  = local.formatted
}

resource "local_file" "copy" {
  filename = "${path.module}/out/copy.txt"
  content  = local_sensitive_file.f.content
}

output "secret_upper" {
  value     = local.upper_s
  sensitive = true
}

output "echo" {
  value     = terraform_data.all.output
  sensitive = true
}

output "plain_element" {
  value = local.listed[1]
}

output "hello" {
  value = "hello"
}
"#;

/// Runs a command with the canary as the secret and asserts it was printed nowhere.
#[track_caller]
fn quiet(s: &Stack, secret: &str, args: &[&str]) -> Run {
    let r = s.run_env(args, &[("TF_VAR_secret", secret)]);
    for text in [secret, &secret.to_uppercase()] {
        assert!(
            !r.stdout.contains(text) && !r.stderr.contains(text),
            "`labform {}` printed the secret {text:?}\n--- stdout\n{}\n--- stderr\n{}",
            args.join(" "),
            r.stdout,
            r.stderr
        );
    }
    r
}

fn json_of(r: &Run) -> serde_json::Value {
    serde_json::from_str(r.stdout.trim()).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

#[test]
fn a_canary_secret_is_printed_only_by_output_name() {
    let s = Stack::with(STACK);

    quiet(&s, CANARY, &["validate"]).ok();
    quiet(&s, CANARY, &["validate", "-json"]).ok();
    quiet(&s, CANARY, &["plan"])
        .ok()
        .stdout_has("(sensitive value)")
        .stdout_has("plain     = \"visible\"");
    let plan = json_of(quiet(&s, CANARY, &["plan", "-json"]).ok());
    let change = plan["resource_changes"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["address"] == "terraform_data.list"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        change["change"]["after"]["input"],
        serde_json::json!(["(sensitive value)", "PLAIN"]),
        "{change}"
    );
    assert_eq!(
        change["change"]["after_sensitive"]["input"],
        serde_json::json!([true, false]),
        "{change}"
    );
    quiet(&s, CANARY, &["plan", "-out=saved.plan"]).ok();
    quiet(&s, CANARY, &["show", "saved.plan"]).ok();
    quiet(&s, CANARY, &["show", "-json", "saved.plan"]).ok();

    // apply -json: the `outputs` message gives a sensitive output's type, never its value.
    let applied = quiet(&s, CANARY, &["apply", "-auto-approve", "-json"]);
    applied.ok();
    let outputs = applied
        .stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|m| m["type"] == "outputs")
        .unwrap_or_else(|| panic!("no outputs message:\n{}", applied.stdout));
    assert_eq!(outputs["outputs"]["secret_upper"]["sensitive"], true);
    assert!(outputs["outputs"]["secret_upper"].get("value").is_none());
    assert_eq!(outputs["outputs"]["hello"]["value"], "hello");

    // The secret did reach the providers and the state file.
    assert_eq!(s.read("out/copy.txt"), format!("pw={CANARY}"));
    assert!(s.read(".labform/state.json").contains(CANARY));

    quiet(&s, CANARY, &["apply", "-auto-approve"])
        .ok()
        .stdout_has("secret_upper  = <sensitive>")
        .stdout_has("plain_element = \"PLAIN\"");
    quiet(&s, CANARY, &["show"])
        .ok()
        .stdout_has("content              = (sensitive value)");
    quiet(&s, CANARY, &["show", "-json"]).ok();
    for addr in s.state_list() {
        quiet(&s, CANARY, &["state", "show", &addr]).ok();
        quiet(&s, CANARY, &["state", "show", "-json", &addr]).ok();
    }
    // Marks are recorded at their precise paths: only the sensitive element of the list.
    let list = json_of(
        quiet(
            &s,
            CANARY,
            &["state", "show", "-json", "terraform_data.list"],
        )
        .ok(),
    );
    let paths = list["sensitive_attributes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(paths.contains(&serde_json::json!(["input", "0"])), "{list}");
    assert!(!paths.contains(&serde_json::json!(["input"])), "{list}");
    assert_eq!(list["values"]["input"][1], "PLAIN");

    quiet(&s, CANARY, &["output"])
        .ok()
        .stdout_has("secret_upper  = <sensitive>");
    quiet(&s, CANARY, &["output", "-json"]).ok();
    quiet(&s, CANARY, &["graph"]).ok();

    // By name, as Terraform does, the value is printed.
    let r = s.run_env(&["output", "secret_upper"], &[("TF_VAR_secret", CANARY)]);
    r.ok().stdout_has(&format!("\"{CANARY_UPPER}\""));
    let r = s.run_env(
        &["output", "-raw", "secret_upper"],
        &[("TF_VAR_secret", CANARY)],
    );
    assert_eq!(r.ok().stdout.trim_end(), CANARY_UPPER);
    let r = s.run_env(
        &["output", "-json", "secret_upper"],
        &[("TF_VAR_secret", CANARY)],
    );
    assert_eq!(r.ok().stdout.trim_end(), format!("\"{CANARY_UPPER}\""));

    // A rotated secret: the update diff hides both the old and the new value.
    for args in [&["plan"][..], &["plan", "-json"][..]] {
        let r = quiet(&s, CANARY_2, args);
        r.ok();
        for text in [CANARY, CANARY_UPPER] {
            assert!(
                !r.stdout.contains(text) && !r.stderr.contains(text),
                "{}",
                r.stdout
            );
        }
    }

    // Destroy plans are made from state alone: the marks come from `sensitive_attributes`.
    quiet(&s, CANARY, &["plan", "-destroy"])
        .ok()
        .stdout_has("(sensitive value)");
    quiet(&s, CANARY, &["plan", "-destroy", "-json"]).ok();
    quiet(&s, CANARY, &["destroy", "-auto-approve"]).ok();
    quiet(&s, CANARY, &["apply", "-auto-approve"]).ok();
    quiet(&s, CANARY, &["destroy", "-auto-approve", "-json"]).ok();
    assert!(s.state_list().is_empty());
}

/// Each error path, with the canary where the error is: no message may quote it.
#[test]
fn errors_never_quote_a_sensitive_value() {
    let head = "variable \"secret\" {\n  type      = string\n  sensitive = true\n}\n";
    // (configuration, expected message, whether `validate` sees it: validate, as Terraform's,
    // ignores variable values, so only errors about the marks themselves show there).
    let cases = [
        // A sensitive string given to a number argument.
        (
            "resource \"random_string\" \"r\" {\n  length = var.secret\n}\n",
            "a number is required; the given value is sensitive",
            false,
        ),
        // To `tonumber()`.
        (
            "output \"n\" {\n  value     = tonumber(var.secret)\n  sensitive = true\n}\n",
            "cannot convert `(sensitive value)` to number",
            false,
        ),
        // As a condition.
        (
            "resource \"terraform_data\" \"d\" {\n  input = var.secret ? 1 : 2\n}\n",
            "the condition must be a bool, got (sensitive value)",
            false,
        ),
        // In arithmetic, and as a map key.
        (
            "resource \"terraform_data\" \"d\" {\n  input = var.secret + 1\n}\n",
            "needs numbers, got (sensitive value)",
            false,
        ),
        (
            "resource \"terraform_data\" \"d\" {\n  input = { a = 1 }[var.secret]\n}\n",
            "no element with the key (sensitive value)",
            false,
        ),
        // An output showing a sensitive value without saying so.
        (
            "output \"leak\" {\n  value = upper(var.secret)\n}\n",
            "output `leak` refers to sensitive values",
            true,
        ),
        // Instance keys are printed: `for_each` cannot be sensitive.
        (
            "resource \"terraform_data\" \"d\" {\n  for_each = toset([var.secret])\n}\n",
            "`for_each` cannot use sensitive values",
            true,
        ),
    ];
    for (body, expected, in_validate) in cases {
        let s = Stack::with(&format!("{head}{body}"));
        for args in [
            &["plan"][..],
            &["plan", "-json"][..],
            &["apply", "-auto-approve"][..],
        ] {
            quiet(&s, CANARY, args).code(1).stderr_has(expected);
        }
        let r = quiet(&s, CANARY, &["validate"]);
        let r_json = quiet(&s, CANARY, &["validate", "-json"]);
        if in_validate {
            r.code(1).stderr_has(expected);
            r_json.code(1).stdout_has(expected);
        }
    }
}

/// A variable's own type error and validation message never quote a sensitive value either.
#[test]
fn variable_errors_never_quote_a_sensitive_value() {
    let s = Stack::with(
        r#"
variable "secret" {
  type      = number
  sensitive = true
}
"#,
    );
    quiet(&s, CANARY, &["plan"])
        .code(1)
        .stderr_has("invalid value for variable `secret`");
    let s = Stack::with(
        r#"
variable "secret" {
  type      = string
  sensitive = true
  validation {
    condition     = length(var.secret) < 3
    error_message = "too long: ${var.secret}"
  }
}
"#,
    );
    quiet(&s, CANARY, &["plan"])
        .code(1)
        .stderr_has("refers to sensitive values");
}

/// A value a provider computes from a secret during apply (`terraform_data`'s `output` echoes
/// its `input`) is sensitive too: Terraform would print it; labform records the output that
/// shows it as sensitive, and the next plan asks for `sensitive = true`.
#[test]
fn a_secret_echoed_by_a_provider_at_apply_is_not_printed() {
    let s = Stack::with(
        r#"
variable "secret" {
  type      = string
  sensitive = true
}

resource "terraform_data" "d" {
  input = var.secret
}

output "echo" {
  value = terraform_data.d.output
}
"#,
    );
    quiet(&s, CANARY, &["apply", "-auto-approve"])
        .ok()
        .stdout_has("echo = <sensitive>");
    quiet(&s, CANARY, &["output"])
        .ok()
        .stdout_has("echo = <sensitive>");
    quiet(&s, CANARY, &["state", "show", "terraform_data.d"])
        .ok()
        .stdout_has("output = (sensitive value)");
    quiet(&s, CANARY, &["plan"])
        .code(1)
        .stderr_has("output `echo` refers to sensitive values");
    quiet(&s, CANARY, &["destroy", "-auto-approve"]).ok();
}
