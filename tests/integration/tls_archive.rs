//! tls_private_key and archive_file through the binary: secrets stay hidden, keys and archive
//! hashes stay put across plans (a Lambda's `source_code_hash` does not churn).

use std::process::Command;

use crate::common::Stack;

const STACK: &str = r#"
terraform {
  required_providers {
    tls     = { source = "hashicorp/tls", version = "~> 4.0" }
    archive = { source = "hashicorp/archive", version = "~> 2.4" }
  }
}

resource "tls_private_key" "ssh" {
  algorithm = "ED25519"
}

data "archive_file" "lambda" {
  type        = "zip"
  source_dir  = "${path.module}/src"
  excludes    = ["**/*.pyc"]
  output_path = "${path.module}/build/lambda.zip"
}

resource "archive_file" "layer" {
  type                    = "zip"
  source_content          = "layer"
  source_content_filename = "python/layer.txt"
  output_path             = "${path.module}/build/layer.zip"
}

# Stands in for aws_lambda_function.source_code_hash.
resource "terraform_data" "function" {
  input = [data.archive_file.lambda.output_base64sha256, archive_file.layer.output_base64sha256]
}

output "private_key" {
  value     = tls_private_key.ssh.private_key_openssh
  sensitive = true
}

output "public_key" {
  value = tls_private_key.ssh.public_key_openssh
}

output "code_hash" {
  value = data.archive_file.lambda.output_base64sha256
}
"#;

fn touch_all(s: &Stack, when: &str) {
    for f in ["src/handler.py", "src/lib/util.py", "src/lib/skip.pyc"] {
        let out = Command::new("touch")
            .args(["-d", when])
            .arg(s.path().join(f))
            .output()
            .expect("touch");
        assert!(out.status.success());
    }
}

#[test]
fn keys_and_archives_are_stable_and_private_keys_stay_hidden() {
    let s = Stack::with(STACK);
    s.file("src/handler.py", "def handler(e, c):\n    return 1\n")
        .file("src/lib/util.py", "X = 1\n")
        .file("src/lib/skip.pyc", "junk");
    let apply = s.run(&["apply", "-auto-approve"]);
    apply.ok().nowhere("PRIVATE KEY");
    let state = s.state();
    let key = state.to_string();
    assert!(
        key.contains("BEGIN OPENSSH PRIVATE KEY"),
        "the key is in state"
    );

    // The archive on disk is what the data source hashed.
    let zip = std::fs::read(s.path().join("build/lambda.zip")).expect("archive written");
    let out = Command::new("sha256sum")
        .arg(s.path().join("build/lambda.zip"))
        .output()
        .expect("sha256sum");
    let hex = String::from_utf8_lossy(&out.stdout);
    let hash = s.run(&["output", "-raw", "code_hash"]);
    hash.ok();
    let python = std::env::var("LABFORM_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let decoded = Command::new(python)
        .args([
            "-c",
            "import base64,sys; print(base64.b64decode(sys.argv[1]).hex())",
        ])
        .arg(hash.stdout.trim())
        .output()
        .expect("python");
    assert_eq!(
        String::from_utf8_lossy(&decoded.stdout).trim(),
        hex.split_whitespace().next().unwrap_or_default()
    );

    // No diff after apply, nor after every source's modification time changes.
    s.run(&["plan", "-detailed-exitcode"]).code(0);
    touch_all(&s, "2003-04-05 06:07:08");
    s.run(&["plan", "-detailed-exitcode"]).code(0);
    assert_eq!(
        std::fs::read(s.path().join("build/lambda.zip")).unwrap(),
        zip
    );

    // A source change is a change to the function (and only then).
    s.file("src/handler.py", "def handler(e, c):\n    return 2\n");
    s.run(&["plan", "-detailed-exitcode"])
        .code(2)
        .stdout_has("terraform_data.function");

    // `output` hides the private key as Terraform does (`<sensitive>`), `state show` marks the
    // private attributes `(sensitive value)`; `-raw` is how a user asks for the key.
    s.run(&["output"])
        .ok()
        .stdout_has("private_key = <sensitive>")
        .stdout_has("ssh-ed25519 ")
        .nowhere("PRIVATE KEY");
    s.run(&["state", "show", "tls_private_key.ssh"])
        .ok()
        .stdout_has("private_key_pem")
        .stdout_has("(sensitive value)")
        .stdout_has("ssh-ed25519 ")
        .nowhere("PRIVATE KEY");
    let raw = s.run(&["output", "-raw", "private_key"]);
    raw.ok().stdout_has("-----BEGIN OPENSSH PRIVATE KEY-----");
    let public = s.run(&["output", "-raw", "public_key"]);
    public.ok();
    let key_file = s.path().join("id_ed25519");
    std::fs::write(&key_file, &raw.stdout).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let derived = Command::new("ssh-keygen")
        .arg("-y")
        .arg("-f")
        .arg(&key_file)
        .output()
        .expect("ssh-keygen");
    assert_eq!(
        String::from_utf8_lossy(&derived.stdout).trim(),
        public.stdout.trim(),
        "{}",
        String::from_utf8_lossy(&derived.stderr)
    );

    s.run(&["destroy", "-auto-approve"])
        .ok()
        .nowhere("PRIVATE KEY");
}

#[test]
fn a_missing_source_file_is_an_error_naming_it() {
    let s = Stack::with(
        r#"
data "archive_file" "x" {
  type        = "zip"
  source_file = "${path.module}/lambda/missing.py"
  output_path = "${path.module}/x.zip"
}
"#,
    );
    s.run(&["plan"])
        .code(1)
        .stderr_has("could not archive missing file")
        .stderr_has("lambda/missing.py");
}
