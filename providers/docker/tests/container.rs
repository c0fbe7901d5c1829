//! docker_container against the real engine, checked with the docker CLI: create, update in
//! place, replace, wait for healthy, a named volume surviving a replace, drift, destroy.
//! Run: `scripts/services/docker.sh start /tmp/run && . /tmp/run/docker.env && cargo test`.

// A test crate: its helpers may unwrap too (a failed unwrap is a failed test).
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use labform_sdk::Value;

#[tokio::test]
async fn container_create_update_replace_and_destroy() {
    let st = stack("ctr").await;
    let name = st.own_name("web");
    let (net_name, net) = st.create_own("docker_network", "net").await;
    let hp = free_port();
    let label = nested(
        &st,
        "docker_container",
        "labels",
        vec![("label", s("role")), ("value", s("web"))],
    );
    let network = nested(
        &st,
        "docker_container",
        "networks_advanced",
        vec![("name", s(&net_name)), ("aliases", set(&["web"]))],
    );
    let config = |env: &str, restart: &str, memory: Option<f64>| {
        sleeper(
            &st,
            &name,
            vec![
                ("command", list(&["httpd", "-f", "-p", "8080"])),
                ("env", set(&[env, "GREETING=hello"])),
                ("ports", Value::List(vec![port(8080, hp)])),
                ("labels", Value::List(vec![label.clone()])),
                ("networks_advanced", Value::List(vec![network.clone()])),
                ("restart", s(restart)),
                ("memory", memory.map(Value::Number).unwrap_or_default()),
            ],
        )
    };

    let state = st
        .create("docker_container", &config("MODE=a", "no", None))
        .await
        .expect("create");
    let id = state.str_attr("id").unwrap().to_string();
    assert_eq!(inspect(&name, "{{.Id}}"), id);
    assert_eq!(inspect(&name, "{{.State.Running}}"), "true");
    assert_labels(
        &name,
        ".Config.Labels",
        &[
            ("role", "web"),
            ("managed-by", "labform"),
            ("labform-stack", &st.name),
        ],
    );
    let env = inspect(&name, "{{json .Config.Env}}");
    assert!(
        env.contains("MODE=a") && env.contains("GREETING=hello"),
        "{env}"
    );
    assert_eq!(
        inspect(
            &name,
            "{{(index (index .HostConfig.PortBindings \"8080/tcp\") 0).HostIp}}"
        ),
        "127.0.0.1"
    );
    assert_eq!(
        inspect(
            &name,
            "{{(index (index .HostConfig.PortBindings \"8080/tcp\") 0).HostPort}}"
        ),
        hp.to_string()
    );
    let aliases = inspect(
        &name,
        &format!("{{{{json (index .NetworkSettings.Networks \"{net_name}\").Aliases}}}}"),
    );
    assert!(aliases.contains("\"web\""), "{aliases}");
    // Only the stack's network: the container never joined the default bridge.
    assert!(!inspect(&name, "{{json .NetworkSettings.Networks}}").contains("\"bridge\""));
    assert_eq!(state.list_attr("network_data").len(), 1);
    // The env read back is the configured one, not the image's PATH.
    assert_eq!(state.get("env"), &set(&["GREETING=hello", "MODE=a"]));

    // The published port answers on 127.0.0.1.
    let body = http_get(hp).await;
    assert!(body.contains("HTTP/1."), "{body}");

    // No change: read-back equals state and the plan is a no-op.
    let read = st.read("docker_container", &state).await.expect("exists");
    assert_eq!(read, state);
    let (state, action) = st
        .apply("docker_container", &read, &config("MODE=a", "no", None))
        .await;
    assert_eq!(action, "noop");

    // In place: restart policy and memory.
    let tuned = config("MODE=a", "unless-stopped", Some(64.0));
    let (state, action) = st.apply("docker_container", &state, &tuned).await;
    assert_eq!(action, "update");
    assert_eq!(state.str_attr("id"), Some(id.as_str()));
    assert_eq!(
        inspect(&name, "{{.HostConfig.RestartPolicy.Name}}"),
        "unless-stopped"
    );
    assert_eq!(
        inspect(&name, "{{.HostConfig.Memory}}"),
        (64 * 1024 * 1024).to_string()
    );
    let (state, action) = st.apply("docker_container", &state, &tuned).await;
    assert_eq!(action, "noop");

    // Force-new: env replaces the container.
    let mode_b = config("MODE=b", "unless-stopped", Some(64.0));
    let change = st.plan("docker_container", Some(&state), &mode_b);
    assert_eq!(change.requires_replace, vec![vec!["env".to_string()]]);
    let (state, action) = st.apply("docker_container", &state, &mode_b).await;
    assert_eq!(action, "replace");
    let new_id = state.str_attr("id").unwrap();
    assert_ne!(new_id, id);
    assert_eq!(inspect(&name, "{{.Id}}"), new_id);
    assert!(inspect(&name, "{{json .Config.Env}}").contains("MODE=b"));
    assert!(
        docker(&["inspect", &id]).is_err(),
        "the old container is gone"
    );

    // Destroy: container then network; nothing with the stack's label is left.
    let marked = st.marked("docker_container").await;
    assert_eq!(marked.len(), 1);
    let started = std::time::Instant::now();
    st.delete("docker_container", &state).await;
    assert!(started.elapsed().as_secs() < 8, "init makes the stop quick");
    st.delete("docker_network", &net).await;
    assert!(docker_lines(&["ps", "-aq", "--filter", &st.label_filter()]).is_empty());
    assert!(docker_lines(&["network", "ls", "-q", "--filter", &st.label_filter()]).is_empty());
    assert_eq!(st.read("docker_container", &state).await, None);
}

async fn http_get(port: u16) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    for _ in 0..20 {
        if let Ok(mut conn) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await {
            let _ = conn.write_all(b"GET / HTTP/1.0\r\n\r\n").await;
            let mut buf = Vec::new();
            let _ = conn.read_to_end(&mut buf).await;
            if !buf.is_empty() {
                return String::from_utf8_lossy(&buf).into_owned();
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    String::new()
}

#[tokio::test]
async fn wait_for_healthy_and_data_survives_a_replace() {
    let st = stack("health").await;
    let (vol_name, vol) = st.create_own("docker_volume", "data").await;
    let name = st.own_name("app");
    let health = nested(
        &st,
        "docker_container",
        "healthcheck",
        vec![
            ("test", list(&["CMD-SHELL", "test -f /data/ready"])),
            ("interval", s("1s")),
            ("timeout", s("2s")),
            ("retries", n(30.0)),
        ],
    );
    let volume = volume_mount(&st, &vol_name, "/data");
    let config = |marker: &str| {
        sleeper(
            &st,
            &name,
            vec![
                (
                    "command",
                    list(&["sh", "-c", &format!("rm -f /data/ready; sleep 2; echo {marker} >> /data/log; touch /data/ready; exec sleep 3600")]),
                ),
                ("volumes", Value::List(vec![volume.clone()])),
                ("healthcheck", Value::List(vec![health.clone()])),
                ("wait", Value::Bool(true)),
                ("wait_timeout", n(30.0)),
                ("destroy_grace_seconds", n(5.0)),
            ],
        )
    };
    let state = st
        .create("docker_container", &config("first"))
        .await
        .expect("create waits");
    // Create returned only once the container was healthy.
    assert_eq!(inspect(&name, "{{.State.Health.Status}}"), "healthy");
    assert_eq!(
        st.apply("docker_container", &state, &config("first"))
            .await
            .1,
        "noop"
    );

    // A force-new change replaces the container; the named volume keeps the data.
    let (state, action) = st
        .apply("docker_container", &state, &config("second"))
        .await;
    assert_eq!(action, "replace");
    assert_eq!(inspect(&name, "{{.State.Health.Status}}"), "healthy");
    let log = docker(&["exec", &name, "cat", "/data/log"]).unwrap();
    assert_eq!(log, "first\nsecond");

    // A container without any healthcheck cannot be waited on: a clear error, and it is kept.
    let bare = sleeper(&st, &st.own_name("bare"), vec![("wait", Value::Bool(true))]);
    let err = st
        .create("docker_container", &bare)
        .await
        .expect_err("no healthcheck");
    assert!(err.message.contains("has no healthcheck"), "{err}");
    let partial = err.partial.expect("the container exists: partial state");
    st.delete("docker_container", &partial).await;

    st.delete("docker_container", &state).await;
    st.delete("docker_volume", &vol).await;
    assert!(docker_lines(&["volume", "ls", "-q", "--filter", &st.label_filter()]).is_empty());
}

#[tokio::test]
async fn drift_removed_by_hand_is_gone_and_stopped_is_started_again() {
    let st = stack("drift").await;
    let name = st.own_name("d");
    let config = sleeper(&st, &name, vec![]);
    let state = st.create("docker_container", &config).await.unwrap();
    let r = st.resource("docker_container");

    // Stopped outside labform: must_run reads false, the plan is an in-place update that starts it.
    docker(&["stop", &name]).unwrap();
    let read = r.read(&state).await.unwrap().expect("still exists");
    assert_eq!(read.get("must_run"), &Value::Bool(false));
    assert!(read.get("exit_code").as_f64().is_some());
    let change = st.plan("docker_container", Some(&read), &config);
    assert!(change.requires_replace.is_empty());
    assert_ne!(change.planned, read);
    let (state, action) = st.apply("docker_container", &read, &config).await;
    assert_eq!(action, "update");
    assert_eq!(inspect(&name, "{{.State.Running}}"), "true");
    assert_eq!(state.get("must_run"), &Value::Bool(true));
    assert_eq!(state.get("exit_code"), &Value::Null);

    // Removed outside labform: read says gone, so the plan re-creates it.
    docker(&["rm", "-f", &name]).unwrap();
    assert_eq!(r.read(&state).await.unwrap(), None);
    let recreated = st.create("docker_container", &config).await.unwrap();
    assert_eq!(inspect(&name, "{{.State.Running}}"), "true");

    // An interrupted create (planned value, no id) is found by name and mark.
    let planned = st.plan("docker_container", None, &config).planned;
    let found = r.read(&planned).await.unwrap().expect("found by name");
    assert_eq!(found.get("id"), recreated.get("id"));
    st.delete("docker_container", &recreated).await;
}

/// Creating the container `name` that publishes 8081 on the host port `hp` fails, naming `hp`.
async fn port_taken(st: &Stack, name: &str, hp: u16) -> labform_sdk::ProviderError {
    let err = st
        .create(
            "docker_container",
            &sleeper(st, name, vec![("ports", Value::List(vec![port(8081, hp)]))]),
        )
        .await
        .expect_err("port taken");
    assert!(err.message.contains(&format!("host port `{hp}`")), "{err}");
    err
}

/// Creating a sleeper container named `name` fails: the name is taken.
async fn name_in_use(st: &Stack, name: &str) -> labform_sdk::ProviderError {
    st.create("docker_container", &sleeper(st, name, vec![]))
        .await
        .expect_err("name in use")
}

#[tokio::test]
async fn name_and_port_conflicts_have_clear_messages() {
    let st = stack("conf").await;
    // A name held by a container labform did not create.
    let foreign = st.own_name("foreign");
    docker(&["create", "--name", &foreign, BUSYBOX, "true"]).unwrap();
    let err = name_in_use(&st, &foreign).await;
    assert_foreign_refused(
        &err,
        &format!("container name `{foreign}` is already in use"),
        &format!("docker rm -f {foreign}"),
    );
    docker(&["rm", "-f", &foreign]).unwrap();

    // A name held by another labform stack.
    let other = st.own_name("other");
    docker(&[
        "create",
        "--name",
        &other,
        "--label",
        "managed-by=labform",
        "--label",
        "labform-stack=elsewhere",
        BUSYBOX,
        "true",
    ])
    .unwrap();
    let err = name_in_use(&st, &other).await;
    assert!(
        err.message.contains("the labform stack `elsewhere`"),
        "{err}"
    );
    docker(&["rm", "-f", &other]).unwrap();

    // A name held by this stack but unknown to state.
    let mine = st.own_name("mine");
    let first = st
        .create("docker_container", &sleeper(&st, &mine, vec![]))
        .await
        .unwrap();
    let err = name_in_use(&st, &mine).await;
    assert!(
        err.message.contains(&format!("this stack (`{}`)", st.name)),
        "{err}"
    );
    st.delete("docker_container", &first).await;

    // A host port held by another container: the port and the holder are named, and the
    // container that could not start is removed again.
    let hp = free_port();
    let holder = st
        .create(
            "docker_container",
            &sleeper(
                &st,
                &st.own_name("holder"),
                vec![("ports", Value::List(vec![port(8080, hp)]))],
            ),
        )
        .await
        .unwrap();
    let loser = st.own_name("loser");
    let err = port_taken(&st, &loser, hp).await;
    assert!(err.message.contains(&st.own_name("holder")), "{err}");
    assert!(err.partial.is_none());
    assert!(
        docker(&["inspect", &loser]).is_err(),
        "the container that never ran is removed"
    );
    st.delete("docker_container", &holder).await;

    // A host port held by a plain program on the host.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let hp = listener.local_addr().unwrap().port();
    let err = port_taken(&st, &loser, hp).await;
    assert!(err.message.contains("another program"), "{err}");
    drop(listener);
}

#[tokio::test]
async fn attach_collects_logs_uploads_land_and_start_false_stays_stopped() {
    let st = stack("attach").await;
    let upload = nested(
        &st,
        "docker_container",
        "upload",
        vec![
            ("file", s("/etc/greeting.txt")),
            ("content", s("hello upload")),
        ],
    );
    let name = st.own_name("job");
    let config = sleeper(
        &st,
        &name,
        vec![
            (
                "command",
                list(&[
                    "sh",
                    "-c",
                    "cat /etc/greeting.txt; echo; echo done >&2; exit 3",
                ]),
            ),
            ("upload", Value::List(vec![upload])),
            ("attach", Value::Bool(true)),
            ("logs", Value::Bool(true)),
            ("must_run", Value::Bool(false)),
        ],
    );
    let state = st
        .create("docker_container", &config)
        .await
        .expect("attached run");
    let logs = state.str_attr("container_logs").unwrap_or_default();
    assert!(
        logs.contains("hello upload") && logs.contains("done"),
        "{logs}"
    );
    assert_eq!(state.get("exit_code"), &n(3.0));
    assert_eq!(inspect(&name, "{{.State.ExitCode}}"), "3");
    assert_eq!(
        st.apply("docker_container", &state, &config).await.1,
        "noop"
    );
    st.delete("docker_container", &state).await;
    assert!(docker(&["inspect", &name]).is_err());

    // start = false: created, never started, and that is not drift.
    let idle = sleeper(
        &st,
        &st.own_name("idle"),
        vec![("start", Value::Bool(false))],
    );
    let state = st.create("docker_container", &idle).await.unwrap();
    assert_eq!(
        inspect(&st.own_name("idle"), "{{.State.Status}}"),
        "created"
    );
    assert_eq!(st.apply("docker_container", &state, &idle).await.1, "noop");
    st.delete("docker_container", &state).await;
}
