//! `labform graph`: the dependency graph in Graphviz DOT.

use super::common::load_default_stack;
use super::common::stack_dir;
use crate::cli::DirArgs;
use crate::diag::Diagnostics;
use crate::graph::Graph;
use crate::ui;

pub fn run(args: DirArgs) -> Result<u8, Diagnostics> {
    let stack = load_default_stack(&stack_dir(args.dir.as_deref()))?;
    // Module instances are part of the graph; variables take their defaults, as in validate.
    let defaults = crate::engine::modules::default_values(&stack);
    let stack = crate::engine::modules::expand_modules(stack, &defaults, true)?;
    let graph = Graph::build(&stack)?;
    ui::out(&graph.to_dot());
    Ok(0)
}
