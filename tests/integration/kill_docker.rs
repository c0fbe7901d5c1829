//! Crash safety on the real Docker engine: a kill campaign (`campaign.rs`) over a stack of
//! networks, volumes and containers, counted by the docker CLI through the stack's mark; and a
//! stack whose network name an interrupted run duplicated converges through the binary.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::campaign::Campaign;
use crate::common::{harness_env as env, Stack};

const NETWORKS: usize = 15;
const CONTAINERS: usize = 15;
const VOLUMES: usize = 3;

fn docker(args: &[&str]) -> String {
    let out = Command::new("docker")
        .args(args)
        .output()
        .expect("docker CLI");
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// The objects carrying `labform-stack=<stack>`: containers, networks and volumes, by the CLI.
/// Each kind is checked on its own, so a duplicate network cannot hide behind a missing container:
/// never more of a kind than the stack makes, and never two networks of one name.
fn marked(s: &Stack) -> usize {
    let filter = format!("label=labform-stack={}", s.name());
    let lines = |args: &[&str]| -> Vec<String> {
        docker(args)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    };
    let containers = lines(&["ps", "-a", "--filter", &filter, "--format", "{{.Names}}"]);
    let networks = lines(&[
        "network",
        "ls",
        "--filter",
        &filter,
        "--format",
        "{{.Name}}",
    ]);
    let volumes = lines(&["volume", "ls", "--filter", &filter, "--format", "{{.Name}}"]);
    let mut names = networks.clone();
    names.sort();
    names.dedup();
    if names.len() != networks.len() {
        let detail = docker(&[
            "network",
            "ls",
            "--filter",
            &filter,
            "--format",
            "{{.Name}} {{.ID}} {{.CreatedAt}} {{.Label \"labform-instance\"}}",
        ]);
        panic!("two networks of one name:\n{detail}");
    }
    assert!(
        containers.len() <= CONTAINERS,
        "duplicate containers: {containers:?}"
    );
    assert!(
        networks.len() <= NETWORKS,
        "duplicate networks: {networks:?}"
    );
    assert!(volumes.len() <= VOLUMES, "duplicate volumes: {volumes:?}");
    containers.len() + networks.len() + volumes.len()
}

/// Removes what a failed test may have left (by the stack's mark), so runs never pile up.
fn sweep(s: &Stack) {
    let filter = format!("label=labform-stack={}", s.name());
    for id in docker(&["ps", "-aq", "--filter", &filter]).lines() {
        docker(&["rm", "-f", id]);
    }
    for kind in ["network", "volume"] {
        for id in docker(&[kind, "ls", "-q", "--filter", &filter]).lines() {
            docker(&[kind, "rm", id]);
        }
    }
}

struct Swept<'a>(&'a Stack);

impl Drop for Swept<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            // A killed run's calls may still be finishing in the engine: let them land first.
            std::thread::sleep(Duration::from_secs(3));
        }
        sweep(self.0);
    }
}

/// Networks, volumes and sleeping containers (with `init`, so stops are quick), each container on
/// its own network; the image is the local busybox, kept on destroy and never pulled.
fn stack() -> Stack {
    let busybox = env("LABFORM_TEST_BUSYBOX");
    env("DOCKER_HOST");
    let s = Stack::new();
    let id = s.name();
    s.file(
        "main.tf",
        &format!(
            r#"
provider "docker" {{}}

resource "docker_image" "busybox" {{
  name         = "{busybox}"
  keep_locally = true
}}

resource "docker_network" "net" {{
  count = {NETWORKS}
  name  = "{id}-net-${{count.index}}"
}}

resource "docker_volume" "vol" {{
  count = {VOLUMES}
  name  = "{id}-vol-${{count.index}}"
}}

resource "docker_container" "c" {{
  count   = {CONTAINERS}
  name    = "{id}-c-${{count.index}}"
  image   = docker_image.busybox.name
  command = ["sleep", "3600"]
  init    = true
  networks_advanced {{
    name = docker_network.net[count.index].name
  }}
  volumes {{
    volume_name    = docker_volume.vol[count.index % {VOLUMES}].name
    container_path = "/data"
  }}
}}
"#
        ),
    );
    s
}

/// How long a full run of `args` takes (it must succeed).
fn timed(s: &Stack, args: &[&str]) -> Duration {
    let start = Instant::now();
    s.run(args).ok();
    start.elapsed()
}

#[test]
fn kill_campaign_on_docker_leaves_no_orphan_and_no_duplicate() {
    let s = stack();
    let _swept = Swept(&s);
    let expected = NETWORKS + CONTAINERS + VOLUMES;
    // Measure a full apply (and destroy), so kills land while objects are being made.
    let apply = timed(&s, &["apply", "-auto-approve"]);
    assert_eq!(marked(&s), expected, "a full apply makes every object");
    let destroy = timed(&s, &["destroy", "-auto-approve"]);
    assert_eq!(marked(&s), 0, "a full destroy removes every object");
    // Killed runs after the first have less left to do than a full one: aim at its first 3/4.
    let window = apply.max(destroy).mul_f64(0.75);
    eprintln!("[docker] full apply {apply:?}, full destroy {destroy:?}: kill window {window:?}");
    let mut campaign = Campaign::new(&s, expected).window(window);
    // Some killed runs finish first (little left to do): 14 runs keep at least 10 kills likely.
    campaign.kills = 14;
    let report = campaign.run("docker", || marked(&s));
    assert!(
        report.kills >= 8,
        "too few runs were still going when killed: {report:?}"
    );
}

/// `POST /networks/create` without the duplicate check the docker CLI asks for, as labform did
/// before create tokens; returns the new network's id.
fn duplicate_network(name: &str, stack: &str) -> String {
    let host = env("DOCKER_HOST");
    let (socket, base) = match host.strip_prefix("unix://") {
        Some(path) => (Some(path.to_string()), "http://localhost".to_string()),
        None => (None, host.replacen("tcp://", "http://", 1)),
    };
    let body = format!(
        r#"{{"Name":"{name}","CheckDuplicate":false,"Labels":{{"managed-by":"labform","labform-stack":"{stack}"}}}}"#
    );
    let mut curl = Command::new("curl");
    curl.args(["-sS", "-X", "POST", "-H", "Content-Type: application/json"]);
    if let Some(socket) = socket {
        curl.args(["--unix-socket", &socket]);
    }
    let out = curl
        .args(["-d", &body, &format!("{base}/v1.41/networks/create")])
        .output()
        .expect("curl");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    text.split(r#""Id":""#)
        .nth(1)
        .and_then(|r| r.split('"').next())
        .map(str::to_string)
        .unwrap_or_else(|| panic!("network create by the API failed: {text}"))
}

fn networks_named(name: &str) -> Vec<String> {
    docker(&[
        "network",
        "ls",
        "-q",
        "--no-trunc",
        "--filter",
        &format!("name=^{name}$"),
    ])
    .lines()
    .map(str::to_string)
    .collect()
}

#[test]
fn a_network_name_duplicated_by_an_interrupted_run_converges_and_is_never_ambiguous() {
    let s = stack();
    let _swept = Swept(&s);
    let net0 = format!("{}-net-0", s.name());
    // What the issue's killed applies left: the stack's network name made twice, no state.
    let left = [
        duplicate_network(&net0, &s.name()),
        duplicate_network(&net0, &s.name()),
    ];
    assert_eq!(networks_named(&net0).len(), 2);
    let run = s.run(&["apply", "-auto-approve"]);
    run.ok().nowhere("ambiguous");
    let now = networks_named(&net0);
    assert_eq!(now.len(), 1, "one network of that name: {now:?}");
    assert!(!left.contains(&now[0]), "the leftovers were removed");
    assert_eq!(marked(&s), NETWORKS + CONTAINERS + VOLUMES);

    // A duplicate appearing beside a network state owns: plans and applies still work.
    let stray = duplicate_network(&net0, &s.name());
    s.run(&["plan", "-detailed-exitcode"])
        .code(0)
        .nowhere("ambiguous");
    s.run(&["apply", "-auto-approve", "-replace=docker_container.c[0]"])
        .ok()
        .nowhere("ambiguous");
    let joined = docker(&[
        "inspect",
        "--format",
        "{{range .NetworkSettings.Networks}}{{.NetworkID}}{{end}}",
        &format!("{}-c-0", s.name()),
    ]);
    assert_eq!(
        joined.trim(),
        now[0],
        "the container joined the network state owns"
    );
    docker(&["network", "rm", &stray]);
    s.run(&["destroy", "-auto-approve"]).ok();
    assert_eq!(marked(&s), 0);
}
