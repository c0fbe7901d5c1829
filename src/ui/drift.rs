//! A refresh-only plan as Terraform prints it: what changed outside labform, as diffs, and
//! that nothing will be done to undo it.

use super::plan_text::{render_change, render_plan};
use crate::plan::{Action, OutputChange, Plan, ResourceChange};

/// `drift` holds an update (changed outside) or a delete (deleted outside) per object.
pub fn render_refresh_only(drift: &[ResourceChange], outputs: &[OutputChange]) -> String {
    let outputs_changed = outputs.iter().any(|o| o.action() != Action::NoOp);
    if drift.is_empty() && !outputs_changed {
        return "\nNo changes. Your infrastructure still matches the configuration.\n\n\
                labform has checked that the real remote objects still match the result of\n\
                your most recent changes, and found no differences.\n"
            .to_string();
    }
    let mut s = String::new();
    if !drift.is_empty() {
        s.push_str("\nNote: Objects have changed outside of labform\n\n");
        s.push_str("labform detected the following changes made outside of labform since the\nlast \"labform apply\" which may have affected this plan:\n\n");
        for c in drift {
            let body = render_change(c);
            let (_, rest) = body.split_once('\n').unwrap_or(("", &body));
            let what = if c.action == Action::Delete {
                "has been deleted"
            } else {
                "has changed"
            };
            s.push_str(&format!("  # {} {what}\n{rest}\n", c.addr));
        }
        s.push_str("This is a refresh-only plan, so labform will not take any actions to undo\nthese. If you were expecting these changes then you can apply this plan to\nrecord the updated values in the labform state without changing any remote\nobjects.\n");
    }
    if outputs_changed {
        let plan = Plan {
            outputs: outputs.to_vec(),
            ..Plan::default()
        };
        s.push_str(&render_plan(&plan));
    }
    s
}
