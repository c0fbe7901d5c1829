//! `labform console` through the binary: expressions over variables, locals and recorded
//! resources, Terraform's piped mode (last result, exit 1 at the first error).

use std::io::Write;
use std::process::Stdio;

use crate::common::{Run, Stack};

/// Runs `labform console` with `input` on standard input (a pipe, not a terminal).
fn console(stack: &Stack, args: &[&str], input: &str) -> Run {
    let mut all = vec!["console"];
    all.extend_from_slice(args);
    let mut child = stack
        .command(&all)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start labform console");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait for labform console");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const STACK: &str = r#"
variable "name" {
  default = "lab"
}
variable "secret" {
  default   = "hunter2"
  sensitive = true
}
locals {
  names = [for i in range(2) : "${var.name}-${i}"]
}
resource "terraform_data" "a" {
  input = { names = local.names, n = 3 }
}
output "first" {
  value = terraform_data.a.output.names[0]
}
"#;

#[test]
fn console_answers_with_the_values_output_shows() {
    let s = Stack::with(STACK);
    s.run(&["apply", "-auto-approve"]).ok();
    let out = s.run(&["output", "-raw", "first"]);
    out.ok();
    let r = console(&s, &[], "terraform_data.a.output.names[0]\n");
    r.ok();
    assert_eq!(r.stdout.trim(), format!("\"{}\"", out.stdout.trim()));
    assert_eq!(r.stdout.trim(), "\"lab-0\"");
    // The id recorded in state, as `state show` reads it.
    let id = s.state()["resources"][0]["instances"][0]["attributes"]["id"]
        .as_str()
        .expect("id in state")
        .to_string();
    console(&s, &[], "terraform_data.a.id\n")
        .ok()
        .stdout_has(&format!("\"{id}\""));
}

#[test]
fn console_prints_values_in_terraform_layout() {
    let s = Stack::with(STACK);
    console(&s, &[], "local.names\n")
        .ok()
        .stdout_has("[\n  \"lab-0\",\n  \"lab-1\",\n]\n");
    console(&s, &[], "{ a = upper(var.name), b = 1.5 }\n")
        .ok()
        .stdout_has("{\n  \"a\" = \"LAB\"\n  \"b\" = 1.5\n}\n");
    // Before the first apply a resource is not known yet.
    console(&s, &[], "terraform_data.a.id\n")
        .ok()
        .stdout_has("(known after apply)");
    console(&s, &["-var", "name=x"], "var.name\n")
        .ok()
        .stdout_has("\"x\"");
}

#[test]
fn piped_console_prints_only_the_last_result_and_stops_at_an_error() {
    let s = Stack::with(STACK);
    let r = console(&s, &[], "var.name\nlength(local.names)\n");
    r.ok();
    assert_eq!(r.stdout, "2\n");
    let r = console(&s, &[], "var.name\nvar.nope\nupper(\"x\")\n");
    r.code(1).stderr_has("undeclared variable `var.nope`");
    assert!(
        !r.stdout.contains("\"X\""),
        "went on after the error: {}",
        r.stdout
    );
    console(&s, &[], "exit\nvar.name\n").ok();
}

#[test]
fn console_never_prints_a_sensitive_value() {
    let s = Stack::with(STACK);
    console(&s, &[], "var.secret\n")
        .ok()
        .stdout_has("(sensitive value)")
        .nowhere("hunter2");
    console(&s, &[], "{ s = var.secret, n = 1 }\n")
        .ok()
        .stdout_has("\"s\" = (sensitive value)")
        .nowhere("hunter2");
}
