//! Which values are sensitive: a static taint over references, so that anything derived from a
//! sensitive variable or a provider's sensitive attribute is never printed.

use std::collections::{BTreeSet, HashMap, HashSet};

use hcl_edit::structure::{Body, Structure};

use super::registry::Registry;
use crate::config::{Expr, Stack};
use crate::eval::refs::{self, Found, Reference};
use crate::graph::{Graph, Node};

#[derive(Debug, Default)]
pub struct Sensitivity {
    locals: HashSet<String>,
    /// Per resource address, the top-level attributes whose configuration is sensitive.
    resources: HashMap<String, BTreeSet<String>>,
}

impl Sensitivity {
    pub fn compute(stack: &Stack, graph: &Graph, registry: &Registry) -> Self {
        let mut s = Sensitivity::default();
        for &n in &graph.order {
            match &graph.graph[n] {
                Node::Local(name) => {
                    if let Some(l) = stack.locals.get(name) {
                        if s.expr_sensitive(&l.expr, stack, registry) {
                            s.locals.insert(name.clone());
                        }
                    }
                }
                Node::Resource(addr) => {
                    if let Some(r) = stack.resources.get(addr) {
                        let attrs = s.body_sensitive(&r.body.body, stack, registry);
                        if !attrs.is_empty() {
                            s.resources.insert(addr.clone(), attrs);
                        }
                    }
                }
                _ => {}
            }
        }
        s
    }

    /// Top-level attributes of a resource block whose configured values are sensitive.
    pub fn resource_attrs(&self, addr: &str) -> BTreeSet<String> {
        self.resources.get(addr).cloned().unwrap_or_default()
    }

    pub fn expr_sensitive(&self, expr: &Expr, stack: &Stack, registry: &Registry) -> bool {
        let mut found = Vec::new();
        refs::in_expr(&expr.expr, &mut found);
        self.any_sensitive(&found, stack, registry)
    }

    fn any_sensitive(&self, found: &[Found], stack: &Stack, registry: &Registry) -> bool {
        found.iter().any(|f| match &f.reference {
            Reference::Variable(n) => stack.variables.get(n).is_some_and(|v| v.sensitive),
            Reference::Local(n) => self.locals.contains(n),
            Reference::Resource(mode, t, n) => {
                let addr = crate::config::resource_address(*mode, t, n);
                let schema_sensitive =
                    registry
                        .schema(*mode, t)
                        .is_some_and(|(_, schema)| match &f.attribute {
                            Some(a) => schema.is_sensitive(a),
                            // The whole object is referenced: sensitive when any attribute is.
                            None => schema.attributes.values().any(|a| a.sensitive),
                        });
                let config_sensitive = match &f.attribute {
                    Some(a) => self.resources.get(&addr).is_some_and(|s| s.contains(a)),
                    None => self.resources.contains_key(&addr),
                };
                schema_sensitive || config_sensitive
            }
        })
    }

    fn body_sensitive(&self, body: &Body, stack: &Stack, registry: &Registry) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for structure in body.iter() {
            let (name, found) = match structure {
                Structure::Attribute(a) => {
                    let mut f = Vec::new();
                    refs::in_expr(&a.value, &mut f);
                    (a.key.as_str().to_string(), f)
                }
                Structure::Block(b) => {
                    let mut f = Vec::new();
                    refs::in_body(&b.body, &mut f);
                    let name = if b.ident.as_str() == "dynamic" {
                        b.labels
                            .first()
                            .map(|l| l.as_str().to_string())
                            .unwrap_or_default()
                    } else {
                        b.ident.as_str().to_string()
                    };
                    (name, f)
                }
            };
            if self.any_sensitive(&found, stack, registry) {
                out.insert(name);
            }
        }
        out
    }
}

/// Widens a set of sensitive top-level attributes to every other attribute whose value holds one
/// of their secrets (a computed `output` that echoes a sensitive `input`, a connection string
/// built from a password). Secrets shorter than 4 characters are not searched for.
pub fn widen(value: &labform_sdk::Value, sensitive: &mut BTreeSet<String>) {
    let Some(map) = value.as_object() else { return };
    let mut secrets = Vec::new();
    for name in sensitive.iter() {
        if let Some(v) = map.get(name) {
            collect_strings(v, &mut secrets);
        }
    }
    secrets.retain(|s| s.chars().count() >= 4);
    if secrets.is_empty() {
        return;
    }
    for (name, v) in map {
        if !sensitive.contains(name) && holds_any(v, &secrets) {
            sensitive.insert(name.clone());
        }
    }
}

fn collect_strings(v: &labform_sdk::Value, out: &mut Vec<String>) {
    match v {
        labform_sdk::Value::String(s) => out.push(s.clone()),
        labform_sdk::Value::List(items) => items.iter().for_each(|i| collect_strings(i, out)),
        labform_sdk::Value::Object(m) => m.values().for_each(|i| collect_strings(i, out)),
        _ => {}
    }
}

fn holds_any(v: &labform_sdk::Value, secrets: &[String]) -> bool {
    match v {
        labform_sdk::Value::String(s) => secrets.iter().any(|x| s.contains(x.as_str())),
        labform_sdk::Value::List(items) => items.iter().any(|i| holds_any(i, secrets)),
        labform_sdk::Value::Object(m) => m.values().any(|i| holds_any(i, secrets)),
        _ => false,
    }
}
