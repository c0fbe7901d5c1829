//! Finding an image locally, pulling it when missing (progress shown), and what it resolves to.

use bollard::models::ImageInspect;
use bollard::query_parameters::CreateImageOptionsBuilder;
use futures_util::StreamExt;
use labform_sdk::{OpContext, ProviderError, Result};

use crate::client::Client;
use crate::errors;

/// Inspects a local image by name or id; `None` when it is not there.
pub async fn inspect(client: &Client, name: &str) -> Result<Option<ImageInspect>> {
    match client.docker.inspect_image(name).await {
        Ok(i) => Ok(Some(i)),
        Err(e) if errors::is_not_found(&e) => Ok(None),
        Err(e) => Err(errors::api(&format!("reading image `{name}`"), e)),
    }
}

/// The local image `name`, pulled first when it is not there.
pub async fn ensure(
    client: &Client,
    name: &str,
    platform: &str,
    ctx: &OpContext,
) -> Result<ImageInspect> {
    if let Some(found) = inspect(client, name).await? {
        return Ok(found);
    }
    pull(client, name, platform, ctx).await?;
    inspect(client, name).await?.ok_or_else(|| {
        ProviderError::not_found(format!("image `{name}` is not there after pulling it"))
    })
}

/// Pulls `name` (tag `latest` when none), reporting progress about once a layer step.
pub async fn pull(client: &Client, name: &str, platform: &str, ctx: &OpContext) -> Result<()> {
    let (repo, tag) = split_tag(name);
    let mut opts = CreateImageOptionsBuilder::new().from_image(repo).tag(tag);
    if !platform.is_empty() {
        opts = opts.platform(platform);
    }
    ctx.progress(&format!("pulling image `{name}`"));
    let mut stream = client.docker.create_image(Some(opts.build()), None, None);
    let mut last = String::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(info) => {
                if let Some(detail) = info.error_detail.and_then(|d| d.message) {
                    return Err(pull_failed(name, &detail));
                }
                let status = info.status.unwrap_or_default();
                let line = match (&info.id, &info.progress_detail) {
                    (Some(id), Some(p)) if p.total.unwrap_or(0) > 0 => {
                        let pct = p.current.unwrap_or(0) * 100 / p.total.unwrap_or(1).max(1);
                        format!("{id}: {status} {}%", pct / 10 * 10)
                    }
                    (Some(id), _) => format!("{id}: {status}"),
                    _ => status,
                };
                if !line.is_empty() && line != last {
                    ctx.progress(&line);
                    last = line;
                }
            }
            Err(e) => return Err(pull_failed(name, &errors::message(&e))),
        }
    }
    Ok(())
}

fn pull_failed(name: &str, registry_error: &str) -> ProviderError {
    let not_found = registry_error.contains("not found")
        || registry_error.contains("does not exist")
        || registry_error.contains("manifest unknown");
    let msg = format!("pulling image `{name}` failed: {}", registry_error.trim());
    if not_found {
        ProviderError::not_found(msg)
            .with_hint("check the image name and tag (`docker search`, or the registry's web page)")
    } else {
        ProviderError::api(msg).with_hint(
            "check the network and registry login (`docker pull` shows the same error), or build the image locally and refer to it by name",
        )
    }
}

/// Splits `repo:tag` (a `:` in a registry host port is not a tag); a digest stays in the repo.
pub fn split_tag(name: &str) -> (&str, &str) {
    if name.contains('@') {
        return (name, "");
    }
    let last_slash = name.rfind('/').map(|i| i + 1).unwrap_or(0);
    match name[last_slash..].rfind(':') {
        Some(i) => (&name[..last_slash + i], &name[last_slash + i + 1..]),
        None => (name, "latest"),
    }
}

/// kreuzwerker's choice of repo digest: the only one, else the one of this repository, else the
/// first; empty when none (locally built images have none).
pub fn repo_digest(image: &ImageInspect, name: &str) -> String {
    let digests = image.repo_digests.clone().unwrap_or_default();
    if digests.len() == 1 {
        return digests[0].clone();
    }
    let (repo, _) = split_tag(name);
    digests
        .iter()
        .find(|d| d.split('@').next() == Some(repo))
        .or(digests.first())
        .cloned()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_split_like_docker() {
        assert_eq!(split_tag("postgres:13"), ("postgres", "13"));
        assert_eq!(split_tag("postgres"), ("postgres", "latest"));
        assert_eq!(
            split_tag("localhost:5000/app"),
            ("localhost:5000/app", "latest")
        );
        assert_eq!(
            split_tag("localhost:5000/app:v1"),
            ("localhost:5000/app", "v1")
        );
        assert_eq!(split_tag("a@sha256:00"), ("a@sha256:00", ""));
    }

    #[test]
    fn pull_errors_name_the_image_and_the_registry_error() {
        let e = pull_failed("postgres:13", "Get https://registry-1.docker.io/v2/: dial tcp: lookup registry-1.docker.io: no such host");
        assert!(e.message.contains("`postgres:13`"));
        assert!(e.message.contains("no such host"));
        let e = pull_failed("nope:1", "manifest for nope:1 not found");
        assert_eq!(e.kind, labform_sdk::ErrorKind::NotFound);
    }
}
