//! docker_image against the real engine: a build through the API, keep_locally, pull failure.
//! Run: `scripts/services/docker.sh start /tmp/run && . /tmp/run/docker.env && cargo test`.

// A test crate: its helpers may unwrap too (a failed unwrap is a failed test).
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use labform_sdk::{OpContext, Value};

#[tokio::test]
async fn image_is_built_marked_used_and_removed() {
    let st = stack("img").await;
    st.build_context(&[
        ("Dockerfile.app", &format!("FROM {BUSYBOX}\nARG GREETING=none\nCOPY hello.txt /hello.txt\nRUN echo \"$GREETING\" > /greeting\nFROM {BUSYBOX} AS final\nCOPY --from=0 /hello.txt /greeting /\nCMD [\"cat\", \"/hello.txt\"]\n")),
        ("hello.txt", "hello from the context\n"),
        ("ignored.log", "x"),
        (".dockerignore", "*.log\n"),
    ]);

    let name = format!("{}/app:1", st.name);
    let build = nested(
        &st,
        "docker_image",
        "build",
        vec![
            ("context", s("app")), // relative to the stack directory
            ("dockerfile", s("Dockerfile.app")),
            ("build_args", Value::from_pairs([("GREETING", s("hi"))])),
            ("target", s("final")),
            ("labels", Value::from_pairs([("course", s("zoomcamp"))])),
            ("tag", list(&[&format!("{}/app:latest", st.name)])),
        ],
    );
    let config = st.config(
        "docker_image",
        vec![("name", s(&name)), ("build", Value::List(vec![build]))],
    );
    let state = st.create("docker_image", &config).await.expect("build");

    let image_id = state.str_attr("image_id").unwrap().to_string();
    assert_eq!(inspect(&name, "{{.Id}}"), image_id);
    assert_eq!(state.str_attr("id").unwrap(), format!("{image_id}{name}"));
    assert_labels(
        &name,
        ".Config.Labels",
        &[("course", "zoomcamp"), ("labform-stack", &st.name)],
    );
    assert_eq!(
        inspect(&format!("{}/app:latest", st.name), "{{.Id}}"),
        image_id
    );
    // The build args, target stage and context (without ignored files) all took effect.
    let out = docker(&["run", "--rm", &name, "cat", "/hello.txt", "/greeting"]).unwrap();
    assert_eq!(out, "hello from the context\nhi");
    assert!(docker(&["run", "--rm", &name, "ls", "/ignored.log"]).is_err());
    assert_eq!(st.apply("docker_image", &state, &config).await.1, "noop");

    // A container can use the image by its id.
    let by_id = stack_sleeper(&st, vec![("image", s(&image_id))]);
    let c = st.create("docker_container", &by_id).await.unwrap();
    assert_eq!(c.str_attr("image"), Some(image_id.as_str()));
    assert_eq!(st.apply("docker_container", &c, &by_id).await.1, "noop");
    st.delete("docker_container", &c).await;

    // keep_locally = true leaves the image on destroy; otherwise it is removed.
    let mut kept = state.clone();
    kept.set("keep_locally", Value::Bool(true));
    st.delete("docker_image", &kept).await;
    assert!(docker(&["image", "inspect", &name]).is_ok());
    st.delete_until_gone("docker_image", &state, &["image", "inspect", &name])
        .await;
}

#[tokio::test]
async fn a_local_image_is_found_and_a_failed_pull_names_the_image() {
    let st = stack("pull").await;
    let config = st.config(
        "docker_image",
        vec![("name", s(BUSYBOX)), ("keep_locally", Value::Bool(true))],
    );
    let state = st
        .create("docker_image", &config)
        .await
        .expect("local image");
    assert_eq!(
        state.str_attr("image_id").unwrap(),
        inspect(BUSYBOX, "{{.Id}}")
    );
    st.delete("docker_image", &state).await;
    assert!(
        docker(&["image", "inspect", BUSYBOX]).is_ok(),
        "keep_locally keeps it"
    );

    // The pull fails, and the error says which image and why. The image names a registry on a
    // closed loopback port, so the engine's pull never leaves this machine (a bare name would
    // send it to Docker Hub).
    let lines = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let sink = lines.clone();
    let ctx = OpContext::new(
        "docker_image.x",
        std::sync::Arc::new(move |_: &str, m: &str| sink.lock().unwrap().push(m.to_string())),
    );
    let missing = &format!("127.0.0.1:{}/labform-test/never-built:1", free_port());
    let config = st.config("docker_image", vec![("name", s(missing))]);
    let planned = st.plan("docker_image", None, &config).planned;
    let err = st
        .resource("docker_image")
        .create(&planned, &ctx)
        .await
        .expect_err("pull fails");
    assert!(
        err.message
            .contains(&format!("pulling image `{missing}` failed:")),
        "{err}"
    );
    assert!(
        err.message.len() > format!("pulling image `{missing}` failed: ").len() + 5,
        "registry error included: {err}"
    );
    assert!(
        lines
            .lock()
            .unwrap()
            .iter()
            .any(|l| l.contains("pulling image")),
        "progress is reported"
    );

    // A container whose image cannot be had says so before creating anything.
    let err = st
        .create(
            "docker_container",
            &stack_sleeper(&st, vec![("image", s(missing))]),
        )
        .await
        .expect_err("no image");
    assert!(err.message.contains(missing), "{err}");
    assert!(docker_lines(&["ps", "-aq", "--filter", &st.label_filter()]).is_empty());
}
