//! `sweep -expired -all` and a stack found by mark whose directory this machine knows
//! (`engine::known_stacks`): that stack is decided by its own state, as it would be from its
//! directory. Its objects' expiry marks can be older than its state's expiry (a later
//! `apply -ttl` renews state and relabels what can be relabelled, but a Docker object keeps the
//! labels it was made with), so only state can say that it was renewed.

use std::path::{Path, PathBuf};

use labform_sdk::is_expired;

use super::common::{compose_settings, read_state, store_for};
use super::marked::{is_recorded, Found};
use crate::cli::RunArgs;
use crate::config::load_stack;
use crate::engine::known_stacks;

/// What a stack's own state says of it.
pub enum ByItsState {
    /// Not expired (renewed, or its expiry cleared): keep it.
    Kept,
    /// Expired: destroy it from its directory; `leftovers` carry its mark outside its state.
    Expired {
        dir: PathBuf,
        expires: String,
        recorded: Vec<String>,
        leftovers: Vec<Found>,
    },
}

/// The verdict of the state of stack `id` (found by mark with `objects`), when this machine
/// knows its directory, that directory is not `here`, and its state records that stack with
/// resources in it; `None` leaves the stack to its marks.
pub fn decide(id: &str, here: &Path, objects: &[&Found], now: &str) -> Option<ByItsState> {
    let dir = known_stacks::directory_of(id)?;
    if same_dir(&dir, here) {
        return None;
    }
    let mut stack = load_stack(&dir, &compose_settings(&Default::default())).ok()?;
    stack.workspace = super::backend::workspace(&dir);
    let store = store_for(&stack, None).ok()?;
    let state = read_state(&store).ok()?;
    if state.stack_id() != Some(id) {
        return None;
    }
    let recorded = state.managed_addresses();
    if recorded.is_empty() {
        return None;
    }
    match state.expires() {
        Some(e) if is_expired(e, now) => Some(ByItsState::Expired {
            dir,
            expires: e.to_string(),
            recorded,
            leftovers: objects
                .iter()
                .filter(|f| !is_recorded(f, &state, &[]))
                .map(|f| (*f).clone())
                .collect(),
        }),
        _ => Some(ByItsState::Kept),
    }
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// The flags a destroy of another stack runs with: its own state and variable files, no prompt.
pub fn run_args_elsewhere() -> RunArgs {
    RunArgs {
        parallelism: 10,
        input: Some(false),
        ..RunArgs::default()
    }
}
