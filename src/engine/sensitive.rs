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
                let schema_sensitive = registry.schema(*mode, t).is_some_and(|(_, schema)| match &f.attribute {
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
                        b.labels.first().map(|l| l.as_str().to_string()).unwrap_or_default()
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
