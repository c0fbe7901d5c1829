//! archive_file through the provider traits on temporary stack directories; every archive is
//! read back by python's `zipfile` and hashed by `sha256sum` / `md5sum` (separate clients).

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use labform_sdk::{ConfiguredProvider, OpContext, Value};

use super::ArchiveProvider;
use crate::test_stack::configured_in_temp_dir;

pub(super) struct Stack {
    pub(super) dir: tempfile::TempDir,
    provider: Arc<dyn ConfiguredProvider>,
    rt: tokio::runtime::Runtime,
}

impl Stack {
    pub(super) fn new() -> Self {
        let (dir, provider, rt) = configured_in_temp_dir(&ArchiveProvider);
        Stack { dir, provider, rt }
    }

    pub(super) fn file(&self, rel: &str, content: &str, mode: u32) {
        let path = self.dir.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, content).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
    }

    pub(super) fn config(&self, pairs: &[(&str, Value)]) -> Value {
        let mut v = self
            .provider
            .data_source("archive_file")
            .unwrap()
            .schema()
            .empty_value();
        v.set("type", "zip".into());
        v.set("output_path", "out/a.zip".into());
        for (k, val) in pairs {
            v.set(*k, val.clone());
        }
        v
    }

    pub(super) fn data(&self, cfg: &Value) -> Result<Value, String> {
        let d = self.provider.data_source("archive_file").unwrap();
        self.rt.block_on(d.read(cfg)).map_err(|e| e.to_string())
    }

    /// Reads the data source [`Stack::config`] makes of `pairs`; panics on an error.
    pub(super) fn archive(&self, pairs: &[(&str, Value)]) -> Value {
        self.data(&self.config(pairs))
            .unwrap_or_else(|e| panic!("archive_file: {e}"))
    }

    /// The error reading the data source [`Stack::config`] makes of `pairs` fails with.
    pub(super) fn refusal(&self, pairs: &[(&str, Value)]) -> String {
        self.data(&self.config(pairs)).unwrap_err()
    }

    /// [`unzip`] of the archive written.
    fn entries(&self) -> Vec<String> {
        unzip(&self.dir.path().join("out/a.zip"))
    }

    pub(super) fn zip_bytes(&self) -> Vec<u8> {
        fs::read(self.dir.path().join("out/a.zip")).expect("archive written")
    }
}

/// `name|content|date_time|unix mode (octal)|compress_type` for every entry, in order.
fn unzip(path: &Path) -> Vec<String> {
    let python = std::env::var("LABFORM_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = r#"
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    assert z.testzip() is None
    for i in z.infolist():
        print("%s|%s|%s|%o|%d" % (i.filename, z.read(i).decode().encode("unicode_escape").decode(), "-".join(map(str, i.date_time)), i.external_attr >> 16, i.compress_type))
"#;
    let out = Command::new(python)
        .args(["-c", script])
        .arg(path)
        .output()
        .expect("python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(String::from)
        .collect()
}

fn digest(tool: &str, path: &Path) -> String {
    let out = Command::new(tool).arg(path).output().expect(tool);
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string()
}

fn lambda_dir(s: &Stack) {
    s.file("src/main.py", "print('hi')\n", 0o644);
    s.file("src/run.sh", "#!/bin/sh\n", 0o755);
    s.file("src/lib/util.py", "x = 1\n", 0o444);
    s.file("src/lib/cache.pyc", "junk", 0o644);
    s.file("src/a.txt", "a\n", 0o600);
}

#[test]
fn source_dir_entries_order_modes_and_fixed_date() {
    let s = Stack::new();
    lambda_dir(&s);
    let state = s.archive(&[
        ("source_dir", "src".into()),
        ("excludes", Value::List(vec!["**/*.pyc".into()])),
    ]);
    let zip = s.dir.path().join("out/a.zip");
    assert_eq!(
        unzip(&zip),
        [
            "a.txt|a\\n|2049-1-1-0-0-0|100600|8",
            "lib/util.py|x = 1\\n|2049-1-1-0-0-0|100444|8",
            "main.py|print('hi')\\n|2049-1-1-0-0-0|100644|8",
            "run.sh|#!/bin/sh\\n|2049-1-1-0-0-0|100755|8",
        ]
    );
    assert_eq!(
        state.str_attr("output_sha256"),
        Some(digest("sha256sum", &zip).as_str())
    );
    assert_eq!(
        state.str_attr("output_md5"),
        Some(digest("md5sum", &zip).as_str())
    );
    assert_eq!(
        state.str_attr("output_sha"),
        Some(digest("sha1sum", &zip).as_str())
    );
    assert_eq!(state.str_attr("id"), state.str_attr("output_sha"));
    assert_eq!(
        state.str_attr("output_sha512"),
        Some(digest("sha512sum", &zip).as_str())
    );
    assert_eq!(
        state.get("output_size"),
        &Value::Number(fs::metadata(&zip).unwrap().len() as f64)
    );
    let b64 = state.str_attr("output_base64sha256").unwrap();
    let raw = crate::encode::decode_b64_std(b64).unwrap();
    assert_eq!(crate::encode::hex(&raw), digest("sha256sum", &zip));
}

#[test]
fn same_bytes_whatever_the_mtimes_and_across_runs() {
    let s = Stack::new();
    lambda_dir(&s);
    let cfg = s.config(&[("source_dir", "src".into())]);
    let first = s.data(&cfg).unwrap();
    let bytes = s.zip_bytes();
    // Touch every file with a different modification time, then build again.
    for f in ["src/main.py", "src/run.sh", "src/lib/util.py", "src/a.txt"] {
        let path = s.dir.path().join(f);
        let out = Command::new("touch")
            .args(["-d", "2001-02-03 04:05:06"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(out.status.success());
    }
    let second = s.data(&cfg).unwrap();
    assert_eq!(s.zip_bytes(), bytes);
    assert_eq!(first, second);
    // A copy of the tree elsewhere (another machine, another path) gives the same bytes.
    let other = Stack::new();
    lambda_dir(&other);
    let third = other.archive(&[("source_dir", "src".into())]);
    assert_eq!(
        third.get("output_base64sha256"),
        first.get("output_base64sha256")
    );
}

#[test]
fn content_sources_and_output_file_mode() {
    let s = Stack::new();
    s.archive(&[
        ("source_content", "hello".into()),
        ("source_content_filename", "dir/hello.txt".into()),
    ]);
    assert_eq!(s.entries(), ["dir/hello.txt|hello|1980-0-0-0-0-0|0|8"]);
    let block =
        |f: &str, c: &str| Value::from_pairs([("filename", f.into()), ("content", c.into())]);
    s.archive(&[(
        "source",
        Value::List(vec![block("z.txt", "last"), block("a.txt", "first")]),
    )]);
    assert_eq!(
        s.entries(),
        [
            "a.txt|first|1980-0-0-0-0-0|0|8",
            "z.txt|last|1980-0-0-0-0-0|0|8"
        ]
    );
    s.file("one.txt", "1", 0o600);
    s.archive(&[
        ("source_file", "one.txt".into()),
        ("output_file_mode", "0666".into()),
    ]);
    assert_eq!(s.entries(), ["one.txt|1|2049-1-1-0-0-0|100666|8"]);
}

#[test]
fn symlinked_directories_are_followed_or_excluded() {
    let s = Stack::new();
    s.file("shared/common.py", "c\n", 0o644);
    s.file("src/main.py", "m\n", 0o644);
    std::os::unix::fs::symlink(s.dir.path().join("shared"), s.dir.path().join("src/common"))
        .unwrap();
    s.archive(&[("source_dir", "src".into())]);
    let names: Vec<String> = s
        .entries()
        .iter()
        .map(|l| l.split('|').next().unwrap().to_string())
        .collect();
    assert_eq!(names, ["common/common.py", "main.py"]);
    // As in hashicorp/archive (Go's filepath.Walk), skipping the link also skips what follows it
    // in the same directory: here `main.py`, so the archive would be empty.
    let err = s
        .data(&s.config(&[
            ("source_dir", "src".into()),
            ("exclude_symlink_directories", Value::Bool(true)),
        ]))
        .err();
    assert!(err.is_none_or(|e| e.contains("empty")));
}

#[test]
fn errors_name_the_missing_source_and_bad_arguments() {
    let s = Stack::new();
    let err = s.refusal(&[("source_file", "lambda/nope.py".into())]);
    assert!(
        err.contains("could not archive missing file: `lambda/nope.py`"),
        "{err}"
    );
    let err = s.refusal(&[("source_dir", "nodir".into())]);
    assert!(
        err.contains("could not archive missing directory: `nodir`"),
        "{err}"
    );
    s.file("src/x.pyc", "x", 0o644);
    let err = s.refusal(&[
        ("source_dir", "src".into()),
        ("excludes", Value::List(vec!["*.pyc".into()])),
    ]);
    assert!(err.contains("would be empty"), "{err}");
    let mut cfg = s.config(&[
        ("source_content", "x".into()),
        ("source_content_filename", "x".into()),
    ]);
    cfg.set("type", "tar.gz".into());
    assert!(s.data(&cfg).unwrap_err().contains("tar.gz"));
    cfg.set("type", "rar".into());
    assert!(s
        .data(&cfg)
        .unwrap_err()
        .contains("archive type not supported: `rar`"));
    let err = s.refusal(&[("source_file", "a".into()), ("source_dir", "b".into())]);
    assert!(
        err.contains("`source_file` cannot be used with `source_dir`"),
        "{err}"
    );
    let err = s.refusal(&[]);
    assert!(err.contains("needs one of"), "{err}");
    let err = s.refusal(&[
        ("source_file", "a".into()),
        ("output_file_mode", "rw".into()),
    ]);
    assert!(err.contains("output_file_mode"), "{err}");
}

#[test]
fn output_file_mode_reads_like_go_parse_uint_base_0() {
    use super::source::file_mode;
    assert_eq!(file_mode("0644").unwrap(), 0o644);
    assert_eq!(file_mode("0o755").unwrap(), 0o755);
    assert_eq!(file_mode("0x1ff").unwrap(), 0o777);
    // Decimal 644 is 0o1204: only the permission bits 0o204 reach the entry.
    assert_eq!(file_mode("644").unwrap(), 0o204);
    assert!(file_mode("0689").is_err());
    assert!(file_mode("").is_err());
}

#[test]
fn resource_plans_clean_rebuilds_on_read_and_replaces_on_change() {
    let s = Stack::new();
    lambda_dir(&s);
    let r = s.provider.resource("archive_file").unwrap();
    let cfg = s.config(&[("source_dir", "src".into())]);
    r.validate(&cfg).unwrap();
    let plan = r.plan(None, &cfg).unwrap();
    assert!(plan.planned.get("output_base64sha256").is_unknown());
    let state =
        s.rt.block_on(r.create(&plan.planned, &OpContext::silent()))
            .unwrap();
    assert!(state.is_wholly_known());
    let again = r.plan(Some(&state), &cfg).unwrap();
    assert!(again.requires_replace.is_empty());
    assert_eq!(again.planned, state, "no diff after apply");
    // The file is removed: a refresh writes it again with the same checksums.
    fs::remove_file(s.dir.path().join("out/a.zip")).unwrap();
    let read = s.rt.block_on(r.read(&state)).unwrap().unwrap();
    assert_eq!(read, state);
    let changed = s.config(&[
        ("source_dir", "src".into()),
        ("output_path", "out/b.zip".into()),
    ]);
    let plan = r.plan(Some(&state), &changed).unwrap();
    assert_eq!(plan.requires_replace, vec![vec!["output_path".to_string()]]);
}
