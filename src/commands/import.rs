//! `labform import ADDR ID`: reads an existing object through its provider and records it in
//! state at an address the configuration declares. Nothing in the cloud changes.

use labform_state::{IndexKey, InstanceAddr, InstanceState, StateStore};

use super::common::{load_engine, lock, read_state, stack_dir, state_error, store_for};
use super::state_values::values_from_state;
use crate::cli::ImportArgs;
use crate::config::Mode;
use crate::diag::{Diagnostic, Diagnostics};
use crate::engine::registry::state_provider;
use crate::engine::sensitive::schema_marks;
use crate::ui;

pub async fn run(args: ImportArgs) -> Result<u8, Diagnostics> {
    let addr = args.address.parse::<InstanceAddr>().map_err(|e| {
        Diagnostics::from(
            Diagnostic::error(format!("invalid resource address `{}`: {e}", args.address))
                .hint("write it like `aws_s3_bucket.b` or `aws_s3_bucket.b[\"key\"]`"),
        )
    })?;
    if addr.mode == Mode::Data {
        return Err(Diagnostic::error(format!(
            "cannot import to `{addr}`: only managed resources can be imported"
        ))
        .hint("a data source is read on every plan; import it as a `resource` instead")
        .into());
    }
    let dir = stack_dir(args.config.as_deref());
    let engine = load_engine(&dir, &args.run)?;
    let Some(block) = engine.stack.resources.get(&addr.resource_addr()).cloned() else {
        return Err(Diagnostic::error(format!(
            "resource address `{}` does not exist in the configuration",
            addr.resource_addr()
        ))
        .hint(format!(
            "before importing, add a block for it, e.g.\n\nresource \"{}\" \"{}\" {{\n  # (resource arguments)\n}}",
            addr.type_name, addr.name
        ))
        .into());
    };
    check_key(&addr, block.count.is_some(), block.for_each.is_some())?;
    let store = store_for(&engine.stack, args.run.state.as_deref())?;
    let _lock = lock(&store, "import", &args.run.locking)?;
    let state = read_state(&store)?;
    if state.instance(&addr).is_some() {
        return Err(Diagnostic::error(format!("`{addr}` is already managed by labform"))
            .hint(format!(
                "to import to this address, first forget the object recorded there with `labform state rm '{addr}'`"
            ))
            .into());
    }
    let values = values_from_state(&engine, &state);
    ui::out(&format!("{addr}: Importing from ID \"{}\"...", args.id));
    let resource = engine
        .resource_impl(&block.provider, &addr.type_name, &values)
        .await?;
    let imported = resource.import(&args.id).await.map_err(|e| {
        Diagnostics::from(
            Diagnostic::error(format!(
                "importing `{addr}` from ID `{}`: {}",
                args.id, e.message
            ))
            .maybe_hint(e.hint),
        )
    })?;
    let Some((_, schema)) = engine.registry.schema(Mode::Managed, &addr.type_name) else {
        return Err(
            Diagnostic::error(format!("unknown resource type `{}`", addr.type_name)).into(),
        );
    };
    let imported = labform_sdk::normalize(schema, &imported);
    ui::out(&format!(
        "{addr}: Import prepared!\n  Prepared {} for import",
        addr.type_name
    ));
    let instance = InstanceState {
        sensitive_attributes: schema_marks(schema, &imported).to_paths(),
        dependencies: engine.dependencies_of(&addr.resource_addr()),
        ..InstanceState::new(imported)
    };
    let mut writer = store.writer(state.clone()).map_err(state_error)?;
    writer
        .put_instance(&addr, &state_provider(&block.provider), instance)
        .map_err(state_error)?;
    writer.commit().map_err(state_error)?;
    ui::out("\nImport successful!\n\nThe resources that were imported are shown above. These resources are now in\nyour labform state and will henceforth be managed by labform.");
    Ok(0)
}

/// The address's key must fit the block: none without `count`/`for_each`, a number with
/// `count`, a string with `for_each`.
fn check_key(addr: &InstanceAddr, count: bool, for_each: bool) -> Result<(), Diagnostics> {
    let problem = match (&addr.key, count, for_each) {
        (None, false, false)
        | (Some(IndexKey::Int(_)), true, _)
        | (Some(IndexKey::Str(_)), _, true) => return Ok(()),
        (None, true, _) => "the resource has `count`: add an index, e.g. `[0]`",
        (None, _, true) => "the resource has `for_each`: add a key, e.g. `[\"name\"]`",
        (Some(_), false, false) => {
            "the resource has neither `count` nor `for_each`: remove the index"
        }
        (Some(IndexKey::Int(_)), _, _) => "the resource has `for_each`: its keys are strings",
        (Some(IndexKey::Str(_)), _, _) => "the resource has `count`: its keys are numbers",
    };
    Err(Diagnostic::error(format!(
        "`{addr}` is not an instance the configuration declares"
    ))
    .hint(problem)
    .into())
}
