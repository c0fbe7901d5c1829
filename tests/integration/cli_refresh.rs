//! `plan -refresh-only`, `apply -refresh-only` and `refresh` through the binary: drift made by
//! another hand is shown and recorded, and nothing is changed to undo it.

use crate::common::Stack;

const STACK: &str = r#"
resource "local_file" "f" {
  filename = "${path.module}/made.txt"
  content  = "made by labform"
}
resource "terraform_data" "t" {
  input = "kept"
}
output "file_id" {
  value = local_file.f.id
}
"#;

#[test]
fn refresh_only_plan_without_drift_says_so() {
    let s = Stack::with(STACK);
    s.run(&["apply", "-auto-approve"]).ok();
    s.run(&["plan", "-refresh-only", "-detailed-exitcode"])
        .ok()
        .stdout_has("No changes. Your infrastructure still matches the configuration.");
}

#[test]
fn refresh_only_shows_and_records_a_deletion_without_recreating() {
    let s = Stack::with(STACK);
    s.run(&["apply", "-auto-approve"]).ok();
    let made = s.path().join("made.txt");
    std::fs::remove_file(&made).expect("delete the file behind labform's back");
    let serial_before = s.state()["serial"].as_u64();

    s.run(&["plan", "-refresh-only", "-detailed-exitcode"])
        .code(2)
        .stdout_has("# local_file.f has been deleted")
        .stdout_has("This is a refresh-only plan");
    // A refresh-only plan writes nothing.
    assert_eq!(s.state()["serial"].as_u64(), serial_before);
    assert_eq!(s.state_list(), vec!["local_file.f", "terraform_data.t"]);

    s.run(&["apply", "-refresh-only", "-auto-approve"])
        .ok()
        .stdout_has("Apply complete! Resources: 0 added, 0 changed, 0 destroyed.");
    assert!(!made.exists(), "refresh-only re-created the file");
    assert_eq!(s.state_list(), vec!["terraform_data.t"]);
    // The output that named the deleted file is gone with it.
    s.run(&["output", "file_id"]).code(1);
    // A normal plan now creates it again; refresh-only sees nothing more.
    s.run(&["plan"])
        .ok()
        .stdout_has("Plan: 1 to add, 0 to change, 0 to destroy.");
    s.run(&["plan", "-refresh-only", "-detailed-exitcode"]).ok();
}

#[test]
fn refresh_only_apply_without_a_terminal_asks_for_auto_approve() {
    let s = Stack::with(STACK);
    s.run(&["apply", "-auto-approve"]).ok();
    std::fs::remove_file(s.path().join("made.txt")).expect("delete the file");
    s.run(&["apply", "-refresh-only"])
        .code(1)
        .stderr_has("-auto-approve");
    assert_eq!(s.state_list(), vec!["local_file.f", "terraform_data.t"]);
}

#[test]
fn refresh_is_the_deprecated_alias() {
    let s = Stack::with(STACK);
    s.run(&["apply", "-auto-approve"]).ok();
    std::fs::remove_file(s.path().join("made.txt")).expect("delete the file");
    s.run(&["refresh"]).ok();
    assert_eq!(s.state_list(), vec!["terraform_data.t"]);
    assert!(!s.path().join("made.txt").exists());
    s.run(&["refresh", "-help"]).ok().stdout_has("deprecated");
}

#[test]
fn refresh_only_and_destroy_do_not_mix() {
    let s = Stack::with(STACK);
    let r = s.run(&["plan", "-refresh-only", "-destroy"]);
    assert_ne!(r.code, 0, "accepted: {}", r.stdout);
    r.stderr_has("cannot be used with");
}

#[test]
fn a_saved_refresh_only_plan_records_the_drift_it_saw_once() {
    let s = Stack::with(STACK);
    s.run(&["apply", "-auto-approve"]).ok();
    std::fs::remove_file(s.path().join("made.txt")).expect("delete the file outside labform");
    s.run(&["plan", "-refresh-only", "-out=refresh.plan"])
        .ok()
        .stdout_has("local_file.f has been deleted")
        .stdout_has("labform apply refresh.plan");
    assert!(
        s.state_list().contains(&"local_file.f".to_string()),
        "a plan records nothing"
    );
    s.run(&["apply", "refresh.plan"])
        .ok()
        .stdout_has("Apply complete! Resources: 0 added, 0 changed, 0 destroyed.");
    assert_eq!(s.state_list(), vec!["terraform_data.t"]);
    assert!(
        !s.path().join("made.txt").exists(),
        "nothing is made again by a refresh-only plan"
    );
    s.run(&["apply", "refresh.plan"])
        .code(1)
        .stderr_has("is stale: the state changed since it was made");
}

#[cfg(feature = "aws")]
#[test]
fn a_saved_refresh_only_plan_records_tags_changed_by_boto3_and_changes_nothing() {
    use crate::aws_stacks::boto3;
    let s = Stack::new();
    let bucket = format!("{}-drift", s.name().to_lowercase());
    s.file(
        "main.tf",
        &format!(
            "provider \"aws\" {{\n  region = \"us-east-1\"\n}}\nresource \"aws_s3_bucket\" \"b\" {{\n  bucket = \"{bucket}\"\n  tags   = {{ team = \"data\" }}\n}}\n"
        ),
    );
    s.run(&["apply", "-auto-approve"]).ok();
    boto3(&format!(
        "aws('s3').put_bucket_tagging(Bucket='{bucket}', Tagging={{'TagSet': [{{'Key': 'team', 'Value': 'ops'}}]}})\nprint('1')"
    ));
    s.run(&["plan", "-refresh-only", "-out=refresh.plan"])
        .ok()
        .stdout_has("\"team\" = \"data\" -> \"ops\"");
    s.run(&["apply", "refresh.plan"]).ok();
    let shown = s.run(&["state", "show", "aws_s3_bucket.b"]);
    shown.ok().stdout_has("team = \"ops\"");
    let tags = boto3(&format!(
        "print(json.dumps(aws('s3').get_bucket_tagging(Bucket='{bucket}')['TagSet']))"
    ));
    assert_eq!(
        tags,
        serde_json::json!([{"Key": "team", "Value": "ops"}]),
        "applying a refresh-only plan changes nothing in the cloud"
    );
    s.run(&["destroy", "-auto-approve"]).ok();
}
