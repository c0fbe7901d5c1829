//! A Compose project: the merged file's services (those of the enabled profiles), networks and
//! volumes, with every cross-reference checked and Compose v2's names.

use super::mounts::Source;
use super::service::{self, Service};
use super::values::{check_keys, Ctx};
use super::yaml::Node;
use crate::diag::{Diagnostic, Diagnostics};

#[derive(Clone, Debug)]
pub struct Network {
    pub key: String,
    pub name: String,
    pub external: bool,
    pub driver: Option<String>,
    pub options: Vec<(String, String)>,
    pub internal: bool,
    pub attachable: bool,
    pub labels: Vec<(String, String)>,
    /// `ipam.config` entries: subnet, gateway, ip_range.
    pub subnets: Vec<[Option<String>; 3]>,
}

#[derive(Clone, Debug)]
pub struct Volume {
    pub key: String,
    pub name: String,
    /// Made outside the project: read (an error when missing), never created or deleted.
    pub external: bool,
    pub driver: Option<String>,
    pub options: Vec<(String, String)>,
    pub labels: Vec<(String, String)>,
}

#[derive(Clone, Debug)]
pub struct Project {
    pub name: String,
    pub services: Vec<Service>,
    /// Only the networks and volumes some enabled service uses.
    pub networks: Vec<Network>,
    pub volumes: Vec<Volume>,
}

const TOP_KEYS: &[&str] = &["version", "name", "services", "networks", "volumes"];
const TOP_UNSUPPORTED: &[&str] = &["include", "secrets", "configs", "models"];

/// Compose's project name rule: lower case, only `a-z0-9_-`, starting with a letter or digit.
pub fn normalize_name(raw: &str) -> String {
    let s: String = raw
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    s.trim_start_matches(['_', '-']).to_string()
}

/// Reads the merged document. `name` is the project name unless the file's `name:` applies
/// (`name_from_env` says the environment set it, which wins over the file).
pub fn read(
    ctx: &Ctx,
    root: &Node,
    name: &str,
    name_from_env: bool,
    profiles: &[String],
    diags: &mut Diagnostics,
) -> Project {
    check_keys(root, "the compose file", TOP_KEYS, TOP_UNSUPPORTED, diags);
    let mut project_name = name.to_string();
    if let (Some(n), false) = (root.get("name"), name_from_env) {
        match ctx.str(n) {
            Ok(v) if !normalize_name(&v).is_empty() && normalize_name(&v) == v => project_name = v,
            Ok(v) => diags.push(
                n.error(format!("invalid project name `{v}`"))
                    .hint("a project name holds lower-case letters, digits, `_` and `-`, and starts with a letter or digit"),
            ),
            Err(d) => diags.push(d),
        }
    }
    let mut services = Vec::new();
    let mut disabled: Vec<(String, Vec<String>)> = Vec::new();
    if let Some(s) = root.get("services") {
        match ctx.entries(s) {
            Ok(entries) => {
                for (k, v) in entries {
                    let Ok(svc_name) = ctx.str(k) else { continue };
                    let mut svc = service::parse(ctx, &svc_name, v, diags);
                    svc.key = Some(k.clone());
                    let enabled = svc.profiles.is_empty()
                        || svc.profiles.iter().any(|p| profiles.contains(p));
                    if enabled {
                        services.push(svc);
                    } else {
                        disabled.push((svc_name, svc.profiles.clone()));
                    }
                }
            }
            Err(d) => diags.push(d),
        }
    }
    let net_nodes = root.get("networks").map(|n| ctx.entries(n)).transpose();
    let vol_nodes = root.get("volumes").map(|n| ctx.entries(n)).transpose();
    let (net_nodes, vol_nodes) = match (net_nodes, vol_nodes) {
        (Ok(n), Ok(v)) => (n.unwrap_or_default(), v.unwrap_or_default()),
        (Err(d), _) | (_, Err(d)) => {
            diags.push(d);
            (&[][..], &[][..])
        }
    };
    check_references(&services, &disabled, net_nodes, vol_nodes, diags);

    let mut networks = Vec::new();
    let used_net = |key: &str| {
        services.iter().any(|s| {
            s.networks.iter().any(|a| a.network == key)
                || (key == "default" && s.networks.is_empty() && s.network_mode.is_none())
        })
    };
    if used_net("default") && !net_nodes.iter().any(|(k, _)| k.scalar() == Some("default")) {
        networks.push(plain_network(&project_name, "default"));
    }
    for (k, v) in net_nodes {
        let key = k.scalar().unwrap_or_default();
        if used_net(key) {
            match network(ctx, &project_name, key, v, diags) {
                Ok(n) => networks.push(n),
                Err(d) => diags.push(d),
            }
        }
    }
    let mut volumes = Vec::new();
    for (k, v) in vol_nodes {
        let key = k.scalar().unwrap_or_default();
        let used = services.iter().any(|s| {
            s.mounts
                .iter()
                .any(|(m, _)| m.source == Source::Named(key.to_string()))
        });
        if used {
            match volume(ctx, &project_name, key, v, diags) {
                Ok(vol) => volumes.push(vol),
                Err(d) => diags.push(d),
            }
        }
    }
    Project {
        name: project_name,
        services,
        networks,
        volumes,
    }
}

fn check_references(
    services: &[Service],
    disabled: &[(String, Vec<String>)],
    nets: &[(Node, Node)],
    vols: &[(Node, Node)],
    diags: &mut Diagnostics,
) {
    let has = |list: &[(Node, Node)], key: &str| list.iter().any(|(k, _)| k.scalar() == Some(key));
    for s in services {
        for d in &s.depends_on {
            if services.iter().any(|o| o.name == d.service) {
                continue;
            }
            let e =
                match disabled.iter().find(|(n, _)| *n == d.service) {
                    Some((_, profiles)) => {
                        d.node
                            .error(format!(
                        "service `{}` depends on `{}`, which is only enabled with profile {}",
                        s.name,
                        d.service,
                        profiles.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(" or ")
                    ))
                            .hint(format!(
                                "pass `--profile {}`",
                                profiles.first().cloned().unwrap_or_default()
                            ))
                    }
                    None => d.node.error(format!(
                        "service `{}` depends on an undefined service `{}`",
                        s.name, d.service
                    )),
                };
            diags.push(e);
        }
        for a in &s.networks {
            if a.network != "default" && !has(nets, &a.network) {
                diags.push(
                    a.node
                        .error(format!(
                            "service `{}` refers to an undefined network `{}`",
                            s.name, a.network
                        ))
                        .hint(format!(
                            "declare it under the top-level `networks:` (`{}: {{}}`)",
                            a.network
                        )),
                );
            }
        }
        if s.network_mode.is_some() && !s.networks.is_empty() {
            diags.push(
                s.node
                    .error(format!(
                        "service `{}` sets both `network_mode` and `networks`",
                        s.name
                    ))
                    .hint("keep one of them"),
            );
        }
        for (m, node) in &s.mounts {
            if let Source::Named(v) = &m.source {
                if !has(vols, v) {
                    diags.push(node.error(format!(
                        "service `{}` refers to an undefined volume `{v}`", s.name
                    )).hint(format!("declare it under the top-level `volumes:` (`{v}: {{}}`), or write a path (`./{v}`) for a bind mount")));
                }
            }
        }
    }
}

fn plain_network(project: &str, key: &str) -> Network {
    Network {
        key: key.to_string(),
        name: format!("{project}_{key}"),
        external: false,
        driver: None,
        options: Vec::new(),
        internal: false,
        attachable: false,
        labels: Vec::new(),
        subnets: Vec::new(),
    }
}

fn network(
    ctx: &Ctx,
    project: &str,
    key: &str,
    v: &Node,
    diags: &mut Diagnostics,
) -> Result<Network, Diagnostic> {
    check_keys(
        v,
        &format!("network `{key}`"),
        &[
            "name",
            "external",
            "driver",
            "driver_opts",
            "internal",
            "attachable",
            "labels",
            "ipam",
        ],
        &["enable_ipv4", "enable_ipv6"],
        diags,
    );
    let mut n = plain_network(project, key);
    if let Some(e) = v.get("external") {
        n.external = ctx.bool(e)?;
    }
    if let Some(name) = v.get("name") {
        n.name = ctx.str(name)?;
    } else if n.external {
        n.name = key.to_string();
    }
    n.driver = v.get("driver").map(|d| ctx.str(d)).transpose()?;
    n.options = pairs(ctx, v.get("driver_opts"))?;
    n.labels = pairs(ctx, v.get("labels"))?;
    n.internal = v
        .get("internal")
        .map(|b| ctx.bool(b))
        .transpose()?
        .unwrap_or(false);
    n.attachable = v
        .get("attachable")
        .map(|b| ctx.bool(b))
        .transpose()?
        .unwrap_or(false);
    if let Some(ipam) = v.get("ipam") {
        check_keys(ipam, "`ipam`", &["config"], &["driver", "options"], diags);
        if let Some(config) = ipam.get("config") {
            for c in config.items().unwrap_or_default() {
                check_keys(
                    c,
                    "`ipam.config`",
                    &["subnet", "gateway", "ip_range"],
                    &["aux_addresses"],
                    diags,
                );
                let s = |k: &str| c.get(k).map(|x| ctx.str(x)).transpose();
                n.subnets
                    .push([s("subnet")?, s("gateway")?, s("ip_range")?]);
            }
        }
    }
    if n.external && (n.driver.is_some() || !n.options.is_empty() || !n.subnets.is_empty()) {
        return Err(v.error(format!("external network `{key}` cannot set driver, driver_opts or ipam"))
            .hint("an external network is made outside this project; keep only `external: true` and `name`"));
    }
    Ok(n)
}

fn volume(
    ctx: &Ctx,
    project: &str,
    key: &str,
    v: &Node,
    diags: &mut Diagnostics,
) -> Result<Volume, Diagnostic> {
    check_keys(
        v,
        &format!("volume `{key}`"),
        &["name", "external", "driver", "driver_opts", "labels"],
        &[],
        diags,
    );
    let external = match v.get("external") {
        Some(e) => ctx.bool(e)?,
        None => false,
    };
    let vol = Volume {
        key: key.to_string(),
        name: match v.get("name") {
            Some(n) => ctx.str(n)?,
            // An external volume is named by its key, a project volume gets the project prefix.
            None if external => key.to_string(),
            None => format!("{project}_{key}"),
        },
        external,
        driver: v.get("driver").map(|d| ctx.str(d)).transpose()?,
        options: pairs(ctx, v.get("driver_opts"))?,
        labels: pairs(ctx, v.get("labels"))?,
    };
    if external && (vol.driver.is_some() || !vol.options.is_empty() || !vol.labels.is_empty()) {
        return Err(v
            .error(format!(
                "external volume `{key}` cannot set driver, driver_opts or labels"
            ))
            .hint("an external volume is made outside this project; keep only `external: true` and `name`"));
    }
    Ok(vol)
}

fn pairs(ctx: &Ctx, n: Option<&Node>) -> Result<Vec<(String, String)>, Diagnostic> {
    Ok(match n {
        Some(n) => ctx
            .pairs(n, '=')?
            .into_iter()
            .map(|(k, v)| (k, v.unwrap_or_default()))
            .collect(),
        None => Vec::new(),
    })
}
