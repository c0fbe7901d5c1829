//! The connection to the engine: where it is (provider `host`, `DOCKER_HOST`, the default socket),
//! one clear error when it does not answer, and the stack's mark.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use bollard::Docker;
use labform_sdk::{BlockSchema, PlannedChange, ProviderContext, ProviderError, Result, Value};

use crate::labels;

/// The default engine socket on Linux.
pub const DEFAULT_HOST: &str = "unix:///var/run/docker.sock";

/// Long operations (stop with a grace period, builds, pulls) run far past bollard's default
/// two-minute request timeout; the create/delete timeouts of kreuzwerker are 20 minutes.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20 * 60);
const PING_TIMEOUT: Duration = Duration::from_secs(5);

/// An engine connection bound to one stack.
pub struct Client {
    pub docker: Docker,
    pub stack: String,
    pub stack_dir: PathBuf,
    mark: BTreeMap<String, String>,
    /// Held around each network create call. The engine finishes network creates one at a time
    /// and goes on with a call whose client was killed; one call in flight at a time means a
    /// killed run leaves at most one such call behind, which the engine finishes before the next
    /// run's own create of that name (whose checks before and after then find it).
    pub network_create: tokio::sync::Mutex<()>,
}

impl Client {
    /// Connects to `host`, else `DOCKER_HOST`, else the default socket, and pings the engine.
    pub async fn connect(host: Option<&str>, ctx: &ProviderContext) -> Result<Client> {
        let env_host = std::env::var("DOCKER_HOST").ok().filter(|h| !h.is_empty());
        let host = host
            .filter(|h| !h.is_empty())
            .map(str::to_string)
            .or(env_host)
            .unwrap_or_else(|| DEFAULT_HOST.to_string());
        let docker = open(&host)?.with_timeout(REQUEST_TIMEOUT);
        match tokio::time::timeout(PING_TIMEOUT, docker.ping()).await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => return Err(unreachable(&host, &e.to_string())),
            Err(_) => return Err(unreachable(&host, "no answer within 5 s")),
        }
        Ok(Client {
            docker,
            stack: ctx.stack_name.clone(),
            stack_dir: ctx.stack_dir.clone(),
            mark: ctx.mark(),
            network_create: tokio::sync::Mutex::new(()),
        })
    }

    /// The labels every created object carries.
    pub fn mark(&self) -> &BTreeMap<String, String> {
        &self.mark
    }

    /// The default plan of a type whose `labels` blocks carry this stack's mark
    /// ([`labels::plan_marked_blocks`]).
    pub fn plan_marked(
        &self,
        schema: &BlockSchema,
        prior: Option<&Value>,
        config: &Value,
    ) -> PlannedChange {
        let mut config = config.clone();
        labels::plan_marked_blocks(&mut config, "labels", &self.mark, prior);
        labform_sdk::default_plan(schema, prior, &config)
    }

    /// The `filters` of each list call that together find what `filter` selects (one per
    /// [`labform_sdk::StackFilter::queries`]; pass the answers through `StackFilter::select`).
    pub fn mark_filters(
        filter: &labform_sdk::StackFilter,
    ) -> Vec<std::collections::HashMap<String, Vec<String>>> {
        filter
            .queries()
            .iter()
            .map(|q| {
                let labels = q.iter().map(|(k, v)| format!("{k}={v}")).collect();
                std::collections::HashMap::from([("label".to_string(), labels)])
            })
            .collect()
    }
}

fn open(host: &str) -> Result<Docker> {
    if let Some(path) = host.strip_prefix("unix://") {
        if !std::path::Path::new(path).exists() {
            return Err(unreachable(host, "the socket does not exist"));
        }
    } else if !(host.starts_with("tcp://") || host.starts_with("http://")) {
        return Err(ProviderError::invalid(format!("unsupported docker host `{host}`"))
            .with_hint("use `unix:///path/to/docker.sock` or `tcp://host:port` (TLS and ssh:// are not supported yet)"));
    }
    Docker::connect_with_host(host).map_err(|e| unreachable(host, &e.to_string()))
}

fn unreachable(host: &str, why: &str) -> ProviderError {
    ProviderError::unreachable(format!("cannot reach the docker engine at `{host}`: {why}")).with_hint(
        "start the docker daemon (`sudo systemctl start docker`), or point `host` in provider \"docker\" or DOCKER_HOST at a running engine",
    )
}
