//! Teardown on Google Cloud (the Cloud Storage emulator), through the binary, read back with
//! curl: two stacks in directories with the same name never sweep each other's buckets, and
//! `-ttl` labels every bucket with an expiry that `sweep -expired -all` acts on by mark; an
//! apply killed with `kill -9` leaves a bucket that sweep finds once state is lost.

use std::process::Command;

use crate::common::{apply_expiring_and_kept, Stack};
use crate::gcp_stacks::bucket;
use crate::orphans::{killed_apply_orphans_are_found_by_sweep, Kind};

fn exists(name: &str) -> bool {
    !bucket(name).is_null()
}

fn bucket_stack(s: &Stack, dir: &str, name: &str) {
    let project = crate::kill_gcp::emulators().project;
    s.file(
        &format!("{dir}/main.tf"),
        &format!(
            "provider \"google\" {{\n  project = \"{project}\"\n}}\nresource \"google_storage_bucket\" \"b\" {{\n  name     = \"{name}\"\n  location = \"US\"\n}}\n"
        ),
    );
}

fn unique(s: &Stack) -> String {
    s.name().to_lowercase().replace(['.', '_'], "-")
}

#[test]
fn same_named_stacks_never_sweep_each_others_buckets_on_gcs() {
    let (a, b) = (Stack::new(), Stack::new());
    let dir = "terraform";
    let base = unique(&a);
    let (ba, bb) = (format!("{base}-a"), format!("{base}-b"));
    bucket_stack(&a, dir, &ba);
    bucket_stack(&b, dir, &bb);
    a.run(&["apply", "-auto-approve", dir]).ok();
    b.run(&["apply", "-auto-approve", dir]).ok();
    assert_ne!(
        bucket(&ba)["labels"]["labform-stack-id"],
        bucket(&bb)["labels"]["labform-stack-id"]
    );

    std::fs::remove_dir_all(a.path().join(dir).join(".labform")).unwrap();
    a.run(&["sweep", "-dry-run", dir])
        .ok()
        .stdout_has(&format!("google_storage_bucket `{ba}`"))
        .nowhere(&bb);
    b.run(&["sweep", "-dry-run", dir])
        .ok()
        .stdout_has("No leftovers");
    a.run(&["sweep", "-auto-approve", dir])
        .ok()
        .stdout_has("Sweep complete");
    assert!(!exists(&ba));
    assert!(exists(&bb), "A's sweep deleted B's bucket");
    b.run(&["destroy", "-auto-approve", dir])
        .ok()
        .stdout_has("Verified: nothing of stack terraform remains on google");
    assert!(!exists(&bb));
}

#[test]
fn an_expired_stack_without_state_is_swept_by_its_labels() {
    let (s, keep) = (Stack::new(), Stack::new());
    let base = unique(&s);
    let (gone, kept) = (format!("{base}-expired"), format!("{base}-kept"));
    bucket_stack(&s, "lab", &gone);
    bucket_stack(&keep, "lab", &kept);
    let recorded = apply_expiring_and_kept(&s, &keep, "lab");
    assert_eq!(
        bucket(&gone)["labels"]["labform-expires"].as_str(),
        Some(recorded.as_str())
    );
    std::fs::remove_dir_all(s.path().join("lab/.labform")).unwrap();

    let dry = keep.run(&["sweep", "-expired", "-all", "lab"]);
    dry.ok()
        .stdout_has(&format!("google_storage_bucket `{gone}`"))
        .stdout_has("Dry run: nothing deleted")
        .nowhere(&kept);
    assert!(exists(&gone), "a dry run deleted");
    keep.run(&["sweep", "-expired", "-all", "-auto-approve", "lab"])
        .ok()
        .stdout_has(&format!("deleted google_storage_bucket `{gone}`"));
    assert!(!exists(&gone));
    assert!(exists(&kept), "an unexpired stack was touched");
    keep.run(&["destroy", "-auto-approve", "lab"]).ok();
}

/// curl against the Cloud Storage emulator: `method` on `path`, with a JSON `body`.
fn storage(method: &str, path: &str, body: &str) {
    let url = format!("{}{path}", crate::kill_gcp::emulators().storage);
    let out = Command::new("curl")
        .args(["-sf", "-X", method, "-H", "Content-Type: application/json"])
        .args(["-d", body, &url])
        .output()
        .expect("curl");
    assert!(out.status.success(), "{method} {url}: {out:?}");
}

#[test]
fn an_apply_killed_mid_run_leaves_a_bucket_that_sweep_finds_once_state_is_lost() {
    let project = crate::kill_gcp::emulators().project;
    killed_apply_orphans_are_found_by_sweep(&Kind {
        provider: format!("provider \"google\" {{\n  project = \"{project}\"\n}}\n"),
        type_name: "google_storage_bucket",
        body: &|name| format!("  name     = \"{name}\"\n  location = \"US\"\n"),
        exists: &exists,
        make_foreign: &|name| {
            let bucket = serde_json::json!({"name": name, "labels": {"labform-stack": "lab"}});
            storage(
                "POST",
                &format!("/storage/v1/b?project={project}"),
                &bucket.to_string(),
            );
        },
        remove_foreign: &|name| storage("DELETE", &format!("/storage/v1/b/{name}"), ""),
    });
}
