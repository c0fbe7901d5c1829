//! Shared test harness: a configured docker provider bound to a per-test stack, a plan/apply
//! helper that goes through the sdk traits as the engine does, and the `docker` CLI as the
//! separate client that checks results.

#![allow(dead_code)]

use std::process::Command;
use std::sync::Arc;

use labform_sdk::{ConfiguredProvider, OpContext, PlannedChange, ProviderContext, Resource, Value};

pub const BUSYBOX: &str = "labform-test/busybox";

/// DOCKER_HOST, which the harness (`scripts/services/docker.sh`) always sets.
pub fn docker_host() -> String {
    match std::env::var("DOCKER_HOST") {
        Ok(h) if !h.is_empty() => h,
        _ => panic!(
            "DOCKER_HOST is not set: start the test engine with `scripts/services/docker.sh start /tmp/run && . /tmp/run/docker.env`"
        ),
    }
}

pub struct Stack {
    pub name: String,
    pub provider: Arc<dyn ConfiguredProvider>,
    pub dir: tempfile::TempDir,
}

/// A stack named `lft-<tag>-<pid>` so parallel tests and earlier runs never collide.
pub async fn stack(tag: &str) -> Stack {
    docker_host();
    let name = format!("lft-{tag}-{}", std::process::id());
    let dir = tempfile::tempdir().expect("temp dir");
    let ctx = ProviderContext {
        stack_name: name.clone(),
        stack_dir: dir.path().to_path_buf(),
    };
    let provider = labform_docker::provider()
        .configure(&Value::from_pairs([("host", Value::Null)]), &ctx)
        .await
        .unwrap_or_else(|e| panic!("configure failed: {e}"));
    sweep(&name);
    Stack {
        name,
        provider,
        dir,
    }
}

impl Stack {
    pub fn resource(&self, ty: &str) -> Arc<dyn Resource> {
        self.provider
            .resource(ty)
            .unwrap_or_else(|| panic!("no resource {ty}"))
    }

    /// A configuration of `ty` with every attribute null and blocks empty, then `pairs` set.
    pub fn config(&self, ty: &str, pairs: Vec<(&str, Value)>) -> Value {
        let r = self.resource(ty);
        let mut v = r.schema().empty_value();
        for (k, val) in pairs {
            v.set(k, val);
        }
        v
    }

    pub fn plan(&self, ty: &str, prior: Option<&Value>, config: &Value) -> PlannedChange {
        let r = self.resource(ty);
        r.validate(config)
            .unwrap_or_else(|e| panic!("validate failed: {e}"));
        r.plan(prior, config)
            .unwrap_or_else(|e| panic!("plan failed: {e}"))
    }

    /// Plans and creates; the state must be wholly known.
    pub async fn create(
        &self,
        ty: &str,
        config: &Value,
    ) -> Result<Value, labform_sdk::ProviderError> {
        let planned = self.plan(ty, None, config).planned;
        let state = self
            .resource(ty)
            .create(&planned, &OpContext::silent())
            .await?;
        assert!(
            state.is_wholly_known(),
            "state of {ty} is not wholly known: {state}"
        );
        Ok(state)
    }

    /// Applies `config` over `prior` as the engine would: no-op, update, or delete-then-create.
    pub async fn apply(&self, ty: &str, prior: &Value, config: &Value) -> (Value, &'static str) {
        let change = self.plan(ty, Some(prior), config);
        let r = self.resource(ty);
        let ctx = OpContext::silent();
        if !change.requires_replace.is_empty() {
            r.delete(prior, &ctx).await.expect("delete for replace");
            let state = r
                .create(&change.planned, &ctx)
                .await
                .expect("create for replace");
            (state, "replace")
        } else if &change.planned != prior {
            let state = r
                .update(prior, &change.planned, &ctx)
                .await
                .expect("update");
            (state, "update")
        } else {
            (prior.clone(), "noop")
        }
    }

    pub async fn delete(&self, ty: &str, state: &Value) {
        self.resource(ty)
            .delete(state, &OpContext::silent())
            .await
            .unwrap_or_else(|e| panic!("delete {ty}: {e}"));
    }

    pub fn label_filter(&self) -> String {
        format!("label=labform-stack={}", self.name)
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        sweep(&self.name);
    }
}

/// Removes whatever carries the stack's label (containers, then networks, volumes, images).
pub fn sweep(stack: &str) {
    let filter = format!("label=labform-stack={stack}");
    let ids = docker_lines(&["ps", "-aq", "--filter", &filter]);
    if !ids.is_empty() {
        let mut args = vec!["rm", "-f"];
        args.extend(ids.iter().map(String::as_str));
        let _ = docker(&args);
    }
    for (kind, list) in [("network", "ls"), ("volume", "ls")] {
        let ids = docker_lines(&[kind, list, "-q", "--filter", &filter]);
        for id in ids {
            let _ = docker(&[kind, "rm", &id]);
        }
    }
    for id in docker_lines(&["image", "ls", "-q", "--filter", &filter]) {
        let _ = docker(&["image", "rm", "-f", &id]);
    }
}

/// Runs the docker CLI; Ok(stdout) or Err(stderr).
pub fn docker(args: &[&str]) -> Result<String, String> {
    let out = Command::new("docker")
        .args(args)
        .output()
        .expect("the docker CLI runs");
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

pub fn docker_lines(args: &[&str]) -> Vec<String> {
    docker(args)
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .filter(|l| !l.is_empty())
        .collect()
}

/// `docker inspect --format <fmt> <target>`.
pub fn inspect(target: &str, format: &str) -> String {
    docker(&["inspect", "--format", format, target])
        .unwrap_or_else(|e| panic!("docker inspect {target}: {e}"))
}

pub fn s(v: &str) -> Value {
    Value::from(v)
}

pub fn n(v: f64) -> Value {
    Value::Number(v)
}

pub fn list(items: &[&str]) -> Value {
    Value::List(items.iter().map(|i| Value::from(*i)).collect())
}

/// A set of strings as the engine hands it over: sorted, unique.
pub fn set(items: &[&str]) -> Value {
    Value::List(labform_sdk::types::normalize_set(
        items.iter().map(|i| Value::from(*i)).collect(),
    ))
}

pub fn block(pairs: Vec<(&str, Value)>) -> Value {
    Value::from_pairs(pairs)
}

/// A port block with the schema's defaults spelled out as the engine's conversion leaves them.
pub fn port(internal: u16, external: u16) -> Value {
    block(vec![
        ("internal", n(internal as f64)),
        ("external", n(external as f64)),
        ("ip", s("127.0.0.1")),
        ("protocol", Value::Null),
    ])
}

/// A free TCP port on 127.0.0.1 (the kernel picks it).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// A busybox container that sleeps, with `init` so it stops at once.
pub fn sleeper(stack: &Stack, name: &str, extra: Vec<(&str, Value)>) -> Value {
    let mut pairs = vec![
        ("name", s(name)),
        ("image", s(BUSYBOX)),
        ("command", list(&["sleep", "3600"])),
        ("init", Value::Bool(true)),
    ];
    pairs.extend(extra);
    stack.config("docker_container", pairs)
}

/// One nested block of `ty` as the engine hands it over: every attribute present, `pairs` set.
pub fn nested(stack: &Stack, ty: &str, block_name: &str, pairs: Vec<(&str, Value)>) -> Value {
    let r = stack.resource(ty);
    let nb = r
        .schema()
        .blocks
        .get(block_name)
        .unwrap_or_else(|| panic!("no block {block_name}"));
    let mut v = nb.block.empty_value();
    for (k, val) in pairs {
        v.set(k, val);
    }
    v
}
