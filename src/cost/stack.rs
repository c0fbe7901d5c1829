//! A stack's cost: every object recorded in state, and what a plan would make of it.

use std::collections::BTreeMap;

use labform_state::{InstanceAddr, Mode, StateFile};

use super::estimate::{estimate, Estimate};
use super::table::{Kind, PriceTable};
use crate::plan::{Action, Plan};

/// One object of the stack with its estimate.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub addr: InstanceAddr,
    pub estimate: Estimate,
}

/// The objects of a stack, by address.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StackCost {
    pub items: BTreeMap<String, Item>,
}

impl StackCost {
    /// The objects state records (managed instances whose create is not still in doubt).
    pub fn of_state(table: &PriceTable, state: &StateFile) -> StackCost {
        let items = state
            .instances()
            .filter(|(addr, _, inst)| addr.mode == Mode::Managed && inst.pending.is_none())
            .map(|(addr, _, inst)| {
                let estimate = estimate(table, &addr.type_name, &inst.attributes);
                (addr.to_string(), Item { addr, estimate })
            })
            .collect();
        StackCost { items }
    }

    pub fn per_hour(&self) -> f64 {
        self.items
            .values()
            .map(|i| i.estimate.per_hour())
            .sum::<f64>()
            + 0.0
    }

    pub fn per_day(&self) -> f64 {
        self.per_hour() * 24.0
    }

    /// Whether every object is one with nothing outside state (`terraform_data`, `random_*`):
    /// a cost line would only be noise then.
    pub fn nothing_billable(&self) -> bool {
        self.items
            .values()
            .all(|i| i.estimate.kind == Some(Kind::None))
    }

    /// The objects whose price is not (wholly) known.
    pub fn unpriced(&self) -> impl Iterator<Item = &Item> {
        self.items.values().filter(|i| i.estimate.price_unknown())
    }

    /// The free tiers that may apply, each once.
    pub fn free_tiers(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for t in self.items.values().flat_map(|i| &i.estimate.free_tiers) {
            if !out.contains(&t.as_str()) {
                out.push(t);
            }
        }
        out
    }
}

/// The stack's cost before and after a plan, and the objects whose cost it changes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlanCost {
    pub before: StackCost,
    pub after: StackCost,
    /// Objects the plan creates, or whose billed parts it changes (after-side estimates).
    pub added: Vec<Item>,
    /// Objects the plan deletes, or whose old billed parts it replaces (before-side).
    pub removed: Vec<Item>,
}

/// The items of `from` that `other` lacks or bills differently: those with billed parts, and
/// (when new) those billed by use, with no price known, or local ($0: worth saying).
fn changed_between(from: &StackCost, other: &StackCost) -> Vec<Item> {
    from.items
        .iter()
        .filter(|(k, i)| match other.items.get(*k) {
            Some(o) => !i.estimate.parts.is_empty() && o.estimate.parts != i.estimate.parts,
            None => {
                let e = &i.estimate;
                !e.parts.is_empty()
                    || !e.by_use.is_empty()
                    || e.price_unknown()
                    || e.kind == Some(Kind::Local)
            }
        })
        .map(|(_, i)| i.clone())
        .collect()
}

impl PlanCost {
    /// `state` is the (refreshed) state the plan was made against. Changes outside the plan's
    /// targets keep their recorded cost.
    pub fn of_plan(table: &PriceTable, state: &StateFile, plan: &Plan) -> PlanCost {
        let before = StackCost::of_state(table, state);
        let mut after = before.clone();
        for c in &plan.changes {
            if c.addr.mode != Mode::Managed || c.action == Action::Read {
                continue;
            }
            let key = c.addr.to_string();
            match (&c.after, c.action) {
                (_, Action::Delete) | (None, _) => {
                    after.items.remove(&key);
                }
                (Some(value), _) => {
                    let estimate = estimate(table, &c.addr.type_name, value);
                    after.items.insert(
                        key,
                        Item {
                            addr: c.addr.clone(),
                            estimate,
                        },
                    );
                }
            }
        }
        // `removed` blocks with `destroy = false`: the object stays, but not in this stack.
        for c in &plan.forget {
            after.items.remove(&c.addr.to_string());
        }
        let added = changed_between(&after, &before);
        let removed = changed_between(&before, &after);
        PlanCost {
            before,
            after,
            added,
            removed,
        }
    }

    pub fn difference_per_day(&self) -> f64 {
        self.after.per_day() - self.before.per_day()
    }

    /// Whether a cost line says anything: some object before or after can be billed, or has
    /// no price known.
    pub fn worth_showing(&self) -> bool {
        !(self.before.nothing_billable() && self.after.nothing_billable())
    }
}

#[cfg(test)]
mod tests {
    use labform_sdk::Value;
    use labform_state::InstanceState;

    use super::*;
    use crate::cost::builtin;
    use crate::plan::ResourceChange;

    fn instance(ty: &str) -> Value {
        Value::from_pairs([
            ("instance_type", Value::from(ty)),
            (
                "root_block_device",
                Value::List(vec![Value::from_pairs([
                    ("volume_size", Value::Number(8.0)),
                    ("volume_type", Value::from("gp3")),
                ])]),
            ),
        ])
    }

    fn change(
        addr: &str,
        action: Action,
        before: Option<Value>,
        after: Option<Value>,
    ) -> ResourceChange {
        ResourceChange {
            addr: addr.parse().unwrap(),
            provider: "aws".into(),
            action,
            before,
            after,
            replace_paths: Vec::new(),
            reason: None,
            before_sensitive: Default::default(),
            after_sensitive: Default::default(),
            dependencies: Vec::new(),
            importing: None,
        }
    }

    fn state_with(items: &[(&str, Value)]) -> StateFile {
        let mut s = StateFile::new("1.9.0");
        for (addr, v) in items {
            s.put_instance(&addr.parse().unwrap(), "aws", InstanceState::new(v.clone()));
        }
        s
    }

    #[test]
    fn a_plan_prices_the_stack_after_it_and_names_what_changes() {
        let t = builtin().unwrap();
        let state = state_with(&[
            ("aws_instance.web", instance("t3.micro")),
            ("aws_instance.old", instance("t3.large")),
            ("terraform_data.x", Value::object()),
        ]);
        let plan = Plan {
            changes: vec![
                change(
                    "aws_instance.web",
                    Action::Update,
                    Some(instance("t3.micro")),
                    Some(instance("t3.small")),
                ),
                change(
                    "aws_instance.old",
                    Action::Delete,
                    Some(instance("t3.large")),
                    None,
                ),
                change(
                    "aws_s3_bucket.b",
                    Action::Create,
                    None,
                    Some(Value::from_pairs([("bucket", Value::Unknown)])),
                ),
                change(
                    "terraform_data.x",
                    Action::NoOp,
                    Some(Value::object()),
                    Some(Value::object()),
                ),
            ],
            ..Plan::default()
        };
        let c = PlanCost::of_plan(t, &state, &plan);
        let ebs = 8.0 * 0.08 / 730.0;
        assert!((c.before.per_hour() - (0.0104 + 0.0832 + 2.0 * ebs)).abs() < 1e-9);
        assert!((c.after.per_hour() - (0.0208 + ebs)).abs() < 1e-9);
        assert!((c.difference_per_day() - 24.0 * (0.0208 - 0.0104 - 0.0832 - ebs)).abs() < 1e-9);
        let added: Vec<String> = c.added.iter().map(|i| i.addr.to_string()).collect();
        assert_eq!(added, ["aws_instance.web", "aws_s3_bucket.b"]);
        let removed: Vec<String> = c.removed.iter().map(|i| i.addr.to_string()).collect();
        assert_eq!(removed, ["aws_instance.old", "aws_instance.web"]);
        assert!(c.worth_showing());
    }

    #[test]
    fn a_targeted_plan_keeps_the_recorded_cost_of_the_rest() {
        let t = builtin().unwrap();
        let state = state_with(&[("aws_instance.a", instance("m5.large"))]);
        let plan = Plan {
            changes: vec![change(
                "aws_instance.b",
                Action::Create,
                None,
                Some(instance("m5.large")),
            )],
            ..Plan::default()
        };
        let c = PlanCost::of_plan(t, &state, &plan);
        assert!((c.after.per_hour() - 2.0 * c.before.per_hour()).abs() < 1e-9);
    }

    #[test]
    fn a_stack_of_state_only_objects_has_no_cost_line() {
        let t = builtin().unwrap();
        let state = state_with(&[("terraform_data.x", Value::object())]);
        let plan = Plan {
            changes: vec![change(
                "random_pet.p",
                Action::Create,
                None,
                Some(Value::object()),
            )],
            ..Plan::default()
        };
        assert!(!PlanCost::of_plan(t, &state, &plan).worth_showing());
    }
}
