//! docker_network and docker_volume against the real engine, checked with the docker CLI.
//! Run: `scripts/services/docker.sh start /tmp/run && . /tmp/run/docker.env && cargo test`.

// A test crate: its helpers may unwrap too (a failed unwrap is a failed test).
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use labform_sdk::Value;

#[tokio::test]
async fn network_is_created_marked_adopted_and_removed() {
    let st = stack("net").await;
    let name = st.own_name("net");
    let ipam = nested(
        &st,
        "docker_network",
        "ipam_config",
        vec![("subnet", s("10.213.7.0/24"))],
    );
    let label = nested(
        &st,
        "docker_network",
        "labels",
        vec![("label", s("course")), ("value", s("zoomcamp"))],
    );
    let config = st.config(
        "docker_network",
        vec![
            ("name", s(&name)),
            ("ipam_config", Value::List(vec![ipam])),
            ("labels", Value::List(vec![label])),
        ],
    );
    let state = st
        .create("docker_network", &config)
        .await
        .expect("create network");
    let id = state.str_attr("id").unwrap().to_string();

    // The docker CLI sees the network with the user's label and labform's mark.
    assert_eq!(inspect(&name, "{{.Id}}"), id);
    assert_labels(
        &name,
        ".Labels",
        &[
            ("course", "zoomcamp"),
            ("managed-by", "labform"),
            ("labform-stack", &st.name),
        ],
    );
    assert_eq!(
        inspect(&name, "{{(index .IPAM.Config 0).Subnet}}"),
        "10.213.7.0/24"
    );

    // Read-back and a second plan change nothing.
    let read = st
        .read("docker_network", &state)
        .await
        .expect("network exists");
    assert_eq!(read, state);
    let (_, action) = st.apply("docker_network", &state, &config).await;
    assert_eq!(action, "noop");

    // An interrupted create from before create tokens (no id in the value) is found by name and
    // mark when it is the only one.
    let planned = st.plan("docker_network", None, &config).planned;
    let found = st.read("docker_network", &planned).await;
    assert_eq!(
        found.and_then(|v| v.str_attr("id").map(str::to_string)),
        Some(id.clone())
    );

    // A create of the same name means state owns no network of that name: this stack's stray one
    // is removed and a new one made, never a duplicate.
    let again = st.create("docker_network", &config).await.expect("create");
    assert_ne!(again.str_attr("id"), Some(id.as_str()));
    assert_eq!(
        docker_lines(&["network", "ls", "-q", "--filter", &format!("name=^{name}$")]),
        vec![again.str_attr("id").unwrap()[..12].to_string()]
    );
    let state = again;

    st.delete_until_gone("docker_network", &state, &["network", "inspect", &name])
        .await;
    // Deleting again succeeds.
    st.delete("docker_network", &state).await;
}

#[tokio::test]
async fn network_name_held_by_someone_else_is_a_clear_error() {
    let st = stack("netc").await;
    let name = st.own_name("foreign");
    docker(&[
        "network",
        "create",
        "--label",
        &format!("labform-stack={}", st.name),
        &name,
    ])
    .expect("cli create");
    let err = st.create_refused("docker_network", &name).await;
    assert_foreign_refused(
        &err,
        &format!("network `{name}` already exists"),
        "data \"docker_network\"",
    );
    docker(&["network", "rm", &name]).expect("cli rm");
}

#[tokio::test]
async fn network_in_use_is_named_on_destroy() {
    let st = stack("netuse").await;
    let (name, state) = st.create_own("docker_network", "busy").await;
    let holder = st.own_name("holder");
    docker(&[
        "run",
        "-d",
        "--init",
        "--name",
        &holder,
        "--network",
        &name,
        BUSYBOX,
        "sleep",
        "3600",
    ])
    .expect("cli run");
    let r = st.resource("docker_network");
    // Shorten the 30 s retry: the error must name the container that holds the network.
    let err = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        r.delete(&state, &labform_sdk::OpContext::silent()),
    )
    .await
    .expect("delete returns within its retry window")
    .expect_err("in use");
    assert!(err.message.contains("still in use"), "{err}");
    assert!(err.message.contains(&holder), "{err}");
    docker(&["rm", "-f", &holder]).unwrap();
    st.delete("docker_network", &state).await;
}

#[tokio::test]
async fn volume_is_created_marked_and_guarded() {
    let st = stack("vol").await;
    let name = st.own_name("data");
    let config = st.named("docker_volume", &name);
    let state = st
        .create("docker_volume", &config)
        .await
        .expect("create volume");
    assert_eq!(state.str_attr("id"), Some(name.as_str()));
    assert_labels(&name, ".Labels", &[("labform-stack", &st.name)]);
    assert_eq!(inspect(&name, "{{.Driver}}"), "local");
    let (_, action) = st.apply("docker_volume", &state, &config).await;
    assert_eq!(action, "noop");

    // list_marked finds it for a sweep.
    let marked = st.marked("docker_volume").await;
    assert!(marked
        .iter()
        .any(|v| v.str_attr("name") == Some(name.as_str())));

    // A volume someone else made is not silently adopted (the engine would say "created").
    let foreign = st.own_name("foreign");
    docker(&["volume", "create", &foreign]).unwrap();
    let err = st.create_refused("docker_volume", &foreign).await;
    assert!(
        err.message
            .contains(&format!("volume `{foreign}` already exists")),
        "{err}"
    );
    docker(&["volume", "rm", &foreign]).unwrap();

    st.delete_until_gone("docker_volume", &state, &["volume", "inspect", &name])
        .await;
}

#[tokio::test]
async fn data_sources_read_existing_objects() {
    let st = stack("data").await;
    let img = st.provider.data_source("docker_image").unwrap();
    let v = img
        .read(&Value::from_pairs([
            ("name", s(BUSYBOX)),
            ("id", Value::Null),
            ("repo_digest", Value::Null),
        ]))
        .await
        .unwrap();
    assert_eq!(v.str_attr("id").unwrap(), inspect(BUSYBOX, "{{.Id}}"));
    let missing = img
        .read(&Value::from_pairs([("name", s("labform-test/missing:0"))]))
        .await
        .expect_err("missing");
    assert!(
        missing.message.contains("`labform-test/missing:0`"),
        "{missing}"
    );

    let net = st.provider.data_source("docker_network").unwrap();
    let v = net
        .read(&Value::from_pairs([("name", s("bridge"))]))
        .await
        .unwrap();
    assert_eq!(v.str_attr("id").unwrap(), inspect("bridge", "{{.Id}}"));
    assert_eq!(v.str_attr("driver"), Some("bridge"));
}

#[tokio::test]
async fn a_daemon_that_is_not_running_is_one_clear_error() {
    let ctx = labform_sdk::ProviderContext {
        stack_name: "x".into(),
        stack_dir: std::env::temp_dir(),
        stack_id: labform_sdk::label_safe("x"),
        expires: None,
    };
    let config = Value::from_pairs([("host", s("unix:///tmp/labform-no-such-engine.sock"))]);
    let err = match labform_docker::provider().configure(&config, &ctx).await {
        Err(e) => e,
        Ok(_) => panic!("configure must fail"),
    };
    assert!(
        err.message.contains(
            "cannot reach the docker engine at `unix:///tmp/labform-no-such-engine.sock`"
        ),
        "{err}"
    );
    assert!(err.hint.is_some());
}
