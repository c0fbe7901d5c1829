//! `removed` blocks: which recorded instances a block covers, the error when its address is
//! still declared, and the warning listing what a plan forgets (Terraform 1.7+).

use labform_state::InstanceAddr;

use super::change::Plan;
use crate::config::{Removed, Stack};
use crate::diag::{Diagnostic, Diagnostics};

/// The `removed` block covering `addr`: one naming the instance, its resource, or a module
/// instance it is in.
pub fn block_for<'a>(removed: &'a [Removed], addr: &InstanceAddr) -> Option<&'a Removed> {
    let text = addr.to_string();
    let resource = addr.resource_addr();
    removed.iter().find(|r| {
        r.from == text
            || r.from == resource
            || text.starts_with(&format!("{}.", r.from))
            || (r.from.starts_with("module.") && text.starts_with(&format!("{}[", r.from)))
    })
}

/// A `removed` block whose address the configuration still declares is an error, as in
/// Terraform: the object cannot both stay and go.
pub fn still_declared(stack: &Stack) -> Diagnostics {
    let mut diags = Diagnostics::new();
    for r in &stack.removed {
        let declared = stack.resources.contains_key(&r.from)
            || stack
                .resources
                .keys()
                .any(|k| k.starts_with(&format!("{}.", r.from)))
            || stack
                .module_calls
                .contains_key(r.from.trim_start_matches("module."));
        if declared {
            diags.push(
                Diagnostic::error(format!(
                    "removed block for `{}` that is still declared",
                    r.from
                ))
                .at(r.location.clone())
                .hint(format!(
                    "remove the `{}` block from the configuration, or remove the `removed` block",
                    r.from
                )),
            );
        }
    }
    diags
}

/// The warning Terraform shows when a plan forgets objects: they stay, unmanaged.
pub fn forget_warning(plan: &Plan) -> Diagnostics {
    let mut diags = Diagnostics::new();
    if plan.forget.is_empty() {
        return diags;
    }
    let list: Vec<String> = plan
        .forget
        .iter()
        .map(|c| format!(" - {}", c.addr))
        .collect();
    diags.push(
        Diagnostic::warning("some objects will no longer be managed by labform").detail(format!(
            "If you apply this plan, labform will discard its tracking information for the following objects, but it will not delete them:\n{}\n\nAfter applying this plan, labform will no longer manage these objects. You will need to import them to manage them again.",
            list.join("\n")
        )),
    );
    diags
}
