//! Compose semantics through the binary against the real engine: unimplemented keys refused with
//! their line, runtime keys applied, Compose's labels (read back by `docker ps --filter` and by
//! Compose v2's `docker compose ps`), external volumes, `service_completed_successfully`, `-f`
//! merges, and the Zoomcamp Kafka stack.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::common::{copy_stack, harness_env as env, Stack};
use crate::compose::{docker, env_of, free_port, inspect, label, leftovers, project, tag};

/// Builds `name` from the test busybox with `sleep` as its command, as the course images run a
/// server: a long-running container without a `command:` in the file.
fn sleeper(name: &str) {
    let mut child = Command::new("docker")
        .args(["build", "-q", "-t", name, "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("docker build");
    let dockerfile = format!(
        "FROM {}\nCMD [\"sleep\", \"3600\"]\n",
        env("LABFORM_TEST_BUSYBOX")
    );
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(dockerfile.as_bytes())
        .expect("write Dockerfile");
    assert!(
        child.wait().expect("docker build").success(),
        "cannot build {name}"
    );
}

#[test]
fn unimplemented_keys_are_errors_naming_the_key_and_its_line() {
    let s = Stack::new();
    s.file(
        "compose.yaml",
        "services:\n  web:\n    image: labform-compose/web:1\n    command: sleep 3600\n    secrets: [db_password]\n    platform: linux/amd64\n    stop_grace_period: 3s\nsecrets:\n  db_password:\n    file: ./pw.txt\n",
    );
    let run = s.run(&["plan"]);
    run.code(1)
        .stderr_has("compose.yaml:5:5")
        .stderr_has("`secrets` in service `web` is not supported by labform yet")
        .stderr_has("compose.yaml:6:5")
        .stderr_has("`platform` in service `web` is not supported by labform yet")
        .stderr_has("compose.yaml:8:1")
        .stderr_has("`secrets` in the compose file is not supported by labform yet");
    assert!(
        !run.stderr.contains("stop_grace_period"),
        "an implemented key was refused: {}",
        run.stderr
    );
    assert_eq!(leftovers(&project(&s)), Vec::<String>::new());
}

#[test]
fn runtime_keys_applied_and_compose_labels_listed() {
    tag(&env("LABFORM_TEST_BUSYBOX"), "labform-compose/web:1");
    let s = Stack::new();
    s.file(
        "compose.yaml",
        r#"services:
  web:
    image: labform-compose/web:1
    command: sleep 3600
    init: true
    stop_grace_period: 3s
    logging:
      driver: json-file
      options:
        max-size: 1m
    tmpfs: [/scratch]
    sysctls:
      net.core.somaxconn: 1024
    dns_search: [example.internal]
    cap_add: [NET_ADMIN]
"#,
    );
    let p = project(&s);
    s.run(&["up"]).ok();
    let c = inspect(&format!("{p}-web-1"));
    assert_eq!(c["Config"]["StopTimeout"], 3);
    assert_eq!(c["HostConfig"]["Init"], true);
    assert_eq!(c["HostConfig"]["LogConfig"]["Type"], "json-file");
    assert_eq!(c["HostConfig"]["LogConfig"]["Config"]["max-size"], "1m");
    assert_eq!(
        c["HostConfig"]["Tmpfs"],
        serde_json::json!({"/scratch": ""})
    );
    assert_eq!(
        c["HostConfig"]["Sysctls"],
        serde_json::json!({"net.core.somaxconn": "1024"})
    );
    assert_eq!(
        c["HostConfig"]["DnsSearch"],
        serde_json::json!(["example.internal"])
    );
    assert_eq!(c["HostConfig"]["CapAdd"], serde_json::json!(["NET_ADMIN"]));

    // The labels `docker compose ps` filters on (the compose plugin is not on this machine).
    let (_, listed) = docker(&[
        "ps",
        "--filter",
        &format!("label=com.docker.compose.project={p}"),
        "--filter",
        "label=com.docker.compose.service=web",
        "--filter",
        "label=com.docker.compose.oneoff=False",
        "--filter",
        "label=com.docker.compose.container-number=1",
        "--format",
        "{{.Names}}",
    ]);
    assert_eq!(listed, format!("{p}-web-1"));
    assert_eq!(
        label(&c, "com.docker.compose.project.config_files"),
        std::fs::canonicalize(s.path().join("compose.yaml"))
            .expect("path")
            .display()
            .to_string()
    );
    // Docker Compose v2 (scripts/services/docker.sh installs it) lists the container as its own.
    let out = Command::new("docker")
        .args(["compose", "-p", &p, "ps", "-q"])
        .current_dir(s.path())
        .output()
        .expect("docker compose (v2) runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ids = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert_eq!(ids, c["Id"].as_str().unwrap_or(""), "docker compose ps");

    s.run(&["plan", "-detailed-exitcode"]).code(0);
    s.run(&["down"]).ok();
    assert_eq!(leftovers(&p), Vec::<String>::new());
}

#[test]
fn a_missing_external_volume_is_an_error_and_never_deleted() {
    tag(&env("LABFORM_TEST_BUSYBOX"), "labform-compose/web:1");
    let s = Stack::new();
    let p = project(&s);
    let volume = format!("{p}-course-data");
    s.file(
        "compose.yaml",
        &format!(
            "services:\n  web:\n    image: labform-compose/web:1\n    command: sleep 3600\n    volumes: [data:/data]\nvolumes:\n  data:\n    external: true\n    name: {volume}\n"
        ),
    );
    s.run(&["up"])
        .code(1)
        .stderr_has(&format!("volume `{volume}` does not exist"))
        .stderr_has(&format!("docker volume create {volume}"));
    assert_eq!(leftovers(&p), Vec::<String>::new());
    let (exists, _) = docker(&["volume", "inspect", &volume]);
    assert!(!exists, "labform created the external volume");

    assert!(docker(&["volume", "create", &volume]).0);
    s.run(&["up"]).ok();
    let c = inspect(&format!("{p}-web-1"));
    assert_eq!(c["Mounts"][0]["Type"], "volume");
    assert_eq!(c["Mounts"][0]["Name"], volume.as_str());
    s.run(&["plan", "-detailed-exitcode"]).code(0);
    s.run(&["down"]).ok();
    assert_eq!(leftovers(&p), Vec::<String>::new());
    let (exists, _) = docker(&["volume", "inspect", &volume]);
    assert!(exists, "labform deleted the external volume");
    docker(&["volume", "rm", &volume]);
}

#[test]
fn completed_successfully_waits_for_exit_and_a_failure_stops_the_apply() {
    tag(&env("LABFORM_TEST_BUSYBOX"), "labform-compose/oneshot:1");
    let s = Stack::new();
    s.file(
        "compose.yaml",
        r#"services:
  migrate:
    image: labform-compose/oneshot:1
    command: ["sh", "-c", "sleep 2; exit 0"]
  app:
    image: labform-compose/oneshot:1
    command: sleep 3600
    depends_on:
      migrate:
        condition: service_completed_successfully
  seed:
    image: labform-compose/oneshot:1
    command: ["sh", "-c", "exit 3"]
  worker:
    image: labform-compose/oneshot:1
    command: sleep 3600
    depends_on:
      seed:
        condition: service_completed_successfully
"#,
    );
    let p = project(&s);
    s.run(&["up"])
        .code(1)
        .stderr_has("service `seed` exited with code 3")
        // Shown where the user wrote the service, not in the text labform generated from it.
        .stderr_has("--> compose.yaml:11:3\n")
        .stderr_has("11 |   seed:\n");

    let migrate = inspect(&format!("{p}-migrate-1"));
    assert_eq!(migrate["State"]["ExitCode"], 0);
    let app = inspect(&format!("{p}-app-1"));
    assert_eq!(app["State"]["Running"], true);
    assert!(
        app["Created"].as_str() >= migrate["State"]["FinishedAt"].as_str(),
        "app created before migrate exited"
    );
    assert_eq!(inspect(&format!("{p}-seed-1"))["State"]["ExitCode"], 3);
    let (worker_exists, _) = docker(&["inspect", &format!("{p}-worker-1")]);
    assert!(!worker_exists, "worker was created after seed failed");

    s.run(&["down"]).ok();
    assert_eq!(leftovers(&p), Vec::<String>::new());
}

#[test]
fn several_files_merge_as_compose_merges_them() {
    tag(&env("LABFORM_TEST_BUSYBOX"), "labform-compose/web:1");
    let s = Stack::new();
    let (a_port, b_port) = (free_port(), free_port());
    s.file(
        "base.yml",
        &format!(
            r#"services:
  web:
    image: labform-compose/web:1
    command: [sleep, "3600"]
    environment:
      MODE: base
      KEEP: "1"
    labels:
      course: zoomcamp
    ports: ["127.0.0.1:{a_port}:80"]
    dns: [10.0.0.1]
    volumes:
      - ./base:/data
"#
        ),
    );
    s.file(
        "dev.yml",
        &format!(
            r#"services:
  web:
    command: [sleep, "7200"]
    environment:
      - MODE=dev
    labels:
      week: "1"
    ports: ["127.0.0.1:{b_port}:81"]
    dns: [10.0.0.2]
    volumes:
      - ./dev:/data
"#
        ),
    );
    s.file("base/.keep", "");
    s.file("dev/.keep", "");
    let p = project(&s);
    s.run(&["up", "-f", "base.yml", "-f", "dev.yml"]).ok();
    let c = inspect(&format!("{p}-web-1"));
    // command: replaced
    assert_eq!(c["Config"]["Cmd"], serde_json::json!(["sleep", "7200"]));
    // environment and labels: merged by key
    let env = env_of(&c);
    assert!(env.contains(&"MODE=dev".to_string()), "{env:?}");
    assert!(env.contains(&"KEEP=1".to_string()), "{env:?}");
    assert_eq!(label(&c, "course"), "zoomcamp");
    assert_eq!(label(&c, "week"), "1");
    // ports and dns: appended
    let ports = &c["HostConfig"]["PortBindings"];
    assert_eq!(ports["80/tcp"][0]["HostPort"], a_port.to_string().as_str());
    assert_eq!(ports["81/tcp"][0]["HostPort"], b_port.to_string().as_str());
    let mut dns: Vec<String> = serde_json::from_value(c["HostConfig"]["Dns"].clone()).expect("dns");
    dns.sort();
    assert_eq!(dns, vec!["10.0.0.1", "10.0.0.2"]);
    // volumes: merged by target, the later file's source wins
    let binds = c["HostConfig"]["Binds"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(binds.len(), 1, "{binds:?}");
    let dev = std::fs::canonicalize(s.path().join("dev")).expect("dev");
    assert!(
        binds[0]
            .as_str()
            .unwrap_or("")
            .starts_with(&format!("{}:/data", dev.display())),
        "{binds:?}"
    );
    s.run(&[
        "plan",
        "-detailed-exitcode",
        "-f",
        "base.yml",
        "-f",
        "dev.yml",
    ])
    .code(0);
    s.run(&["down", "-f", "base.yml", "-f", "dev.yml"]).ok();
    assert_eq!(leftovers(&p), Vec::<String>::new());
}

#[test]
fn zoomcamp_kafka_stack_up_and_down_on_its_external_network() {
    for image in [
        "confluentinc/cp-kafka:7.2.0",
        "confluentinc/cp-schema-registry:7.2.0",
        "confluentinc/cp-zookeeper:7.2.0",
        "confluentinc/cp-enterprise-control-center:7.2.0",
        "confluentinc/cp-kafka-rest:7.2.0",
    ] {
        sleeper(image);
    }
    let s = copy_stack("zoomcamp-kafka-compose");
    let p = project(&s);
    let network = format!("{p}-kafka-spark-network");
    let ports: Vec<(&str, String)> = [
        "BROKER_PORT",
        "BROKER_JMX_PORT",
        "SCHEMA_REGISTRY_PORT",
        "ZOOKEEPER_PORT",
        "CONTROL_CENTER_PORT",
        "KAFKA_REST_PORT",
    ]
    .into_iter()
    .map(|k| (k, free_port().to_string()))
    .collect();
    let mut vars: Vec<(&str, &str)> = ports.iter().map(|(k, v)| (*k, v.as_str())).collect();
    vars.push(("KAFKA_NETWORK", &network));

    s.run_env(&["up"], &vars)
        .code(1)
        .stderr_has(&format!("docker network create {network}"));
    assert!(docker(&["network", "create", &network]).0);
    s.run_env(&["up"], &vars)
        .ok()
        .stdout_has("Apply complete! Resources: 10 added");
    for svc in [
        "broker",
        "schema-registry",
        "zookeeper",
        "control-center",
        "kafka-rest",
    ] {
        let c = inspect(&format!("{p}-{svc}-1"));
        assert_eq!(c["State"]["Running"], true, "{svc}");
        assert_eq!(label(&c, "com.docker.compose.service"), svc);
        let aliases = &c["NetworkSettings"]["Networks"][&network]["Aliases"];
        assert!(
            aliases
                .as_array()
                .is_some_and(|a| a.iter().any(|x| x == svc)),
            "{svc}: {aliases}"
        );
    }
    let broker = inspect(&format!("{p}-broker-1"));
    let binding = &broker["HostConfig"]["PortBindings"]["9092/tcp"][0];
    assert_eq!(binding["HostIp"], "127.0.0.1");
    assert_eq!(binding["HostPort"], ports[0].1.as_str());
    assert!(env_of(&broker).contains(&format!(
        "KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://broker:29092,PLAINTEXT_HOST://localhost:{}",
        ports[0].1
    )));
    s.run_env(&["plan", "-detailed-exitcode"], &vars).code(0);
    s.run_env(&["down"], &vars).ok();
    assert_eq!(leftovers(&p), Vec::<String>::new());
    assert!(
        docker(&["network", "inspect", &network]).0,
        "labform deleted the external network"
    );
    docker(&["network", "rm", &network]);
}
