//! The engine's create request from a planned `docker_container` value.

use std::collections::HashMap;

use bollard::models::{
    ContainerCreateBody, EndpointIpamConfig, EndpointSettings, HealthConfig, HostConfig,
    HostConfigLogConfig, Mount, MountType, NetworkingConfig, PortBinding, ResourcesUlimits,
    RestartPolicy, RestartPolicyNameEnum,
};
use labform_sdk::Value;

use crate::labels;

const MIB: i64 = 1024 * 1024;

fn opt_list(v: &Value, key: &str) -> Option<Vec<String>> {
    match v.get(key) {
        Value::List(_) => Some(v.string_list_attr(key)),
        _ => None,
    }
}

fn non_empty(list: Vec<String>) -> Option<Vec<String>> {
    (!list.is_empty()).then_some(list)
}

fn map(v: &Value, key: &str) -> Option<HashMap<String, String>> {
    let m = v.string_map_attr(key);
    (!m.is_empty()).then(|| labels::to_hash(&m))
}

fn string(v: &Value, key: &str) -> Option<String> {
    v.str_attr(key)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The port key the engine uses: `5432/tcp`.
pub fn port_key(port: &Value) -> String {
    format!(
        "{}/{}",
        port.i64_attr("internal").unwrap_or(0),
        port.str_attr("protocol").unwrap_or("tcp")
    )
}

/// The create request; `mark` is merged into the labels.
pub fn create_body(
    planned: &Value,
    mark: &std::collections::BTreeMap<String, String>,
) -> ContainerCreateBody {
    let all_labels = labels::with_mark(labels::from_blocks(planned, "labels"), mark);
    let ports = planned.list_attr("ports");
    let mut port_bindings: HashMap<String, Option<Vec<PortBinding>>> = HashMap::new();
    for p in ports {
        let binding = PortBinding {
            host_ip: Some(p.str_attr("ip").unwrap_or("0.0.0.0").to_string()),
            host_port: Some(
                p.i64_attr("external")
                    .map(|e| e.to_string())
                    .unwrap_or_default(),
            ),
        };
        port_bindings
            .entry(port_key(p))
            .or_insert_with(|| Some(Vec::new()))
            .get_or_insert_with(Vec::new)
            .push(binding);
    }
    let mut exposed: Vec<String> = port_bindings.keys().cloned().collect();
    exposed.sort();

    let mut binds = Vec::new();
    let mut anonymous = Vec::new();
    let mut volumes_from = Vec::new();
    for v in planned.list_attr("volumes") {
        if let Some(from) = string(v, "from_container") {
            volumes_from.push(from);
            continue;
        }
        let Some(path) = string(v, "container_path") else {
            continue;
        };
        let mode = if v.bool_attr("read_only", false) {
            "ro"
        } else {
            "rw"
        };
        match string(v, "host_path").or_else(|| string(v, "volume_name")) {
            Some(src) => binds.push(format!("{src}:{path}:{mode}")),
            None => anonymous.push(path),
        }
    }

    let mounts: Vec<Mount> = planned
        .list_attr("mounts")
        .iter()
        .map(|m| Mount {
            target: string(m, "target"),
            source: string(m, "source"),
            typ: match m.str_attr("type") {
                Some("bind") => Some(MountType::BIND),
                Some("tmpfs") => Some(MountType::TMPFS),
                _ => Some(MountType::VOLUME),
            },
            read_only: m.get("read_only").as_bool(),
            ..Default::default()
        })
        .collect();

    let networks = planned.list_attr("networks_advanced");
    let network_mode = planned.str_attr("network_mode").unwrap_or("bridge");
    // The first network joins at create, so the container never touches the default bridge.
    let (network_mode, networking_config) = match networks.first() {
        Some(first) if network_mode == "bridge" || network_mode == "default" => {
            let name = first.str_attr("name").unwrap_or_default().to_string();
            let endpoints = HashMap::from([(name.clone(), endpoint(first))]);
            (
                name,
                Some(NetworkingConfig {
                    endpoints_config: Some(endpoints),
                }),
            )
        }
        // A user network given by id (a duplicated name): name its id for the start, as above.
        _ if is_full_id(network_mode) => {
            let endpoint = EndpointSettings {
                network_id: Some(network_mode.to_string()),
                ..Default::default()
            };
            (
                network_mode.to_string(),
                Some(NetworkingConfig {
                    endpoints_config: Some(HashMap::from([(network_mode.to_string(), endpoint)])),
                }),
            )
        }
        _ => (network_mode.to_string(), None),
    };

    let caps = planned.list_attr("capabilities").first();
    let log_driver = string(planned, "log_driver");
    let host_config = HostConfig {
        binds: non_empty(binds),
        volumes_from: non_empty(volumes_from),
        mounts: (!mounts.is_empty()).then_some(mounts),
        port_bindings: (!port_bindings.is_empty()).then_some(port_bindings),
        network_mode: Some(network_mode),
        restart_policy: Some(restart_policy(planned)),
        auto_remove: Some(planned.bool_attr("rm", false)),
        init: Some(planned.bool_attr("init", false)),
        memory: planned
            .i64_attr("memory")
            .filter(|m| *m > 0)
            .map(|m| m * MIB),
        memory_swap: planned
            .i64_attr("memory_swap")
            .map(|m| if m > 0 { m * MIB } else { m }),
        cpu_shares: planned.i64_attr("cpu_shares"),
        privileged: planned.get("privileged").as_bool(),
        publish_all_ports: planned.get("publish_all_ports").as_bool(),
        readonly_rootfs: Some(planned.bool_attr("read_only", false)),
        dns: non_empty(planned.string_list_attr("dns")),
        dns_search: non_empty(planned.string_list_attr("dns_search")),
        group_add: non_empty(planned.string_list_attr("group_add")),
        cap_add: caps.and_then(|c| non_empty(c.string_list_attr("add"))),
        cap_drop: caps.and_then(|c| non_empty(c.string_list_attr("drop"))),
        extra_hosts: non_empty(
            planned
                .list_attr("host")
                .iter()
                .map(|h| {
                    format!(
                        "{}:{}",
                        h.str_attr("host").unwrap_or_default(),
                        h.str_attr("ip").unwrap_or_default()
                    )
                })
                .collect(),
        ),
        ulimits: non_empty_ulimits(planned),
        tmpfs: map(planned, "tmpfs"),
        sysctls: map(planned, "sysctls"),
        shm_size: planned.i64_attr("shm_size").map(|m| m * MIB),
        log_config: log_driver.map(|typ| HostConfigLogConfig {
            typ: Some(typ),
            config: map(planned, "log_opts"),
        }),
        ..Default::default()
    };

    ContainerCreateBody {
        image: string(planned, "image"),
        cmd: opt_list(planned, "command"),
        entrypoint: opt_list(planned, "entrypoint"),
        env: opt_list(planned, "env"),
        hostname: string(planned, "hostname"),
        domainname: string(planned, "domainname"),
        user: string(planned, "user"),
        working_dir: string(planned, "working_dir"),
        labels: Some(labels::to_hash(&all_labels)),
        stop_signal: string(planned, "stop_signal"),
        stop_timeout: planned.i64_attr("stop_timeout"),
        tty: Some(planned.bool_attr("tty", false)),
        open_stdin: Some(planned.bool_attr("stdin_open", false)),
        exposed_ports: (!exposed.is_empty()).then_some(exposed),
        volumes: non_empty(anonymous),
        healthcheck: planned.list_attr("healthcheck").first().map(health_config),
        host_config: Some(host_config),
        networking_config,
        ..Default::default()
    }
}

/// Whether `s` is a full network id (64 hex digits), as `networks::resolved` hands over.
fn is_full_id(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The endpoint settings of one `networks_advanced` block. A network given by its full id also
/// sets `NetworkID`: the engine then starts the container on that network, where it would look
/// the network up again by name (and find a duplicated name ambiguous).
pub fn endpoint(net: &Value) -> EndpointSettings {
    let ipv4 = string(net, "ipv4_address");
    let ipv6 = string(net, "ipv6_address");
    EndpointSettings {
        network_id: string(net, "name").filter(|n| is_full_id(n)),
        aliases: non_empty(net.string_list_attr("aliases")),
        ipam_config: (ipv4.is_some() || ipv6.is_some()).then(|| EndpointIpamConfig {
            ipv4_address: ipv4,
            ipv6_address: ipv6,
            ..Default::default()
        }),
        ..Default::default()
    }
}

pub fn restart_policy(planned: &Value) -> RestartPolicy {
    let name = match planned.str_attr("restart").unwrap_or("no") {
        "always" => RestartPolicyNameEnum::ALWAYS,
        "unless-stopped" => RestartPolicyNameEnum::UNLESS_STOPPED,
        "on-failure" => RestartPolicyNameEnum::ON_FAILURE,
        _ => RestartPolicyNameEnum::NO,
    };
    let retries = planned
        .i64_attr("max_retry_count")
        .filter(|_| name == RestartPolicyNameEnum::ON_FAILURE);
    RestartPolicy {
        name: Some(name),
        maximum_retry_count: retries,
    }
}

/// A Go duration in nanoseconds as Docker takes it; `None` when it is not one or is negative.
pub(crate) fn go_nanos(text: &str) -> Option<i64> {
    labform_sdk::go_duration_nanos(text.trim())
        .ok()
        .and_then(|n| i64::try_from(n).ok())
        .filter(|n| *n >= 0)
}

fn health_config(h: &Value) -> HealthConfig {
    let ns = |key: &str| h.str_attr(key).and_then(go_nanos).filter(|n| *n > 0);
    HealthConfig {
        test: non_empty(h.string_list_attr("test")),
        interval: ns("interval"),
        timeout: ns("timeout"),
        start_period: ns("start_period"),
        start_interval: ns("start_interval"),
        retries: h.i64_attr("retries").filter(|r| *r > 0),
    }
}

fn non_empty_ulimits(planned: &Value) -> Option<Vec<ResourcesUlimits>> {
    let list: Vec<ResourcesUlimits> = planned
        .list_attr("ulimit")
        .iter()
        .map(|u| ResourcesUlimits {
            name: string(u, "name"),
            soft: u.i64_attr("soft"),
            hard: u.i64_attr("hard"),
        })
        .collect();
    (!list.is_empty()).then_some(list)
}

#[cfg(test)]
mod tests {
    use super::*;
    use labform_sdk::Value;

    fn planned() -> Value {
        let mut v = super::super::schema::schema().empty_value();
        v.set("name", "db".into());
        v.set("image", "postgres:13".into());
        v.set("network_mode", "bridge".into());
        v.set("env", Value::List(vec!["A=1".into()]));
        v.set(
            "ports",
            Value::List(vec![Value::from_pairs([
                ("internal", Value::Number(5432.0)),
                ("external", Value::Number(15432.0)),
                ("ip", "127.0.0.1".into()),
                ("protocol", "tcp".into()),
            ])]),
        );
        v.set(
            "volumes",
            Value::List(vec![Value::from_pairs([
                ("volume_name", "pgdata".into()),
                ("container_path", "/var/lib/postgresql/data".into()),
            ])]),
        );
        v.set(
            "networks_advanced",
            Value::List(vec![Value::from_pairs([
                ("name", "net".into()),
                ("aliases", Value::List(vec!["pg".into()])),
            ])]),
        );
        v.set(
            "healthcheck",
            Value::List(vec![Value::from_pairs([
                ("test", Value::List(vec!["CMD".into(), "true".into()])),
                ("interval", "2s".into()),
                ("retries", Value::Number(3.0)),
            ])]),
        );
        v
    }

    #[test]
    fn builds_the_engine_request() {
        let body = create_body(&planned(), &labform_sdk::mark_labels("s"));
        let host = body.host_config.clone().unwrap();
        assert_eq!(host.network_mode.as_deref(), Some("net"));
        assert_eq!(
            host.binds,
            Some(vec!["pgdata:/var/lib/postgresql/data:rw".to_string()])
        );
        let binding = host.port_bindings.unwrap()["5432/tcp"].clone().unwrap();
        assert_eq!(binding[0].host_ip.as_deref(), Some("127.0.0.1"));
        assert_eq!(binding[0].host_port.as_deref(), Some("15432"));
        assert_eq!(host.init, Some(false));
        assert_eq!(body.labels.unwrap()["labform-stack"], "s");
        let hc = body.healthcheck.unwrap();
        assert_eq!(hc.interval, Some(2_000_000_000));
        assert_eq!(hc.retries, Some(3));
        assert_eq!(
            body.networking_config
                .clone()
                .unwrap()
                .endpoints_config
                .unwrap()["net"]
                .aliases,
            Some(vec!["pg".to_string()])
        );
        assert_eq!(body.exposed_ports, Some(vec!["5432/tcp".to_string()]));
        assert_eq!(
            body.networking_config.unwrap().endpoints_config.unwrap()["net"].network_id,
            None
        );
    }

    #[test]
    fn a_network_given_by_id_is_started_by_id() {
        let id = "8daa701119033e8b7e5f39b1aec13237f9913e206e3e77b6ccaa83c2b8961cb8";
        let mut by_mode = planned();
        by_mode.set("networks_advanced", Value::List(Vec::new()));
        by_mode.set("network_mode", id.into());
        let mut by_block = planned();
        by_block.set(
            "networks_advanced",
            Value::List(vec![Value::from_pairs([("name", id.into())])]),
        );
        for p in [by_mode, by_block] {
            let body = create_body(&p, &labform_sdk::mark_labels("s"));
            let endpoints = body.networking_config.unwrap().endpoints_config.unwrap();
            assert_eq!(endpoints[id].network_id.as_deref(), Some(id));
            assert_eq!(body.host_config.unwrap().network_mode.as_deref(), Some(id));
        }
    }
}
