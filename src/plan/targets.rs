//! `-target`: a plan limited to some resources and what they depend on (or, when destroying,
//! what depends on them). A target is a module (`module.etl`, `module.db[0]`: everything in
//! it, nested modules included), a resource (every instance) or one instance.

use std::collections::{HashMap, HashSet};

use labform_state::{InstanceAddr, ModulePath};

use super::change::Plan;

/// What one `-target` names.
enum Target {
    Module(ModulePath),
    Resource(InstanceAddr),
}

fn parse(text: &str) -> Option<Target> {
    if let Ok(m) = text.parse::<ModulePath>() {
        return Some(Target::Module(m));
    }
    text.parse::<InstanceAddr>().ok().map(Target::Resource)
}

/// True when `actual` is inside `target`; a step without a key in the target matches every
/// instance of that call (`module.db` covers `module.db[0]`).
fn in_module(target: &ModulePath, actual: &ModulePath, exact: bool) -> bool {
    if actual.0.len() < target.0.len() || (exact && actual.0.len() != target.0.len()) {
        return false;
    }
    target
        .0
        .iter()
        .zip(&actual.0)
        .all(|(t, a)| t.name == a.name && (t.key.is_none() || t.key == a.key))
}

fn matches(target: &Target, addr: &InstanceAddr) -> bool {
    match target {
        Target::Module(m) => in_module(m, &addr.module, false),
        Target::Resource(r) => {
            in_module(&r.module, &addr.module, true)
                && r.mode == addr.mode
                && r.type_name == addr.type_name
                && r.name == addr.name
                && (r.key.is_none() || r.key == addr.key)
        }
    }
}

/// `-target`: keeps only the targeted resources and what they depend on (or, when
/// destroying, what depends on them).
pub fn keep_targets(plan: &mut Plan, targets: &[String], destroy: bool) {
    let targets: Vec<Target> = targets.iter().filter_map(|t| parse(t)).collect();
    let links: HashMap<String, Vec<String>> = {
        let mut m: HashMap<String, Vec<String>> = HashMap::new();
        for c in &plan.changes {
            if destroy {
                // Reverse: dependents of each resource.
                for d in &c.dependencies {
                    m.entry(d.clone()).or_default().push(c.addr.resource_addr());
                }
            } else {
                m.entry(c.addr.resource_addr())
                    .or_default()
                    .extend(c.dependencies.iter().cloned());
            }
        }
        m
    };
    let seeds: HashSet<String> = plan
        .changes
        .iter()
        .filter(|c| targets.iter().any(|t| matches(t, &c.addr)))
        .map(|c| c.addr.to_string())
        .collect();
    let mut reached: HashSet<String> = HashSet::new();
    let mut todo: Vec<String> = plan
        .changes
        .iter()
        .filter(|c| seeds.contains(&c.addr.to_string()))
        .flat_map(|c| {
            links
                .get(&c.addr.resource_addr())
                .cloned()
                .unwrap_or_default()
        })
        .collect();
    while let Some(r) = todo.pop() {
        if reached.insert(r.clone()) {
            if let Some(next) = links.get(&r) {
                todo.extend(next.iter().cloned());
            }
        }
    }
    plan.changes.retain(|c| {
        seeds.contains(&c.addr.to_string()) || reached.contains(&c.addr.resource_addr())
    });
    plan.outputs.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(s: &str) -> InstanceAddr {
        s.parse().expect("address")
    }

    #[test]
    fn a_module_target_covers_its_instances_and_nested_modules() {
        let t = parse("module.db").expect("target");
        assert!(matches(&t, &addr("module.db[0].t.a")));
        assert!(matches(&t, &addr("module.db[1].module.x.t.a")));
        assert!(!matches(&t, &addr("module.dbx.t.a")));
        assert!(!matches(&t, &addr("t.a")));
        let one = parse("module.db[1]").expect("target");
        assert!(!matches(&one, &addr("module.db[0].t.a")));
        assert!(matches(&one, &addr("module.db[1].t.a")));
    }

    #[test]
    fn a_resource_target_is_exact_about_its_module() {
        let t = parse("module.a.t.x").expect("target");
        assert!(matches(&t, &addr("module.a.t.x[\"k\"]")));
        assert!(!matches(&t, &addr("module.a.module.b.t.x")));
        assert!(!matches(&t, &addr("t.x")));
        let i = parse("t.x[0]").expect("target");
        assert!(matches(&i, &addr("t.x[0]")));
        assert!(!matches(&i, &addr("t.x[1]")));
    }
}
