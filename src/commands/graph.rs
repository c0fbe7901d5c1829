//! `labform graph`: the dependency graph in Graphviz DOT.

use super::common::load_default_stack;
use super::common::{stack_dir, var_flags};
use crate::cli::GraphArgs;
use crate::config::vars::{resolve_variables, Missing};
use crate::diag::Diagnostics;
use crate::graph::Graph;
use crate::ui;

pub fn run(args: GraphArgs) -> Result<u8, Diagnostics> {
    let stack = load_default_stack(&stack_dir(args.dir.dir.as_deref()))?;
    // Module instances are part of the graph: `-var` / `-var-file` values (and the usual files
    // and `TF_VAR_`) decide their `count` / `for_each`; a required variable left unset is
    // unknown, as in validate, since Terraform draws the graph without it.
    let (values, _) = resolve_variables(
        &stack,
        &var_flags(&args.vars),
        &super::common::process_env,
        Missing::Skip,
    )?;
    let stack = crate::engine::modules::expand_modules(stack, &values, true)?;
    let graph = Graph::build(&stack)?;
    ui::out(&graph.to_dot());
    Ok(0)
}
