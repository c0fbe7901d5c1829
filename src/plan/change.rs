//! What a plan holds: resource changes, output changes, and where the prior state stood.

use std::collections::BTreeMap;

use labform_sdk::{AttrPath, Value};
use labform_state::InstanceAddr;

use serde::{Deserialize, Serialize};

use super::action::Action;
use crate::eval::marks::secret_texts;
use crate::eval::Marks;

/// One resource instance's planned change.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ResourceChange {
    #[serde(with = "addr_text")]
    pub addr: InstanceAddr,
    /// Provider key (`aws`, `aws.west`).
    pub provider: String,
    pub action: Action,
    /// The (refreshed) prior value; `None` when it does not exist yet.
    pub before: Option<Value>,
    /// The planned value, unknown where only apply can tell; `None` for a delete.
    #[serde(with = "with_unknowns")]
    pub after: Option<Value>,
    /// Attribute paths that force replacement.
    pub replace_paths: Vec<AttrPath>,
    /// Why, when it is not obvious from the diff (tainted, requested, gone from configuration).
    pub reason: Option<String>,
    /// The sensitive parts of `before` (from state's `sensitive_attributes` and the schema).
    #[serde(default)]
    pub before_sensitive: Marks,
    /// The sensitive parts of `after` (marks of the configuration and the schema).
    #[serde(default)]
    pub after_sensitive: Marks,
    /// Resource addresses this instance depends on.
    pub dependencies: Vec<String>,
    /// The id an `import` block reads this instance from: `before` is the object as read, and
    /// apply records it in state before any other change to it.
    #[serde(default)]
    pub importing: Option<String>,
}

impl ResourceChange {
    /// The text of every sensitive value in the change, for scrubbing messages about it.
    pub fn secrets(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(b) = &self.before {
            out.extend(secret_texts(b, &self.before_sensitive));
        }
        if let Some(a) = &self.after {
            out.extend(secret_texts(a, &self.after_sensitive));
        }
        out.sort_by_key(|s| std::cmp::Reverse(s.len()));
        out.dedup();
        out
    }
}

/// One output's planned change.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct OutputChange {
    pub name: String,
    pub before: Option<Value>,
    /// `None` when the output is removed.
    #[serde(with = "with_unknowns")]
    pub after: Option<Value>,
    pub sensitive: bool,
}

impl OutputChange {
    pub fn action(&self) -> Action {
        match (&self.before, &self.after) {
            // Terraform records no output whose value is null: nothing to create.
            (None, Some(Value::Null)) => Action::NoOp,
            (None, Some(_)) => Action::Create,
            (Some(_), None) => Action::Delete,
            (Some(a), Some(b)) if a == b => Action::NoOp,
            _ => Action::Update,
        }
    }
}

/// A plan: the changes, and the state it was made against.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Plan {
    pub destroy: bool,
    pub changes: Vec<ResourceChange>,
    pub outputs: Vec<OutputChange>,
    /// Lineage and serial of the state the plan was made against (`None`: no state yet).
    pub prior_lineage: Option<String>,
    pub prior_serial: Option<u64>,
    /// Objects found changed or deleted outside labform during refresh.
    pub drift: Vec<String>,
    /// Instances moved by `moved` blocks before planning: (from, to) addresses.
    #[serde(default)]
    pub moved: Vec<(String, String)>,
    /// Instances a `removed` block with `destroy = false` drops from state, leaving their
    /// objects in place (action `NoOp`, `before` their recorded value).
    #[serde(default)]
    pub forget: Vec<ResourceChange>,
    /// `plan -generate-config-out`: the `resource` block written for each imported instance
    /// (by address), shown as Terraform does ("config will be generated", `generated_config`).
    #[serde(default)]
    pub generated: BTreeMap<String, String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub import: usize,
    pub add: usize,
    pub change: usize,
    pub destroy: usize,
}

impl Plan {
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for c in &self.changes {
            if c.importing.is_some() {
                s.import += 1;
            }
            match c.action {
                Action::Create => s.add += 1,
                Action::Update => s.change += 1,
                Action::Delete => s.destroy += 1,
                Action::DeleteThenCreate | Action::CreateThenDelete => {
                    s.add += 1;
                    s.destroy += 1;
                }
                Action::NoOp | Action::Read => {}
            }
        }
        s
    }

    /// Whether applying would change anything: a resource, or an output value.
    pub fn has_changes(&self) -> bool {
        !self.moved.is_empty()
            || !self.forget.is_empty()
            || self.changes.iter().any(|c| c.importing.is_some())
            || self
                .changes
                .iter()
                .any(|c| !matches!(c.action, Action::NoOp | Action::Read))
            || self.outputs.iter().any(|o| o.action() != Action::NoOp)
    }
}

/// Instance addresses travel as their text (`aws_s3_bucket.b["k"]`) in saved plans.
mod addr_text {
    use labform_state::InstanceAddr;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(addr: &InstanceAddr, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(addr)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<InstanceAddr, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Planned values travel in saved plans with their unknowns: `{"value": ..., "unknown": tree}`,
/// the tree `true` where a value is known only after apply (plain JSON has no unknown).
mod with_unknowns {
    use labform_sdk::Value;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::{json, Map, Value as Json};

    #[derive(Serialize, Deserialize)]
    struct Planned {
        value: Json,
        unknown: Json,
    }

    pub fn serialize<S: Serializer>(v: &Option<Value>, s: S) -> Result<S::Ok, S::Error> {
        v.as_ref()
            .map(|v| Planned {
                value: v.to_json(),
                unknown: unknown_tree(v),
            })
            .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
        let planned = Option::<Planned>::deserialize(d)?;
        Ok(planned.map(|p| with_unknowns(Value::from_json(&p.value), &p.unknown)))
    }

    fn unknown_tree(v: &Value) -> Json {
        match v {
            Value::Unknown => json!(true),
            Value::List(items) => Json::Array(items.iter().map(unknown_tree).collect()),
            Value::Object(map) => Json::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), unknown_tree(v)))
                    .filter(|(_, t)| *t != json!(false))
                    .collect::<Map<_, _>>(),
            ),
            _ => json!(false),
        }
    }

    fn with_unknowns(v: Value, tree: &Json) -> Value {
        match (v, tree) {
            (_, Json::Bool(true)) => Value::Unknown,
            (Value::List(items), Json::Array(trees)) => Value::List(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| match trees.get(i) {
                        Some(t) => with_unknowns(item, t),
                        None => item,
                    })
                    .collect(),
            ),
            (Value::Object(map), Json::Object(trees)) => Value::Object(
                map.into_iter()
                    .map(|(k, item)| {
                        let item = match trees.get(&k) {
                            Some(t) => with_unknowns(item, t),
                            None => item,
                        };
                        (k, item)
                    })
                    .collect(),
            ),
            (v, _) => v,
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn unknowns_survive_a_saved_plan() {
            let v = Some(Value::from_pairs([
                ("id", Value::Unknown),
                ("input", Value::List(vec![Value::Unknown, Value::from("a")])),
                ("n", Value::Null),
            ]));
            let mut bytes = Vec::new();
            serialize(&v, &mut serde_json::Serializer::new(&mut bytes)).expect("encode");
            let back =
                deserialize(&mut serde_json::Deserializer::from_slice(&bytes)).expect("decode");
            assert_eq!(back, v);
        }
    }
}
