//! The `docker_container` schema: kreuzwerker's names, defaults and force-new flags for the
//! attributes labform implements.

use std::collections::BTreeMap;

use labform_sdk::types::ObjectAttr;
use labform_sdk::{Attribute, BlockSchema, NestedBlock, Type};

fn s() -> Type {
    Type::String
}
fn n() -> Type {
    Type::Number
}
fn b() -> Type {
    Type::Bool
}

pub fn schema() -> BlockSchema {
    BlockSchema::new()
        .attr("id", Attribute::computed(s()))
        .attrs(&["name", "image"], Attribute::required(s()).force_new())
        .attr(
            "command",
            Attribute::optional_computed(Type::list(s())).force_new(),
        )
        .attr(
            "entrypoint",
            Attribute::optional_computed(Type::list(s())).force_new(),
        )
        .attr(
            "env",
            Attribute::optional_computed(Type::set(s())).force_new(),
        )
        .attr("hostname", Attribute::optional_computed(s()).force_new())
        .attrs(
            &["domainname", "user", "working_dir"],
            Attribute::optional(s()).force_new(),
        )
        .attr("restart", Attribute::optional(s()).default("no"))
        .attr("max_retry_count", Attribute::optional(n()))
        .attrs(
            &["start", "must_run"],
            Attribute::optional(b()).default(true),
        )
        .attrs(&["rm", "wait"], Attribute::optional(b()).default(false))
        .attr("wait_timeout", Attribute::optional(n()).default(60.0))
        .attrs(&["attach", "logs"], Attribute::optional(b()).default(false))
        .attr("exit_code", Attribute::computed(n()).changes_on_update())
        .attr(
            "container_logs",
            Attribute::computed(s()).changes_on_update(),
        )
        .attr(
            "network_mode",
            Attribute::optional(s()).force_new().default("bridge"),
        )
        .attr("init", Attribute::optional_computed(b()))
        .attrs(
            &["memory", "memory_swap", "cpu_shares"],
            Attribute::optional(n()),
        )
        .attr("shm_size", Attribute::optional_computed(n()).force_new())
        .attr("stop_signal", Attribute::optional_computed(s()).force_new())
        .attr(
            "stop_timeout",
            Attribute::optional_computed(n()).force_new(),
        )
        .attr("destroy_grace_seconds", Attribute::optional(n()))
        .attr("remove_volumes", Attribute::optional(b()).default(true))
        .attrs(
            &["privileged", "publish_all_ports"],
            Attribute::optional(b()).force_new(),
        )
        .attr(
            "read_only",
            Attribute::optional(b()).force_new().default(false),
        )
        .attr("tty", Attribute::optional(b()).force_new().default(false))
        .attr(
            "stdin_open",
            Attribute::optional(b()).force_new().default(false),
        )
        .attr("dns", Attribute::optional(Type::set(s())).force_new())
        .attr(
            "dns_search",
            Attribute::optional(Type::set(s())).force_new(),
        )
        .attr("group_add", Attribute::optional(Type::set(s())).force_new())
        .attr("tmpfs", Attribute::optional(Type::map(s())))
        .attr("sysctls", Attribute::optional(Type::map(s())).force_new())
        .attr("log_driver", Attribute::optional_computed(s()).force_new())
        .attr("log_opts", Attribute::optional(Type::map(s())).force_new())
        .attr("bridge", Attribute::computed(s()))
        .attr(
            "network_data",
            Attribute::computed(Type::list(network_data_type())),
        )
        .block("labels", NestedBlock::set(label()).force_new())
        .block("ports", NestedBlock::list(ports()).force_new())
        .block("volumes", NestedBlock::set(volumes()).force_new())
        .block("mounts", NestedBlock::set(mounts()).force_new())
        .block(
            "networks_advanced",
            NestedBlock::set(networks_advanced()).force_new(),
        )
        .block("healthcheck", NestedBlock::list(healthcheck()).max(1))
        .block(
            "capabilities",
            NestedBlock::set(capabilities()).max(1).force_new(),
        )
        .block("host", NestedBlock::set(host()).force_new())
        .block("ulimit", NestedBlock::set(ulimit()).force_new())
        .block("upload", NestedBlock::set(upload()).force_new())
}

fn label() -> BlockSchema {
    BlockSchema::new().attrs(&["label", "value"], Attribute::required(s()).force_new())
}

fn ports() -> BlockSchema {
    BlockSchema::new()
        .attr("internal", Attribute::required(n()).force_new())
        .attr("external", Attribute::optional_computed(n()).force_new())
        .attr(
            "ip",
            Attribute::optional(s()).force_new().default("0.0.0.0"),
        )
        .attr(
            "protocol",
            Attribute::optional(s()).force_new().default("tcp"),
        )
}

fn volumes() -> BlockSchema {
    BlockSchema::new()
        .attrs(
            &[
                "from_container",
                "container_path",
                "host_path",
                "volume_name",
            ],
            Attribute::optional(s()).force_new(),
        )
        .attr("read_only", Attribute::optional(b()).force_new())
}

fn mounts() -> BlockSchema {
    BlockSchema::new()
        .attr("target", Attribute::required(s()))
        .attr("source", Attribute::optional(s()))
        .attr("type", Attribute::required(s()))
        .attr("read_only", Attribute::optional(b()))
}

fn networks_advanced() -> BlockSchema {
    BlockSchema::new()
        .attr("name", Attribute::required(s()).force_new())
        .attr("aliases", Attribute::optional(Type::set(s())).force_new())
        .attrs(
            &["ipv4_address", "ipv6_address"],
            Attribute::optional(s()).force_new(),
        )
}

fn healthcheck() -> BlockSchema {
    BlockSchema::new()
        .attr("test", Attribute::optional(Type::list(s())))
        .attrs(
            &["interval", "timeout", "start_period", "start_interval"],
            Attribute::optional(s()).default("0s"),
        )
        .attr("retries", Attribute::optional(n()).default(0.0))
}

fn capabilities() -> BlockSchema {
    BlockSchema::new().attrs(
        &["add", "drop"],
        Attribute::optional(Type::set(s())).force_new(),
    )
}

fn host() -> BlockSchema {
    BlockSchema::new().attrs(&["host", "ip"], Attribute::required(s()).force_new())
}

fn ulimit() -> BlockSchema {
    BlockSchema::new()
        .attr("name", Attribute::required(s()).force_new())
        .attrs(&["soft", "hard"], Attribute::required(n()).force_new())
}

fn upload() -> BlockSchema {
    BlockSchema::new()
        .attr("file", Attribute::required(s()).force_new())
        .attrs(
            &["content", "content_base64", "source"],
            Attribute::optional(s()).force_new(),
        )
        .attr(
            "executable",
            Attribute::optional(b()).force_new().default(false),
        )
        .attr("permissions", Attribute::optional(s()).force_new())
}

fn network_data_type() -> Type {
    let field = |ty: Type| ObjectAttr {
        ty,
        optional: true,
        default: None,
    };
    Type::Object(BTreeMap::from([
        ("gateway".to_string(), field(s())),
        ("global_ipv6_address".to_string(), field(s())),
        ("global_ipv6_prefix_length".to_string(), field(n())),
        ("ip_address".to_string(), field(s())),
        ("ip_prefix_length".to_string(), field(n())),
        ("ipv6_gateway".to_string(), field(s())),
        ("mac_address".to_string(), field(s())),
        ("network_name".to_string(), field(s())),
    ]))
}
