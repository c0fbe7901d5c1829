//! `-target`: a plan limited to some resources and what they depend on (or, when destroying,
//! what depends on them).

use std::collections::{HashMap, HashSet};

use super::change::Plan;

/// `-target`: keeps only the targeted resources and what they depend on (or, when
/// destroying, what depends on them).
pub fn keep_targets(plan: &mut Plan, targets: &[String], destroy: bool) {
    let mut keep: HashSet<String> = HashSet::new();
    let mut stack: Vec<String> = targets.to_vec();
    let deps: HashMap<String, Vec<String>> = if destroy {
        // Reverse: dependents of each resource.
        let mut m: HashMap<String, Vec<String>> = HashMap::new();
        for c in &plan.changes {
            for d in &c.dependencies {
                m.entry(d.clone()).or_default().push(c.addr.resource_addr());
            }
        }
        m
    } else {
        let mut m: HashMap<String, Vec<String>> = HashMap::new();
        for c in &plan.changes {
            m.entry(c.addr.resource_addr())
                .or_default()
                .extend(c.dependencies.iter().cloned());
        }
        m
    };
    while let Some(a) = stack.pop() {
        let resource = a.split('[').next().unwrap_or(&a).to_string();
        if keep.insert(a.clone()) {
            if let Some(ds) = deps.get(&resource) {
                stack.extend(ds.iter().cloned());
            }
        }
        keep.insert(resource);
    }
    let target_instances: HashSet<&String> = targets.iter().filter(|t| t.contains('[')).collect();
    plan.changes.retain(|c| {
        let text = c.addr.to_string();
        let resource = c.addr.resource_addr();
        keep.contains(&text)
            || (keep.contains(&resource)
                && !target_instances
                    .iter()
                    .any(|t| t.starts_with(&format!("{resource}[")) && **t != text))
    });
    plan.outputs.clear();
}
