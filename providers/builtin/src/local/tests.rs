//! local_file / local_sensitive_file through the provider and `Resource` trait on a temp stack
//! directory, checked with std::fs as a separate reader.

use std::fs;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::sync::Arc;

use labform_sdk::{ConfiguredProvider, OpContext, Provider, Resource, Value};

use super::LocalProvider;
use crate::test_stack::configured_in_temp_dir;

struct Stack {
    dir: tempfile::TempDir,
    provider: Arc<dyn ConfiguredProvider>,
    rt: tokio::runtime::Runtime,
}

impl Stack {
    fn new() -> Self {
        let (dir, provider, rt) = configured_in_temp_dir(&LocalProvider);
        Stack { dir, provider, rt }
    }

    fn res(&self, t: &str) -> Arc<dyn Resource> {
        self.provider.resource(t).expect("resource type")
    }

    fn path(&self, rel: &str) -> std::path::PathBuf {
        self.dir.path().join(rel)
    }

    fn config(&self, t: &str, pairs: &[(&str, Value)]) -> Value {
        let mut v = self.res(t).schema().empty_value();
        for (k, val) in pairs {
            v.set(*k, val.clone());
        }
        v
    }

    /// A `local_file` writing `content` to `filename`.
    fn text_file(&self, filename: &str, content: &str) -> Value {
        self.config(
            "local_file",
            &[("filename", filename.into()), ("content", content.into())],
        )
    }

    /// validate, plan a create, create.
    fn create(&self, t: &str, cfg: &Value) -> Value {
        let r = self.res(t);
        r.validate(cfg).expect("validate");
        let plan = r.plan(None, cfg).expect("plan");
        let state = self
            .rt
            .block_on(r.create(&plan.planned, &OpContext::silent()))
            .expect("create");
        assert!(state.is_wholly_known());
        state
    }

    /// [`Stack::create`] of the `t` that `pairs` configure.
    fn make(&self, t: &str, pairs: &[(&str, Value)]) -> Value {
        self.create(t, &self.config(t, pairs))
    }

    fn read(&self, t: &str, state: &Value) -> Option<Value> {
        self.rt.block_on(self.res(t).read(state)).expect("read")
    }
}

/// The permission bits a new file or directory really gets under this process's umask.
fn after_umask(dir: &Path, mode: u32) -> u32 {
    let probe = dir.join(".umask-probe");
    fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o777)
        .open(&probe)
        .expect("probe");
    let allowed = fs::metadata(&probe)
        .expect("probe metadata")
        .permissions()
        .mode()
        & 0o777;
    fs::remove_file(&probe).expect("remove probe");
    mode & allowed
}

fn mode_of(path: &Path) -> u32 {
    fs::metadata(path).expect("metadata").permissions().mode() & 0o777
}

#[test]
fn create_writes_content_permissions_and_checksums_relative_to_the_stack_dir() {
    let s = Stack::new();
    let state = s.make(
        "local_file",
        &[
            ("filename", "out/sub/hello.txt".into()),
            ("content", "hello\n".into()),
            ("file_permission", "0640".into()),
            ("directory_permission", "0750".into()),
        ],
    );
    let path = s.path("out/sub/hello.txt");
    assert_eq!(fs::read(&path).unwrap(), b"hello\n");
    assert_eq!(mode_of(&path), after_umask(s.dir.path(), 0o640));
    assert_eq!(
        mode_of(&s.path("out/sub")),
        after_umask(s.dir.path(), 0o750)
    );
    assert_eq!(mode_of(&s.path("out")), after_umask(s.dir.path(), 0o750));
    assert_eq!(
        state.str_attr("id"),
        Some("f572d396fae9206628714fb2ce00f72e94f2258f")
    );
    assert_eq!(
        state.str_attr("content_md5"),
        Some("b1946ac92492d2347c6235b4d2611184")
    );
    assert_eq!(
        state.get("filename"),
        &Value::from("out/sub/hello.txt"),
        "state keeps the configured name"
    );
    assert_eq!(s.read("local_file", &state), Some(state.clone()));
}

#[test]
fn plans_defaults_no_op_and_replace_on_every_attribute() {
    let s = Stack::new();
    let r = s.res("local_file");
    let cfg = s.text_file("a.txt", "x");
    let plan = r.plan(None, &cfg).unwrap();
    assert_eq!(plan.planned.get("file_permission"), &Value::from("0777"));
    assert_eq!(
        plan.planned.get("directory_permission"),
        &Value::from("0777")
    );
    assert_eq!(plan.planned.get("id"), &Value::Unknown);
    let state = s.create("local_file", &cfg);
    let same = r.plan(Some(&state), &cfg).unwrap();
    assert!(same.requires_replace.is_empty());
    assert_eq!(same.planned, state);
    for (attr, value) in [
        ("content", Value::from("y")),
        ("filename", "b.txt".into()),
        ("file_permission", "0600".into()),
        ("directory_permission", "0700".into()),
    ] {
        let mut changed = cfg.clone();
        changed.set(attr, value);
        let p = r.plan(Some(&state), &changed).unwrap();
        assert_eq!(p.requires_replace, vec![vec![attr.to_string()]]);
        assert_eq!(p.planned.get("id"), &Value::Unknown);
    }
}

#[test]
fn a_file_removed_or_edited_by_hand_reads_as_gone_and_is_re_created() {
    let s = Stack::new();
    let cfg = s.text_file("drift.txt", "v1");
    let state = s.create("local_file", &cfg);
    fs::write(s.path("drift.txt"), "edited").unwrap();
    assert_eq!(s.read("local_file", &state), None);
    fs::remove_file(s.path("drift.txt")).unwrap();
    assert_eq!(s.read("local_file", &state), None);
    let again = s.create("local_file", &cfg);
    assert_eq!(fs::read_to_string(s.path("drift.txt")).unwrap(), "v1");
    assert_eq!(again.get("id"), state.get("id"));
}

/// hashicorp/local's read only compares the file's SHA-1 with `id`: whatever else state records
/// (a Terraform state's checksums included) is kept as it is, not recomputed.
#[test]
fn read_of_an_unchanged_file_keeps_the_recorded_value() {
    let s = Stack::new();
    let cfg = s.text_file("kept.txt", "v1");
    let mut state = s.create("local_file", &cfg);
    state.set("content_md5", "recorded elsewhere".into());
    assert_eq!(s.read("local_file", &state), Some(state.clone()));
}

#[test]
fn delete_removes_the_file_and_leaves_directories() {
    let s = Stack::new();
    let cfg = s.text_file("d/x.txt", "x");
    let state = s.create("local_file", &cfg);
    let r = s.res("local_file");
    s.rt.block_on(r.delete(&state, &OpContext::silent()))
        .unwrap();
    assert!(!s.path("d/x.txt").exists());
    assert!(s.path("d").is_dir());
    s.rt.block_on(r.delete(&state, &OpContext::silent()))
        .expect("deleting a gone file succeeds");
}

#[test]
fn base64_and_source_give_the_exact_bytes() {
    let s = Stack::new();
    let bin = s.make(
        "local_file",
        &[
            ("filename", "bin".into()),
            ("content_base64", "AP8Q".into()),
        ],
    );
    assert_eq!(fs::read(s.path("bin")).unwrap(), vec![0x00, 0xff, 0x10]);
    assert_eq!(
        bin.str_attr("content_sha1").unwrap(),
        bin.str_attr("id").unwrap()
    );
    fs::write(s.path("template.txt"), "from source").unwrap();
    s.make(
        "local_file",
        &[
            ("filename", "copy.txt".into()),
            ("source", "template.txt".into()),
        ],
    );
    assert_eq!(
        fs::read_to_string(s.path("copy.txt")).unwrap(),
        "from source"
    );
    let r = s.res("local_file");
    let bad = s.config(
        "local_file",
        &[("filename", "bad".into()), ("content_base64", "AP8".into())],
    );
    let plan = r.plan(None, &bad).unwrap();
    assert!(s
        .rt
        .block_on(r.create(&plan.planned, &OpContext::silent()))
        .is_err());
    assert!(!s.path("bad").exists());
}

#[test]
fn an_existing_file_is_overwritten_and_keeps_its_mode() {
    let s = Stack::new();
    fs::write(s.path("old.txt"), "old content that is longer").unwrap();
    fs::set_permissions(s.path("old.txt"), fs::Permissions::from_mode(0o600)).unwrap();
    s.create("local_file", &s.text_file("old.txt", "new"));
    assert_eq!(fs::read_to_string(s.path("old.txt")).unwrap(), "new");
    assert_eq!(mode_of(&s.path("old.txt")), 0o600);
}

#[test]
fn validation_needs_exactly_one_source_and_octal_permissions() {
    let s = Stack::new();
    let r = s.res("local_file");
    // `filename = "f"` and `pairs`.
    let valid = |pairs: &[(&str, Value)]| {
        let mut cfg = s.config("local_file", &[("filename", "f".into())]);
        for (k, v) in pairs {
            cfg.set(*k, v.clone());
        }
        r.validate(&cfg).is_ok()
    };
    assert!(!valid(&[]), "no source");
    assert!(
        !valid(&[("content", "a".into()), ("source", "b".into())]),
        "two sources"
    );
    assert!(valid(&[("content", Value::Unknown)]), "content known later");
    assert!(
        !valid(&[("content", "a".into()), ("file_permission", "0999".into())]),
        "not octal"
    );
}

#[test]
fn read_of_an_interrupted_create_finds_the_file_by_its_content() {
    let s = Stack::new();
    let r = s.res("local_file");
    let cfg = s.text_file("i.txt", "data");
    let mut planned = r.plan(None, &cfg).unwrap().planned;
    for (k, v) in planned.as_object().unwrap().clone() {
        if v.is_unknown() {
            planned.set(k, Value::Null);
        }
    }
    assert_eq!(s.read("local_file", &planned), None, "nothing written yet");
    fs::write(s.path("i.txt"), "data").unwrap();
    let found = s
        .read("local_file", &planned)
        .expect("file with the planned content");
    assert!(found.is_wholly_known());
    assert_eq!(
        found.str_attr("id"),
        Some(crate::local::digest::sha1_hex(b"data").as_str())
    );
}

#[test]
fn local_sensitive_file_defaults_to_0700_and_hides_its_content() {
    let s = Stack::new();
    let r = s.res("local_sensitive_file");
    assert!(r.schema().is_sensitive("content") && r.schema().is_sensitive("content_base64"));
    assert!(!r.schema().is_sensitive("id"));
    assert!(!s.res("local_file").schema().is_sensitive("content"));
    let state = s.make(
        "local_sensitive_file",
        &[
            ("filename", "keys/secret".into()),
            ("content", "s3cret".into()),
        ],
    );
    assert_eq!(state.get("file_permission"), &Value::from("0700"));
    assert_eq!(
        mode_of(&s.path("keys/secret")),
        after_umask(s.dir.path(), 0o700)
    );
    assert_eq!(mode_of(&s.path("keys")), after_umask(s.dir.path(), 0o700));
}

#[test]
fn data_source_reads_content_and_checksums() {
    let s = Stack::new();
    fs::write(s.path("in.bin"), [b'h', b'i', 0xff]).unwrap();
    let d = s.provider.data_source("local_file").expect("data source");
    let mut cfg = d.schema().empty_value();
    cfg.set("filename", "in.bin".into());
    let v = s.rt.block_on(d.read(&cfg)).unwrap();
    assert_eq!(v.get("content"), &Value::from("hi\u{fffd}"));
    assert_eq!(v.get("content_base64"), &Value::from("aGn/"));
    assert_eq!(
        v.str_attr("id"),
        Some(crate::local::digest::sha1_hex(&[b'h', b'i', 0xff]).as_str())
    );
    cfg.set("filename", "missing".into());
    assert!(s.rt.block_on(d.read(&cfg)).is_err());
}

#[test]
fn schemas_list_exactly_terraforms_attributes() {
    let names = |schema: &labform_sdk::BlockSchema| {
        schema
            .attributes
            .keys()
            .cloned()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let sums = "content_base64sha256 content_base64sha512 content_md5 content_sha1 content_sha256 content_sha512";
    let resources = LocalProvider.resource_schemas();
    assert_eq!(
        names(&resources["local_file"]),
        format!("content content_base64 {sums} directory_permission file_permission filename id sensitive_content source")
    );
    assert_eq!(
        names(&resources["local_sensitive_file"]),
        format!(
            "content content_base64 {sums} directory_permission file_permission filename id source"
        )
    );
    let data = LocalProvider.data_source_schemas();
    assert_eq!(
        names(&data["local_file"]),
        format!("content content_base64 {sums} filename id")
    );
    let s = Stack::new();
    for (t, schema) in &resources {
        assert_eq!(s.res(t).schema(), schema);
        assert!(
            s.res(t)
                .schema()
                .attributes
                .values()
                .filter(|a| a.is_settable())
                .all(|a| a.force_new),
            "{t}"
        );
    }
}
