//! `plan -out FILE` then `apply FILE` applies exactly that plan, and is refused once the state
//! has moved.

use crate::common::Stack;

#[test]
fn a_saved_plan_applies_exactly_and_is_refused_when_stale() {
    let s = Stack::with("variable \"v\" { default = \"a\" }\nresource \"terraform_data\" \"x\" {\n  input = var.v\n}\n");
    s.run(&["plan", "-out=first.plan", "-var", "v=planned"])
        .ok()
        .stdout_has("Saved the plan to: first.plan");
    // Edits after planning do not change what the saved plan does.
    s.file("main.tf", "variable \"v\" { default = \"a\" }\nresource \"terraform_data\" \"x\" {\n  input = \"edited\"\n}\n");
    s.run(&["apply", "first.plan"]).ok().stdout_has("1 added");
    assert_eq!(
        s.state()["resources"][0]["instances"][0]["attributes"]["output"]["value"],
        "planned"
    );

    s.run(&["plan", "-out=second.plan"]).ok();
    s.run(&["apply", "-auto-approve"]).ok();
    s.run(&["apply", "second.plan"])
        .code(1)
        .stderr_has("is stale")
        .stderr_has("plan -out");
}

#[test]
fn show_reads_a_saved_plan() {
    let s = Stack::with("resource \"terraform_data\" \"x\" {\n  input = 1\n}\n");
    s.run(&["plan", "-out=p"]).ok();
    s.run(&["show", "p"])
        .ok()
        .stdout_has("terraform_data.x will be created");
    let r = s.run(&["show", "-json", "p"]);
    let v: serde_json::Value = serde_json::from_str(&r.ok().stdout).unwrap();
    assert_eq!(
        v["resource_changes"][0]["change"]["actions"],
        serde_json::json!(["create"])
    );
}
