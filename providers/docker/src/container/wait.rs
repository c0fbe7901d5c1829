//! Waiting on a container: until healthy (`wait`), until it exits (`attach`), and its logs.

use std::time::Duration;

use bollard::models::HealthStatusEnum;
use bollard::query_parameters::LogsOptionsBuilder;
use futures_util::StreamExt;
use labform_sdk::{OpContext, ProviderError, Result};

use crate::client::Client;
use crate::errors;

const POLL: Duration = Duration::from_millis(500);

/// Waits until the container's healthcheck reports healthy, at most `timeout`.
pub async fn healthy(
    client: &Client,
    id: &str,
    name: &str,
    timeout: Duration,
    ctx: &OpContext,
) -> Result<()> {
    let start = tokio::time::Instant::now();
    let mut last_report = start;
    ctx.progress(&format!("waiting for container `{name}` to be healthy"));
    loop {
        let c = client
            .docker
            .inspect_container(id, None)
            .await
            .map_err(|e| errors::api(&format!("reading container `{name}`"), e))?;
        let state = c.state.clone().unwrap_or_default();
        let health = state.health.clone();
        if !state.running.unwrap_or(false) && !state.restarting.unwrap_or(false) {
            let code = state.exit_code.unwrap_or(0);
            let tail = logs(client, id, 5).await.unwrap_or_default();
            return Err(ProviderError::api(format!(
                "container `{name}` exited with code {code} while waiting for it to be healthy{}",
                last_lines(&tail)
            ))
            .with_hint(format!("see its output with `docker logs {name}`")));
        }
        let status = health.as_ref().and_then(|h| h.status);
        match status {
            Some(HealthStatusEnum::HEALTHY) => return Ok(()),
            None | Some(HealthStatusEnum::NONE) | Some(HealthStatusEnum::EMPTY) => {
                return Err(ProviderError::invalid(format!(
                    "container `{name}` has no healthcheck, so `wait = true` cannot tell when it is ready"
                ))
                .with_hint("add a `healthcheck { test = [...] }` block, or remove `wait`"));
            }
            _ => {}
        }
        let waited = start.elapsed();
        if waited >= timeout {
            let last = health
                .and_then(|h| h.log)
                .and_then(|log| log.last().and_then(|r| r.output.clone()))
                .map(|o| format!("; last check said: {}", o.trim()))
                .unwrap_or_default();
            return Err(ProviderError::api(format!(
                "container `{name}` was not healthy after {} s (status `{}`){last}",
                timeout.as_secs(),
                status.map(|s| s.to_string()).unwrap_or_default()
            ))
            .with_hint("raise `wait_timeout`, or check the healthcheck with `docker inspect --format '{{json .State.Health}}' NAME`".replace("NAME", name)));
        }
        if last_report.elapsed() >= Duration::from_secs(5) {
            ctx.progress(&format!(
                "still waiting for `{name}` to be healthy ({} s)",
                waited.as_secs()
            ));
            last_report = tokio::time::Instant::now();
        }
        tokio::time::sleep(POLL).await;
    }
}

/// Waits until the container is no longer running, at most `timeout`.
pub async fn exited(client: &Client, id: &str, name: &str, timeout: Duration) -> Result<()> {
    let start = tokio::time::Instant::now();
    loop {
        let c = match client.docker.inspect_container(id, None).await {
            Ok(c) => c,
            Err(e) if errors::is_not_found(&e) => return Ok(()),
            Err(e) => return Err(errors::api(&format!("reading container `{name}`"), e)),
        };
        if !super::state::is_running(&c) {
            return Ok(());
        }
        if start.elapsed() >= timeout {
            return Err(ProviderError::api(format!(
                "container `{name}` was still running after {} s with `attach = true`",
                timeout.as_secs()
            )));
        }
        tokio::time::sleep(POLL).await;
    }
}

/// The container's stdout and stderr (the last `tail` lines; 0 for all).
pub async fn logs(client: &Client, id: &str, tail: usize) -> Result<String> {
    let mut opts = LogsOptionsBuilder::new()
        .stdout(true)
        .stderr(true)
        .follow(false);
    if tail > 0 {
        opts = opts.tail(&tail.to_string());
    }
    let mut stream = client.docker.logs(id, Some(opts.build()));
    let mut out = String::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(chunk) => out.push_str(&chunk.to_string()),
            Err(e) => return Err(errors::api("reading container logs", e)),
        }
    }
    Ok(out)
}

fn last_lines(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        String::new()
    } else {
        format!("; its last output: {}", lines.join(" | "))
    }
}
