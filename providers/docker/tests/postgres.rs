//! End to end with a real PostgreSQL image (built locally by `scripts/services/docker.sh`):
//! network, named volume, Postgres with a pg_isready healthcheck on 127.0.0.1, `psql` from the
//! host, then destroy. Run: `scripts/services/docker.sh start /tmp/run && . /tmp/run/docker.env && cargo test`.

// A test crate: its helpers may unwrap too (a failed unwrap is a failed test).
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use labform_sdk::Value;

fn postgres_image() -> String {
    std::env::var("LABFORM_TEST_POSTGRES").unwrap_or_else(|_| {
        panic!("LABFORM_TEST_POSTGRES is not set: start the test engine with `scripts/services/docker.sh start /tmp/run && . /tmp/run/docker.env`")
    })
}

#[tokio::test]
async fn postgres_comes_up_healthy_and_answers_psql() {
    let st = stack("pg").await;
    let (net_name, net) = st.create_own("docker_network", "pg-network").await;
    let (vol_name, vol) = st.create_own("docker_volume", "pgdata").await;
    let hp = free_port();
    let name = st.own_name("pgdatabase");
    let config = st.config(
        "docker_container",
        vec![
            ("name", s(&name)),
            ("image", s(&postgres_image())),
            (
                "env",
                set(&[
                    "POSTGRES_USER=root",
                    "POSTGRES_PASSWORD=root",
                    "POSTGRES_DB=ny_taxi",
                ]),
            ),
            ("ports", Value::List(vec![port(5432, hp)])),
            (
                "volumes",
                Value::List(vec![volume_mount(
                    &st,
                    &vol_name,
                    "/var/lib/postgresql/data",
                )]),
            ),
            (
                "networks_advanced",
                Value::List(vec![nested(
                    &st,
                    "docker_container",
                    "networks_advanced",
                    vec![("name", s(&net_name)), ("aliases", set(&["pgdatabase"]))],
                )]),
            ),
            (
                "healthcheck",
                Value::List(vec![nested(
                    &st,
                    "docker_container",
                    "healthcheck",
                    vec![
                        (
                            "test",
                            list(&["CMD-SHELL", "pg_isready -U root -d ny_taxi -h 127.0.0.1"]),
                        ),
                        ("interval", s("1s")),
                        ("timeout", s("5s")),
                        ("retries", n(30.0)),
                    ],
                )]),
            ),
            ("wait", Value::Bool(true)),
            ("wait_timeout", n(90.0)),
            ("init", Value::Bool(true)),
        ],
    );
    let state = st
        .create("docker_container", &config)
        .await
        .expect("postgres up");
    assert_eq!(inspect(&name, "{{.State.Health.Status}}"), "healthy");
    // The env read back is what was configured (the image's PATH/LANG/PGDATA are not listed).
    assert_eq!(state.get("env"), config.get("env"));
    assert_eq!(
        st.apply("docker_container", &state, &config).await.1,
        "noop"
    );

    let out = std::process::Command::new("psql")
        .args([
            "-h",
            "127.0.0.1",
            "-p",
            &hp.to_string(),
            "-U",
            "root",
            "-d",
            "ny_taxi",
            "-Atc",
            "select 40 + 2",
        ])
        .env("PGPASSWORD", "root")
        .output()
        .expect("psql runs (apt-get install postgresql-client)");
    assert!(
        out.status.success(),
        "psql failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "42");

    st.delete("docker_container", &state).await;
    st.delete("docker_volume", &vol).await;
    st.delete("docker_network", &net).await;
    for kind in [
        vec!["ps", "-aq"],
        vec!["network", "ls", "-q"],
        vec!["volume", "ls", "-q"],
    ] {
        let mut args = kind.clone();
        let filter = st.label_filter();
        args.extend(["--filter", filter.as_str()]);
        assert!(docker_lines(&args).is_empty(), "{kind:?} left something");
    }
}
