//! The `configuration` part of Terraform's plan representation: each module's resources with
//! their expressions (`references` as Terraform lists them, or a `constant_value`), outputs,
//! variables, module calls, and the provider configurations.

use std::path::Path;
use std::sync::Arc;

use hcl_edit::expr::{Expression, Traversal, TraversalOperator};
use hcl_edit::structure::Body;
use hcl_edit::visit::{visit_traversal, Visit};
use serde_json::{json, Map, Value as Json};

use crate::config::{Expr, Stack};
use crate::engine::registry::{provider_source, Registry};
use crate::eval::{EmptyLookup, Evaluator};

/// Meta-arguments, which Terraform shows apart from a resource's expressions.
const META: [&str; 5] = ["count", "for_each", "depends_on", "provider", "lifecycle"];

/// The configuration of `stack` (the root module and, through `module_calls`, its children).
pub fn configuration_json(stack: &Stack, registry: &Registry) -> Json {
    let mut providers = Map::new();
    collect_providers(stack, &mut providers);
    json!({
        "provider_config": providers,
        "root_module": module_json(stack, registry),
    })
}

/// Every provider configuration the stack's resources use, by key (`aws`, `aws.west`).
fn collect_providers(stack: &Stack, out: &mut Map<String, Json>) {
    for block in stack.providers.values() {
        let mut entry = provider_entry(&block.key());
        if let (Some(o), false) = (entry.as_object_mut(), block.body.body.is_empty()) {
            o.insert(
                "expressions".into(),
                body_json(&block.body.body, &block.body.file, &stack.dir),
            );
        }
        out.insert(block.key(), entry);
    }
    for resource in stack.resources.values() {
        out.entry(resource.provider.clone())
            .or_insert_with(|| provider_entry(&resource.provider));
    }
    for child in stack.children.values() {
        collect_providers(child, out);
    }
}

fn provider_entry(key: &str) -> Json {
    let (name, alias) = key
        .split_once('.')
        .map_or((key, None), |(n, a)| (n, Some(a)));
    let mut o = Map::new();
    o.insert("name".into(), json!(name));
    o.insert("full_name".into(), json!(provider_source(name)));
    if let Some(a) = alias {
        o.insert("alias".into(), json!(a));
    }
    Json::Object(o)
}

fn module_json(stack: &Stack, registry: &Registry) -> Json {
    let dir = &stack.dir;
    let mut o = Map::new();
    if !stack.outputs.is_empty() {
        let outputs: Map<String, Json> = stack
            .outputs
            .values()
            .map(|out| {
                let mut e = Map::new();
                if out.sensitive {
                    e.insert("sensitive".into(), json!(true));
                }
                e.insert("expression".into(), expr_json(&out.value, dir));
                if let Some(d) = &out.description {
                    e.insert("description".into(), json!(d));
                }
                if !out.depends_on.is_empty() {
                    e.insert("depends_on".into(), names(&out.depends_on));
                }
                (out.name.clone(), Json::Object(e))
            })
            .collect();
        o.insert("outputs".into(), Json::Object(outputs));
    }
    if !stack.resources.is_empty() {
        let resources: Vec<Json> = stack
            .resources
            .values()
            .map(|r| {
                let mut e = Map::new();
                e.insert("address".into(), json!(r.address()));
                e.insert(
                    "mode".into(),
                    json!(if r.mode == crate::config::Mode::Data {
                        "data"
                    } else {
                        "managed"
                    }),
                );
                e.insert("type".into(), json!(r.type_name));
                e.insert("name".into(), json!(r.name));
                e.insert("provider_config_key".into(), json!(r.provider));
                e.insert(
                    "expressions".into(),
                    body_json(&r.body.body, &r.body.file, dir),
                );
                e.insert(
                    "schema_version".into(),
                    json!(registry.schema_version(r.mode, &r.type_name)),
                );
                if let Some(c) = &r.count {
                    e.insert("count_expression".into(), expr_json(c, dir));
                }
                if let Some(f) = &r.for_each {
                    e.insert("for_each_expression".into(), expr_json(f, dir));
                }
                if !r.depends_on.is_empty() {
                    e.insert("depends_on".into(), names(&r.depends_on));
                }
                Json::Object(e)
            })
            .collect();
        o.insert("resources".into(), Json::Array(resources));
    }
    if !stack.module_calls.is_empty() {
        let calls: Map<String, Json> = stack
            .module_calls
            .values()
            .map(|call| {
                let mut e = Map::new();
                e.insert("source".into(), json!(call.source));
                let args: Map<String, Json> = call
                    .args
                    .iter()
                    .map(|(name, (expr, _))| (name.clone(), expr_json(expr, dir)))
                    .collect();
                if !args.is_empty() {
                    e.insert("expressions".into(), Json::Object(args));
                }
                if let Some(c) = &call.count {
                    e.insert("count_expression".into(), expr_json(c, dir));
                }
                if let Some(f) = &call.for_each {
                    e.insert("for_each_expression".into(), expr_json(f, dir));
                }
                if let Some(child) = stack.children.get(&call.name) {
                    e.insert("module".into(), module_json(child, registry));
                }
                if !call.depends_on.is_empty() {
                    e.insert("depends_on".into(), names(&call.depends_on));
                }
                (call.name.clone(), Json::Object(e))
            })
            .collect();
        o.insert("module_calls".into(), Json::Object(calls));
    }
    if !stack.variables.is_empty() {
        let variables: Map<String, Json> = stack
            .variables
            .values()
            .map(|v| {
                let mut e = Map::new();
                if let Some(d) = &v.default {
                    if let Some(value) = constant(d, dir) {
                        e.insert("default".into(), value);
                    }
                }
                if let Some(d) = &v.description {
                    e.insert("description".into(), json!(d));
                }
                if v.sensitive {
                    e.insert("sensitive".into(), json!(true));
                }
                (v.name.clone(), Json::Object(e))
            })
            .collect();
        o.insert("variables".into(), Json::Object(variables));
    }
    Json::Object(o)
}

fn names(list: &[(String, Option<crate::diag::Location>)]) -> Json {
    Json::Array(list.iter().map(|(n, _)| json!(n)).collect())
}

/// A body's attributes as expressions, and its nested blocks as lists of bodies.
fn body_json(body: &Body, file: &Arc<crate::diag::SourceFile>, dir: &Path) -> Json {
    let mut o = Map::new();
    for attr in body.attributes() {
        let name = attr.key.as_str();
        if META.contains(&name) {
            continue;
        }
        let expr = Expr {
            expr: attr.value.clone(),
            file: file.clone(),
        };
        o.insert(name.to_string(), expr_json(&expr, dir));
    }
    for block in body.blocks() {
        let name = block.ident.as_str();
        if META.contains(&name) {
            continue;
        }
        let inner = body_json(&block.body, file, dir);
        match o.get_mut(name).and_then(Json::as_array_mut) {
            Some(list) => list.push(inner),
            None => {
                o.insert(name.to_string(), json!([inner]));
            }
        }
    }
    Json::Object(o)
}

/// `{"references": [...]}` when the expression refers to anything, else its
/// `{"constant_value": ...}`; `{}` when neither can be told without evaluating.
fn expr_json(expr: &Expr, dir: &Path) -> Json {
    let refs = references(&expr.expr);
    if !refs.is_empty() {
        return json!({ "references": refs });
    }
    match constant(expr, dir) {
        Some(value) => json!({ "constant_value": value }),
        None => json!({}),
    }
}

fn constant(expr: &Expr, dir: &Path) -> Option<Json> {
    Evaluator::new(&EmptyLookup, dir)
        .eval(expr)
        .ok()
        .map(|v| v.to_json())
}

/// The references of an expression as Terraform lists them, in order: each one as written up
/// to its attribute (`aws_vpc.main.id`), then the object it belongs to (`aws_vpc.main`).
pub fn references(expr: &Expression) -> Vec<String> {
    let mut finder = Finder(Vec::new());
    finder.visit_expr(expr);
    let mut out: Vec<String> = Vec::new();
    for r in finder.0 {
        if !out.contains(&r) {
            out.push(r);
        }
    }
    out
}

struct Finder(Vec<String>);

impl Visit for Finder {
    fn visit_traversal(&mut self, node: &Traversal) {
        if let Expression::Variable(root) = &node.expr {
            let steps: Vec<Option<&str>> = node
                .operators
                .iter()
                .map(|op| match op.value() {
                    TraversalOperator::GetAttr(id) => Some(id.as_str()),
                    _ => None,
                })
                .collect();
            let at = |i: usize| steps.get(i).copied().flatten();
            let root = root.as_str();
            match root {
                "var" | "local" | "count" | "each" | "path" | "terraform" | "self" => {
                    if let Some(a) = at(0) {
                        self.0.push(format!("{root}.{a}"));
                    }
                }
                "module" | "data" => {
                    // `module.NAME.OUTPUT`, `data.TYPE.NAME.ATTR`: the subject has two parts
                    // after the root for data sources, one for modules.
                    let width = if root == "data" { 2 } else { 1 };
                    let subject: Option<Vec<&str>> = (0..width).map(at).collect();
                    if let Some(subject) = subject {
                        let base = format!("{root}.{}", subject.join("."));
                        if let Some(a) = at(width) {
                            self.0.push(format!("{base}.{a}"));
                        }
                        self.0.push(base);
                    }
                }
                type_name => {
                    if let Some(name) = at(0) {
                        let base = format!("{type_name}.{name}");
                        if let Some(a) = at(1) {
                            self.0.push(format!("{base}.{a}"));
                        }
                        self.0.push(base);
                    }
                }
            }
        }
        visit_traversal(self, node);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(text: &str) -> Vec<String> {
        let expr = hcl_edit::parser::parse_expr(text).expect("expression");
        references(&expr)
    }

    #[test]
    fn references_are_listed_as_terraform_lists_them() {
        assert_eq!(
            refs("[terraform_data.a.output, var.s, count.index]"),
            [
                "terraform_data.a.output",
                "terraform_data.a",
                "var.s",
                "count.index"
            ]
        );
        assert_eq!(refs("module.m.out"), ["module.m.out", "module.m"]);
        assert_eq!(refs("data.t.n.id"), ["data.t.n.id", "data.t.n"]);
        assert_eq!(
            refs("\"${each.value}-${local.x}\""),
            ["each.value", "local.x"]
        );
        assert!(refs("upper(\"x\")").is_empty());
    }
}
