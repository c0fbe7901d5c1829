//! Turns planned changes into operations and the order between them: creates and updates after
//! what they depend on; deletes before what they depend on is deleted; a replace deletes first
//! (or, with `create_before_destroy`, creates first and deletes the old object last).

use std::collections::HashMap;

use crate::plan::{Action, Plan};

use super::events::OpKind;

#[derive(Clone, Debug)]
pub struct Op {
    /// Index into `plan.changes`.
    pub change: usize,
    pub kind: OpKind,
    /// For the delete half of a create-before-destroy replace: the old object.
    pub deposed: bool,
}

/// The operations and, for each, the operations it waits for.
pub fn build(plan: &Plan) -> (Vec<Op>, Vec<Vec<usize>>) {
    let mut ops = Vec::new();
    // Index of each change's forward (create/update/read) and delete op.
    let mut forward: Vec<Option<usize>> = vec![None; plan.changes.len()];
    let mut delete: Vec<Option<usize>> = vec![None; plan.changes.len()];
    for (i, c) in plan.changes.iter().enumerate() {
        let push = |kind: OpKind, deposed: bool, ops: &mut Vec<Op>| {
            ops.push(Op {
                change: i,
                kind,
                deposed,
            });
            ops.len() - 1
        };
        match c.action {
            Action::NoOp => {}
            Action::Create => forward[i] = Some(push(OpKind::Create, false, &mut ops)),
            Action::Update => forward[i] = Some(push(OpKind::Update, false, &mut ops)),
            Action::Read => forward[i] = Some(push(OpKind::Read, false, &mut ops)),
            Action::Delete => delete[i] = Some(push(OpKind::Delete, false, &mut ops)),
            Action::DeleteThenCreate => {
                delete[i] = Some(push(OpKind::Delete, false, &mut ops));
                forward[i] = Some(push(OpKind::Create, false, &mut ops));
            }
            Action::CreateThenDelete => {
                forward[i] = Some(push(OpKind::Create, false, &mut ops));
                delete[i] = Some(push(OpKind::Delete, true, &mut ops));
            }
        }
    }
    let mut forward_by_resource: HashMap<String, Vec<usize>> = HashMap::new();
    let mut delete_by_resource: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, c) in plan.changes.iter().enumerate() {
        let r = c.addr.resource_addr();
        if let Some(f) = forward[i] {
            forward_by_resource.entry(r.clone()).or_default().push(f);
        }
        if let Some(d) = delete[i] {
            delete_by_resource.entry(r).or_default().push(d);
        }
    }
    let mut deps: Vec<Vec<usize>> = vec![Vec::new(); ops.len()];
    for (i, c) in plan.changes.iter().enumerate() {
        if let Some(f) = forward[i] {
            for d in &c.dependencies {
                if let Some(fs) = forward_by_resource.get(d) {
                    deps[f].extend(fs.iter().copied());
                }
            }
            if c.action == Action::DeleteThenCreate {
                if let Some(del) = delete[i] {
                    deps[f].push(del);
                }
            }
        }
        // What depends on this change must be deleted before this one is.
        for d in &c.dependencies {
            if let (Some(dels), Some(mine)) = (delete_by_resource.get(d), delete[i]) {
                for &dep_delete in dels {
                    if !ops[dep_delete].deposed && !ops[mine].deposed {
                        deps[dep_delete].push(mine);
                    }
                }
            }
        }
        if c.action == Action::CreateThenDelete {
            if let (Some(del), Some(f)) = (delete[i], forward[i]) {
                deps[del].push(f);
                // The old object goes only after everything that used it has moved on.
                let me = c.addr.resource_addr();
                for (j, other) in plan.changes.iter().enumerate() {
                    if other.dependencies.contains(&me) {
                        if let Some(of) = forward[j] {
                            deps[del].push(of);
                        }
                    }
                }
            }
        }
    }
    for d in &mut deps {
        d.sort_unstable();
        d.dedup();
    }
    (ops, deps)
}
