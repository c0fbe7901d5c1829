//! Unit tests of the whole Compose reading: files on disk to configuration text, and errors
//! with their file, line and column.

use std::collections::BTreeMap;
use std::path::Path;

use super::{load, Settings};
use crate::diag::Diagnostics;

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::Builder::new().prefix("proj").tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn settings(env: &[(&str, &str)]) -> Settings {
    Settings {
        env: env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<BTreeMap<_, _>>(),
        ..Settings::default()
    }
}

fn convert(dir: &Path, s: &Settings) -> String {
    match load(dir, s) {
        Ok(Some(c)) => c.text,
        Ok(None) => panic!("no compose file"),
        Err(d) => panic!("{d}"),
    }
}

fn error(dir: &Path, s: &Settings) -> Diagnostics {
    match load(dir, s) {
        Ok(c) => panic!("accepted: {c:?}"),
        Err(d) => d,
    }
}

/// `compose.yaml:3:5` of the first error, and its message.
fn first(d: &Diagnostics) -> (String, String) {
    let e = &d.0[0];
    (
        e.location.as_ref().map(|l| l.short()).unwrap_or_default(),
        e.message.clone(),
    )
}

fn name_of(dir: &tempfile::TempDir) -> String {
    dir.path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_lowercase()
}

#[test]
fn postgres_and_pgadmin_with_env_and_dotenv() {
    let dir = project(&[
        (
            "compose.yaml",
            "services:\n  db:\n    image: postgres:13\n    environment:\n      POSTGRES_USER: ${PGUSER}\n      POSTGRES_PASSWORD: ${PGPASS:?set PGPASS}\n      COST: $$5\n    volumes:\n      - pgdata:/var/lib/postgresql/data\n    ports:\n      - 127.0.0.1:5432:5432\n  admin:\n    image: dpage/pgadmin4\n    ports: ['8080:80']\n    depends_on: [db]\nvolumes:\n  pgdata: {}\n",
        ),
        (".env", "PGUSER=fromfile\nPGPASS=secret\n"),
    ]);
    let p = name_of(&dir);
    let text = convert(dir.path(), &settings(&[("PGUSER", "fromenv")]));
    assert!(text.contains(&format!("name  = \"{p}-db-1\"")), "{text}");
    assert!(text.contains("image = docker_image.db.image_id"), "{text}");
    assert!(
        text.contains(
            r#"env   = ["POSTGRES_USER=fromenv", "POSTGRES_PASSWORD=secret", "COST=$5"]"#
        ),
        "{text}"
    );
    assert!(text.contains(&format!("name = \"{p}_pgdata\"")), "{text}");
    assert!(text.contains(&format!("name = \"{p}_default\"")), "{text}");
    assert!(
        text.contains("volume_name    = docker_volume.pgdata.name"),
        "{text}"
    );
    assert!(text.contains("ip       = \"127.0.0.1\""), "{text}");
    assert!(
        text.contains("depends_on = [docker_container.db]"),
        "{text}"
    );
    assert!(text.contains("aliases = [\"admin\"]"), "{text}");
    assert!(text.contains("keep_locally = true"), "{text}");
    // the text is what `fmt` makes of it, and parses
    assert_eq!(crate::fmt::format_source(&text).unwrap(), text);
}

#[test]
fn missing_required_variable_points_at_the_value() {
    let dir = project(&[(
        "compose.yaml",
        "services:\n  db:\n    image: postgres\n    environment:\n      PASS: ${PGPASS:?set PGPASS}\n",
    )]);
    let d = error(dir.path(), &settings(&[]));
    let (at, msg) = first(&d);
    assert_eq!(at, "compose.yaml:5:13");
    assert_eq!(
        msg,
        "required variable `PGPASS` is missing a value: set PGPASS"
    );
}

#[test]
fn airflow_like_anchors_merge_keys_and_build() {
    let dir = project(&[(
        "docker-compose.yml",
        "version: '3'\nx-airflow-common:\n  &airflow-common\n  build:\n    context: .\n    dockerfile: Dockerfile.airflow\n    args:\n      AIRFLOW_VERSION: '2.7'\n    target: runtime\n  environment:\n    &airflow-common-env\n    AIRFLOW__CORE__EXECUTOR: LocalExecutor\n  user: \"${AIRFLOW_UID:-50000}:0\"\n  restart: on-failure:3\nservices:\n  webserver:\n    <<: *airflow-common\n    command: webserver\n  scheduler:\n    <<: *airflow-common\n    command: [\"bash\", \"-c\", \"airflow scheduler\"]\n    environment:\n      <<: *airflow-common-env\n      EXTRA: '1'\n",
    )]);
    let p = name_of(&dir);
    let text = convert(dir.path(), &settings(&[]));
    assert!(
        text.contains(&format!("name         = \"{p}-webserver\"")),
        "{text}"
    );
    assert!(
        text.contains("dockerfile = \"Dockerfile.airflow\""),
        "{text}"
    );
    assert!(text.contains("AIRFLOW_VERSION\" = \"2.7\""), "{text}");
    assert!(text.contains("target = \"runtime\""), "{text}");
    assert!(text.contains("command         = [\"webserver\"]"), "{text}");
    assert!(
        text.contains("[\"bash\", \"-c\", \"airflow scheduler\"]"),
        "{text}"
    );
    assert!(text.contains("user            = \"50000:0\""), "{text}");
    assert!(text.contains("restart         = \"on-failure\""), "{text}");
    assert!(text.contains("max_retry_count = 3"), "{text}");
    assert!(
        text.contains("[\"EXTRA=1\", \"AIRFLOW__CORE__EXECUTOR=LocalExecutor\"]"),
        "{text}"
    );
}

#[test]
fn external_network_extra_hosts_and_pull_never() {
    let dir = project(&[(
        "compose.yaml",
        "name: streaming\nservices:\n  broker:\n    image: confluentinc/cp-kafka\n    pull_policy: never\n    container_name: broker\n    hostname: broker\n    extra_hosts:\n      - \"host.docker.internal:host-gateway\"\n    networks:\n      kafka-net:\n        aliases: [kafka]\n    stdin_open: true\n    tty: true\n    volumes: ['~/w205:/w205']\nnetworks:\n  kafka-net:\n    external: true\n    name: kafka-spark-network\n",
    )]);
    let text = convert(dir.path(), &settings(&[("HOME", "/home/ada")]));
    assert!(text.contains("data \"docker_image\" \"broker\""), "{text}");
    assert!(
        text.contains("image      = data.docker_image.broker.id"),
        "{text}"
    );
    assert!(
        text.contains("data \"docker_network\" \"kafka-net\""),
        "{text}"
    );
    assert!(!text.contains("resource \"docker_network\""), "{text}");
    assert!(
        text.contains("name    = data.docker_network.kafka-net.name"),
        "{text}"
    );
    assert!(text.contains("aliases = [\"broker\", \"kafka\"]"), "{text}");
    assert!(text.contains("name       = \"broker\""), "{text}");
    assert!(text.contains("host = \"host.docker.internal\""), "{text}");
    assert!(
        text.contains("host_path      = \"/home/ada/w205\""),
        "{text}"
    );
    assert!(text.contains("value = \"streaming\""), "{text}");
}

#[test]
fn healthy_and_completed_conditions_shape_the_dependency() {
    let dir = project(&[(
        "compose.yaml",
        "services:\n  db:\n    image: pg\n    healthcheck:\n      test: pg_isready\n      interval: 2s\n  migrate:\n    image: tool\n    depends_on:\n      db: {condition: service_healthy}\n  app:\n    image: app\n    depends_on:\n      migrate:\n        condition: service_completed_successfully\n",
    )]);
    let text = convert(dir.path(), &settings(&[]));
    let block = |name: &str| {
        let start = text
            .find(&format!("resource \"docker_container\" \"{name}\""))
            .unwrap();
        let end = text[start..].find("\n}\n").unwrap() + start;
        text[start..end].to_string()
    };
    assert!(block("db").contains("wait  = true"), "{}", block("db"));
    assert!(block("db").contains("test     = [\"CMD-SHELL\", \"pg_isready\"]"));
    assert!(
        block("migrate").contains("attach   = true"),
        "{}",
        block("migrate")
    );
    assert!(block("migrate").contains("must_run = false"));
    assert!(!block("app").contains("wait"), "{}", block("app"));
}

#[test]
fn profiles_select_services() {
    let file =
        "services:\n  db:\n    image: pg\n  admin:\n    image: pgadmin\n    profiles: [tools]\n";
    let dir = project(&[("compose.yaml", file)]);
    let text = convert(dir.path(), &settings(&[]));
    assert!(!text.contains("\"admin\""), "{text}");
    let mut s = settings(&[]);
    s.profiles = vec!["tools".into()];
    assert!(convert(dir.path(), &s).contains("resource \"docker_container\" \"admin\""));
    let text = convert(dir.path(), &settings(&[("COMPOSE_PROFILES", "tools")]));
    assert!(text.contains("resource \"docker_container\" \"admin\""));

    let dir = project(&[(
        "compose.yaml",
        "services:\n  app:\n    image: a\n    depends_on: [admin]\n  admin:\n    image: b\n    profiles: [tools]\n",
    )]);
    let d = error(dir.path(), &settings(&[]));
    let (at, msg) = first(&d);
    assert_eq!(at, "compose.yaml:4:18");
    assert!(msg.contains("only enabled with profile `tools`"), "{msg}");
}

#[test]
fn override_file_and_dash_f_merge() {
    let dir = project(&[
        (
            "compose.yaml",
            "services:\n  web:\n    image: a\n    ports: ['80:80']\n",
        ),
        ("compose.override.yaml", "services:\n  web:\n    image: b\n"),
        (
            "other.yaml",
            "services:\n  web:\n    image: c\n    ports: ['81:81']\n",
        ),
    ]);
    let text = convert(dir.path(), &settings(&[]));
    assert!(text.contains("name         = \"b\""), "{text}");
    let mut s = settings(&[]);
    s.files = vec!["compose.yaml".into(), "other.yaml".into()];
    let text = convert(dir.path(), &s);
    assert!(text.contains("name         = \"c\""), "{text}");
    assert!(
        text.contains("internal = 80") && text.contains("internal = 81"),
        "{text}"
    );
}

#[test]
fn project_name_from_file_env_and_directory() {
    let dir = project(&[(
        "compose.yaml",
        "name: fromfile\nservices:\n  a:\n    image: x\n",
    )]);
    assert!(convert(dir.path(), &settings(&[])).contains("\"fromfile-a-1\""));
    let text = convert(
        dir.path(),
        &settings(&[("COMPOSE_PROJECT_NAME", "FromEnv")]),
    );
    assert!(text.contains("\"fromenv-a-1\""), "{text}");
}

#[test]
fn env_file_and_environment_override_it() {
    let dir = project(&[
        (
            "compose.yaml",
            "services:\n  a:\n    image: x\n    env_file: [conf/app.env]\n    environment:\n      - B=override\n      - FROM_SHELL\n      - UNSET\n",
        ),
        ("conf/app.env", "A=1\nB=2\n"),
    ]);
    let text = convert(dir.path(), &settings(&[("FROM_SHELL", "yes")]));
    assert!(
        text.contains(r#"["A=1", "B=override", "FROM_SHELL=yes"]"#),
        "{text}"
    );

    let dir = project(&[
        (
            "compose.yaml",
            "services:\n  a:\n    image: x\n    env_file: app.env\n",
        ),
        ("app.env", "OK=1\nthis is wrong\n"),
    ]);
    let (at, msg) = first(&error(dir.path(), &settings(&[])));
    assert_eq!(at, "app.env:2:1");
    assert!(msg.contains("expected `NAME=value`"), "{msg}");
}

#[test]
fn every_error_has_its_line_and_column() {
    let cases: &[(&str, &str, &str)] = &[
        ("services:\n  a:\n    imag: x\n", "compose.yaml:3:5", "unknown key `imag` in service `a`"),
        ("services:\n  a:\n    image: x\n    secrets: [s]\n", "compose.yaml:4:5", "`secrets` in service `a` is not supported by labform yet"),
        ("services:\n  a:\n    image: x\n    volumes: [data:/d]\n", "compose.yaml:4:15", "service `a` refers to an undefined volume `data`"),
        ("services:\n  a:\n    image: x\n    ports: ['99999:80']\n", "compose.yaml:4:13", "invalid port `99999:80`"),
        ("services:\n  a:\n    image: x\n    networks: [back]\n", "compose.yaml:4:16", "service `a` refers to an undefined network `back`"),
        ("services:\n  a:\n    image: x\n    depends_on: [b]\n", "compose.yaml:4:18", "service `a` depends on an undefined service `b`"),
        ("services:\n  a:\n    image: x\n    tty: yes\n", "compose.yaml:4:10", "expected `true` or `false`, found `yes`"),
        ("services:\n  a:\n    image: x\n    pull_policy: always\n", "compose.yaml:4:18", "pull_policy `always` is not supported by labform yet"),
        ("services:\n  a:\n    image: x\n    restart: sometimes\n", "compose.yaml:4:14", "invalid restart policy `sometimes`"),
        ("services:\n  a:\n    image: x\n    shm_size: 100k\n", "compose.yaml:4:15", "`shm_size` must be a whole number of megabytes for labform"),
        ("services:\n  a:\n    image: x\n    volumes: [ok:/d]\nvolumes:\n  ok:\n    external: true\n    driver: local\n", "compose.yaml:7:5", "external volume `ok` cannot set driver"),
        ("services:\n  a:\n    image: x\n    logging: {driver: local, format: x}\n", "compose.yaml:4:30", "unknown key `format` in `logging`"),
        ("services:\n  a:\n    image: x\n    stop_grace_period: 1500ms\n", "compose.yaml:4:24", "`stop_grace_period` must be whole seconds"),
        ("services:\n  a:\n    image: x\n    platform: linux/amd64\n", "compose.yaml:4:5", "`platform` in service `a` is not supported by labform yet"),
        ("services:\n  a:\n    image: x\n    pull_policy: build\n", "compose.yaml:4:18", "service `a` has `pull_policy: build` but no `build` section"),
        ("services:\n  a:\n    image: x\n    extends: {service: b}\n", "compose.yaml:4:5", "`extends` in service `a` is not supported by labform yet"),
        ("include: [other.yaml]\nservices: {}\n", "compose.yaml:1:1", "`include` in the compose file is not supported by labform yet"),
        ("services:\n  a:\n    image: x\n    command: echo 'open\n", "compose.yaml:4:14", "unbalanced quotes in `echo 'open`"),
        ("services:\n  a:\n    image: ${X\n", "compose.yaml:3:12", "unterminated `${` in `${X`"),
        ("services:\n  a:\n    image: x\n    depends_on:\n      b: {condition: service_ready}\n", "compose.yaml:5:22", "unknown condition `service_ready`"),
        ("secrets: {}\nservices: {}\n", "compose.yaml:1:1", "`secrets` in the compose file is not supported by labform yet"),
        ("services:\n  a: [x]\n", "compose.yaml:2:6", "service `a` must be a mapping, found a list"),
        ("services:\n  a:\n    image: x\n   ports: []\n", "compose.yaml:4:", "invalid YAML"),
        ("services:\n  a:\n    image: x\n    deploy:\n      resources:\n        limits: {cpus: '0.5'}\n", "compose.yaml:6:18", "`cpus` in `deploy.resources.limits` is not supported by labform yet"),
    ];
    for (text, at, message) in cases {
        let dir = project(&[("compose.yaml", text)]);
        let d = error(dir.path(), &settings(&[]));
        let (got_at, got_msg) = first(&d);
        assert!(got_at.starts_with(at), "{text}\n=> {d}");
        assert!(got_msg.starts_with(message), "{text}\n=> {d}");
    }
}

#[test]
fn long_syntax_ports_and_volumes() {
    let dir = project(&[(
        "compose.yaml",
        "services:\n  a:\n    image: x\n    ports:\n      - target: 80\n        published: \"8080\"\n        host_ip: 127.0.0.1\n        protocol: udp\n    volumes:\n      - type: bind\n        source: ./data\n        target: /data\n        read_only: true\n      - type: tmpfs\n        target: /tmp\n        tmpfs: {size: 1m}\n    ulimits:\n      nofile: {soft: 1024, hard: 2048}\n      nproc: 512\n    shm_size: 256m\n    deploy:\n      resources:\n        limits: {memory: 1g}\n",
    )]);
    let text = convert(dir.path(), &settings(&[]));
    let base = std::fs::canonicalize(dir.path()).unwrap();
    assert!(text.contains("protocol = \"udp\""), "{text}");
    assert!(text.contains("external = 8080"), "{text}");
    assert!(
        text.contains(&format!("host_path      = \"{}/data\"", base.display())),
        "{text}"
    );
    assert!(text.contains("\"/tmp\" = \"size=1048576\""), "{text}");
    assert!(text.contains("soft = 1024"), "{text}");
    assert!(text.contains("shm_size = 256"), "{text}");
    assert!(text.contains("memory   = 1024"), "{text}");
}

#[test]
fn runtime_keys_become_container_arguments() {
    let dir = project(&[(
        "compose.yaml",
        "services:\n  a:\n    image: x\n    logging:\n      driver: json-file\n      options: {max-size: 10m}\n    stop_grace_period: 1m30s\n    sysctls: [net.core.somaxconn=1024]\n    tmpfs: [/run, '/cache:size=1m']\n    dns_search: example.com\n    group_add: [audio]\n    cpu_shares: 512\n    memswap_limit: -1\n",
    )]);
    let text = convert(dir.path(), &settings(&[]));
    for want in [
        "log_driver   = \"json-file\"",
        "\"max-size\" = \"10m\"",
        "stop_timeout = 90",
        "\"net.core.somaxconn\" = \"1024\"",
        "\"/run\"   = \"\"",
        "\"/cache\" = \"size=1m\"",
        "dns_search   = [\"example.com\"]",
        "group_add    = [\"audio\"]",
        "cpu_shares   = 512",
        "memory_swap  = -1",
    ] {
        assert!(text.contains(want), "{want} not in\n{text}");
    }
}

#[test]
fn no_compose_file_is_none() {
    let dir = project(&[("main.tf", "")]);
    assert!(load(dir.path(), &settings(&[])).unwrap().is_none());
}
