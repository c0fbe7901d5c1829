//! Crash safety against the real engine: a create interrupted after the engine acted is found
//! again by what the create call wrote (one template, called per type), networks duplicated by
//! an interrupted run are sorted out, and deletes of objects already gone succeed.
//! Run: `scripts/services/docker.sh start /tmp/run && . /tmp/run/docker.env && cargo test`.

// A test crate: its helpers may unwrap too (a failed unwrap is a failed test).
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use labform_sdk::{OpContext, Value};

/// A `ty` named `<stack>-<suffix>`: an interrupted create is adopted, then deleted.
async fn named_object_is_adopted(tag: &str, ty: &str, suffix: &str) {
    let st = stack(tag).await;
    let config = st.named(ty, &st.own_name(suffix));
    let found = interrupted_create_is_adopted(&st, ty, &config, FoundBy::Token).await;
    st.delete(ty, &found).await;
    assert!(cli_ids(&st, cli_kind(ty)).is_empty());
}

#[tokio::test]
async fn network_interrupted_create_is_adopted() {
    named_object_is_adopted("adnet", "docker_network", "n").await;
}

#[tokio::test]
async fn volume_interrupted_create_is_adopted() {
    named_object_is_adopted("advol", "docker_volume", "v").await;
}

#[tokio::test]
async fn unnamed_volume_interrupted_create_is_adopted_by_its_mark() {
    let st = stack("advolanon").await;
    let config = st.config("docker_volume", vec![]);
    let found = interrupted_create_is_adopted(&st, "docker_volume", &config, FoundBy::Token).await;
    assert_eq!(
        found.str_attr("name").map(str::len),
        Some(64),
        "the engine's random name"
    );
    st.delete("docker_volume", &found).await;
}

#[tokio::test]
async fn container_interrupted_create_is_adopted() {
    let st = stack("adctr").await;
    let config = stack_sleeper(&st, vec![]);
    let found =
        interrupted_create_is_adopted(&st, "docker_container", &config, FoundBy::Token).await;
    assert_eq!(
        inspect(found.str_attr("id").unwrap(), "{{.State.Running}}"),
        "true"
    );
    st.delete("docker_container", &found).await;
    assert!(cli_ids(&st, "container").is_empty());
}

#[tokio::test]
async fn image_interrupted_create_is_adopted_by_name() {
    let st = stack("adimg").await;
    st.build_context(&[("Dockerfile", &format!("FROM {BUSYBOX}\nCMD [\"true\"]\n"))]);
    let build = nested(&st, "docker_image", "build", vec![("context", s("app"))]);
    let name = format!("{}/app:1", st.name);
    let config = st.config(
        "docker_image",
        vec![("name", s(&name)), ("build", Value::List(vec![build]))],
    );
    let found = interrupted_create_is_adopted(&st, "docker_image", &config, FoundBy::Name).await;
    st.delete("docker_image", &found).await;
    let intent = intent_of(
        &st.plan("docker_image", None, &st.named("docker_image", &name))
            .planned,
    );
    let gone = st
        .resource("docker_image")
        .find_interrupted(&intent, &token("img"))
        .await
        .unwrap();
    assert_eq!(gone, None, "no image of that name: nothing to adopt");
}

#[tokio::test]
async fn a_container_an_interrupted_create_never_started_is_removed_not_adopted() {
    let st = stack("adhalf").await;
    let name = st.own_name("half");
    let tok = token("half");
    // What a run killed between the engine's create and start leaves: marked, never started.
    docker(&[
        "create",
        "--name",
        &name,
        "--label",
        "managed-by=labform",
        "--label",
        &format!("labform-stack={}", st.name),
        "--label",
        &format!("labform-instance={tok}"),
        BUSYBOX,
        "sleep",
        "3600",
    ])
    .unwrap();
    let config = sleeper(&st, &name, vec![]);
    let intent = intent_of(&st.plan("docker_container", None, &config).planned);
    let found = st
        .resource("docker_container")
        .find_interrupted(&intent, &tok)
        .await
        .unwrap();
    assert_eq!(found, None);
    assert!(
        cli_ids(&st, "container").is_empty(),
        "the half-made container is gone"
    );
    // The next create makes it whole.
    let state = st.create("docker_container", &config).await.unwrap();
    assert_eq!(inspect(&name, "{{.State.Running}}"), "true");
    st.delete("docker_container", &state).await;
}

/// Networks of one name carrying this stack's mark (as an interrupted run of labform before
/// create tokens left them), made through the Engine API by curl: the docker CLI asks the engine to
/// refuse a duplicate name, the API itself does not. Returns their ids.
fn marked_networks(st: &Stack, name: &str, count: usize) -> Vec<String> {
    let labels = format!(
        r#"{{"managed-by":"labform","labform-stack":"{}"}}"#,
        st.name
    );
    (0..count)
        .map(|_| create_network_by_api(name, Some(&labels)))
        .collect()
}

/// `POST /networks/create` without the duplicate check; `labels` is a JSON object.
fn create_network_by_api(name: &str, labels: Option<&str>) -> String {
    let host = docker_host();
    let (socket, base) = match host.strip_prefix("unix://") {
        Some(path) => (Some(path.to_string()), "http://localhost".to_string()),
        None => (None, host.replacen("tcp://", "http://", 1)),
    };
    let body = format!(
        r#"{{"Name":"{name}","CheckDuplicate":false,"Labels":{}}}"#,
        labels.unwrap_or("{}")
    );
    let mut curl = std::process::Command::new("curl");
    curl.args([
        "-sS",
        "--fail-with-body",
        "-X",
        "POST",
        "-H",
        "Content-Type: application/json",
    ]);
    if let Some(socket) = socket {
        curl.args(["--unix-socket", &socket]);
    }
    let out = curl
        .args(["-d", &body, &format!("{base}/v1.41/networks/create")])
        .output()
        .expect("curl runs");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "network create by the API: {text}");
    let id = text
        .split(r#""Id":""#)
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_else(|| panic!("no id in {text}"));
    id.to_string()
}

#[tokio::test]
async fn duplicate_networks_of_this_stack_converge_to_one_and_never_read_as_ambiguous() {
    let st = stack("dupnet").await;
    let name = st.own_name("dup");
    let left = marked_networks(&st, &name, 2);
    assert!(
        docker(&["network", "inspect", &name]).is_err(),
        "the engine itself finds the name ambiguous"
    );
    let r = st.resource("docker_network");
    let config = st.named("docker_network", &name);
    let planned = st.plan("docker_network", None, &config).planned;

    // A pending intent from before tokens (no id) does not adopt one of two at random.
    assert_eq!(r.read(&intent_of(&planned)).await.unwrap(), None);

    // The create removes both leftovers and makes one.
    let tok = token("dup");
    let state = r
        .create(
            &planned,
            &OpContext::silent().with_create_token(tok.as_str()),
        )
        .await
        .expect("create over duplicates");
    let ids = cli_ids(&st, "network");
    assert_eq!(ids, vec![state.str_attr("id").unwrap().to_string()]);
    for old in &left {
        assert!(
            docker(&["network", "inspect", old]).is_err(),
            "leftover {old} removed"
        );
    }

    // A duplicate appearing beside the owned network: containers, the data source and reads
    // still work, all on the network this stack's create made.
    let stray = marked_networks(&st, &name, 1).remove(0);
    let c = st
        .create(
            "docker_container",
            &stack_sleeper(
                &st,
                vec![(
                    "networks_advanced",
                    Value::List(vec![nested(
                        &st,
                        "docker_container",
                        "networks_advanced",
                        vec![("name", s(&name))],
                    )]),
                )],
            ),
        )
        .await
        .expect("a container joins a duplicated network name");
    let owned = state.str_attr("id").unwrap();
    assert_eq!(
        inspect(
            c.str_attr("id").unwrap(),
            "{{range .NetworkSettings.Networks}}{{.NetworkID}}{{end}}"
        ),
        owned
    );
    let data = st
        .provider
        .data_source("docker_network")
        .unwrap()
        .read(&Value::from_pairs([("name", s(&name))]))
        .await
        .expect("data source on a duplicated name");
    assert_eq!(data.str_attr("id"), Some(owned));
    assert_eq!(r.read(&state).await.unwrap().as_ref(), Some(&state));
    st.delete("docker_container", &c).await;
    st.delete("docker_network", &state).await;
    docker(&["network", "rm", &stray]).unwrap();
}

#[tokio::test]
async fn a_network_name_held_by_a_user_network_stops_the_create_untouched() {
    let st = stack("dupforeign").await;
    let name = st.own_name("mixed");
    marked_networks(&st, &name, 1);
    let foreign = create_network_by_api(&name, None);
    let err = st
        .create("docker_network", &st.named("docker_network", &name))
        .await
        .expect_err("a user's network of that name");
    assert_foreign_refused(
        &err,
        &format!("network `{name}` already exists"),
        "docker network rm",
    );
    assert!(
        docker(&["network", "inspect", &foreign]).is_ok(),
        "the user's network is kept"
    );
    assert_eq!(
        cli_ids(&st, "network").len(),
        1,
        "nothing removed before the error"
    );
    docker(&["network", "rm", &foreign]).unwrap();
}

#[tokio::test]
async fn deleting_what_is_already_gone_succeeds() {
    let st = stack("gone").await;
    let (_, net) = st.create_own("docker_network", "n").await;
    let (_, vol) = st.create_own("docker_volume", "v").await;
    let ctr = st
        .create("docker_container", &stack_sleeper(&st, vec![]))
        .await
        .unwrap();
    // Removed behind labform's back (a run killed after the delete, before state recorded it).
    docker(&["rm", "-f", ctr.str_attr("id").unwrap()]).unwrap();
    docker(&["network", "rm", net.str_attr("id").unwrap()]).unwrap();
    docker(&["volume", "rm", vol.str_attr("id").unwrap()]).unwrap();
    st.delete("docker_container", &ctr).await;
    st.delete("docker_network", &net).await;
    st.delete("docker_volume", &vol).await;
    for kind in ["container", "network", "volume"] {
        assert!(cli_ids(&st, kind).is_empty(), "{kind}");
    }
}

#[test]
fn the_harness_refuses_an_engine_off_this_machine() {
    assert!(local_engine("unix:///tmp/lf/svc/docker.sock").is_ok());
    assert!(local_engine("tcp://127.0.0.1:2375").is_ok());
    assert!(local_engine("tcp://127.3.0.9:2375").is_ok());
    for remote in [
        "tcp://10.0.0.5:2375",
        "tcp://docker.example.com:2376",
        "ssh://me@host",
        "npipe:////./pipe/docker_engine",
    ] {
        let err = local_engine(remote).expect_err(remote);
        assert!(err.contains(remote), "{err}");
    }
}
