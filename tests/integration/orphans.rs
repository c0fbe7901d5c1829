//! One teardown scenario every provider passes, through the binary, read back by the
//! provider's own client: an apply killed with `kill -9` between two creates leaves an object
//! that sweep finds once the state is lost, and only it: another stack in a directory of the
//! same name, and an object labform did not make that carries the readable mark, are listed
//! nowhere and never deleted.

use crate::common::Stack;

/// How one provider's objects are written, seen and made behind labform's back.
pub struct Kind<'a> {
    /// The provider block the stacks need (may be empty).
    pub provider: String,
    pub type_name: &'a str,
    /// The arguments of an object named `name`.
    pub body: &'a dyn Fn(&str) -> String,
    /// Whether the object named `name` exists, as the provider's own client sees it.
    pub exists: &'a dyn Fn(&str) -> bool,
    /// Makes an object named `name` carrying only `labform-stack = lab` (not labform's).
    pub make_foreign: &'a dyn Fn(&str),
    pub remove_foreign: &'a dyn Fn(&str),
}

impl Kind<'_> {
    fn object(&self, label: &str, name: &str, extra: &str) -> String {
        format!(
            "resource \"{}\" \"{label}\" {{\n{extra}{}}}\n",
            self.type_name,
            (self.body)(name)
        )
    }
}

/// Whether a journal line records the object at `addr` as made (a line without `pending`,
/// which only marks a create begun).
fn records_made(line: &str, addr: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(line)
        .is_ok_and(|l| l["addr"] == addr && l["instance"].get("pending").is_none())
}

/// Kills `apply -auto-approve DIR` once the journal records the object at `addr` as made: the
/// apply is then in the sleep that follows it, before the second object.
fn apply_killed_after(s: &Stack, dir: &str, addr: &str) {
    let mut child = s
        .command(&["apply", "-auto-approve", dir])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start apply");
    let journal = s.path().join(dir).join(".labform/state.json.journal");
    let mut made = false;
    for _ in 0..1200 {
        let text = std::fs::read_to_string(&journal).unwrap_or_default();
        if text.lines().any(|l| records_made(l, addr)) {
            made = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    child.kill().expect("kill -9");
    let _ = child.wait();
    assert!(made, "the apply never recorded {addr}");
}

pub fn killed_apply_orphans_are_found_by_sweep(kind: &Kind) {
    let (s, other) = (Stack::new(), Stack::new());
    let n = s.name().to_lowercase().replace(['.', '_'], "-");
    let [first, second, theirs, foreign] =
        ["first", "second", "theirs", "foreign"].map(|x| format!("{n}-{x}"));
    s.file(
        "lab/main.tf",
        &format!(
            "{}\n{}resource \"time_sleep\" \"wait\" {{\n  depends_on      = [{}.first]\n  create_duration = \"120s\"\n}}\n{}",
            kind.provider,
            kind.object("first", &first, ""),
            kind.type_name,
            kind.object("second", &second, "  depends_on = [time_sleep.wait]\n"),
        ),
    );
    // Another stack in a directory of the same name, and an object labform did not make.
    other.file(
        "lab/main.tf",
        &format!("{}\n{}", kind.provider, kind.object("v", &theirs, "")),
    );
    other.run(&["apply", "-auto-approve", "lab"]).ok();
    (kind.make_foreign)(&foreign);

    apply_killed_after(&s, "lab", &format!("{}.first", kind.type_name));
    assert!((kind.exists)(&first) && !(kind.exists)(&second));

    // State (its journal) records the first object: nothing is a leftover.
    s.run(&["sweep", "-dry-run", "lab"])
        .ok()
        .stdout_has("No leftovers");
    // With the state lost, sweep finds the orphan, and only it.
    std::fs::remove_dir_all(s.path().join("lab/.labform")).unwrap();
    s.run(&["sweep", "-dry-run", "lab"])
        .ok()
        .stdout_has(&format!("{} `{first}`", kind.type_name))
        .nowhere(&theirs)
        .nowhere(&foreign);
    assert!((kind.exists)(&first), "a dry run deleted");
    s.run(&["sweep", "-auto-approve", "lab"])
        .ok()
        .stdout_has("Sweep complete");
    assert!(!(kind.exists)(&first));
    assert!(
        (kind.exists)(&theirs),
        "a sweep deleted another stack's object"
    );
    assert!(
        (kind.exists)(&foreign),
        "a sweep deleted an object labform did not make"
    );

    other.run(&["destroy", "-auto-approve", "lab"]).ok();
    (kind.remove_foreign)(&foreign);
}
