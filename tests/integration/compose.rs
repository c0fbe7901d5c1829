//! Compose files as stacks, applied through the binary against the real Docker engine and
//! checked with the `docker` CLI. Images come from local builds tagged under the names the
//! files use (no registry is reachable).

use std::process::Command;

use serde_json::Value;

use crate::common::{harness_env as env, Stack};

pub(crate) fn docker(args: &[&str]) -> (bool, String) {
    let out = Command::new("docker")
        .args(args)
        .output()
        .expect("docker CLI");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).trim().to_string(),
    )
}

pub(crate) fn inspect(name: &str) -> Value {
    let (ok, text) = docker(&["inspect", name]);
    assert!(ok, "`docker inspect {name}` failed");
    let v: Value = serde_json::from_str(&text).expect("inspect JSON");
    v[0].clone()
}

pub(crate) fn tag(image: &str, as_name: &str) {
    let (ok, _) = docker(&["tag", image, as_name]);
    assert!(ok, "cannot tag {image} as {as_name}");
}

pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// The Compose project name of a test stack: its directory name in lower case.
pub(crate) fn project(s: &Stack) -> String {
    s.name().to_lowercase()
}

/// Containers, networks and volumes carrying the project's Compose label.
pub(crate) fn leftovers(project: &str) -> Vec<String> {
    let filter = format!("label=com.docker.compose.project={project}");
    let mut found = Vec::new();
    for args in [
        vec!["ps", "-a", "--filter", &filter, "--format", "{{.Names}}"],
        vec![
            "network",
            "ls",
            "--filter",
            &filter,
            "--format",
            "{{.Name}}",
        ],
        vec!["volume", "ls", "--filter", &filter, "--format", "{{.Name}}"],
    ] {
        let (_, out) = docker(&args);
        found.extend(out.lines().filter(|l| !l.is_empty()).map(String::from));
    }
    found
}

pub(crate) fn env_of(c: &Value) -> Vec<String> {
    c["Config"]["Env"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

pub(crate) fn label(c: &Value, key: &str) -> String {
    c["Config"]["Labels"][key]
        .as_str()
        .unwrap_or("")
        .to_string()
}

fn aliases(c: &Value, network: &str) -> Vec<String> {
    c["NetworkSettings"]["Networks"][network]["Aliases"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

const PG_FILE: &str = r#"# Zoomcamp week 1: Postgres and pgAdmin
services:
  pgdatabase:
    image: postgres:13
    environment:
      POSTGRES_USER: root
      POSTGRES_PASSWORD: ${PG_PASSWORD:?set PG_PASSWORD}
      POSTGRES_DB: ny_taxi
    volumes:
      - "ny_taxi_postgres_data:/var/lib/postgresql/data:rw"
    ports:
      - "127.0.0.1:${PG_PORT}:5432"
  pgadmin:
    image: dpage/pgadmin4
    command: ["sleep", "3600"]
    environment:
      - PGADMIN_DEFAULT_EMAIL=admin@admin.com
      - PGADMIN_DEFAULT_PASSWORD=${ADMIN_PASSWORD:-root}
    ports:
      - "127.0.0.1:${ADMIN_PORT}:80"
    depends_on:
      - pgdatabase
volumes:
  ny_taxi_postgres_data:
"#;

#[test]
fn postgres_and_pgadmin_up_inspect_change_one_down() {
    tag(&env("LABFORM_TEST_POSTGRES"), "postgres:13");
    tag(&env("LABFORM_TEST_BUSYBOX"), "dpage/pgadmin4");
    let s = Stack::new();
    s.file("compose.yaml", PG_FILE);
    let (pg_port, admin_port) = (free_port().to_string(), free_port().to_string());
    s.file(
        ".env",
        &format!("PG_PASSWORD=course-pw\nPG_PORT={pg_port}\nADMIN_PORT={admin_port}\n"),
    );
    let p = project(&s);
    s.run(&["up"])
        .ok()
        .stdout_has("Apply complete! Resources: 6 added");

    let db = inspect(&format!("{p}-pgdatabase-1"));
    assert_eq!(label(&db, "com.docker.compose.project"), p);
    assert_eq!(label(&db, "com.docker.compose.service"), "pgdatabase");
    assert_eq!(label(&db, "com.docker.compose.oneoff"), "False");
    let env = env_of(&db);
    for e in [
        "POSTGRES_USER=root",
        "POSTGRES_PASSWORD=course-pw",
        "POSTGRES_DB=ny_taxi",
    ] {
        assert!(env.contains(&e.to_string()), "{e} not in {env:?}");
    }
    let binding = &db["HostConfig"]["PortBindings"]["5432/tcp"][0];
    assert_eq!(binding["HostIp"], "127.0.0.1");
    assert_eq!(binding["HostPort"], pg_port.as_str());
    let mount = &db["Mounts"][0];
    assert_eq!(mount["Type"], "volume");
    assert_eq!(mount["Name"], format!("{p}_ny_taxi_postgres_data").as_str());
    assert_eq!(mount["Destination"], "/var/lib/postgresql/data");
    assert!(
        aliases(&db, &format!("{p}_default")).contains(&"pgdatabase".to_string()),
        "{:?}",
        db["NetworkSettings"]["Networks"]
    );
    let admin = inspect(&format!("{p}-pgadmin-1"));
    assert_eq!(admin["State"]["Running"], true);
    assert_eq!(admin["Config"]["Cmd"], serde_json::json!(["sleep", "3600"]));
    assert!(env_of(&admin).contains(&"PGADMIN_DEFAULT_PASSWORD=root".to_string()));
    let network = docker(&[
        "network",
        "inspect",
        &format!("{p}_default"),
        "--format",
        "{{index .Labels \"com.docker.compose.network\"}}",
    ]);
    assert_eq!(network, (true, "default".to_string()));

    s.run(&["plan", "-detailed-exitcode"]).code(0);
    s.run(&["up"])
        .ok()
        .stdout_has("0 added, 0 changed, 0 destroyed");

    // One service changed: only its container is replaced.
    let run = s.run_env(&["plan", "-no-color"], &[("ADMIN_PASSWORD", "changed")]);
    run.ok()
        .stdout_has("docker_container.pgadmin must be replaced")
        .stdout_has("Plan: 1 to add, 0 to change, 1 to destroy.");
    assert!(
        !run.stdout.contains("docker_container.pgdatabase"),
        "{}",
        run.stdout
    );
    s.run_env(&["up"], &[("ADMIN_PASSWORD", "changed")]).ok();
    assert!(env_of(&inspect(&format!("{p}-pgadmin-1")))
        .contains(&"PGADMIN_DEFAULT_PASSWORD=changed".to_string()));
    assert_eq!(
        inspect(&format!("{p}-pgdatabase-1"))["Id"],
        db["Id"],
        "the unchanged service was re-created"
    );

    s.run(&["down"])
        .ok()
        .stdout_has("Destroy complete! Resources: 6 destroyed.");
    assert_eq!(leftovers(&p), Vec::<String>::new());
}

const AIRFLOW_FILE: &str = r#"version: '3.8'
x-airflow-common:
  &airflow-common
  build:
    context: .
    args:
      GREETING: from-build-arg
  environment:
    &airflow-common-env
    AIRFLOW__CORE__EXECUTOR: LocalExecutor
    AIRFLOW__CORE__LOAD_EXAMPLES: 'false'
  user: "${AIRFLOW_UID:-50000}:0"
  volumes:
    - ./dags:/opt/airflow/dags
services:
  airflow-init:
    <<: *airflow-common
    command: ["sh", "-c", "cat /greeting > /opt/airflow/dags/init-ran"]
    user: "0:0"
  webserver:
    <<: *airflow-common
    command: sleep 3600
    environment:
      <<: *airflow-common-env
      ROLE: webserver
    depends_on:
      airflow-init:
        condition: service_completed_successfully
"#;

#[test]
fn airflow_like_anchors_merge_keys_build_and_completed_dependency() {
    let s = Stack::new();
    s.file("docker-compose.yaml", AIRFLOW_FILE);
    s.file(
        "Dockerfile",
        &format!(
            "FROM {}\nARG GREETING\nRUN echo \"$GREETING\" > /greeting\n",
            env("LABFORM_TEST_BUSYBOX")
        ),
    );
    s.file("dags/.keep", "");
    let p = project(&s);
    s.run(&["up"]).ok();

    // The init service ran to completion before the webserver was created.
    let init = inspect(&format!("{p}-airflow-init-1"));
    assert_eq!(init["State"]["ExitCode"], 0);
    assert_eq!(s.read("dags/init-ran").trim(), "from-build-arg");
    let web = inspect(&format!("{p}-webserver-1"));
    assert_eq!(web["State"]["Running"], true);
    assert!(
        web["Created"].as_str() >= init["State"]["FinishedAt"].as_str(),
        "webserver created before airflow-init finished"
    );
    let env = env_of(&web);
    for e in [
        "AIRFLOW__CORE__EXECUTOR=LocalExecutor",
        "AIRFLOW__CORE__LOAD_EXAMPLES=false",
        "ROLE=webserver",
    ] {
        assert!(env.contains(&e.to_string()), "{e} not in {env:?}");
    }
    assert_eq!(web["Config"]["User"], "50000:0");
    let (_, image_id) = docker(&[
        "image",
        "inspect",
        &format!("{p}-webserver"),
        "--format",
        "{{.Id}}",
    ]);
    assert_eq!(web["Image"], image_id.as_str());
    let bind = web["HostConfig"]["Binds"][0]
        .as_str()
        .unwrap_or("")
        .to_string();
    let dags = std::fs::canonicalize(s.path().join("dags")).expect("dags");
    assert!(
        bind.starts_with(&format!("{}:/opt/airflow/dags", dags.display())),
        "{bind}"
    );

    s.run(&["plan", "-detailed-exitcode"]).code(0);
    s.run(&["down"]).ok();
    assert_eq!(leftovers(&p), Vec::<String>::new());
    for svc in ["airflow-init", "webserver"] {
        docker(&["rmi", &format!("{p}-{svc}")]);
    }
}

#[test]
fn kafka_like_on_an_external_network_with_expose_and_extra_hosts() {
    tag(
        &env("LABFORM_TEST_BUSYBOX"),
        "confluentinc/cp-zookeeper:7.4.0",
    );
    tag(&env("LABFORM_TEST_BUSYBOX"), "confluentinc/cp-kafka:7.4.0");
    let s = Stack::new();
    let p = project(&s);
    let external = format!("{p}-kafka-spark-network");
    let file = format!(
        r#"version: '2'
services:
  zookeeper:
    image: confluentinc/cp-zookeeper:7.4.0
    pull_policy: never
    command: sleep 3600
    environment:
      ZOOKEEPER_CLIENT_PORT: 32181
    expose:
      - "2181"
    networks: [default]
  kafka:
    image: confluentinc/cp-kafka:7.4.0
    command: sleep 3600
    hostname: kafka
    stdin_open: true
    tty: true
    environment:
      KAFKA_ZOOKEEPER_CONNECT: zookeeper:32181
    expose:
      - "9092"
    extra_hosts:
      - "moby:127.0.0.1"
    networks:
      default:
        aliases: [broker]
    depends_on: [zookeeper]
networks:
  default:
    external: true
    name: {external}
"#
    );
    s.file("docker-compose.yml", &file);

    // The external network does not exist yet: a clear error naming it.
    s.run(&["up"])
        .code(1)
        .stderr_has(&format!("network `{external}` does not exist"))
        .stderr_has(&format!("docker network create {external}"));
    let (ok, _) = docker(&["network", "create", &external]);
    assert!(ok);
    s.run(&["up"])
        .ok()
        .stderr_has("`expose` in service `zookeeper` only documents ports");

    let kafka = inspect(&format!("{p}-kafka-1"));
    let got = aliases(&kafka, &external);
    assert!(
        got.contains(&"kafka".to_string()) && got.contains(&"broker".to_string()),
        "{got:?}"
    );
    assert_eq!(
        kafka["HostConfig"]["ExtraHosts"],
        serde_json::json!(["moby:127.0.0.1"])
    );
    assert_eq!(kafka["Config"]["Hostname"], "kafka");
    assert_eq!(kafka["Config"]["Tty"], true);
    assert_eq!(kafka["Config"]["OpenStdin"], true);
    let zk = inspect(&format!("{p}-zookeeper-1"));
    assert!(aliases(&zk, &external).contains(&"zookeeper".to_string()));
    assert!(env_of(&zk).contains(&"ZOOKEEPER_CLIENT_PORT=32181".to_string()));

    s.run(&["plan", "-detailed-exitcode"]).code(0);
    s.run(&["down"]).ok();
    assert_eq!(leftovers(&p), Vec::<String>::new());
    // labform never deletes the external network.
    let (exists, _) = docker(&["network", "inspect", &external]);
    assert!(exists, "the external network was deleted");
    docker(&["network", "rm", &external]);
}

#[test]
fn service_healthy_waits_for_the_healthcheck() {
    tag(&env("LABFORM_TEST_BUSYBOX"), "labform-compose/app:1");
    let s = Stack::new();
    s.file(
        "compose.yaml",
        r#"services:
  db:
    image: labform-compose/app:1
    command: ["sh", "-c", "sleep 2; touch /ready; sleep 3600"]
    healthcheck:
      test: ["CMD", "test", "-f", "/ready"]
      interval: 1s
      retries: 30
  app:
    image: labform-compose/app:1
    command: sleep 3600
    depends_on:
      db:
        condition: service_healthy
"#,
    );
    let p = project(&s);
    s.run(&["up"]).ok();
    let db = inspect(&format!("{p}-db-1"));
    assert_eq!(db["State"]["Health"]["Status"], "healthy");
    let healthy_at = db["State"]["Health"]["Log"]
        .as_array()
        .and_then(|l| l.iter().find(|e| e["ExitCode"] == 0))
        .and_then(|e| e["End"].as_str())
        .expect("a passing health probe")
        .to_string();
    let app = inspect(&format!("{p}-app-1"));
    let created = app["Created"].as_str().unwrap_or("").to_string();
    // Both are RFC 3339 in UTC with the same precision shape up to the seconds.
    assert!(
        created[..19] >= healthy_at[..19],
        "app created at {created}, db healthy at {healthy_at}"
    );
    s.run(&["plan", "-detailed-exitcode"]).code(0);
    s.run(&["down"]).ok();
    assert_eq!(leftovers(&p), Vec::<String>::new());
}

/// What a container looks like to a user, for comparing two ways of making it.
fn summary(name: &str) -> Value {
    let c = inspect(name);
    let mut env = env_of(&c);
    env.sort();
    serde_json::json!({
        "name": c["Name"],
        "image": c["Image"],
        "cmd": c["Config"]["Cmd"],
        "env": env,
        "labels": {
            "project": label(&c, "com.docker.compose.project"),
            "service": label(&c, "com.docker.compose.service"),
        },
        "ports": c["HostConfig"]["PortBindings"],
        "networks": c["NetworkSettings"]["Networks"].as_object().map(|m| m.keys().cloned().collect::<Vec<_>>()),
    })
}

#[test]
fn convert_output_applied_elsewhere_makes_the_same_containers() {
    tag(&env("LABFORM_TEST_BUSYBOX"), "labform-compose/web:1");
    let s = Stack::new();
    let port = free_port();
    s.file(
        "compose.yaml",
        &format!(
            "services:\n  web:\n    image: labform-compose/web:1\n    command: [sleep, '3600']\n    environment: {{MODE: test}}\n    ports: ['127.0.0.1:{port}:80']\n    networks: [front]\nnetworks:\n  front: {{}}\n"
        ),
    );
    let p = project(&s);
    s.run(&["up"]).ok();
    let direct = summary(&format!("{p}-web-1"));
    s.run(&["down"]).ok();

    let converted = s.run(&["convert"]);
    converted.ok();
    let fresh = Stack::with(&converted.stdout);
    // The text is already formatted.
    fresh.run(&["fmt", "-check"]).ok();
    fresh.run(&["apply", "-auto-approve"]).ok();
    assert_eq!(summary(&format!("{p}-web-1")), direct);
    fresh.run(&["destroy", "-auto-approve"]).ok();
    assert_eq!(leftovers(&p), Vec::<String>::new());
}

#[test]
fn tf_files_beside_a_compose_file_refer_to_its_resources() {
    tag(&env("LABFORM_TEST_BUSYBOX"), "labform-compose/web:1");
    let s = Stack::new();
    s.file(
        "compose.yaml",
        "services:\n  web:\n    image: labform-compose/web:1\n    command: sleep 3600\n",
    );
    s.file(
        "outputs.tf",
        "output \"network\" {\n  value = docker_network.default.name\n}\n\noutput \"container\" {\n  value = docker_container.web.name\n}\n",
    );
    let p = project(&s);
    s.run(&["up"]).ok();
    s.run(&["output", "-raw", "network"])
        .ok()
        .stdout_has(&format!("{p}_default"));
    s.run(&["output", "-raw", "container"])
        .ok()
        .stdout_has(&format!("{p}-web-1"));
    let listed = s.state_list();
    for addr in [
        "docker_container.web",
        "docker_image.web",
        "docker_network.default",
    ] {
        assert!(listed.contains(&addr.to_string()), "{listed:?}");
    }
    s.run(&["down"]).ok();
    assert_eq!(leftovers(&p), Vec::<String>::new());
}
