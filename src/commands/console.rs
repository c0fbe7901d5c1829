//! `labform console`: evaluates expressions against the stack's variables, locals and recorded
//! state. A terminal gets a prompt and every result; piped input gets Terraform's piped mode
//! (every line evaluated, the last result printed, exit 1 at the first error).

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::sync::Arc;

use labform_state::StateStore;

use super::common::{cli_vars, registry, stack_dir, state_error, store_for};
use super::state_values::values_from_state;
use crate::cli::{ConsoleArgs, RunArgs};
use crate::config::{load_stack, Expr};
use crate::diag::{Diagnostic, Diagnostics, SourceFile};
use crate::engine::{Engine, Values, VarSource};
use crate::eval::Evaluator;
use crate::ui;

/// What one line of input asks for.
enum Line {
    Exit,
    Empty,
    Result(String),
}

pub fn run(args: ConsoleArgs) -> Result<u8, Diagnostics> {
    let dir = stack_dir(args.dir.dir.as_deref());
    let run = RunArgs {
        vars: args.vars.clone(),
        ..RunArgs::default()
    };
    let terminal = std::io::stdin().is_terminal();
    let stack = load_stack(&dir, &super::common::compose_settings(&run.compose))?;
    let cli = cli_vars(&run);
    let engine = Engine::new(
        stack,
        registry(),
        VarSource::Resolve {
            cli: &cli,
            env: &super::common::process_env,
            prompter: terminal.then_some(&crate::ui::ask_variable),
        },
    )?;
    let store = store_for(&engine.stack, args.state.as_deref())?;
    let state = store
        .read()
        .map_err(state_error)?
        .unwrap_or_else(|| labform_state::StateFile::new(crate::config::version::TERRAFORM_COMPAT));
    let values = values_from_state(&engine, &state);
    if terminal {
        interactive(&engine, &values);
        return Ok(0);
    }
    let mut last = String::new();
    for line in std::io::stdin().lock().lines() {
        let line =
            line.map_err(|e| Diagnostic::error(format!("cannot read standard input: {e}")))?;
        match evaluate(&engine, &values, &line)? {
            Line::Exit => break,
            Line::Empty => last.clear(),
            Line::Result(text) => last = text,
        }
    }
    ui::out(&last);
    Ok(0)
}

/// Prompts until `exit` or the end of input; an error is shown and the session goes on.
fn interactive(engine: &Engine, values: &Values) {
    while let Some(line) = ui::prompt("> ") {
        if line.is_empty() {
            // End of input (Ctrl-D): leave the prompt's line.
            ui::out("");
            return;
        }
        match evaluate(engine, values, &line) {
            Ok(Line::Exit) => return,
            Ok(Line::Empty) => {}
            Ok(Line::Result(text)) => ui::out(&text),
            Err(d) => ui::print_diagnostics(&d),
        }
    }
}

fn evaluate(engine: &Engine, values: &Values, line: &str) -> Result<Line, Diagnostics> {
    let text = line.trim();
    if text.is_empty() {
        return Ok(Line::Empty);
    }
    if text == "exit" {
        return Ok(Line::Exit);
    }
    let file = SourceFile::new(
        PathBuf::from("<console-input>"),
        "<console-input>".to_string(),
        text.to_string(),
    );
    let expr = crate::config::syntax::parse_expr(text).map_err(|e| {
        Diagnostic::error(format!(
            "invalid expression: {}",
            e.message().lines().next().unwrap_or("")
        ))
        .at(crate::diag::Location::new(
            &file,
            Some(e.location().offset()..e.location().offset()),
        ))
        .hint("type one expression per line, e.g. `var.region` or `upper(\"x\")`")
    })?;
    let expr = Expr {
        expr,
        file: Arc::clone(&file),
    };
    let mut ev = Evaluator::new(values, &engine.stack.dir);
    let m = ev.eval_marked(&expr)?;
    Ok(Line::Result(ui::console::render(&m.value, &m.marks)))
}
