//! Networks already holding a name when a create starts. The engine accepts two networks with one
//! name (and then refuses to act on the name: "ambiguous"), so each one is sorted out first:
//! this create's own (adopted), a leftover of this stack (removed), or someone else's (an error).

use bollard::models::NetworkInspect;
use labform_sdk::{OpContext, ProviderError, Result};

use super::lookup::find_by_name;
use crate::client::Client;
use crate::errors;
use crate::labels;

/// Clears the way for creating network `name` with the create token `token`. Returns the network
/// to adopt when this very create already made it (a retried call). Leftovers of this stack that
/// state does not own (an interrupted run from before create tokens, or a duplicate) are removed:
/// they carry this stack's mark, and state owns no network of this name, or the engine would not
/// be creating one. A network of this name made by anyone else stops the create, untouched.
pub async fn clear_for_create(
    client: &Client,
    name: &str,
    token: Option<&str>,
    ctx: &OpContext,
) -> Result<Option<NetworkInspect>> {
    let existing = find_by_name(client, name).await?;
    if let Some(foreign) = existing
        .iter()
        .find(|n| !labels::is_marked_for(n.labels.as_ref(), &client.stack))
    {
        return Err(ProviderError::conflict(format!(
            "network `{name}` already exists and belongs to {}",
            labels::describe_owner(foreign.labels.as_ref(), &client.stack)
        ))
        .with_hint(format!(
            "use it through `data \"docker_network\"`, pick another name, or remove it with `docker network rm {}`",
            if existing.len() == 1 { name.to_string() } else { short_id(foreign) }
        )));
    }
    let own = token.and_then(|t| {
        existing
            .iter()
            .find(|n| labels::has_token(n.labels.as_ref(), t))
            .cloned()
    });
    for leftover in existing
        .iter()
        .filter(|n| n.id != own.as_ref().and_then(|o| o.id.clone()))
    {
        remove_leftover(client, name, leftover, ctx).await?;
    }
    Ok(own)
}

/// After this create made network `id`: removes the other networks named `name` that carry this
/// stack's mark and no containers (leftovers whose create calls the engine finished late). One in
/// use is left alone: containers run on it, so it is not a leftover of an interrupted create.
/// Best effort: the network this create made is there either way, and the next create of the
/// name, or a container joining it (`resolve`), copes with what is left.
pub async fn clear_after_create(client: &Client, name: &str, id: &str, ctx: &OpContext) {
    let Ok(existing) = find_by_name(client, name).await else {
        return;
    };
    for n in existing.iter().filter(|n| {
        n.id.as_deref() != Some(id)
            && labels::is_marked_for(n.labels.as_ref(), &client.stack)
            && n.containers.as_ref().is_none_or(|c| c.is_empty())
    }) {
        if let Err(e) = remove_leftover(client, name, n, ctx).await {
            ctx.progress(&e.message);
        }
    }
}

async fn remove_leftover(
    client: &Client,
    name: &str,
    n: &NetworkInspect,
    ctx: &OpContext,
) -> Result<()> {
    let id = n.id.clone().unwrap_or_default();
    ctx.progress(&format!(
        "removing network `{name}` ({}) left behind by an interrupted run of this stack",
        short_id(n)
    ));
    match client.docker.remove_network(&id).await {
        Ok(()) => Ok(()),
        Err(e) if errors::is_not_found(&e) => Ok(()),
        Err(e) => Err(ProviderError::conflict(format!(
            "network `{name}` ({}) was left behind by an interrupted run of this stack and cannot be removed: {}",
            short_id(n),
            errors::message(&e)
        ))
        .with_hint(format!(
            "remove the containers attached to it, then `docker network rm {}`, and apply again",
            short_id(n)
        ))),
    }
}

/// Among several networks of one name, the one a container of this stack should join: one this
/// stack made, preferring those made with a create token (current labform), then the newest.
/// `None` when this stack made none of them.
pub fn pick_own<'a>(found: &'a [NetworkInspect], stack: &str) -> Option<&'a NetworkInspect> {
    found
        .iter()
        .filter(|n| labels::is_marked_for(n.labels.as_ref(), stack))
        .max_by_key(|n| (labels::has_any_token(n.labels.as_ref()), n.created.clone()))
}

/// The 12-character id the docker CLI shows.
pub fn short_id(n: &NetworkInspect) -> String {
    n.id.as_deref()
        .unwrap_or_default()
        .chars()
        .take(12)
        .collect()
}
