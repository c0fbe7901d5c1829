//! Stack identity on Docker, through the binary: two stacks whose directories share a name
//! (as the labs that keep their Terraform in `terraform/` do) never see each other's objects,
//! and `sweep -all` lists every stack's leftovers without deleting them. Checked with the
//! `docker` CLI. An apply killed with `kill -9` leaves objects that sweep finds once state is
//! lost.

use std::process::Command;

use crate::common::Stack;
use crate::orphans::{killed_apply_orphans_are_found_by_sweep, Kind};

fn docker(args: &[&str]) -> bool {
    Command::new("docker")
        .args(args)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

fn volume_exists(name: &str) -> bool {
    docker(&["volume", "inspect", name])
}

#[test]
fn same_named_stacks_never_sweep_each_other() {
    let (a, b) = (Stack::new(), Stack::new());
    // One directory name for both stacks, unique to this run.
    let dir = format!("{}-terraform", a.name());
    for (s, tag) in [(&a, "a"), (&b, "b")] {
        s.file(
            &format!("{dir}/main.tf"),
            &format!(
                r#"
resource "docker_volume" "v" {{
  name = "{dir}-{tag}"
}}
resource "docker_network" "n" {{
  name = "{dir}-{tag}-net"
}}
"#
            ),
        );
        s.run(&["apply", "-auto-approve", &dir]).ok();
    }
    let (va, vb) = (format!("{dir}-a"), format!("{dir}-b"));
    let foreign = format!("{dir}-foreign");
    assert!(docker(&[
        "volume",
        "create",
        "--label",
        &format!("labform-stack={dir}"),
        &foreign
    ]));
    assert!(volume_exists(&va) && volume_exists(&vb));

    // Both know nothing of leftovers while their state is there.
    a.run(&["sweep", "-dry-run", &dir])
        .ok()
        .stdout_has("No leftovers");
    b.run(&["sweep", "-dry-run", &dir])
        .ok()
        .stdout_has("No leftovers");

    // A loses its state: its sweep lists its own objects, never B's or the unmarked one.
    std::fs::remove_dir_all(a.path().join(&dir).join(".labform")).unwrap();
    a.run(&["sweep", "-dry-run", &dir])
        .ok()
        .stdout_has(&format!("docker_volume `{va}`"))
        .stdout_has(&format!("docker_network `{va}-net`"))
        .nowhere(&vb)
        .nowhere(&foreign);
    b.run(&["sweep", "-dry-run", &dir])
        .ok()
        .stdout_has("No leftovers");

    // `-all` without approval lists both stacks (grouped) and deletes nothing.
    let all = a.run(&["sweep", "-all", &dir]);
    all.ok()
        .stdout_has(&format!("docker_volume `{va}`"))
        .stdout_has(&format!("docker_volume `{vb}`"))
        .stdout_has("Dry run: nothing deleted")
        .nowhere(&foreign);
    assert_eq!(
        all.stdout.matches(&format!("stack `{dir}` (id ")).count(),
        2,
        "one group per stack: {}",
        all.stdout
    );
    assert!(
        volume_exists(&va) && volume_exists(&vb),
        "a dry run deleted"
    );

    // A's sweep deletes A's objects only.
    a.run(&["sweep", "-auto-approve", &dir])
        .ok()
        .stdout_has("Sweep complete");
    assert!(!volume_exists(&va));
    assert!(!docker(&["network", "inspect", &format!("{va}-net")]));
    assert!(volume_exists(&vb), "A's sweep deleted B's volume");
    assert!(
        volume_exists(&foreign),
        "a sweep deleted an unmarked volume"
    );

    b.run(&["destroy", "-auto-approve", &dir]).ok();
    assert!(!volume_exists(&vb));
    assert!(docker(&["volume", "rm", &foreign]));
}

#[test]
fn an_apply_killed_mid_run_leaves_orphans_that_sweep_finds_once_state_is_lost() {
    killed_apply_orphans_are_found_by_sweep(&Kind {
        provider: String::new(),
        type_name: "docker_volume",
        body: &|name| format!("  name = \"{name}\"\n"),
        exists: &volume_exists,
        make_foreign: &|name| {
            assert!(docker(&[
                "volume",
                "create",
                "--label",
                "labform-stack=lab",
                name
            ]));
        },
        remove_foreign: &|name| assert!(docker(&["volume", "rm", name])),
    });
}

#[test]
fn a_destroy_blocked_by_a_foreign_container_on_a_labform_network_names_it_with_a_hint() {
    let s = Stack::new();
    let n = s.name().to_lowercase();
    let (net, intruder) = (format!("{n}-net"), format!("{n}-intruder"));
    s.file(
        "lab/main.tf",
        &format!("resource \"docker_network\" \"n\" {{\n  name = \"{net}\"\n}}\n"),
    );
    s.run(&["apply", "-auto-approve", "lab"]).ok();
    let busybox = crate::common::harness_env("LABFORM_TEST_BUSYBOX");
    assert!(docker(&[
        "run",
        "-d",
        "--init",
        "--name",
        &intruder,
        "--network",
        &net,
        &busybox,
        "sleep",
        "600",
    ]));
    s.run(&["destroy", "-auto-approve", "lab"])
        .code(1)
        .stderr_has(&format!(
            "network `{net}` is still in use by containers `{intruder}`"
        ))
        .stderr_has("hint: remove those containers first")
        .nowhere("Verified:");
    assert!(docker(&["network", "inspect", &net]));
    assert!(docker(&["rm", "-f", &intruder]));
    s.run(&["destroy", "-auto-approve", "lab"])
        .ok()
        .stdout_has("Verified: nothing of stack lab remains on docker");
}
