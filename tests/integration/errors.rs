//! Bad input gets a clear error pointing at file, line and column, with a suggestion; never a
//! panic.

use crate::common::Stack;

#[test]
fn misspelled_reference_names_the_place_and_the_near_name() {
    let s = Stack::with("variable \"region\" {\n  default = \"eu\"\n}\n\nresource \"terraform_data\" \"x\" {\n  input = var.regoin\n}\n");
    s.run(&["plan"])
        .code(1)
        .stderr_has("reference to undeclared variable `var.regoin`")
        .stderr_has("--> main.tf:6:11")
        .stderr_has("6 |   input = var.regoin")
        .stderr_has("^^^^^^^^^^")
        .stderr_has("hint: did you mean `var.region`?");
}

#[test]
fn misspelled_resource_type_and_attribute_get_suggestions() {
    let s = Stack::with("resource \"terraform_dta\" \"x\" {\n}\n");
    s.run(&["validate"])
        .code(1)
        .stderr_has("unknown resource type `terraform_dta`")
        .stderr_has("did you mean `terraform_data`?")
        .stderr_has("main.tf:1:1");
    let s = Stack::with("resource \"terraform_data\" \"x\" {\n  inptu = 1\n}\n");
    s.run(&["validate"])
        .code(1)
        .stderr_has("unsupported argument `inptu`")
        .stderr_has("did you mean `input`?")
        .stderr_has("main.tf:2:3");
}

#[test]
fn syntax_errors_point_at_the_offending_text() {
    let s = Stack::with("resource \"terraform_data\" \"x\" {\n  input = \"unterminated\n}\n");
    s.run(&["plan"])
        .code(1)
        .stderr_has("invalid HCL syntax")
        .stderr_has("main.tf:2");
}

#[test]
fn a_cycle_lists_every_member_with_its_place() {
    let s = Stack::with(
        r#"
resource "terraform_data" "a" {
  input = terraform_data.b.id
}
resource "terraform_data" "b" {
  input = local.via
}
locals {
  via = terraform_data.a.id
}
"#,
    );
    s.run(&["plan"])
        .code(1)
        .stderr_has("dependency cycle")
        .stderr_has("`terraform_data.a` at main.tf:2")
        .stderr_has("`terraform_data.b` at main.tf:5")
        .stderr_has("`local.via` at main.tf:9");
}

#[test]
fn unsupported_blocks_are_errors_not_ignored() {
    let s = Stack::with("import {\n  to = terraform_data.a\n  id = \"x\"\n  bogus = 1\n}\n");
    s.run(&["validate"])
        .code(1)
        .stderr_has("bogus")
        .stderr_has("main.tf:4:3");
    let s = Stack::with("module \"vpc\" {\n  source = \"./vpc\"\n}\n");
    s.run(&["validate"])
        .code(1)
        .stderr_has("module `vpc`: the directory `vpc` does not exist")
        .stderr_has("main.tf:2:12");
}

#[test]
fn an_empty_directory_says_what_a_stack_is() {
    let s = Stack::new();
    s.run(&["plan"])
        .code(1)
        .stderr_has("no `*.tf` or compose files")
        .stderr_has("hint:");
}

#[test]
fn missing_required_argument_is_named() {
    let s = Stack::with("resource \"local_file\" \"f\" {\n  content = \"x\"\n}\n");
    s.run(&["validate"])
        .code(1)
        .stderr_has("missing required argument `filename`");
}

#[test]
fn wrong_types_are_reported_with_what_was_expected() {
    let s = Stack::with("resource \"random_string\" \"s\" {\n  length = \"ten\"\n}\n");
    s.run(&["validate"])
        .code(1)
        .stderr_has("invalid value for `length`")
        .stderr_has("a number is required")
        .stderr_has("main.tf:2:12");
}

/// Malformed inputs of every kind: each must end in a clear error (exit 1), never a panic (101).
#[test]
fn malformed_files_never_panic() {
    let cases = [
        "",
        "{",
        "}",
        "resource",
        "resource \"a\" {",
        "resource \"terraform_data\" {}",
        "resource \"terraform_data\" \"x\" { count = -1 }",
        "resource \"terraform_data\" \"x\" { count = 1.5 }",
        "resource \"terraform_data\" \"x\" { for_each = 3 }",
        "resource \"terraform_data\" \"x\" { for_each = null }",
        "resource \"terraform_data\" \"x\" { input = [for x in 5 : x] }",
        "resource \"terraform_data\" \"x\" { input = 1 / 0 }",
        "resource \"terraform_data\" \"x\" { input = \"${[1]}\" }",
        "resource \"terraform_data\" \"x\" { input = [1][5] }",
        "resource \"terraform_data\" \"x\" { input = {a=1}.b }",
        "resource \"terraform_data\" \"x\" { input = substr(\"abc\", -5, -9) }",
        "resource \"terraform_data\" \"x\" { input = range(1e12) }",
        "resource \"terraform_data\" \"x\" { input = nosuchfunc(1) }",
        "resource \"terraform_data\" \"x\" { input = file(\"/nonexistent\") }",
        "resource \"terraform_data\" \"x\" { input = cidrsubnet(\"10.0.0.0/8\", 40, 1) }",
        "resource \"terraform_data\" \"x\" { input = jsondecode(\"{\") }",
        "resource \"terraform_data\" \"x\" { input = each.key }",
        "resource \"terraform_data\" \"x\" { input = count.index }",
        "resource \"terraform_data\" \"x\" { input = self.id }",
        "resource \"terraform_data\" \"x\" { input = module.m.out }",
        "resource \"terraform_data\" \"x\" { input = terraform_data.x.id }",
        "resource \"terraform_data\" \"x\" { depends_on = 5 }",
        "resource \"terraform_data\" \"x\" { lifecycle { ignore_changes = 7 } }",
        "resource \"terraform_data\" \"x\" { dynamic \"nope\" { for_each = [1] } }",
        "variable \"v\" { type = strnig }",
        "variable \"v\" { type = list(string) \n default = 5 }",
        "variable \"v\" { validation { condition = 5 } }",
        "output \"o\" {}",
        "locals { a = local.a }",
        "provider \"nope\" {}",
        "terraform { required_version = \">= 99.0\" }",
        "terraform { backend \"s3\" {} }",
        "data \"nope_thing\" \"x\" {}",
        "resource \"terraform_data\" \"x\" {}\nresource \"terraform_data\" \"x\" {}",
        "\u{0}\u{1}\u{2}",
        "resource \"terraform_data\" \"x\" { input = \"\\xff\" }",
        "x = <<EOT\nunterminated",
    ];
    for (i, text) in cases.iter().enumerate() {
        let s = Stack::with(text);
        for cmd in [&["validate"][..], &["plan"][..]] {
            let r = s.run(cmd);
            assert!(
                r.code == 1 || r.code == 0,
                "case {i} {text:?} `{cmd:?}` exited {}\n{}\n{}",
                r.code,
                r.stdout,
                r.stderr
            );
            if r.code == 1 {
                assert!(
                    r.stderr.contains("error"),
                    "case {i} {text:?}: no error text\n{}",
                    r.stderr
                );
                assert!(
                    !r.stderr.contains("panicked"),
                    "case {i} {text:?} panicked\n{}",
                    r.stderr
                );
            }
        }
    }
}

#[test]
fn invalid_utf8_is_reported() {
    let s = Stack::new();
    std::fs::write(s.path().join("main.tf"), [0xff, 0xfe, 0x00]).unwrap();
    s.run(&["plan"]).code(1).stderr_has("not valid UTF-8");
}

#[test]
fn the_labform_block_names_what_it_takes_and_checks_the_ttl() {
    let s = Stack::with("labform {\n  tll = \"8h\"\n}\n");
    s.run(&["validate"])
        .code(1)
        .stderr_has("unsupported attribute `tll` in the `labform` block")
        .stderr_has("main.tf:2:3")
        .stderr_has("did you mean `ttl`?");
    let s = Stack::with("labform {\n  ttl = \"2 days\"\n}\n");
    s.run(&["validate"])
        .code(1)
        .stderr_has("invalid ttl `2 days`")
        .stderr_has("main.tf:2:9")
        .stderr_has("hint: write `ttl = \"8h\"`");
    let s = Stack::with("labform {\n  ttl = \"8h\"\n}\nresource \"terraform_data\" \"x\" {\n}\n");
    s.run(&["validate"]).ok();
    s.run_env(&["plan"], &[("LABFORM_TTL", "soon")])
        .code(1)
        .stderr_has("invalid ttl `soon`")
        .stderr_has("(from `LABFORM_TTL`)");
}
