//! A small builder for running the binary on a stack: write files, run, check the outcome.
// Some helpers serve only the provider tests, which a build without them leaves out.
#![cfg_attr(
    not(any(feature = "aws", feature = "docker", feature = "gcp")),
    allow(dead_code)
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub struct Stack {
    dir: tempfile::TempDir,
}

/// What one run printed and how it exited.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Asserts the exit code, showing both streams when it differs.
    #[track_caller]
    pub fn code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "unexpected exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn ok(&self) -> &Run {
        self.code(0)
    }

    #[track_caller]
    pub fn stdout_has(&self, text: &str) -> &Run {
        assert!(
            self.stdout.contains(text),
            "stdout lacks {text:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    #[track_caller]
    pub fn stderr_has(&self, text: &str) -> &Run {
        assert!(
            self.stderr.contains(text),
            "stderr lacks {text:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    #[track_caller]
    pub fn nowhere(&self, text: &str) -> &Run {
        assert!(
            !self.stdout.contains(text) && !self.stderr.contains(text),
            "{text:?} was printed\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }
}

pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_labform"))
}

impl Stack {
    pub fn new() -> Stack {
        Stack {
            dir: tempfile::Builder::new()
                .prefix("labform-test-")
                .tempdir()
                .expect("temp dir"),
        }
    }

    /// A stack with one file, `main.tf`.
    pub fn with(main_tf: &str) -> Stack {
        let s = Stack::new();
        s.file("main.tf", main_tf);
        s
    }

    pub fn file(&self, name: &str, content: &str) -> &Stack {
        let p = self.dir.path().join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(p, content).expect("write file");
        self
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(name)).unwrap_or_default()
    }

    /// The command, run inside the stack directory with no terminal and a clean environment.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(binary());
        c.args(args)
            .current_dir(self.dir.path())
            .stdin(Stdio::null());
        for (k, _) in std::env::vars() {
            if k.starts_with("TF_VAR_") {
                c.env_remove(k);
            }
        }
        hermetic(&mut c);
        // Where labform notes its stacks' directories: this test's own, never the home's.
        c.env("LABFORM_DATA_DIR", self.dir.path().join(".labform-data"));
        c
    }

    pub fn run(&self, args: &[&str]) -> Run {
        Run::from(self.command(args).output().expect("run labform"))
    }

    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut c = self.command(args);
        for (k, v) in env {
            c.env(k, v);
        }
        Run::from(c.output().expect("run labform"))
    }

    /// The recorded state as JSON.
    pub fn state(&self) -> serde_json::Value {
        let text = self.read(".labform/state.json");
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
    }

    /// Instance addresses recorded in state, via `state list` (a separate read of the state).
    pub fn state_list(&self) -> Vec<String> {
        let r = self.run(&["state", "list"]);
        r.ok();
        r.stdout.lines().map(str::to_string).collect()
    }
}

/// An environment variable the test harness sets; its absence fails the test with the reason.
/// An endpoint variable must name a loopback address.
pub fn harness_env(name: &str) -> String {
    let value = std::env::var(name)
        .unwrap_or_else(|_| panic!("{name} is not set: run the tests through scripts/test.sh"));
    if ENDPOINT_VARS.contains(&name) {
        assert_loopback(name, &value);
    }
    value
}

/// The variables that point a provider at its API: in tests each must be on 127.0.0.0/8.
const ENDPOINT_VARS: [&str; 4] = [
    "AWS_ENDPOINT_URL",
    "STORAGE_EMULATOR_HOST",
    "BIGQUERY_EMULATOR_HOST",
    "DOCKER_HOST",
];

/// Nothing a test runs may reach a real cloud: an endpoint variable that names another address
/// fails the test before the binary starts, and one that is unset points at a closed loopback
/// port, so a provider the test did not mean to use fails at once instead of calling out. Real
/// credentials files are hidden the same way.
fn hermetic(c: &mut Command) {
    for name in ENDPOINT_VARS {
        match std::env::var(name) {
            Ok(value) => assert_loopback(name, &value),
            Err(_) if name == "DOCKER_HOST" => {
                c.env(name, "tcp://127.0.0.1:9");
            }
            Err(_) => {
                c.env(name, "http://127.0.0.1:9");
            }
        }
    }
    c.env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env_remove("GOOGLE_APPLICATION_CREDENTIALS");
}

/// Fails the test unless `value` (a URL, `host:port` or a unix socket) is on 127.0.0.0/8.
#[track_caller]
pub fn assert_loopback(name: &str, value: &str) {
    if value.starts_with("unix://") || value.starts_with('/') {
        return;
    }
    let rest = value.split_once("://").map_or(value, |(_, r)| r);
    let host = rest.split(['/', ':']).next().unwrap_or("");
    let loopback = host
        .parse::<std::net::Ipv4Addr>()
        .is_ok_and(|ip| ip.is_loopback());
    assert!(
        loopback,
        "{name}={value} is not a 127.0.0.0/8 address: tests never reach a real endpoint \
         (run them through scripts/test.sh)"
    );
}

/// A copy of `stacks/<name>` (with its data files) in a fresh directory, whose name is the
/// stack's `labform-stack` mark.
pub fn copy_stack(name: &str) -> Stack {
    let s = Stack::new();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("stacks")
            .join(name),
        s.path(),
    );
    s
}

fn copy_dir(src: &Path, dst: &Path) {
    for entry in std::fs::read_dir(src).expect("stack dir") {
        let p = entry.expect("entry").path();
        let file_name = p.file_name().expect("file name");
        // Never carry a local run's state (`.labform/`) or outputs along.
        if file_name.to_string_lossy().starts_with('.') || file_name == "out" {
            continue;
        }
        let to = dst.join(file_name);
        if p.is_dir() {
            std::fs::create_dir_all(&to).expect("mkdir");
            copy_dir(&p, &to);
        } else {
            std::fs::copy(&p, &to).expect("copy");
        }
    }
}

impl Stack {
    /// The stack's name: its directory's name.
    pub fn name(&self) -> String {
        self.path()
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default()
    }
}

/// The expiry state records for the stack in `dir` (`labform.expires`), if any.
pub fn recorded_expiry(s: &Stack, dir: &str) -> Option<String> {
    let text = s.read(&format!("{dir}/.labform/state.json"));
    let state: serde_json::Value = serde_json::from_str(&text).ok()?;
    state["labform"]["expires"].as_str().map(str::to_string)
}

/// Applies `dir` in `expiring` with a one-second ttl and in `kept` with two hours, then waits
/// until the first has expired (expiry marks have whole seconds); returns the first's expiry.
pub fn apply_expiring_and_kept(expiring: &Stack, kept: &Stack, dir: &str) -> String {
    expiring
        .run(&["apply", "-auto-approve", "-ttl", "1s", dir])
        .ok();
    kept.run(&["apply", "-auto-approve", "-ttl", "2h", dir])
        .ok();
    let_expire();
    recorded_expiry(expiring, dir).expect("the expiry is recorded in state")
}

/// Waits until a mark written with a one-second ttl has passed.
pub fn let_expire() {
    std::thread::sleep(std::time::Duration::from_millis(2100));
}
