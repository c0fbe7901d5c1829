//! The dependency graph of a stack: variables, locals, providers, resources and outputs, of the
//! root module and of every module instance (names carry the instance's prefix, `module.a.`).
//! A cycle is an error that names every member with its file and line.

use std::collections::{BTreeSet, HashMap, HashSet};

use petgraph::algo::{tarjan_scc, toposort};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::Direction;

use crate::config::{resource_address, Expr, Scope, Stack};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::eval::refs::{self, Found, Reference};

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Node {
    /// A variable by module prefix (`module.a.`, empty in the root) and name.
    Variable(String, String),
    Local(String, String),
    Provider(String),
    /// A `resource` or `data` block by address (`module.a.aws_s3_bucket.b`).
    Resource(String),
    Output(String, String),
}

impl Node {
    pub fn label(&self) -> String {
        match self {
            Node::Variable(p, n) => format!("{p}var.{n}"),
            Node::Local(p, n) => format!("{p}local.{n}"),
            Node::Provider(n) => format!("provider.{n}"),
            Node::Resource(a) => a.clone(),
            Node::Output(p, n) => format!("{p}output.{n}"),
        }
    }
}

/// Edges point from a dependency to what depends on it.
pub struct Graph {
    pub graph: DiGraph<Node, ()>,
    pub index: HashMap<Node, NodeIndex>,
    /// Every node, dependencies first.
    pub order: Vec<NodeIndex>,
    /// The edges added, so a repeated one is found in constant time: petgraph's `update_edge`
    /// scans the node's edges, which made a fan of N resources on one root cost N².
    edges: HashSet<(NodeIndex, NodeIndex)>,
}

impl Graph {
    pub fn build(stack: &Stack) -> Result<Graph, Diagnostics> {
        let mut graph = DiGraph::new();
        let mut index = HashMap::new();
        let mut add = |graph: &mut DiGraph<Node, ()>, n: Node| {
            let i = graph.add_node(n.clone());
            index.insert(n, i);
        };
        for name in stack.variables.keys() {
            add(&mut graph, Node::Variable(String::new(), name.clone()));
        }
        for v in stack.module_vars.values() {
            add(
                &mut graph,
                Node::Variable(v.scope.prefix.clone(), v.decl.name.clone()),
            );
        }
        for l in stack.locals.values() {
            add(
                &mut graph,
                Node::Local(l.scope.prefix.clone(), l.name.clone()),
            );
        }
        for key in stack.providers.keys() {
            add(&mut graph, Node::Provider(key.clone()));
        }
        for addr in stack.resources.keys() {
            add(&mut graph, Node::Resource(addr.clone()));
        }
        for o in stack.outputs.values().chain(stack.module_outputs.values()) {
            add(
                &mut graph,
                Node::Output(o.scope.prefix.clone(), o.name.clone()),
            );
        }
        let mut g = Graph {
            graph,
            index,
            order: Vec::new(),
            edges: HashSet::new(),
        };
        let mut locations: HashMap<Node, Option<Location>> = HashMap::new();

        let root = Scope::default();
        for v in stack.module_vars.values() {
            let node = Node::Variable(v.scope.prefix.clone(), v.decl.name.clone());
            locations.insert(node.clone(), v.decl.location.clone());
            if let Some(arg) = &v.arg {
                g.link(stack, &v.caller, &expr_refs(arg), &node);
            }
        }
        for local in stack.locals.values() {
            let node = Node::Local(local.scope.prefix.clone(), local.name.clone());
            locations.insert(node.clone(), local.expr.location());
            let found = expr_refs(&local.expr);
            g.link(stack, &local.scope, &found, &node);
        }
        for p in stack.providers.values() {
            let node = Node::Provider(p.key());
            locations.insert(node.clone(), p.location.clone());
            let mut found = Vec::new();
            refs::in_body(&p.body.body, &mut found);
            g.link(stack, &root, &found, &node);
        }
        for r in stack.resources.values() {
            let node = Node::Resource(r.address());
            locations.insert(node.clone(), r.location.clone());
            let mut found = Vec::new();
            refs::in_body(&r.body.body, &mut found);
            for e in r
                .count
                .iter()
                .chain(r.for_each.iter())
                .chain(r.lifecycle.replace_triggered_by.iter())
            {
                refs::in_expr(&e.expr, &mut found);
            }
            g.link(stack, &r.scope, &found, &node);
            for (dep, _) in &r.depends_on {
                g.edge(&Node::Resource(dep.clone()), &node);
            }
            g.edge(&Node::Provider(r.provider.clone()), &node);
        }
        for o in stack.outputs.values().chain(stack.module_outputs.values()) {
            let node = Node::Output(o.scope.prefix.clone(), o.name.clone());
            locations.insert(node.clone(), o.location.clone());
            g.link(stack, &o.scope, &expr_refs(&o.value), &node);
            for (dep, _) in &o.depends_on {
                g.edge(&Node::Resource(dep.clone()), &node);
            }
        }
        match toposort(&g.graph, None) {
            Ok(order) => g.order = order,
            Err(_) => return Err(g.cycle_error(&locations)),
        }
        Ok(g)
    }

    /// Edges from what `found` (references written in module instance `scope`) names to `to`.
    fn link(&mut self, stack: &Stack, scope: &Scope, found: &[Found], to: &Node) {
        let prefix = &scope.prefix;
        for f in found {
            let from = match &f.reference {
                Reference::Variable(n) => Node::Variable(prefix.clone(), n.clone()),
                Reference::Local(n) => Node::Local(prefix.clone(), n.clone()),
                Reference::Resource(mode, t, n) => {
                    Node::Resource(format!("{prefix}{}", resource_address(*mode, t, n)))
                }
                Reference::Module(name, output) => {
                    let Some(call) = stack.calls.get(&format!("{prefix}module.{name}")) else {
                        continue;
                    };
                    for (_, inst) in &call.instances {
                        for o in &call.outputs {
                            if output.as_ref().is_none_or(|want| want == o) {
                                self.edge(&Node::Output(inst.prefix.clone(), o.clone()), to);
                            }
                        }
                    }
                    continue;
                }
            };
            self.edge(&from, to);
        }
    }

    fn edge(&mut self, from: &Node, to: &Node) {
        if let (Some(&a), Some(&b)) = (self.index.get(from), self.index.get(to)) {
            if self.edges.insert((a, b)) {
                self.graph.add_edge(a, b, ());
            }
        }
    }

    fn cycle_error(&self, locations: &HashMap<Node, Option<Location>>) -> Diagnostics {
        let mut diags = Diagnostics::new();
        for scc in tarjan_scc(&self.graph) {
            let is_cycle = scc.len() > 1 || scc.iter().any(|&n| self.graph.contains_edge(n, n));
            if !is_cycle {
                continue;
            }
            let mut members: Vec<&Node> = scc.iter().map(|&i| &self.graph[i]).collect();
            members.sort();
            let listing = members
                .iter()
                .map(|n| match locations.get(*n).and_then(|l| l.as_ref()) {
                    Some(l) => format!("  - `{}` at {}", n.label(), l.short()),
                    None => format!("  - `{}`", n.label()),
                })
                .collect::<Vec<_>>()
                .join("\n");
            let first = members
                .first()
                .and_then(|n| locations.get(*n).cloned().flatten());
            diags.push(
                Diagnostic::error(format!(
                    "dependency cycle between {}",
                    members.iter().map(|n| format!("`{}`", n.label())).collect::<Vec<_>>().join(", ")
                ))
                .at(first)
                .detail(format!("each of these refers, directly or through others, to itself:\n{listing}"))
                .hint("break the cycle: one of these must not refer to the others (split a resource, or use a separate rule resource)"),
            );
        }
        diags
    }

    /// For each resource block, the resource blocks it depends on, looking through locals,
    /// variables and providers.
    pub fn resource_dependencies(&self) -> HashMap<String, BTreeSet<String>> {
        let mut via: HashMap<NodeIndex, BTreeSet<String>> = HashMap::new();
        let mut out = HashMap::new();
        for &n in &self.order {
            let mut deps = BTreeSet::new();
            for p in self.graph.neighbors_directed(n, Direction::Incoming) {
                match &self.graph[p] {
                    Node::Resource(a) => {
                        deps.insert(a.clone());
                    }
                    _ => {
                        if let Some(d) = via.get(&p) {
                            deps.extend(d.iter().cloned());
                        }
                    }
                }
            }
            if let Node::Resource(a) = &self.graph[n] {
                out.insert(a.clone(), deps.clone());
            }
            via.insert(n, deps);
        }
        out
    }

    /// The graph in Graphviz DOT.
    pub fn to_dot(&self) -> String {
        let mut s = String::from(
            "digraph {\n  compound = \"true\"\n  newrank = \"true\"\n  rankdir = \"RL\"\n",
        );
        let mut nodes: Vec<&Node> = self.graph.node_weights().collect();
        nodes.sort();
        for n in nodes {
            s.push_str(&format!(
                "  \"{}\" [label = \"{}\"]\n",
                n.label(),
                n.label()
            ));
        }
        let mut edges: Vec<(String, String)> = self
            .graph
            .edge_indices()
            .filter_map(|e| self.graph.edge_endpoints(e))
            .map(|(a, b)| (self.graph[b].label(), self.graph[a].label()))
            .collect();
        edges.sort();
        for (a, b) in edges {
            s.push_str(&format!("  \"{a}\" -> \"{b}\"\n"));
        }
        s.push_str("}\n");
        s
    }
}

fn expr_refs(e: &Expr) -> Vec<Found> {
    let mut found = Vec::new();
    refs::in_expr(&e.expr, &mut found);
    found
}
