//! The action a resource instance needs, chosen by one small pure function.

use labform_sdk::Value;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    NoOp,
    Create,
    /// A data source read deferred to apply because its configuration is not known yet.
    Read,
    Update,
    DeleteThenCreate,
    CreateThenDelete,
    Delete,
}

impl Action {
    pub fn is_replace(self) -> bool {
        matches!(self, Action::DeleteThenCreate | Action::CreateThenDelete)
    }
    pub fn creates(self) -> bool {
        matches!(
            self,
            Action::Create | Action::DeleteThenCreate | Action::CreateThenDelete
        )
    }
    pub fn deletes(self) -> bool {
        matches!(
            self,
            Action::Delete | Action::DeleteThenCreate | Action::CreateThenDelete
        )
    }
    /// Terraform's JSON action list.
    pub fn terraform_actions(self) -> Vec<&'static str> {
        match self {
            Action::NoOp => vec!["no-op"],
            Action::Create => vec!["create"],
            Action::Read => vec!["read"],
            Action::Update => vec!["update"],
            Action::DeleteThenCreate => vec!["delete", "create"],
            Action::CreateThenDelete => vec!["create", "delete"],
            Action::Delete => vec!["delete"],
        }
    }
}

/// Why an instance must be replaced even though its configuration may not say so.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReplaceReasons {
    pub tainted: bool,
    /// `-replace ADDR` on the command line.
    pub requested: bool,
    /// `lifecycle.replace_triggered_by` fired.
    pub triggered: bool,
}

impl ReplaceReasons {
    pub fn any(self) -> bool {
        self.tainted || self.requested || self.triggered
    }
}

/// Chooses the action for an instance present in configuration.
pub fn decide(
    prior: Option<&Value>,
    planned: &Value,
    requires_replace: bool,
    reasons: ReplaceReasons,
    create_before_destroy: bool,
) -> Action {
    let Some(prior) = prior else {
        return Action::Create;
    };
    if requires_replace || reasons.any() {
        return if create_before_destroy {
            Action::CreateThenDelete
        } else {
            Action::DeleteThenCreate
        };
    }
    // An object taken over from Terraform is not changed only to add labform's marks.
    if planned == prior || labform_sdk::differs_only_by_marks(prior, planned) {
        Action::NoOp
    } else {
        Action::Update
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Value {
        Value::from_pairs([("a", Value::from(s))])
    }

    #[test]
    fn chooses_like_terraform() {
        let none = ReplaceReasons::default();
        assert_eq!(decide(None, &v("x"), false, none, false), Action::Create);
        assert_eq!(
            decide(Some(&v("x")), &v("x"), false, none, false),
            Action::NoOp
        );
        assert_eq!(
            decide(Some(&v("x")), &v("y"), false, none, false),
            Action::Update
        );
        assert_eq!(
            decide(Some(&v("x")), &v("y"), true, none, false),
            Action::DeleteThenCreate
        );
        assert_eq!(
            decide(Some(&v("x")), &v("y"), true, none, true),
            Action::CreateThenDelete
        );
        let tainted = ReplaceReasons {
            tainted: true,
            ..none
        };
        assert_eq!(
            decide(Some(&v("x")), &v("x"), false, tainted, false),
            Action::DeleteThenCreate
        );
    }
}
