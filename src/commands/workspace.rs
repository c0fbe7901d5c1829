//! `labform workspace new|select|list|show|delete`: separate states of one stack, stored where
//! Terraform stores them (see `labform_state::Backend`).

use labform_state::{valid_workspace_name, Backend, StateFile, StateStore, DEFAULT_WORKSPACE};

use super::backend;
use super::common::{load_default_stack, stack_dir, state_error};
use crate::cli::{WorkspaceArgs, WorkspaceCommand};
use crate::diag::{Diagnostic, Diagnostics};
use crate::ui;

pub fn run(args: WorkspaceArgs) -> Result<u8, Diagnostics> {
    let dir_of = |d: &Option<std::path::PathBuf>| stack_dir(d.as_deref());
    match args.command {
        WorkspaceCommand::Show(d) => {
            ui::out(&backend::workspace(&stack_dir(d.dir.as_deref())));
            Ok(0)
        }
        WorkspaceCommand::List(d) => {
            let dir = stack_dir(d.dir.as_deref());
            let (b, current) = open(&dir)?;
            for ws in b.workspaces().map_err(state_error)? {
                let mark = if ws == current { "*" } else { " " };
                ui::out(&format!("{mark} {ws}"));
            }
            Ok(0)
        }
        WorkspaceCommand::New(a) => {
            let dir = dir_of(&a.dir);
            check_name(&a.name)?;
            let (b, _) = open(&dir)?;
            if b.workspaces().map_err(state_error)?.contains(&a.name) {
                return Err(
                    Diagnostic::error(format!("workspace `{}` already exists", a.name))
                        .hint(format!(
                            "select it with `labform workspace select {}`",
                            a.name
                        ))
                        .into(),
                );
            }
            let store = b.store(&a.name).map_err(state_error)?;
            let state = StateFile::new(crate::config::version::TERRAFORM_COMPAT);
            store
                .writer(state)
                .and_then(|w| w.commit())
                .map_err(state_error)?;
            backend::select_workspace(&dir, &a.name)?;
            ui::out(&format!("Created and switched to workspace \"{}\"!\nIts state is empty: `labform apply` builds the stack anew in it.", a.name));
            Ok(0)
        }
        WorkspaceCommand::Select(a) => {
            let dir = dir_of(&a.dir);
            let (b, _) = open(&dir)?;
            if !b.workspaces().map_err(state_error)?.contains(&a.name) {
                return Err(
                    Diagnostic::error(format!("workspace `{}` does not exist", a.name))
                        .hint(format!("create it with `labform workspace new {}`", a.name))
                        .into(),
                );
            }
            backend::select_workspace(&dir, &a.name)?;
            ui::out(&format!("Switched to workspace \"{}\".", a.name));
            Ok(0)
        }
        WorkspaceCommand::Delete(a) => {
            let dir = dir_of(&a.dir);
            let (b, current) = open(&dir)?;
            if a.name == DEFAULT_WORKSPACE {
                return Err(Diagnostic::error("the `default` workspace cannot be deleted").into());
            }
            if a.name == current {
                return Err(
                    Diagnostic::error(format!("workspace `{}` is selected", a.name))
                        .hint("select another one first: `labform workspace select default`")
                        .into(),
                );
            }
            if !b.workspaces().map_err(state_error)?.contains(&a.name) {
                return Err(
                    Diagnostic::error(format!("workspace `{}` does not exist", a.name)).into(),
                );
            }
            let store = b.store(&a.name).map_err(state_error)?;
            let _lock = store
                .lock("workspace delete", std::time::Duration::ZERO)
                .map_err(state_error)?;
            if let Some(state) = store.read().map_err(state_error)? {
                let count = state.instances().count();
                if count > 0 && !a.force {
                    return Err(Diagnostic::error(format!(
                        "workspace `{}` still records {count} resource instance(s)",
                        a.name
                    ))
                    .hint(format!("destroy them first (`labform workspace select {0}` then `labform destroy`), or add `-force` to forget them", a.name))
                    .into());
                }
            }
            drop(_lock);
            b.delete_workspace(&a.name).map_err(state_error)?;
            ui::out(&format!("Deleted workspace \"{}\"!", a.name));
            Ok(0)
        }
    }
}

fn check_name(name: &str) -> Result<(), Diagnostics> {
    if valid_workspace_name(name) {
        return Ok(());
    }
    Err(
        Diagnostic::error(format!("`{name}` is not a valid workspace name"))
            .hint("use letters, digits, `-`, `_` and `.`")
            .into(),
    )
}

fn open(dir: &std::path::Path) -> Result<(Box<dyn Backend>, String), Diagnostics> {
    let stack = load_default_stack(dir)?;
    let config = backend::resolve(&stack)?;
    Ok((backend::open(&config, dir)?, backend::workspace(dir)))
}
