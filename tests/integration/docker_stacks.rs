//! The course's Docker stacks, applied through the binary against the real engine the test
//! harness starts (`scripts/services/docker.sh`), checked with the `docker` CLI and `psql`.

use std::process::Command;

use crate::common::{copy_stack, harness_env as env, Stack};

fn docker(args: &[&str]) -> String {
    let out = Command::new("docker")
        .args(args)
        .output()
        .expect("docker CLI");
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// Everything (containers, networks, volumes) carrying the stack's mark.
fn marked(s: &Stack) -> Vec<String> {
    let filter = format!("label=labform-stack={}", s.name());
    let mut found = Vec::new();
    for kind in [
        &["ps", "-a", "--format", "{{.Names}}"][..],
        &["network", "ls", "--format", "{{.Name}}"],
        &["volume", "ls", "--format", "{{.Name}}"],
    ] {
        let mut args = kind.to_vec();
        args.insert(if kind[0] == "ps" { 1 } else { 2 }, "--filter");
        args.insert(if kind[0] == "ps" { 2 } else { 3 }, &filter);
        found.extend(docker(&args).lines().map(str::to_string));
    }
    found
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

#[test]
fn zoomcamp_postgres_end_to_end_with_psql_through_loopback() {
    let image = env("LABFORM_TEST_POSTGRES");
    let s = copy_stack("zoomcamp-postgres");
    let id = s.name();
    let port = free_port().to_string();
    let vars = [
        format!("postgres_image={image}"),
        "pgadmin_enabled=false".to_string(),
        format!("postgres_port={port}"),
        format!("network_name={id}-net"),
        format!("volume_name={id}-data"),
        format!("postgres_container_name={id}-pg"),
        "postgres_password=course-secret-pw".to_string(),
    ];
    let mut args: Vec<&str> = vec!["apply", "-auto-approve"];
    for v in &vars {
        args.extend(["-var", v.as_str()]);
    }
    s.run(&args).ok().nowhere("course-secret-pw");
    crate::provider_schema::assert_state_matches_provider_schemas(&s.state());
    assert!(
        docker(&["ps", "--format", "{{.Names}} {{.Status}}"]).contains(&format!("{id}-pg Up")),
        "postgres is not running"
    );
    let psql = Command::new("psql")
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &port,
            "-U",
            "root",
            "-d",
            "ny_taxi",
            "-tAc",
            "select 40 + 2",
        ])
        .env("PGPASSWORD", "course-secret-pw")
        .output()
        .expect("psql");
    assert_eq!(
        String::from_utf8_lossy(&psql.stdout).trim(),
        "42",
        "psql: {}",
        String::from_utf8_lossy(&psql.stderr)
    );

    let mut plan: Vec<&str> = vec!["plan", "-detailed-exitcode"];
    for v in &vars {
        plan.extend(["-var", v.as_str()]);
    }
    s.run(&plan).code(0);

    // Drift: removed by hand, planned for re-create.
    docker(&["rm", "-f", &format!("{id}-pg")]);
    s.run(&plan)
        .code(2)
        .stdout_has("docker_container.postgres will be created");

    let mut destroy: Vec<&str> = vec!["destroy", "-auto-approve"];
    for v in &vars {
        destroy.extend(["-var", v.as_str()]);
    }
    s.run(&destroy).ok().stdout_has("Nothing is left in state");
    assert_eq!(
        marked(&s),
        Vec::<String>::new(),
        "objects left with the stack's mark"
    );
}

#[test]
fn w205_kafka_stack_applies_and_destroys_cleanly() {
    let busybox = env("LABFORM_TEST_BUSYBOX");
    let s = copy_stack("w205-kafka");
    let id = s.name();
    let vars = [
        format!("zookeeper_image={busybox}"),
        format!("kafka_image={busybox}"),
        format!("client_image={busybox}"),
        format!("kafka_host_port={}", free_port()),
        format!("network_name={id}-net"),
        format!("workspace_volume={id}-ws"),
        format!("name_prefix={id}-"),
    ];
    let mut args: Vec<&str> = vec!["apply", "-auto-approve"];
    for v in &vars {
        args.extend(["-var", v.as_str()]);
    }
    s.run(&args).ok();
    crate::provider_schema::assert_state_matches_provider_schemas(&s.state());
    let names = docker(&[
        "ps",
        "-a",
        "--filter",
        &format!("label=labform-stack={id}"),
        "--format",
        "{{.Names}}",
    ]);
    assert_eq!(names.lines().count(), 3, "{names}");
    args[0] = "destroy";
    s.run(&args).ok();
    assert_eq!(marked(&s), Vec::<String>::new());
}

#[test]
fn sweep_finds_and_deletes_what_lost_state_forgot() {
    let busybox = env("LABFORM_TEST_BUSYBOX");
    let s = Stack::new();
    let id = s.name();
    s.file(
        "main.tf",
        &format!(
            r#"
resource "docker_network" "n" {{
  name = "{id}-net"
}}
resource "docker_volume" "v" {{
  name = "{id}-vol"
}}
resource "docker_container" "c" {{
  name     = "{id}-c"
  image    = "{busybox}"
  command  = ["sleep", "300"]
  init     = true
  networks_advanced {{
    name = docker_network.n.name
  }}
}}
"#
        ),
    );
    s.run(&["apply", "-auto-approve"]).ok();
    assert_eq!(marked(&s).len(), 3);
    s.run(&["sweep", "-dry-run"])
        .ok()
        .stdout_has("No leftovers");
    // State is lost: the objects are still there, carrying the stack's mark.
    std::fs::remove_dir_all(s.path().join(".labform")).unwrap();
    s.run(&["sweep", "-dry-run"])
        .ok()
        .stdout_has(&format!("{id}-c"))
        .stdout_has(&format!("{id}-net"));
    assert_eq!(marked(&s).len(), 3, "dry run deleted something");
    s.run(&["sweep", "-auto-approve"])
        .ok()
        .stdout_has("Sweep complete");
    assert_eq!(marked(&s), Vec::<String>::new());
}
