//! Expiry and verified destroy on Docker, through the binary, read back with the `docker` CLI:
//! `-ttl`, `LABFORM_TTL` and `labform { ttl }` mark every object and state; `sweep -expired`
//! destroys only expired stacks (through state, the stack here's or, with `-all`, another
//! stack's whose directory this machine knows, else by mark), so a stack renewed after its
//! Docker objects were labelled is kept; its dry run changes nothing; `destroy` reports a marked object that state does not know and exits 1.

use std::process::Command;

use crate::common::{let_expire, recorded_expiry, Stack};

fn docker(args: &[&str]) -> Option<String> {
    let out = Command::new("docker").args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn volume_exists(name: &str) -> bool {
    docker(&["volume", "inspect", name]).is_some()
}

fn label(kind: &str, name: &str, key: &str) -> String {
    docker(&[
        kind,
        "inspect",
        name,
        "--format",
        &format!("{{{{index .Labels \"{key}\"}}}}"),
    ])
    .unwrap_or_default()
}

fn stack_id(s: &Stack, dir: &str) -> String {
    let text = s.read(&format!("{dir}/.labform/state.json"));
    let state: serde_json::Value = serde_json::from_str(&text).expect("state");
    state["labform"]["stack_id"]
        .as_str()
        .expect("id")
        .to_string()
}

fn volume_stack(s: &Stack, dir: &str, volume: &str, settings: &str) {
    s.file(
        &format!("{dir}/main.tf"),
        &format!("{settings}\nresource \"docker_volume\" \"v\" {{\n  name = \"{volume}\"\n}}\n"),
    );
}

#[test]
fn ttl_marks_every_object_and_state_and_later_applies_keep_or_clear_it() {
    let s = Stack::new();
    let n = s.name().to_lowercase();
    let (vol, net) = (format!("{n}-v"), format!("{n}-n"));
    s.file(
        "lab/main.tf",
        &format!(
            "labform {{\n  ttl = \"2h\"\n}}\nresource \"docker_volume\" \"v\" {{\n  name = \"{vol}\"\n}}\nresource \"docker_network\" \"n\" {{\n  name = \"{net}\"\n}}\n"
        ),
    );
    s.run(&["apply", "-auto-approve", "lab"]).ok();
    let first = recorded_expiry(&s, "lab").expect("the block's ttl is recorded");
    assert_eq!(first.len(), 16, "{first}");
    assert_eq!(label("volume", &vol, "labform-expires"), first);
    assert_eq!(label("network", &net, "labform-expires"), first);
    s.run(&["status", "lab"]).ok().stdout_has("(in 1h 5");
    // Found by its labels from a directory that names no provider: the local engine is
    // searched without one.
    s.file("admin/main.tf", "");
    let id = stack_id(&s, "lab");
    let out = s.run(&["status", "-all", "-json", "admin"]);
    out.ok();
    let all: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let lab = all["stacks"]
        .as_array()
        .expect("stacks")
        .iter()
        .find(|st| st["stack_id"] == id.as_str())
        .unwrap_or_else(|| panic!("stack {id} not in status -all: {all}"));
    let mut objects: Vec<&str> = lab["objects"]
        .as_array()
        .expect("objects")
        .iter()
        .filter_map(|o| o["address"].as_str())
        .collect();
    objects.sort_unstable();
    assert_eq!(
        objects,
        [
            format!("docker_network.{net}"),
            format!("docker_volume.{vol}")
        ]
    );
    // `20261204t183000z` as RFC 3339.
    let f = |r: std::ops::Range<usize>| &first[r];
    let expires = format!(
        "{}-{}-{}T{}:{}:{}Z",
        f(0..4),
        f(4..6),
        f(6..8),
        f(9..11),
        f(11..13),
        f(13..15)
    );
    for o in lab["objects"].as_array().expect("objects") {
        assert_eq!(o["per_hour"], 0.0, "{o}");
        assert_eq!(o["expires_at"], expires.as_str(), "{o}");
        // Since when, as the engine says: made by this test's apply, minutes ago.
        let made = o["created_at"].as_str().unwrap_or_else(|| panic!("{o}"));
        let made = chrono::DateTime::parse_from_rfc3339(made).expect("RFC 3339");
        let age = chrono::Utc::now().signed_duration_since(made);
        assert!(age.num_minutes() < 30 && age.num_seconds() >= -5, "{o}");
    }
    s.run(&["status", "-all", "admin"])
        .ok()
        .stdout_has(&format!("Stack `lab` (id {id}): 2 objects found by mark."))
        .stdout_has("(in 1h 5");

    // A later apply without -ttl keeps the recorded expiry and changes nothing.
    s.run(&["apply", "-auto-approve", "lab"])
        .ok()
        .stdout_has("No changes");
    assert_eq!(recorded_expiry(&s, "lab").as_deref(), Some(first.as_str()));

    // LABFORM_TTL renews it; -ttl wins over it; -ttl none clears it.
    s.run_env(&["apply", "-auto-approve", "lab"], &[("LABFORM_TTL", "1h")])
        .ok();
    let from_env = recorded_expiry(&s, "lab").expect("env ttl");
    assert!(
        from_env < first,
        "1h from now is before 2h from then: {from_env} {first}"
    );
    s.run_env(
        &["apply", "-auto-approve", "-ttl", "3h", "lab"],
        &[("LABFORM_TTL", "1h")],
    )
    .ok();
    let from_flag = recorded_expiry(&s, "lab").expect("flag ttl");
    assert!(from_flag > first, "the flag's 3h wins: {from_flag} {first}");
    s.run(&["apply", "-auto-approve", "-ttl", "none", "lab"])
        .ok();
    assert_eq!(recorded_expiry(&s, "lab"), None);
    // Docker labels cannot change without replacing the object: it keeps the expiry it was
    // made with, and was not replaced.
    assert_eq!(label("volume", &vol, "labform-expires"), first);

    s.run(&["apply", "-ttl", "3 days", "lab"])
        .code(1)
        .stderr_has("invalid ttl `3 days`")
        .stderr_has("(from `-ttl`)");
    s.run(&["destroy", "-auto-approve", "lab"])
        .ok()
        .stdout_has("Verified: nothing of stack lab remains on docker");
    assert!(!volume_exists(&vol));
}

#[test]
fn sweep_expired_destroys_only_expired_stacks() {
    let s = Stack::new();
    let n = s.name().to_lowercase();
    let (old, fresh, plain, lost) = (
        format!("{n}-old"),
        format!("{n}-fresh"),
        format!("{n}-plain"),
        format!("{n}-lost"),
    );
    volume_stack(&s, "old", &old, "");
    volume_stack(&s, "fresh", &fresh, "");
    volume_stack(&s, "plain", &plain, "");
    volume_stack(&s, "lost", &lost, "");
    // Renewed after its objects were made: Docker keeps the labels an object was made with,
    // so its volume's mark says expired while its state says two hours.
    let renewed = format!("{n}-renewed");
    volume_stack(&s, "renewed", &renewed, "");
    s.run(&["apply", "-auto-approve", "-ttl", "1s", "renewed"])
        .ok();
    s.run(&["apply", "-auto-approve", "-ttl", "2h", "renewed"])
        .ok();
    // Expired, with its state in its own directory: destroyed through that state from here.
    let away = format!("{n}-away");
    volume_stack(&s, "away", &away, "");
    s.run(&["apply", "-auto-approve", "-ttl", "1s", "away"])
        .ok();
    s.run(&["apply", "-auto-approve", "-ttl", "1s", "old"]).ok();
    s.run(&["apply", "-auto-approve", "-ttl", "2h", "fresh"])
        .ok();
    s.run(&["apply", "-auto-approve", "plain"]).ok();
    s.run(&["apply", "-auto-approve", "-ttl", "1s", "lost"])
        .ok();
    // An object labform did not make, with an expiry label on it: never touched.
    let unmarked = format!("{n}-unmarked");
    docker(&[
        "volume",
        "create",
        "--label",
        "labform-expires=20200101t000000z",
        "--label",
        "labform-stack=old",
        &unmarked,
    ])
    .expect("volume create");
    let_expire();
    let everything = [&old, &fresh, &plain, &lost, &unmarked, &renewed, &away];

    // Dry run (no -auto-approve, no terminal): lists the expired stacks, deletes nothing.
    let dry = s.run(&["sweep", "-expired", "-all", "fresh"]);
    dry.ok()
        .stdout_has("stack `old` (id ")
        .stdout_has("stack `away` (id ")
        .stdout_has("stack `lost` (id ")
        .stdout_has("Dry run: nothing deleted")
        .stdout_has("destroyed through its state:\n  - docker_volume.v")
        .nowhere(&format!("`{renewed}`"))
        .nowhere(&format!("`{fresh}`"))
        .nowhere(&format!("`{plain}`"))
        .nowhere(&unmarked);
    assert!(
        everything.iter().all(|v| volume_exists(v)),
        "a dry run deleted"
    );

    // The unexpired stack here: nothing to do.
    s.run(&["sweep", "-expired", "-auto-approve", "fresh"])
        .ok()
        .stdout_has("No expired stacks: stack `fresh` expires");
    s.run(&["sweep", "-expired", "-auto-approve", "plain"])
        .ok()
        .stdout_has("has no expiry");
    assert!(everything.iter().all(|v| volume_exists(v)));

    // The expired stack here goes through its state, with the destroy's read-back.
    s.run(&["sweep", "-expired", "-auto-approve", "old"])
        .ok()
        .stdout_has("through its state")
        .stdout_has("Verified: nothing of stack old remains on docker")
        .nowhere(&format!("`{lost}`"));
    assert!(!volume_exists(&old));
    assert!(s
        .read("old/.labform/state.json")
        .contains("\"resources\": []"));
    assert!(
        volume_exists(&lost),
        "a stack's sweep touched another stack"
    );

    // A stack whose state is gone is found by its mark with -all.
    std::fs::remove_dir_all(s.path().join("lost/.labform")).unwrap();
    s.run(&["sweep", "-expired", "-all", "-auto-approve", "fresh"])
        .ok()
        .stdout_has(&format!("deleted docker_volume `{lost}`"))
        .stdout_has("Verified: nothing of stack away remains on docker");
    assert!(!volume_exists(&lost));
    assert!(!volume_exists(&away));
    assert!(
        s.read("away/.labform/state.json")
            .contains("\"resources\": []"),
        "the stack elsewhere was destroyed through its state"
    );
    for v in [&fresh, &plain, &unmarked, &renewed] {
        assert!(volume_exists(v), "`{v}` was not expired and must remain");
    }

    for d in ["fresh", "plain", "renewed"] {
        s.run(&["destroy", "-auto-approve", d]).ok();
    }
    docker(&["volume", "rm", &unmarked]).expect("remove the unmarked volume");
}

#[test]
fn destroy_reports_a_marked_object_that_state_does_not_know() {
    let s = Stack::new();
    let n = s.name().to_lowercase();
    let ours = format!("{n}-ours");
    let spare = format!("{n}-spare");
    s.file(
        "lab/main.tf",
        &format!(
            "resource \"docker_volume\" \"v\" {{\n  name = \"{ours}\"\n}}\nresource \"docker_volume\" \"spare\" {{\n  name = \"{spare}\"\n}}\n"
        ),
    );
    s.run(&["apply", "-auto-approve", "lab"]).ok();
    // A targeted destroy verifies what it deleted; what it left on purpose is no failure.
    s.run(&["destroy", "-auto-approve", "-target", "docker_volume.spare", "lab"])
        .ok()
        .stdout_has("Verified: what this destroy deleted is gone from docker; state still records 1 other object(s)");
    assert!(!volume_exists(&spare) && volume_exists(&ours));
    // Made behind labform's back with the stack's marks: state does not record it.
    let sneaky = format!("{n}-sneaky");
    let id = stack_id(&s, "lab");
    docker(&[
        "volume",
        "create",
        "--label",
        "managed-by=labform",
        "--label",
        "labform-stack=lab",
        "--label",
        &format!("labform-stack-id={id}"),
        &sneaky,
    ])
    .expect("volume create");
    s.run(&["destroy", "-auto-approve", "lab"])
        .code(1)
        .stderr_has(&format!("docker_volume `{sneaky}`"))
        .stderr_has("remain after the destroy")
        .stderr_has("state does not record it")
        .nowhere("Verified:");
    assert!(!volume_exists(&ours));
    assert!(
        volume_exists(&sneaky),
        "destroy must not delete what state does not record"
    );
    // The hint's command clears it; the next destroy verifies clean.
    s.run(&["sweep", "-auto-approve", "lab"]).ok();
    assert!(!volume_exists(&sneaky));
    s.run(&["destroy", "-auto-approve", "lab"])
        .ok()
        .stdout_has("Verified: nothing of stack lab remains on docker");
}
