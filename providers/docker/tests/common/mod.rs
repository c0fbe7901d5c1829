//! Shared test harness: a configured docker provider bound to a per-test stack, a plan/apply
//! helper that goes through the sdk traits as the engine does, and the `docker` CLI as the
//! separate client that checks results.

#![allow(dead_code)]

use std::process::Command;
use std::sync::Arc;

use labform_sdk::{
    ConfiguredProvider, OpContext, PlannedChange, ProviderContext, Resource, Result, Value,
};

pub const BUSYBOX: &str = "labform-test/busybox";

/// DOCKER_HOST, which the harness (`scripts/services/docker.sh`) always sets. Anything but a unix
/// socket or a 127.0.0.0/8 address fails the test here, before the first call to the engine.
pub fn docker_host() -> String {
    match std::env::var("DOCKER_HOST") {
        Ok(h) if !h.is_empty() => {
            if let Err(why) = local_engine(&h) {
                panic!("{why}");
            }
            h
        }
        _ => panic!(
            "DOCKER_HOST is not set: start the test engine with `scripts/services/docker.sh start /tmp/run && . /tmp/run/docker.env`"
        ),
    }
}

/// Ok when `host` is a unix socket or a tcp/http address on 127.0.0.0/8: tests never reach an
/// engine on another machine.
pub fn local_engine(host: &str) -> Result<(), String> {
    if host.starts_with("unix://") {
        return Ok(());
    }
    let rest = ["tcp://", "http://"]
        .iter()
        .find_map(|scheme| host.strip_prefix(scheme));
    let ip = rest
        .and_then(|r| r.split(['/', ':']).next())
        .and_then(|h| h.parse::<std::net::Ipv4Addr>().ok());
    match ip {
        Some(ip) if ip.is_loopback() => Ok(()),
        _ => Err(format!(
            "DOCKER_HOST={host} is neither a unix socket nor a 127.0.0.0/8 tcp address: tests never reach another engine"
        )),
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
        stack_id: labform_sdk::label_safe(&name),
        expires: None,
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

    /// A configuration of `ty` with only its `name` set.
    pub fn named(&self, ty: &str, name: &str) -> Value {
        self.config(ty, vec![("name", s(name))])
    }

    pub fn plan(&self, ty: &str, prior: Option<&Value>, config: &Value) -> PlannedChange {
        let r = self.resource(ty);
        r.validate(config)
            .unwrap_or_else(|e| panic!("validate failed: {e}"));
        r.plan(prior, config)
            .unwrap_or_else(|e| panic!("plan failed: {e}"))
    }

    /// Plans and creates; the state must be wholly known.
    pub async fn create(&self, ty: &str, config: &Value) -> Result<Value> {
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

    /// Reads `state` of a `ty` back, as a refresh does: `None` when the object is gone.
    pub async fn read(&self, ty: &str, state: &Value) -> Option<Value> {
        self.resource(ty)
            .read(state)
            .await
            .unwrap_or_else(|e| panic!("read {ty}: {e}"))
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

    /// A name of this test's own: `<stack>-<suffix>`.
    pub fn own_name(&self, suffix: &str) -> String {
        format!("{}-{suffix}", self.name)
    }

    /// [`Stack::create_named`] with [`Stack::own_name`]`(suffix)`: that name and the state.
    pub async fn create_own(&self, ty: &str, suffix: &str) -> (String, Value) {
        let name = self.own_name(suffix);
        let state = self.create_named(ty, &name).await;
        (name, state)
    }

    /// Creates a `ty` (a network or a volume) with only its `name` set; panics on an error.
    pub async fn create_named(&self, ty: &str, name: &str) -> Value {
        self.create(ty, &self.named(ty, name))
            .await
            .unwrap_or_else(|e| panic!("create {ty} `{name}`: {e}"))
    }

    /// The error creating a `ty` named `name` fails with (a name someone else holds).
    pub async fn create_refused(&self, ty: &str, name: &str) -> labform_sdk::ProviderError {
        self.create(ty, &self.named(ty, name))
            .await
            .expect_err("conflict")
    }

    /// What a sweep of this stack finds of `ty`.
    pub async fn marked(&self, ty: &str) -> Vec<Value> {
        let filter = labform_sdk::StackFilter::Stack {
            name: self.name.to_string(),
            id: labform_sdk::label_safe(&self.name),
        };
        self.resource(ty)
            .list_marked(&filter)
            .await
            .unwrap()
            .into_iter()
            .map(|m| m.value)
            .collect()
    }

    /// Writes `files` (name, content) into the build context `app/` of the stack's directory.
    pub fn build_context(&self, files: &[(&str, &str)]) {
        let dir = self.dir.path().join("app");
        std::fs::create_dir_all(&dir).unwrap();
        for (name, content) in files {
            std::fs::write(dir.join(name), content).unwrap();
        }
    }

    pub async fn delete(&self, ty: &str, state: &Value) {
        self.resource(ty)
            .delete(state, &OpContext::silent())
            .await
            .unwrap_or_else(|e| panic!("delete {ty}: {e}"));
    }

    /// Deletes `state` of `ty`; then `docker <inspect>` fails and a read finds nothing.
    pub async fn delete_until_gone(&self, ty: &str, state: &Value, inspect: &[&str]) {
        self.delete(ty, state).await;
        assert!(docker(inspect).is_err(), "still there: {inspect:?}");
        assert_eq!(self.resource(ty).read(state).await.unwrap(), None);
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
    docker_host();
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

/// Checks that `target`'s labels (`labels`: `.Labels`, or `.Config.Labels` for containers and
/// images) hold each `(key, value)` of `want`, as the docker CLI sees them.
pub fn assert_labels(target: &str, labels: &str, want: &[(&str, &str)]) {
    for (key, value) in want {
        let format = format!("{{{{index {labels} {key:?}}}}}");
        assert_eq!(inspect(target, &format), *value, "label `{key}`");
    }
}

/// Checks that `err` refuses to take over an object of the user's: its message says `what` and
/// that labform did not create the object, its hint holds `hint`.
pub fn assert_foreign_refused(err: &labform_sdk::ProviderError, what: &str, hint: &str) {
    assert!(err.message.contains(what), "{err}");
    assert!(err.message.contains("not created by labform"), "{err}");
    assert!(
        err.hint.as_deref().unwrap_or_default().contains(hint),
        "{err}"
    );
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

/// [`sleeper`] named after the stack (`<stack>-c`): a test's one container.
pub fn stack_sleeper(stack: &Stack, extra: Vec<(&str, Value)>) -> Value {
    sleeper(stack, &format!("{}-c", stack.name), extra)
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

/// A container's `volumes` block mounting the named volume `volume_name` at `container_path`.
pub fn volume_mount(stack: &Stack, volume_name: &str, container_path: &str) -> Value {
    nested(
        stack,
        "docker_container",
        "volumes",
        vec![
            ("volume_name", s(volume_name)),
            ("container_path", s(container_path)),
        ],
    )
}

/// An engine value with every unknown made null, as the engine records a create's intent.
pub fn intent_of(v: &Value) -> Value {
    match v {
        Value::Unknown => Value::Null,
        Value::List(items) => Value::List(items.iter().map(intent_of).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), intent_of(v))).collect())
        }
        other => other.clone(),
    }
}

/// A fresh create token (unique per process and call).
pub fn token(tag: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{tag}-{}-{nanos}", std::process::id())
}

/// How `find_interrupted` finds the object of an interrupted create.
#[derive(Clone, Copy, PartialEq)]
pub enum FoundBy {
    /// The per-instance mark the create wrote: another token finds nothing.
    Token,
    /// Its name alone (an image carries no mark of its own).
    Name,
}

/// The docker CLI's object kind of the resource type `ty`: `container`, `network`, `volume`
/// or `image`.
pub fn cli_kind(ty: &str) -> &str {
    ty.strip_prefix("docker_").unwrap_or(ty)
}

/// The objects of `kind` carrying the stack's mark, as the docker CLI lists them.
pub fn cli_ids(st: &Stack, kind: &str) -> Vec<String> {
    let filter = st.label_filter();
    match kind {
        "container" => docker_lines(&["ps", "-aq", "--no-trunc", "--filter", &filter]),
        "volume" => docker_lines(&["volume", "ls", "-q", "--filter", &filter]),
        _ => docker_lines(&[kind, "ls", "-q", "--no-trunc", "--filter", &filter]),
    }
}

/// The "interrupted create is adopted" template every type's test calls: a create carrying a
/// token whose result is thrown away (the run was killed before state recorded it), then
/// `find_interrupted` with the intent finds the same object; another token finds nothing where
/// the lookup is by token; the docker CLI sees exactly one object and the mark on it; the value
/// found reads back the same and plans no replacement. Returns the state found.
pub async fn interrupted_create_is_adopted(
    st: &Stack,
    ty: &str,
    config: &Value,
    by: FoundBy,
) -> Value {
    let kind = cli_kind(ty);
    let r = st.resource(ty);
    let planned = st.plan(ty, None, config).planned;
    let intent = intent_of(&planned);
    let tok = token(kind);
    let ctx = OpContext::silent().with_create_token(tok.as_str());
    let made = r
        .create(&planned, &ctx)
        .await
        .unwrap_or_else(|e| panic!("create {ty}: {e}"));
    let id = made.str_attr("id").expect("id").to_string();
    drop(made);

    let found = r
        .find_interrupted(&intent, &tok)
        .await
        .unwrap_or_else(|e| panic!("find_interrupted {ty}: {e}"))
        .unwrap_or_else(|| panic!("the interrupted create of {ty} was not found"));
    assert_eq!(found.str_attr("id"), Some(id.as_str()), "same object");
    assert!(found.is_wholly_known(), "{found}");
    assert!(
        !found.to_string().contains(labform_sdk::INSTANCE_KEY),
        "the per-instance mark never reaches state: {found}"
    );
    if by == FoundBy::Token {
        let other = r
            .find_interrupted(&intent, &token("other"))
            .await
            .expect("lookup with another token");
        assert_eq!(other, None, "another token finds nothing");
        let target = if kind == "container" {
            ".Config.Labels"
        } else {
            ".Labels"
        };
        assert_eq!(
            inspect(
                &id,
                &format!("{{{{index {target} \"{}\"}}}}", labform_sdk::INSTANCE_KEY)
            ),
            tok,
            "the create call wrote the per-instance mark"
        );
    }
    let seen = cli_ids(st, kind);
    assert_eq!(
        seen.len(),
        1,
        "the docker CLI sees exactly one {kind}: {seen:?}"
    );
    assert!(
        seen[0].contains(id.trim_start_matches("sha256:").get(..12).unwrap_or(&id)),
        "the CLI's object is the one found: {seen:?} vs {id}"
    );
    let read = r.read(&found).await.expect("read").expect("exists");
    assert_eq!(read, found, "adopted state reads back unchanged");
    let change = st.plan(ty, Some(&found), config);
    assert!(
        change.requires_replace.is_empty(),
        "adopting plans no replacement: {:?}",
        change.requires_replace
    );
    found
}
