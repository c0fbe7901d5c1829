//! Reading a container back: what the engine reports, laid over the prior value for the
//! attributes the engine cannot tell apart from image defaults.

use std::collections::BTreeMap;

use bollard::models::{ContainerInspectResponse, RestartPolicyNameEnum};
use labform_sdk::types::normalize_set;
use labform_sdk::Value;

const MIB: i64 = 1024 * 1024;

fn strings(list: &Option<Vec<String>>) -> Value {
    Value::List(
        list.iter()
            .flatten()
            .map(|s| Value::from(s.as_str()))
            .collect(),
    )
}

/// Whether the container is running (or restarting: it will be again).
pub fn is_running(c: &ContainerInspectResponse) -> bool {
    c.state
        .as_ref()
        .is_some_and(|s| s.running.unwrap_or(false) || s.restarting.unwrap_or(false))
}

/// The state of `c`, starting from `current` (the prior state or a planned value).
///
/// `image_env` is the image's own environment: `env` reads back as the container's environment
/// without the image's entries, except those `current` names (a configured `PATH=...` equal to
/// the image's stays). kreuzwerker never reads env back; this catches a container re-created by
/// hand with other settings.
pub fn read_back(current: &Value, c: &ContainerInspectResponse, image_env: &[String]) -> Value {
    let mut out = current.clone();
    let config = c.config.clone().unwrap_or_default();
    let host = c.host_config.clone().unwrap_or_default();
    let running = is_running(c);

    out.set("id", c.id.clone().into());
    out.set(
        "name",
        c.name.as_deref().map(|n| n.trim_start_matches('/')).into(),
    );
    let image = current.str_attr("image").unwrap_or_default();
    if image.starts_with("sha256:") {
        out.set("image", c.image.clone().into());
    } else {
        out.set("image", config.image.clone().into());
    }
    out.set("command", strings(&config.cmd));
    out.set("entrypoint", strings(&config.entrypoint));
    let prior_env: Vec<String> = current.string_list_attr("env");
    let env: Vec<Value> = config
        .env
        .iter()
        .flatten()
        .filter(|e| prior_env.contains(e) || !image_env.contains(e))
        .map(|e| Value::from(e.as_str()))
        .collect();
    out.set("env", Value::List(normalize_set(env)));
    out.set("hostname", config.hostname.clone().into());
    out.set("init", host.init.unwrap_or(false).into());
    out.set(
        "stop_timeout",
        config
            .stop_timeout
            .map(|t| Value::Number(t as f64))
            .unwrap_or_default(),
    );
    out.set("stop_signal", config.stop_signal.clone().into());
    out.set(
        "shm_size",
        host.shm_size
            .map(|b| Value::Number((b / MIB) as f64))
            .unwrap_or_default(),
    );
    out.set(
        "log_driver",
        host.log_config.as_ref().and_then(|l| l.typ.clone()).into(),
    );
    let restart = host
        .restart_policy
        .as_ref()
        .and_then(|r| r.name)
        .unwrap_or(RestartPolicyNameEnum::NO);
    out.set(
        "restart",
        match restart {
            RestartPolicyNameEnum::ALWAYS => "always",
            RestartPolicyNameEnum::UNLESS_STOPPED => "unless-stopped",
            RestartPolicyNameEnum::ON_FAILURE => "on-failure",
            _ => "no",
        }
        .into(),
    );
    let memory = host.memory.unwrap_or(0);
    if memory > 0 || !current.get("memory").is_null() {
        out.set("memory", Value::Number((memory / MIB) as f64));
    }

    // A stopped container: must_run reads false so the plan shows the start it needs.
    if running {
        out.set("exit_code", Value::Null);
    } else {
        // Only a container meant to be started: with `start = false` stopped is the goal.
        if current.bool_attr("must_run", true) && current.bool_attr("start", true) {
            out.set("must_run", false.into());
        }
        let code = c.state.as_ref().and_then(|s| s.exit_code).unwrap_or(0);
        out.set("exit_code", Value::Number(code as f64));
    }
    if out.get("container_logs").is_unknown() {
        out.set("container_logs", Value::Null);
    }

    out.set("ports", ports(current, c));
    let (bridge, data) = network_data(c);
    out.set("bridge", bridge.into());
    out.set("network_data", data);
    out
}

/// Ports from the container's bindings, in the order `current` lists them; an unset
/// `external` is the port the engine chose (known once the container ran).
fn ports(current: &Value, c: &ContainerInspectResponse) -> Value {
    let bindings = c
        .host_config
        .as_ref()
        .and_then(|h| h.port_bindings.clone())
        .unwrap_or_default();
    let live = c
        .network_settings
        .as_ref()
        .and_then(|n| n.ports.clone())
        .unwrap_or_default();
    let mut engine: Vec<Value> = Vec::new();
    let mut keys: Vec<&String> = bindings.keys().collect();
    keys.sort_by_key(|k| {
        let (port, proto) = k.split_once('/').unwrap_or((k, "tcp"));
        (port.parse::<u32>().unwrap_or(0), proto.to_string())
    });
    for key in keys {
        let (internal, protocol) = key.split_once('/').unwrap_or((key, "tcp"));
        let internal: f64 = internal.parse().unwrap_or(0.0);
        for b in bindings[key].iter().flatten() {
            let ip = b
                .host_ip
                .clone()
                .filter(|ip| !ip.is_empty())
                .unwrap_or_else(|| "0.0.0.0".into());
            let fixed = b
                .host_port
                .as_deref()
                .and_then(|p| p.parse::<f64>().ok())
                .filter(|p| *p > 0.0);
            let chosen = fixed.or_else(|| {
                live.get(key)
                    .and_then(|l| l.as_ref())
                    .and_then(|l| {
                        l.iter().find(|lb| {
                            lb.host_ip.as_deref().unwrap_or("0.0.0.0") == ip || l.len() == 1
                        })
                    })
                    .and_then(|lb| lb.host_port.as_deref().and_then(|p| p.parse::<f64>().ok()))
            });
            engine.push(Value::from_pairs([
                ("internal", Value::Number(internal)),
                ("external", chosen.map(Value::Number).unwrap_or_default()),
                ("ip", ip.into()),
                ("protocol", protocol.into()),
            ]));
        }
    }
    // Follow the configured order; keep a known external the engine no longer reports (stopped).
    let mut ordered = Vec::new();
    for want in current.list_attr("ports") {
        let pos = engine.iter().position(|e| {
            e.get("internal") == want.get("internal")
                && e.get("protocol") == want.get("protocol")
                && e.get("ip") == want.get("ip")
                && (want.get("external").is_null()
                    || want.get("external").is_unknown()
                    || e.get("external").is_null()
                    || e.get("external") == want.get("external"))
        });
        if let Some(pos) = pos {
            let mut e = engine.remove(pos);
            if e.get("external").is_null() {
                let prior = want.get("external");
                e.set(
                    "external",
                    if prior.is_unknown() {
                        Value::Null
                    } else {
                        prior.clone()
                    },
                );
            }
            ordered.push(e);
        }
    }
    ordered.extend(engine);
    Value::List(ordered)
}

fn network_data(c: &ContainerInspectResponse) -> (String, Value) {
    let networks = c
        .network_settings
        .as_ref()
        .and_then(|n| n.networks.clone())
        .unwrap_or_default();
    let mut names: Vec<&String> = networks.keys().collect();
    names.sort();
    let mut bridge = String::new();
    let items = names
        .into_iter()
        .map(|name| {
            let e = &networks[name];
            if name == "bridge" {
                bridge = e.gateway.clone().unwrap_or_default();
            }
            let s = |v: &Option<String>| Value::from(v.clone().unwrap_or_default());
            let num = |v: Option<i64>| Value::Number(v.unwrap_or(0) as f64);
            Value::Object(BTreeMap::from([
                ("gateway".to_string(), s(&e.gateway)),
                ("global_ipv6_address".to_string(), s(&e.global_ipv6_address)),
                (
                    "global_ipv6_prefix_length".to_string(),
                    num(e.global_ipv6_prefix_len),
                ),
                ("ip_address".to_string(), s(&e.ip_address)),
                ("ip_prefix_length".to_string(), num(e.ip_prefix_len)),
                ("ipv6_gateway".to_string(), s(&e.ipv6_gateway)),
                ("mac_address".to_string(), s(&e.mac_address)),
                ("network_name".to_string(), Value::from(name.as_str())),
            ]))
        })
        .collect();
    (bridge, Value::List(items))
}
