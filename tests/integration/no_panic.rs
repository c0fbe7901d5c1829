//! Random token soup through the loader and the offline planner: every input ends in a value or
//! a diagnostic, never a panic.

use std::sync::Arc;

use labform::config::load_sources;
use labform::engine::{Engine, Registry, VarSource};
use labform::plan::planner::{plan, PlanOptions};

const TOKENS: &[&str] = &[
    "resource",
    "data",
    "variable",
    "locals",
    "output",
    "provider",
    "terraform",
    "\"terraform_data\"",
    "\"x\"",
    "\"local_file\"",
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    "=",
    "==",
    "!=",
    "?",
    ":",
    ",",
    ".",
    "*",
    "+",
    "-",
    "/",
    "%",
    "&&",
    "||",
    "!",
    "\n",
    " ",
    "1",
    "0",
    "-1",
    "1e309",
    "\"s\"",
    "\"${",
    "}\"",
    "%{",
    "for",
    "in",
    "if",
    "else",
    "endif",
    "endfor",
    "=>",
    "...",
    "var",
    "local",
    "each",
    "count",
    "self",
    "path",
    "module",
    "input",
    "count",
    "for_each",
    "depends_on",
    "lifecycle",
    "dynamic",
    "content",
    "null",
    "true",
    "false",
    "toset(",
    "length(",
    "merge(",
    "file(",
    "jsondecode(",
    "cidrsubnet(",
    "terraform_data",
    "x",
    "id",
    "<<EOT\n",
    "\nEOT\n",
    "#",
    "//",
    "/*",
    "*/",
    "\\",
    "\u{0}",
    "é",
    "[*]",
    ".*",
];

/// Pieces of expressions, for inputs that parse and reach the evaluator.
const EXPR: &[&str] = &[
    "1",
    "-1",
    "0.5",
    "1e308",
    "\"a\"",
    "\"${var.v}\"",
    "null",
    "true",
    "[1, \"a\"]",
    "{a = 1}",
    "var.v",
    "local.l",
    "terraform_data.y.id",
    "terraform_data.y",
    "length([])",
    "merge({}, {b = 2})",
    "toset([\"a\"])",
    "[for x in [1, 2] : x * 2]",
    "{for k, v in {a = 1} : k => v}",
    "[1][0]",
    "{a = 1}[\"a\"]",
    "[1, 2][*]",
    "substr(\"abc\", 1, 1)",
    "jsonencode({a = [1]})",
    "cidrsubnet(\"10.0.0.0/16\", 8, 2)",
    "element([], 0)",
    "split(\",\", \"a,b\")",
    "try(var.nope, 1)",
    "can(1 / 0)",
    "coalesce(null, 2)",
    "range(3)",
    "max(1, 2)",
    "format(\"%d\", 1)",
    "lookup({}, \"k\", 0)",
    "!true",
    "-(1)",
];
const OPS: &[&str] = &[
    "+", "-", "*", "/", "%", "==", "!=", "<", ">=", "&&", "||", "?",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn random_inputs_never_panic() {
    let registry = Arc::new(Registry::new(labform::providers::all()));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("dir");
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut planned = 0;
    for _ in 0..6000 {
        let mut text = String::new();
        if rng.next() % 4 == 0 {
            // Token soup: exercises the parser's error paths.
            for _ in 0..1 + rng.next() % 40 {
                text.push_str(TOKENS[(rng.next() % TOKENS.len() as u64) as usize]);
                text.push(' ');
            }
        } else {
            // Small expressions combined with operators: exercises evaluation.
            let pick = |r: &mut Rng| EXPR[(r.next() % EXPR.len() as u64) as usize];
            let mut expr = pick(&mut rng).to_string();
            for _ in 0..rng.next() % 3 {
                let op = OPS[(rng.next() % OPS.len() as u64) as usize];
                expr = if op == "?" {
                    format!("{expr} ? {} : {}", pick(&mut rng), pick(&mut rng))
                } else {
                    format!("{expr} {op} {}", pick(&mut rng))
                };
            }
            text.push_str(&format!(
                "variable \"v\" {{\n  default = {}\n}}\nlocals {{\n  l = {}\n}}\nresource \"terraform_data\" \"y\" {{}}\nresource \"terraform_data\" \"x\" {{\n  input = {expr}\n}}\noutput \"o\" {{\n  value = {expr}\n}}\n",
                pick(&mut rng),
                pick(&mut rng)
            ));
        }
        let sources = vec![(dir.path().join("main.tf"), text.clone().into_bytes())];
        let Ok(stack) = load_sources(dir.path(), sources) else {
            continue;
        };
        let Ok(engine) = Engine::new(
            stack,
            registry.clone(),
            VarSource::Given(Default::default()),
        ) else {
            continue;
        };
        let state = labform_state::StateFile::new("1.15.0");
        let _ = runtime.block_on(plan(
            &engine,
            &state,
            &PlanOptions {
                offline: true,
                ..Default::default()
            },
        ));
        planned += 1;
    }
    // The generator must reach the evaluator often, or this test proves little.
    assert!(planned > 2500, "only {planned} inputs reached planning");
}
