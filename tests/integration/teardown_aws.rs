//! Teardown on AWS (moto), through the binary, read back with boto3: two stacks in directories
//! with the same name never sweep each other's buckets; `-ttl` tags every object and
//! `sweep -expired` destroys the expired stack through its state with a verified destroy; a
//! destroy blocked by an object labform did not write names it with a hint; an apply killed
//! with `kill -9` leaves a bucket that sweep finds once state is lost.

use crate::aws_stacks::boto3;
use crate::common::{apply_expiring_and_kept, Stack};
use crate::orphans::{killed_apply_orphans_are_found_by_sweep, Kind};

fn bucket_exists(name: &str) -> bool {
    boto3(&format!(
        "s3 = aws('s3')\nprint(json.dumps(any(b['Name'] == '{name}' for b in s3.list_buckets()['Buckets'])))"
    ))
    .as_bool()
    .unwrap_or(false)
}

fn bucket_tag(name: &str, key: &str) -> Option<String> {
    boto3(&format!(
        "s3 = aws('s3')\ntags = s3.get_bucket_tagging(Bucket='{name}')['TagSet']\nprint(json.dumps({{t['Key']: t['Value'] for t in tags}}.get('{key}')))"
    ))
    .as_str()
    .map(str::to_string)
}

fn bucket_stack(s: &Stack, dir: &str, bucket: &str) {
    s.file(
        &format!("{dir}/main.tf"),
        &format!(
            "provider \"aws\" {{\n  region = \"us-east-1\"\n}}\nresource \"aws_s3_bucket\" \"b\" {{\n  bucket = \"{bucket}\"\n}}\n"
        ),
    );
}

#[test]
fn same_named_stacks_never_sweep_each_others_buckets() {
    let (a, b) = (Stack::new(), Stack::new());
    let dir = "terraform";
    let base = a.name().to_lowercase();
    let (ba, bb) = (format!("{base}-a"), format!("{base}-b"));
    bucket_stack(&a, dir, &ba);
    bucket_stack(&b, dir, &bb);
    a.run(&["apply", "-auto-approve", dir]).ok();
    b.run(&["apply", "-auto-approve", dir]).ok();
    // Not made by labform, though named for the same stack.
    let foreign = format!("{base}-foreign");
    boto3(&format!(
        "s3 = aws('s3')\ns3.create_bucket(Bucket='{foreign}')\ns3.put_bucket_tagging(Bucket='{foreign}', Tagging={{'TagSet': [{{'Key': 'labform-stack', 'Value': 'terraform'}}]}})\nprint('null')"
    ));

    a.run(&["sweep", "-dry-run", dir])
        .ok()
        .stdout_has("No leftovers");
    std::fs::remove_dir_all(a.path().join(dir).join(".labform")).unwrap();
    a.run(&["sweep", "-dry-run", dir])
        .ok()
        .stdout_has(&format!("aws_s3_bucket `{ba}`"))
        .nowhere(&bb)
        .nowhere(&foreign);
    b.run(&["sweep", "-dry-run", dir])
        .ok()
        .stdout_has("No leftovers");
    let all = a.run(&["sweep", "-all", dir]);
    all.ok()
        .stdout_has(&format!("aws_s3_bucket `{ba}`"))
        .stdout_has(&format!("aws_s3_bucket `{bb}`"))
        .stdout_has("Dry run: nothing deleted")
        .nowhere(&foreign);
    assert!(
        bucket_exists(&ba) && bucket_exists(&bb),
        "a dry run deleted"
    );

    a.run(&["sweep", "-auto-approve", dir])
        .ok()
        .stdout_has("Sweep complete");
    assert!(!bucket_exists(&ba));
    assert!(bucket_exists(&bb), "A's sweep deleted B's bucket");
    assert!(
        bucket_exists(&foreign),
        "a sweep deleted an unmarked bucket"
    );

    b.run(&["destroy", "-auto-approve", dir])
        .ok()
        .stdout_has("Verified: nothing of stack terraform remains on aws");
    assert!(!bucket_exists(&bb));
    boto3(&format!(
        "aws('s3').delete_bucket(Bucket='{foreign}')\nprint('null')"
    ));
}

#[test]
fn an_expired_stack_is_destroyed_through_its_state_and_verified() {
    let (s, keep) = (Stack::new(), Stack::new());
    let base = s.name().to_lowercase();
    let (gone, kept) = (format!("{base}-expired"), format!("{base}-kept"));
    bucket_stack(&s, "lab", &gone);
    bucket_stack(&keep, "lab", &kept);
    let recorded = apply_expiring_and_kept(&s, &keep, "lab");
    assert_eq!(bucket_tag(&gone, "labform-expires"), Some(recorded.clone()));
    assert!(bucket_tag(&kept, "labform-expires").is_some_and(|k| k > recorded));

    keep.run(&["sweep", "-expired", "-auto-approve", "lab"])
        .ok()
        .stdout_has("No expired stacks");
    s.run(&["sweep", "-expired", "lab"])
        .ok()
        .stdout_has("aws_s3_bucket.b")
        .stdout_has("Dry run: nothing deleted");
    assert!(bucket_exists(&gone), "a dry run deleted");
    s.run(&["sweep", "-expired", "-auto-approve", "lab"])
        .ok()
        .stdout_has("Verified: nothing of stack lab remains on aws");
    assert!(!bucket_exists(&gone));
    assert!(bucket_exists(&kept), "an unexpired stack was touched");
    keep.run(&["destroy", "-auto-approve", "lab"]).ok();
}

#[test]
fn a_destroy_blocked_by_an_object_labform_did_not_write_names_it_with_a_hint() {
    let s = Stack::new();
    let bucket = format!("{}-full", s.name().to_lowercase());
    bucket_stack(&s, "lab", &bucket);
    s.run(&["apply", "-auto-approve", "lab"]).ok();
    boto3(&format!(
        "aws('s3').put_object(Bucket='{bucket}', Key='notes.txt', Body=b'x')\nprint('null')"
    ));
    s.run(&["destroy", "-auto-approve", "lab"])
        .code(1)
        .stderr_has(&format!("bucket `{bucket}` is not empty"))
        .stderr_has(&format!(
            "hint: it holds objects: empty it (`aws s3 rm s3://{bucket} --recursive`) and run again"
        ))
        .stderr_has("set `force_destroy = true`")
        .stderr_has("aws_s3_bucket.b")
        .nowhere("Verified:");
    assert!(bucket_exists(&bucket));
    boto3(&format!(
        "aws('s3').delete_object(Bucket='{bucket}', Key='notes.txt')\nprint('null')"
    ));
    s.run(&["destroy", "-auto-approve", "lab"])
        .ok()
        .stdout_has("Verified: nothing of stack lab remains on aws");
}

#[test]
fn sweep_leaves_a_bucket_holding_an_object_it_did_not_write_and_says_how_to_empty_it() {
    let s = Stack::new();
    let bucket = format!("{}-orphan", s.name().to_lowercase());
    bucket_stack(&s, "lab", &bucket);
    s.run(&["apply", "-auto-approve", "lab"]).ok();
    boto3(&format!(
        "aws('s3').put_object(Bucket='{bucket}', Key='notes.txt', Body=b'x')\nprint('null')"
    ));
    std::fs::remove_dir_all(s.path().join("lab").join(".labform")).unwrap();
    // The bucket is an orphan now: no configuration of it to set `force_destroy` on.
    s.run(&["sweep", "-auto-approve", "lab"])
        .code(1)
        .stderr_has(&format!("bucket `{bucket}` is not empty"))
        .stderr_has(&format!("aws s3 rm s3://{bucket} --recursive"));
    assert!(
        bucket_exists(&bucket),
        "sweep deleted what it did not write"
    );
    boto3(&format!(
        "aws('s3').delete_object(Bucket='{bucket}', Key='notes.txt')\nprint('null')"
    ));
    s.run(&["sweep", "-auto-approve", "lab"]).ok();
    assert!(!bucket_exists(&bucket));
}

#[test]
fn an_apply_killed_mid_run_leaves_a_bucket_that_sweep_finds_once_state_is_lost() {
    killed_apply_orphans_are_found_by_sweep(&Kind {
        provider: "provider \"aws\" {\n  region = \"us-east-1\"\n}\n".to_string(),
        type_name: "aws_s3_bucket",
        body: &|name| format!("  bucket = \"{name}\"\n"),
        exists: &bucket_exists,
        make_foreign: &|name| {
            boto3(&format!(
                "s3 = aws('s3')\ns3.create_bucket(Bucket='{name}')\ns3.put_bucket_tagging(Bucket='{name}', Tagging={{'TagSet': [{{'Key': 'labform-stack', 'Value': 'lab'}}]}})\nprint('null')"
            ));
        },
        remove_foreign: &|name| {
            boto3(&format!(
                "aws('s3').delete_bucket(Bucket='{name}')\nprint('null')"
            ));
        },
    });
}
