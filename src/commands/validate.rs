//! `labform validate`: loads the stack and evaluates it against provider schemas, offline.

use serde_json::json;

use super::common::load_default_stack;
use super::common::{registry, stack_dir};
use crate::cli::ValidateArgs;
use crate::diag::{Diagnostics, Severity};
use crate::engine::{Engine, VarSource};
use crate::plan::planner::{plan, PlanOptions};
use crate::ui;

pub async fn run(args: ValidateArgs) -> Result<u8, Diagnostics> {
    let dir = stack_dir(args.dir.dir.as_deref());
    let result = validate(&dir).await;
    if args.json {
        let diags = match &result {
            Ok(w) => w.clone(),
            Err(e) => e.clone(),
        };
        let count = |s: Severity| diags.0.iter().filter(|d| d.severity == s).count();
        let list: Vec<_> = diags
            .0
            .iter()
            .map(|d| {
                let range = d.location.as_ref().map(|l| {
                    let (line, column) = l.file.line_col(l.span.start);
                    json!({ "filename": l.file.display, "start": { "line": line, "column": column, "byte": l.span.start } })
                });
                json!({
                    "severity": if d.severity == Severity::Error { "error" } else { "warning" },
                    "summary": d.message,
                    "detail": d.detail.clone().unwrap_or_default(),
                    "hint": d.hint,
                    "range": range,
                })
            })
            .collect();
        ui::out(
            &json!({
                "format_version": "1.0",
                "valid": result.is_ok(),
                "error_count": count(Severity::Error),
                "warning_count": count(Severity::Warning),
                "diagnostics": list,
            })
            .to_string(),
        );
        return Ok(if result.is_ok() { 0 } else { 1 });
    }
    let warnings = result?;
    ui::print_diagnostics(&warnings);
    ui::out("Success! The configuration is valid.");
    Ok(0)
}

async fn validate(dir: &std::path::Path) -> Result<Diagnostics, Diagnostics> {
    let stack = load_default_stack(dir)?;
    // Variables take their defaults; those without one are unknown, as in `terraform validate`.
    let defaults = crate::engine::modules::default_values(&stack);
    let engine = Engine::new(stack, registry(), VarSource::Validate(defaults))?;
    let state = labform_state::StateFile::new(crate::config::version::TERRAFORM_COMPAT);
    plan(
        &engine,
        &state,
        &PlanOptions {
            offline: true,
            ..Default::default()
        },
    )
    .await?;
    Ok(engine.warnings)
}
