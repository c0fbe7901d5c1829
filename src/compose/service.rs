//! One entry of `services:` read into what a `docker_container` (and its image) needs.

use super::dotenv;
use super::mounts::{self, Mount};
use super::ports::{self, Port};
use super::runtime;
use super::values::{check_keys, Ctx};
use super::yaml::Node;
use crate::diag::{Diagnostic, Diagnostics, Location, SourceFile};

const KEYS: &[&str] = &[
    "image",
    "build",
    "pull_policy",
    "container_name",
    "command",
    "entrypoint",
    "environment",
    "env_file",
    "ports",
    "expose",
    "volumes",
    "networks",
    "network_mode",
    "depends_on",
    "healthcheck",
    "restart",
    "user",
    "working_dir",
    "stdin_open",
    "tty",
    "extra_hosts",
    "hostname",
    "labels",
    "shm_size",
    "ulimits",
    "deploy",
    "profiles",
    "init",
    "privileged",
    "read_only",
    "stop_signal",
    "dns",
    "cap_add",
    "cap_drop",
    "mem_limit",
    "domainname",
];
// Plus `runtime::KEYS`.

/// Keys of the Compose specification labform does not implement (an error, never ignored).
const UNSUPPORTED: &[&str] = &[
    "annotations",
    "attach",
    "blkio_config",
    "cpu_count",
    "cpu_percent",
    "cpu_period",
    "cpu_quota",
    "cpu_rt_runtime",
    "cpu_rt_period",
    "cpus",
    "cpuset",
    "cgroup",
    "cgroup_parent",
    "configs",
    "credential_spec",
    "develop",
    "device_cgroup_rules",
    "devices",
    "dns_opt",
    "driver_opts",
    "extends",
    "external_links",
    "gpus",
    "ipc",
    "isolation",
    "label_file",
    "links",
    "mac_address",
    "mem_reservation",
    "mem_swappiness",
    "models",
    "oom_kill_disable",
    "oom_score_adj",
    "pid",
    "pids_limit",
    "platform",
    "post_start",
    "pre_start",
    "pre_stop",
    "provider",
    "pull_refresh_after",
    "runtime",
    "scale",
    "secrets",
    "security_opt",
    "storage_opt",
    "use_api_socket",
    "userns_mode",
    "uts",
    "volumes_from",
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PullPolicy {
    /// `missing` / `if_not_present` (the default): pull when the image is not there.
    Missing,
    /// `never`: the image must be there already.
    Never,
    /// `build`: build it.
    Build,
}

#[derive(Clone, Debug, Default)]
pub struct Build {
    pub context: String,
    pub dockerfile: Option<String>,
    pub args: Vec<(String, String)>,
    pub target: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Condition {
    Started,
    Healthy,
    CompletedSuccessfully,
}

#[derive(Clone, Debug)]
pub struct Dependency {
    pub service: String,
    pub condition: Condition,
    pub node: Node,
}

#[derive(Clone, Debug)]
pub struct Attachment {
    /// The key under the top-level `networks:`.
    pub network: String,
    pub aliases: Vec<String>,
    pub ipv4_address: Option<String>,
    pub node: Node,
}

#[derive(Clone, Debug, Default)]
pub struct Health {
    pub test: Vec<String>,
    pub interval: Option<String>,
    pub timeout: Option<String>,
    pub start_period: Option<String>,
    pub start_interval: Option<String>,
    pub retries: Option<i64>,
}

#[derive(Clone, Debug)]
pub struct Service {
    pub name: String,
    pub node: Node,
    /// The service's name in `services:`, where messages about the whole service point.
    pub key: Option<Node>,
    pub image: Option<String>,
    pub build: Option<Build>,
    pub pull_policy: PullPolicy,
    pub container_name: Option<String>,
    pub command: Option<Vec<String>>,
    pub entrypoint: Option<Vec<String>>,
    pub env: Vec<(String, String)>,
    pub ports: Vec<Port>,
    pub mounts: Vec<(Mount, Node)>,
    pub networks: Vec<Attachment>,
    pub network_mode: Option<String>,
    pub depends_on: Vec<Dependency>,
    pub healthcheck: Option<Health>,
    pub restart: Option<String>,
    pub max_retry_count: Option<i64>,
    pub strings: Vec<(&'static str, String)>,
    pub bools: Vec<(&'static str, bool)>,
    pub extra_hosts: Vec<(String, String)>,
    pub labels: Vec<(String, String)>,
    pub shm_size_mib: Option<i64>,
    pub memory_mib: Option<i64>,
    pub ulimits: Vec<(String, i64, i64)>,
    pub profiles: Vec<String>,
    pub dns: Vec<String>,
    pub cap_add: Vec<String>,
    pub cap_drop: Vec<String>,
    /// `docker_container` arguments read by `runtime`, by their argument names.
    pub ints: Vec<(&'static str, i64)>,
    pub lists: Vec<(&'static str, Vec<String>)>,
    pub maps: Vec<(&'static str, Vec<(String, String)>)>,
    /// `tmpfs:` entries: path and mount options.
    pub tmpfs: Vec<(String, String)>,
}

/// Reads one service. Errors go to `diags`; the result is `None` only when nothing usable was read.
pub fn parse(ctx: &Ctx, name: &str, n: &Node, diags: &mut Diagnostics) -> Service {
    let known: Vec<&str> = KEYS.iter().chain(runtime::KEYS).copied().collect();
    check_keys(n, &format!("service `{name}`"), &known, UNSUPPORTED, diags);
    let mut s = Service {
        name: name.to_string(),
        node: n.clone(),
        key: None,
        image: None,
        build: None,
        pull_policy: PullPolicy::Missing,
        container_name: None,
        command: None,
        entrypoint: None,
        env: Vec::new(),
        ports: Vec::new(),
        mounts: Vec::new(),
        networks: Vec::new(),
        network_mode: None,
        depends_on: Vec::new(),
        healthcheck: None,
        restart: None,
        max_retry_count: None,
        strings: Vec::new(),
        bools: Vec::new(),
        extra_hosts: Vec::new(),
        labels: Vec::new(),
        shm_size_mib: None,
        memory_mib: None,
        ulimits: Vec::new(),
        profiles: Vec::new(),
        dns: Vec::new(),
        cap_add: Vec::new(),
        cap_drop: Vec::new(),
        ints: Vec::new(),
        lists: Vec::new(),
        maps: Vec::new(),
        tmpfs: Vec::new(),
    };
    let Some(entries) = n.entries() else {
        diags.push(n.error(format!(
            "service `{name}` must be a mapping, found {}",
            n.describe()
        )));
        return s;
    };
    let mut env_files: Vec<(String, Node)> = Vec::new();
    let mut environment: Vec<(String, Option<String>)> = Vec::new();
    for (k, v) in entries {
        let key = k.scalar().unwrap_or_default();
        let r: Result<(), Diagnostic> = (|| {
            match key {
                "image" => s.image = Some(ctx.str(v)?),
                "build" => s.build = Some(build(ctx, v, diags)?),
                "pull_policy" => {
                    s.pull_policy = match ctx.str(v)?.as_str() {
                        "missing" | "if_not_present" => PullPolicy::Missing,
                        "never" => PullPolicy::Never,
                        "build" => PullPolicy::Build,
                        other => {
                            return Err(v
                                .error(format!(
                                    "pull_policy `{other}` is not supported by labform yet"
                                ))
                                .hint("use `missing`, `never` or `build`"))
                        }
                    }
                }
                "container_name" => s.container_name = Some(ctx.str(v)?),
                "command" => s.command = Some(ctx.command(v)?),
                "entrypoint" => s.entrypoint = Some(ctx.command(v)?),
                "environment" => environment = ctx.pairs(v, '=')?,
                "env_file" => {
                    for f in env_file_list(v)? {
                        env_files.push((ctx.str(&f)?, f));
                    }
                }
                "ports" => s.ports = ports::parse(ctx, v, diags),
                "expose" => {
                    ctx.list(v)?;
                    diags.push(
                        Diagnostic::warning(format!(
                            "`expose` in service `{name}` only documents ports: labform does not record them"
                        ))
                        .at(k.location())
                        .hint("containers on one network reach each other's ports without it; publish a port to the host with `ports`"),
                    );
                }
                "volumes" => s.mounts = mounts::parse(ctx, v, diags),
                "networks" => s.networks = networks(ctx, v, diags)?,
                "network_mode" => {
                    let mode = ctx.str(v)?;
                    if !matches!(mode.as_str(), "bridge" | "host" | "none") {
                        return Err(v
                            .error(format!(
                                "network_mode `{mode}` is not supported by labform yet"
                            ))
                            .hint("use `bridge`, `host` or `none`, or `networks`"));
                    }
                    s.network_mode = Some(mode);
                }
                "depends_on" => s.depends_on = depends_on(ctx, v, diags)?,
                "healthcheck" => s.healthcheck = healthcheck(ctx, v, diags)?,
                "restart" => {
                    let r = ctx.str(v)?;
                    let (policy, count) = match r.split_once(':') {
                        Some(("on-failure", n)) => ("on-failure", n.parse::<i64>().ok()),
                        _ => (r.as_str(), None),
                    };
                    if !matches!(policy, "no" | "always" | "on-failure" | "unless-stopped") {
                        return Err(v
                            .error(format!("invalid restart policy `{r}`"))
                            .hint("use `no`, `always`, `on-failure[:N]` or `unless-stopped`"));
                    }
                    s.restart = Some(policy.to_string());
                    s.max_retry_count = count;
                }
                "user" | "working_dir" | "hostname" | "domainname" | "stop_signal" => {
                    let attr = match key {
                        "user" => "user",
                        "working_dir" => "working_dir",
                        "hostname" => "hostname",
                        "domainname" => "domainname",
                        _ => "stop_signal",
                    };
                    s.strings.push((attr, ctx.str(v)?));
                }
                "stdin_open" | "tty" | "init" | "privileged" | "read_only" => {
                    let attr = match key {
                        "stdin_open" => "stdin_open",
                        "tty" => "tty",
                        "init" => "init",
                        "privileged" => "privileged",
                        _ => "read_only",
                    };
                    s.bools.push((attr, ctx.bool(v)?));
                }
                "extra_hosts" => {
                    for (host, ip) in ctx.pairs(v, if is_list_with(v, '=') { '=' } else { ':' })? {
                        let ip = ip.ok_or_else(|| {
                            v.error(format!("extra host `{host}` has no address"))
                                .hint("write `host:IP` or `host=IP`")
                        })?;
                        s.extra_hosts.push((host, ip));
                    }
                }
                "labels" => {
                    s.labels = ctx
                        .pairs(v, '=')?
                        .into_iter()
                        .map(|(k, v)| (k, v.unwrap_or_default()))
                        .collect()
                }
                "shm_size" => s.shm_size_mib = Some(mib(ctx, v, "shm_size")?),
                "mem_limit" => s.memory_mib = Some(mib(ctx, v, "mem_limit")?),
                "ulimits" => s.ulimits = ulimits(ctx, v)?,
                "deploy" => deploy(ctx, v, &mut s, diags)?,
                "profiles" => s.profiles = ctx.str_or_list(v)?,
                "dns" => s.dns = ctx.str_or_list(v)?,
                "cap_add" => s.cap_add = ctx.list(v)?,
                "cap_drop" => s.cap_drop = ctx.list(v)?,
                _ => {
                    runtime::read(ctx, key, v, &mut s, diags)?;
                }
            }
            Ok(())
        })();
        if let Err(d) = r {
            diags.push(d);
        }
    }
    if s.pull_policy == PullPolicy::Build && s.build.is_none() {
        if let Some((_, v)) = entries
            .iter()
            .find(|(k, _)| k.scalar() == Some("pull_policy"))
        {
            diags.push(
                v.error(format!(
                    "service `{name}` has `pull_policy: build` but no `build` section"
                ))
                .hint("add `build: DIR`, or use `pull_policy: missing`"),
            );
        }
    }
    if s.image.is_none() && s.build.is_none() {
        diags.push(
            n.error(format!("service `{name}` has neither `image` nor `build`"))
                .hint("add `image: NAME` or `build: DIR`"),
        );
    }
    // env_file entries first, `environment` overrides them (Compose's order).
    let mut env: Vec<(String, String)> = Vec::new();
    let mut set = |k: String, v: String| match env.iter_mut().find(|(e, _)| *e == k) {
        Some(slot) => slot.1 = v,
        None => env.push((k, v)),
    };
    for (path, node) in env_files {
        match read_env_file(ctx, &path, &node) {
            Ok(entries) => {
                for e in entries {
                    if let Some(v) = e.value.or_else(|| (ctx.env)(&e.key)) {
                        set(e.key, v);
                    }
                }
            }
            Err(d) => diags.push(d),
        }
    }
    for (k, v) in environment {
        // `KEY` alone takes the value from the environment; unset means left out.
        if let Some(v) = v.or_else(|| (ctx.env)(&k)) {
            set(k, v);
        }
    }
    s.env = env;
    s
}

fn is_list_with(n: &Node, sep: char) -> bool {
    n.items().is_some_and(|i| {
        i.iter()
            .any(|x| x.scalar().is_some_and(|s| s.contains(sep)))
    })
}

fn env_file_list(v: &Node) -> Result<Vec<Node>, Diagnostic> {
    if v.scalar().is_some() {
        return Ok(vec![v.clone()]);
    }
    let items = v.items().ok_or_else(|| {
        v.error(format!(
            "`env_file` takes a path or a list of paths, found {}",
            v.describe()
        ))
    })?;
    items
        .iter()
        .map(|i| match i.get("path") {
            Some(p) => {
                if i.get("required").is_some() || i.entries().is_some_and(|e| e.len() > 1) {
                    Err(i.error("only `path` is supported in the long form of `env_file` yet"))
                } else {
                    Ok(p.clone())
                }
            }
            None => Ok(i.clone()),
        })
        .collect()
}

fn read_env_file(ctx: &Ctx, path: &str, node: &Node) -> Result<Vec<dotenv::Entry>, Diagnostic> {
    let full = ctx.dir.join(path);
    let text = std::fs::read_to_string(&full).map_err(|e| {
        node.error(format!("cannot read env_file `{}`: {e}", full.display()))
            .hint("paths in `env_file` are relative to the compose file's directory")
    })?;
    let file = SourceFile::new(full.clone(), path.to_string(), text);
    dotenv::parse(&file.text, ctx.env).map_err(|(span, d)| d.at(Location::new(&file, Some(span))))
}

fn build(ctx: &Ctx, v: &Node, diags: &mut Diagnostics) -> Result<Build, Diagnostic> {
    if v.scalar().is_some() {
        return Ok(Build {
            context: ctx.str(v)?,
            ..Build::default()
        });
    }
    check_keys(
        v,
        "`build`",
        &["context", "dockerfile", "args", "target"],
        &[
            "additional_contexts",
            "cache_from",
            "cache_to",
            "dockerfile_inline",
            "entitlements",
            "extra_hosts",
            "isolation",
            "labels",
            "network",
            "no_cache",
            "platforms",
            "privileged",
            "pull",
            "secrets",
            "ssh",
            "shm_size",
            "tags",
            "ulimits",
        ],
        diags,
    );
    Ok(Build {
        context: v
            .get("context")
            .map(|c| ctx.str(c))
            .transpose()?
            .unwrap_or_else(|| ".".into()),
        dockerfile: v.get("dockerfile").map(|d| ctx.str(d)).transpose()?,
        args: v
            .get("args")
            .map(|a| ctx.pairs(a, '='))
            .transpose()?
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(k, v)| v.or_else(|| (ctx.env)(&k)).map(|v| (k, v)))
            .collect(),
        target: v.get("target").map(|t| ctx.str(t)).transpose()?,
    })
}

fn networks(ctx: &Ctx, v: &Node, diags: &mut Diagnostics) -> Result<Vec<Attachment>, Diagnostic> {
    if let Some(items) = v.items() {
        return items
            .iter()
            .map(|i| {
                Ok(Attachment {
                    network: ctx.str(i)?,
                    aliases: Vec::new(),
                    ipv4_address: None,
                    node: i.clone(),
                })
            })
            .collect();
    }
    let mut out = Vec::new();
    for (k, opts) in ctx.entries(v)? {
        check_keys(
            opts,
            "a service network",
            &["aliases", "ipv4_address"],
            &[
                "ipv6_address",
                "link_local_ips",
                "mac_address",
                "driver_opts",
                "priority",
                "gw_priority",
                "interface_name",
            ],
            diags,
        );
        out.push(Attachment {
            network: ctx.str(k)?,
            aliases: opts
                .get("aliases")
                .map(|a| ctx.list(a))
                .transpose()?
                .unwrap_or_default(),
            ipv4_address: opts.get("ipv4_address").map(|a| ctx.str(a)).transpose()?,
            node: k.clone(),
        });
    }
    Ok(out)
}

fn depends_on(ctx: &Ctx, v: &Node, diags: &mut Diagnostics) -> Result<Vec<Dependency>, Diagnostic> {
    if let Some(items) = v.items() {
        return items
            .iter()
            .map(|i| {
                Ok(Dependency {
                    service: ctx.str(i)?,
                    condition: Condition::Started,
                    node: i.clone(),
                })
            })
            .collect();
    }
    let mut out = Vec::new();
    for (k, opts) in ctx.entries(v)? {
        check_keys(
            opts,
            "a dependency",
            &["condition"],
            &["restart", "required"],
            diags,
        );
        let condition = match opts.get("condition") {
            None => Condition::Started,
            Some(c) => match ctx.str(c)?.as_str() {
                "service_started" => Condition::Started,
                "service_healthy" => Condition::Healthy,
                "service_completed_successfully" => Condition::CompletedSuccessfully,
                other => return Err(c.error(format!("unknown condition `{other}`")).hint(
                    "use `service_started`, `service_healthy` or `service_completed_successfully`",
                )),
            },
        };
        out.push(Dependency {
            service: ctx.str(k)?,
            condition,
            node: k.clone(),
        });
    }
    Ok(out)
}

fn healthcheck(ctx: &Ctx, v: &Node, diags: &mut Diagnostics) -> Result<Option<Health>, Diagnostic> {
    check_keys(
        v,
        "`healthcheck`",
        &[
            "test",
            "interval",
            "timeout",
            "start_period",
            "start_interval",
            "retries",
            "disable",
        ],
        &[],
        diags,
    );
    if let Some(d) = v.get("disable") {
        if ctx.bool(d)? {
            return Ok(Some(Health {
                test: vec!["NONE".into()],
                ..Health::default()
            }));
        }
    }
    let test = match v.get("test") {
        None => Vec::new(),
        Some(t) if t.scalar().is_some() => vec!["CMD-SHELL".to_string(), ctx.str(t)?],
        Some(t) => ctx.list(t)?,
    };
    let s = |key: &str| v.get(key).map(|x| ctx.str(x)).transpose();
    Ok(Some(Health {
        test,
        interval: s("interval")?,
        timeout: s("timeout")?,
        start_period: s("start_period")?,
        start_interval: s("start_interval")?,
        retries: v.get("retries").map(|r| ctx.int(r)).transpose()?,
    }))
}

/// A size in whole MiB: the unit of the docker provider's `shm_size` and `memory`.
pub fn mib(ctx: &Ctx, v: &Node, key: &str) -> Result<i64, Diagnostic> {
    let bytes = ctx.bytes(v)?;
    if bytes <= 0 || bytes % (1 << 20) != 0 {
        return Err(v
            .error(format!(
                "`{key}` must be a whole number of megabytes for labform"
            ))
            .hint("write it in `m` or `g`, such as `256m`"));
    }
    Ok(bytes >> 20)
}

fn ulimits(ctx: &Ctx, v: &Node) -> Result<Vec<(String, i64, i64)>, Diagnostic> {
    let mut out = Vec::new();
    for (k, limit) in ctx.entries(v)? {
        let name = ctx.str(k)?;
        if limit.scalar().is_some() {
            let n = ctx.int(limit)?;
            out.push((name, n, n));
        } else {
            let get = |key: &str| {
                limit
                    .get(key)
                    .ok_or_else(|| limit.error(format!("ulimit `{name}` needs `soft` and `hard`")))
                    .and_then(|x| ctx.int(x))
            };
            out.push((name.clone(), get("soft")?, get("hard")?));
        }
    }
    Ok(out)
}

fn deploy(ctx: &Ctx, v: &Node, s: &mut Service, diags: &mut Diagnostics) -> Result<(), Diagnostic> {
    check_keys(
        v,
        "`deploy`",
        &["resources"],
        &[
            "endpoint_mode",
            "labels",
            "mode",
            "placement",
            "replicas",
            "restart_policy",
            "rollback_config",
            "update_config",
        ],
        diags,
    );
    let Some(resources) = v.get("resources") else {
        return Ok(());
    };
    check_keys(
        resources,
        "`deploy.resources`",
        &["limits"],
        &["reservations"],
        diags,
    );
    let Some(limits) = resources.get("limits") else {
        return Ok(());
    };
    check_keys(
        limits,
        "`deploy.resources.limits`",
        &["memory"],
        &["cpus", "pids"],
        diags,
    );
    if let Some(m) = limits.get("memory") {
        s.memory_mib = Some(mib(ctx, m, "memory")?);
    }
    Ok(())
}
