//! What the Terraform provider's schema (kreuzwerker/docker 4.5) declares beyond what labform implements, and
//! each type's schema version. State files carry both (see `BlockSchema::unimplemented`), so
//! that Terraform with the real provider reads labform's state as its own. Read from the
//! provider's schema; checked by the integration tests against tests/provider-schemas/.

use labform_sdk::{BlockSchema, Nesting};

/// A managed resource type's schema, completed with what labform does not implement.
pub fn resource(type_name: &str, schema: BlockSchema) -> BlockSchema {
    match type_name {
        "docker_container" => schema
            .version(2)
            .unimplemented(&[
                "cgroup_parent",
                "cgroupns_mode",
                "container_read_refresh_timeout_milliseconds",
                "cpu_period",
                "cpu_quota",
                "cpu_set",
                "cpus",
                "dns_opts",
                "gpus",
                "ipc_mode",
                "memory_reservation",
                "pid_mode",
                "platform",
                "runtime",
                "security_opts",
                "storage_opts",
                "userns_mode",
            ])
            .unimplemented_blocks(
                Nesting::Set,
                &[
                    "device_read_bps",
                    "device_read_iops",
                    "device_requests",
                    "device_write_bps",
                    "device_write_iops",
                    "devices",
                ],
            )
            .unimplemented_blocks(Nesting::Single, &["timeouts"])
            .nested("mounts", |b| {
                b.unimplemented_blocks(
                    Nesting::List,
                    &["bind_options", "tmpfs_options", "volume_options"],
                )
            })
            .nested("networks_advanced", |b| {
                b.unimplemented(&[
                    "driver_opts",
                    "gw_priority",
                    "link_local_ips",
                    "mac_address",
                ])
            })
            .nested("upload", |b| b.unimplemented(&["source_hash"]))
            .nested("volumes", |b| b.unimplemented(&["selinux_relabel"])),
        "docker_image" => schema
            .unimplemented_blocks(Nesting::Single, &["timeouts"])
            .nested("build", |b| {
                b.unimplemented(&[
                    "additional_contexts",
                    "build_id",
                    "build_log_file",
                    "builder",
                    "cache_from",
                    "cache_to",
                    "cgroup_parent",
                    "cpu_period",
                    "cpu_quota",
                    "cpu_set_cpus",
                    "cpu_set_mems",
                    "cpu_shares",
                    "extra_hosts",
                    "isolation",
                    "memory",
                    "memory_swap",
                    "platform",
                    "provenance",
                    "remote_context",
                    "sbom",
                    "security_opt",
                    "session_id",
                    "shm_size",
                    "squash",
                    "suppress_output",
                    "use_legacy_builder",
                    "version",
                ])
                .unimplemented_blocks(Nesting::List, &["auth_config", "secrets", "ulimit"])
            }),
        "docker_network" => schema.version(1),
        "docker_volume" => schema
            .version(1)
            .unimplemented_blocks(Nesting::List, &["cluster"]),
        _ => schema,
    }
}
