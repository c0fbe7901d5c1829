//! The marks every object labform creates carries, so a sweep can find leftovers without state
//! and an interrupted create can be found again; and the one test of whether an object's marks
//! belong to a stack ([`StackFilter`]), which every provider's `list_marked` applies.

use std::collections::BTreeMap;

pub const MANAGED_BY_KEY: &str = "managed-by";
pub const MANAGED_BY_VALUE: &str = "labform";
/// The readable mark: the stack directory's name. Not unique (many labs keep their Terraform in
/// a folder called `terraform`), so it never decides alone once an object carries an id.
pub const STACK_KEY: &str = "labform-stack";
/// The stack's identity (see [`StackIdentity::id`]): what sweep selects by.
pub const STACK_ID_KEY: &str = "labform-stack-id";
/// When the stack expires, as [`expires_mark`] writes it: `sweep -expired` reads it.
pub const EXPIRES_KEY: &str = "labform-expires";
/// The per-instance mark: its value is the create token the engine recorded in state before the
/// create call, written on the object by that same call (tag, label), so that a run killed before
/// state recorded the object finds it by this mark and adopts it instead of making it twice.
/// Providers leave it out of what they read back (`tags_all`, `effective_labels`): it is an
/// implementation detail of labform, never part of a plan.
pub const INSTANCE_KEY: &str = "labform-instance";

/// Which stack an object belongs to, and until when: what the engine tells every provider.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StackIdentity {
    /// The stack directory's name: the readable `labform-stack` mark.
    pub name: String,
    /// A value unique to the stack (the engine derives it from the stack directory's canonical
    /// path and keeps it in state): lowercase hex, legal as an AWS tag value, a GCP label value
    /// and a Docker label. Empty for contexts that have none (tests of old marks).
    pub id: String,
    /// The expiry as [`expires_mark`] writes it, when the stack has one.
    pub expires: Option<String>,
}

impl StackIdentity {
    /// The labels/tags every object of this stack carries.
    pub fn marks(&self) -> BTreeMap<String, String> {
        let mut m = mark_labels(&self.name);
        if !self.id.is_empty() {
            m.insert(STACK_ID_KEY.to_string(), self.id.clone());
        }
        if let Some(e) = &self.expires {
            m.insert(EXPIRES_KEY.to_string(), e.clone());
        }
        m
    }

    /// The filter that selects this stack's objects.
    pub fn filter(&self) -> StackFilter {
        StackFilter::Stack {
            name: self.name.clone(),
            id: self.id.clone(),
        }
    }
}

/// Which marked objects a listing keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StackFilter {
    /// Every object carrying `managed-by = labform`, of any stack (`sweep -all`).
    Any,
    /// The objects of one stack: those carrying its id, and those marked the old way (a name and
    /// no id) with its name. An object carrying another id is never this stack's, whatever its
    /// name says.
    Stack { name: String, id: String },
}

impl StackFilter {
    /// Whether an object with these labels/tags belongs to the selection.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        if labels.get(MANAGED_BY_KEY).map(String::as_str) != Some(MANAGED_BY_VALUE) {
            return false;
        }
        match self {
            StackFilter::Any => true,
            StackFilter::Stack { name, id } => match labels.get(STACK_ID_KEY) {
                Some(found) => !id.is_empty() && found == id,
                None => labels
                    .get(STACK_KEY)
                    .is_some_and(|n| n == name || *n == label_safe(name)),
            },
        }
    }

    /// The label conjunctions to ask an API for (each a set of `key = value` that must all
    /// hold), for APIs that filter by tag or label server side: the union of their answers,
    /// passed through [`StackFilter::matches`], is the selection. For one stack: its id, and its
    /// name (for objects marked the old way).
    pub fn queries(&self) -> Vec<BTreeMap<String, String>> {
        let managed = (MANAGED_BY_KEY.to_string(), MANAGED_BY_VALUE.to_string());
        match self {
            StackFilter::Any => vec![BTreeMap::from([managed])],
            StackFilter::Stack { name, id } => {
                let mut out = Vec::new();
                if !id.is_empty() {
                    out.push(BTreeMap::from([
                        managed.clone(),
                        (STACK_ID_KEY.to_string(), id.clone()),
                    ]));
                }
                out.push(BTreeMap::from([
                    managed,
                    (STACK_KEY.to_string(), name.clone()),
                ]));
                out
            }
        }
    }

    /// What a listing keeps of `found` (the answers of every query): the objects whose marks
    /// this filter matches, each once (by the value's `id`).
    pub fn select(&self, found: impl IntoIterator<Item = Marked>) -> Vec<Marked> {
        let mut out: Vec<Marked> = Vec::new();
        for m in found {
            let id = m.value.str_attr("id");
            let seen = id.is_some() && out.iter().any(|o| o.value.str_attr("id") == id);
            if self.matches(&m.labels) && !seen {
                out.push(m);
            }
        }
        out
    }
}

/// One object a listing found: the value `delete` accepts, its marks, and when it was made where
/// the API says (RFC 3339).
#[derive(Clone, Debug)]
pub struct Marked {
    pub value: crate::value::Value,
    pub labels: BTreeMap<String, String>,
    pub created: Option<String>,
}

impl Marked {
    pub fn new(value: crate::value::Value, labels: BTreeMap<String, String>) -> Self {
        Marked {
            value,
            labels,
            created: None,
        }
    }

    pub fn created(mut self, at: Option<String>) -> Self {
        self.created = at.filter(|s| !s.is_empty());
        self
    }

    /// The stack the object belongs to: its name and id (empty for an old mark).
    pub fn stack(&self) -> (String, String) {
        let get = |k: &str| self.labels.get(k).cloned().unwrap_or_default();
        (get(STACK_KEY), get(STACK_ID_KEY))
    }

    /// The expiry mark, when the object carries one.
    pub fn expires(&self) -> Option<&str> {
        self.labels.get(EXPIRES_KEY).map(String::as_str)
    }
}

/// The labels/tags to merge into every object created for `stack` (the readable marks only; a
/// [`StackIdentity`] adds its id and expiry).
pub fn mark_labels(stack: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        (MANAGED_BY_KEY.to_string(), MANAGED_BY_VALUE.to_string()),
        (STACK_KEY.to_string(), stack.to_string()),
    ])
}

/// `text` as a GCP label value (lowercase letters, digits, `_` and `-`, at most 63): how the
/// google provider writes the stack name, so an old mark is recognised in that form too.
pub fn label_safe(text: &str) -> String {
    text.chars()
        .map(|c| {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .take(63)
        .collect()
}

/// An expiry (UTC: year, month, day, hour, minute, second) as the `labform-expires` value:
/// `20261204t183000z`. Lowercase, no colons (AWS tags, GCP labels and Docker labels all take it),
/// and fixed width, so comparing two as text compares the times.
pub fn expires_mark(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> String {
    format!("{y:04}{mo:02}{d:02}t{h:02}{mi:02}{s:02}z")
}

/// Whether an expiry mark lies before `now` (also an [`expires_mark`]). A value in another form
/// is never expired: a sweep must not destroy on a mark it cannot read.
pub fn is_expired(mark: &str, now: &str) -> bool {
    let valid = |m: &str| {
        m.len() == 16
            && m.as_bytes()[8] == b't'
            && m.ends_with('z')
            && m[..8].bytes().all(|b| b.is_ascii_digit())
            && m[9..15].bytes().all(|b| b.is_ascii_digit())
    };
    valid(mark) && valid(now) && mark < now
}

/// Removes the per-instance mark from labels/tags read back from an object.
pub fn without_instance_mark(mut labels: BTreeMap<String, String>) -> BTreeMap<String, String> {
    labels.remove(INSTANCE_KEY);
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_stack_keeps_its_id_and_old_marks_of_its_name_only() {
        let f = StackFilter::Stack {
            name: "terraform".into(),
            id: "aaaa".into(),
        };
        let ours = labels(&[
            ("managed-by", "labform"),
            ("labform-stack", "terraform"),
            ("labform-stack-id", "aaaa"),
        ]);
        let twin = labels(&[
            ("managed-by", "labform"),
            ("labform-stack", "terraform"),
            ("labform-stack-id", "bbbb"),
        ]);
        let old = labels(&[("managed-by", "labform"), ("labform-stack", "terraform")]);
        let other_old = labels(&[("managed-by", "labform"), ("labform-stack", "lab2")]);
        let unmarked = labels(&[("labform-stack", "terraform")]);
        assert!(f.matches(&ours));
        assert!(!f.matches(&twin), "same name, another id");
        assert!(f.matches(&old));
        assert!(!f.matches(&other_old));
        assert!(!f.matches(&unmarked));
        assert!(StackFilter::Any.matches(&twin));
        assert!(!StackFilter::Any.matches(&unmarked));
    }

    #[test]
    fn an_old_gcp_mark_is_the_label_form_of_the_name() {
        let f = StackFilter::Stack {
            name: "My.Lab".into(),
            id: "x".into(),
        };
        assert!(f.matches(&labels(&[
            ("managed-by", "labform"),
            ("labform-stack", "my-lab")
        ])));
    }

    #[test]
    fn queries_ask_for_the_id_and_the_name() {
        let f = StackFilter::Stack {
            name: "n".into(),
            id: "i".into(),
        };
        let q = f.queries();
        assert_eq!(q.len(), 2);
        assert_eq!(q[0].get(STACK_ID_KEY).map(String::as_str), Some("i"));
        assert_eq!(q[1].get(STACK_KEY).map(String::as_str), Some("n"));
        assert!(q.iter().all(|c| c.contains_key(MANAGED_BY_KEY)));
        assert_eq!(StackFilter::Any.queries().len(), 1);
    }

    #[test]
    fn expiry_marks_compare_as_times() {
        let m = expires_mark(2026, 12, 4, 18, 30, 0);
        assert_eq!(m, "20261204t183000z");
        assert!(is_expired(&m, "20261204t183001z"));
        assert!(!is_expired(&m, "20261204t182959z"));
        assert!(!is_expired("tomorrow", "20261204t183001z"));
    }

    #[test]
    fn identity_marks_carry_id_and_expiry() {
        let id = StackIdentity {
            name: "lab".into(),
            id: "abc".into(),
            expires: Some("20261204t183000z".into()),
        };
        let m = id.marks();
        assert_eq!(m.get(STACK_ID_KEY).map(String::as_str), Some("abc"));
        assert_eq!(
            m.get(EXPIRES_KEY).map(String::as_str),
            Some("20261204t183000z")
        );
        assert!(id.filter().matches(&m));
    }
}
