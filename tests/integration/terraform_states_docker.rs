//! A directory that Terraform with kreuzwerker/docker managed: a network, a volume, a (local)
//! image and a container made with the docker CLI, and the `terraform.tfstate` Terraform would
//! have written for them, from the provider's schema. labform reads it in place, plans no
//! change against the real engine, and destroys what Terraform would destroy.

use std::process::Command;

use serde_json::{json, Value as Json};

use crate::common::{harness_env as env, Stack};
use crate::provider_schema::{take_over, terraform_state};

fn docker(args: &[&str]) -> String {
    let out = Command::new("docker")
        .args(args)
        .output()
        .expect("docker CLI");
    assert!(
        out.status.success(),
        "docker {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn inspect(kind: &str, name: &str) -> Json {
    let text = docker(&[kind, "inspect", name]);
    serde_json::from_str::<Json>(&text).expect("inspect JSON")[0].clone()
}

#[test]
fn a_terraform_state_of_docker_objects_plans_no_change_and_destroys() {
    let image = env("LABFORM_TEST_BUSYBOX");
    let s = Stack::new();
    let id = s.name().to_lowercase();
    let (net, vol, ctr) = (
        format!("{id}-net"),
        format!("{id}-data"),
        format!("{id}-app"),
    );
    docker(&["network", "create", "--label", "course=de", &net]);
    docker(&["volume", "create", "--label", "course=de", &vol]);
    docker(&[
        "run",
        "-d",
        "--init",
        "--name",
        &ctr,
        "--network",
        &net,
        "-v",
        &format!("{vol}:/data"),
        "--label",
        "course=de",
        &image,
        "sleep",
        "3600",
    ]);
    let (n, v, c, i) = (
        inspect("network", &net),
        inspect("volume", &vol),
        inspect("container", &ctr),
        inspect("image", &image),
    );
    let label = json!([{"label": "course", "value": "de"}]);
    let endpoint = &c["NetworkSettings"]["Networks"][&net];
    let state = terraform_state(&[
        (
            "docker_network",
            "net",
            json!({
                "id": n["Id"], "name": net, "driver": "bridge", "options": {},
                "internal": false, "attachable": false, "ingress": false, "ipv6": false,
                "ipam_driver": "default", "ipam_options": {}, "scope": "local",
                "labels": label,
                "ipam_config": [{
                    "subnet": n["IPAM"]["Config"][0]["Subnet"],
                    "gateway": n["IPAM"]["Config"][0]["Gateway"],
                    "ip_range": "", "aux_address": {}
                }]
            }),
        ),
        (
            "docker_volume",
            "data",
            json!({
                "id": vol, "name": vol, "driver": "local", "driver_opts": {},
                "mountpoint": v["Mountpoint"], "labels": label
            }),
        ),
        (
            "docker_image",
            "app",
            json!({
                "id": format!("{}{image}", i["Id"].as_str().unwrap_or_default()),
                "name": image, "image_id": i["Id"], "repo_digest": "",
                "keep_locally": true, "platform": "", "build": []
            }),
        ),
        (
            "docker_container",
            "app",
            json!({
                "id": c["Id"], "name": ctr, "image": i["Id"], "command": ["sleep", "3600"],
                "entrypoint": [], "env": [], "hostname": c["Config"]["Hostname"],
                "domainname": "", "user": "", "working_dir": "", "init": true,
                "must_run": true, "start": true, "attach": false, "logs": false, "wait": false,
                "wait_timeout": 60, "rm": false, "restart": "no", "max_retry_count": 0,
                "read_only": false, "privileged": false, "publish_all_ports": false,
                "stdin_open": false, "tty": false, "destroy_grace_seconds": null,
                "memory": 0, "memory_swap": 0, "cpu_shares": 0, "shm_size": 64,
                "log_driver": "json-file", "log_opts": {}, "network_mode": "bridge",
                "ipc_mode": "private", "runtime": "runc", "stop_signal": "", "stop_timeout": 0,
                "remove_volumes": true, "exit_code": null, "container_logs": null,
                "labels": label,
                "networks_advanced": [{
                    "name": net, "aliases": [], "ipv4_address": "", "ipv6_address": "",
                    "link_local_ips": [], "mac_address": "", "driver_opts": [], "gw_priority": 0
                }],
                "network_data": [{
                    "network_name": net, "ip_address": endpoint["IPAddress"],
                    "ip_prefix_length": endpoint["IPPrefixLen"], "gateway": endpoint["Gateway"],
                    "mac_address": endpoint["MacAddress"], "global_ipv6_address": "",
                    "global_ipv6_prefix_length": 0, "ipv6_gateway": ""
                }],
                "volumes": [{
                    "volume_name": vol, "container_path": "/data", "host_path": "",
                    "from_container": "", "read_only": null
                }]
            }),
        ),
    ]);
    take_over(
        &s,
        &state,
        &format!(
            r#"
resource "docker_network" "net" {{
  name = "{net}"
  labels {{
    label = "course"
    value = "de"
  }}
}}
resource "docker_volume" "data" {{
  name = "{vol}"
  labels {{
    label = "course"
    value = "de"
  }}
}}
resource "docker_image" "app" {{
  name         = "{image}"
  keep_locally = true
}}
resource "docker_container" "app" {{
  name    = "{ctr}"
  image   = docker_image.app.image_id
  command = ["sleep", "3600"]
  init    = true
  labels {{
    label = "course"
    value = "de"
  }}
  networks_advanced {{
    name = docker_network.net.name
  }}
  volumes {{
    volume_name    = docker_volume.data.name
    container_path = "/data"
  }}
}}
"#
        ),
        4,
    );
    for (kind, name) in [("container", &ctr), ("network", &net), ("volume", &vol)] {
        let found = Command::new("docker")
            .args([kind, "inspect", name.as_str()])
            .output()
            .expect("docker CLI");
        assert!(!found.status.success(), "{kind} {name} is still there");
    }
    docker(&["image", "inspect", &image]);
}
