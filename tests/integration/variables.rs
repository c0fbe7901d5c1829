//! Variables from every source, in Terraform's precedence.

use crate::common::Stack;

const STACK: &str = r#"
variable "name" {
  type = string
}
variable "size" {
  type    = number
  default = 1
}
variable "tags" {
  type    = map(string)
  default = {}
}
output "all" {
  value = "${var.name}/${var.size}/${length(var.tags)}"
}
"#;

fn all(s: &Stack, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut a = vec!["apply", "-auto-approve"];
    a.extend_from_slice(args);
    s.run_env(&a, env).ok();
    s.run(&["output", "-raw", "all"])
        .ok()
        .stdout
        .trim()
        .to_string()
}

#[test]
fn a_required_variable_without_a_value_names_the_ways_to_set_it() {
    let s = Stack::with(STACK);
    s.run(&["plan"])
        .code(1)
        .stderr_has("no value for required variable `name`")
        .stderr_has("-var 'name=...'")
        .stderr_has("TF_VAR_name");
}

#[test]
fn precedence_follows_terraform() {
    let s = Stack::with(STACK);
    assert_eq!(all(&s, &[], &[("TF_VAR_name", "env")]), "env/1/0");
    s.file("terraform.tfvars", "name = \"tfvars\"\nsize = 2\n");
    assert_eq!(all(&s, &[], &[("TF_VAR_name", "env")]), "tfvars/2/0");
    s.file("b.auto.tfvars", "name = \"auto\"\n");
    s.file("a.auto.tfvars.json", "{\"tags\": {\"k\": \"v\"}}");
    assert_eq!(all(&s, &[], &[("TF_VAR_name", "env")]), "auto/2/1");
    s.file("extra.tfvars", "name = \"file\"\nsize = 3\n");
    assert_eq!(all(&s, &["-var-file=extra.tfvars"], &[]), "file/3/1");
    assert_eq!(
        all(&s, &["-var-file=extra.tfvars", "-var", "name=flag"], &[]),
        "flag/3/1"
    );
    assert_eq!(
        all(&s, &["-var", "tags={a = \"1\", b = \"2\"}"], &[]),
        "auto/2/2"
    );
}

#[test]
fn values_are_checked_against_the_type_and_validations() {
    let s = Stack::with(
        r#"
variable "size" {
  type = number
  validation {
    condition     = var.size > 0 && var.size < 10
    error_message = "size must be between 1 and 9"
  }
}
"#,
    );
    s.run(&["plan", "-var", "size=big"])
        .code(1)
        .stderr_has("invalid value for variable `size`")
        .stderr_has("a number is required");
    s.run(&["plan", "-var", "size=42"])
        .code(1)
        .stderr_has("size must be between 1 and 9");
    s.run(&["plan", "-var", "size=4"]).ok();
}

#[test]
fn an_undeclared_variable_on_the_command_line_is_an_error_with_a_suggestion() {
    let s = Stack::with(STACK);
    s.run(&["plan", "-var", "nmae=x"])
        .code(1)
        .stderr_has("no variable `nmae` is declared")
        .stderr_has("did you mean `name`?");
}

#[test]
fn object_types_with_optional_defaults() {
    let s = Stack::with(
        r#"
variable "db" {
  type = object({
    name = string
    port = optional(number, 5432)
  })
  default = { name = "ny_taxi" }
}
output "port" {
  value = var.db.port
}
"#,
    );
    s.run(&["apply", "-auto-approve"]).ok();
    assert_eq!(
        s.run(&["output", "-raw", "port"]).ok().stdout.trim(),
        "5432"
    );
}

#[test]
fn var_and_var_file_apply_in_command_line_order() {
    let s = Stack::with(STACK);
    s.file("terraform.tfvars", "name = \"tfvars\"\n");
    s.file("extra.tfvars", "name = \"file\"\nsize = 3\n");
    // Terraform applies -var and -var-file in the order given: the later one wins.
    assert_eq!(
        all(&s, &["-var", "name=flag", "-var-file=extra.tfvars"], &[]),
        "file/3/0"
    );
    assert_eq!(
        all(&s, &["-var-file=extra.tfvars", "-var", "name=flag"], &[]),
        "flag/3/0"
    );
    assert_eq!(
        all(
            &s,
            &["-var", "size=5", "-var-file", "extra.tfvars", "-var=size=7"],
            &[("TF_VAR_name", "env")]
        ),
        "file/7/0"
    );
}
