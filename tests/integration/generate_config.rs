//! `plan -generate-config-out`: configuration written for `import` blocks whose resource has
//! no block, from what the provider read; the plan proceeds with it, and applying it gives a
//! stack that plans clean. Objects made by boto3 and the docker CLI, read back by them.

use crate::common::Stack;

#[test]
fn generated_configuration_imports_and_then_plans_clean() {
    let s = Stack::with(
        r#"
import {
  to = random_string.s
  id = "abc$def"
}
"#,
    );
    s.run(&["plan", "-generate-config-out=generated.tf"])
        .ok()
        .stdout_has("# random_string.s will be imported\n  # (config will be generated)\n")
        .stdout_has("Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.")
        .stdout_has("written it to generated.tf");
    let text = s.read("generated.tf");
    // Terraform's plan JSON carries the block beside the import.
    std::fs::remove_file(s.path().join("generated.tf")).expect("remove generated.tf");
    let json = s.run(&["plan", "-json", "-generate-config-out=generated.tf"]);
    json.ok();
    let plan: serde_json::Value = serde_json::from_str(&json.stdout).expect("plan JSON");
    let generated = plan["resource_changes"][0]["change"]["generated_config"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        generated.starts_with("resource \"random_string\" \"s\" {") && text.contains(&generated),
        "{generated}"
    );
    assert!(
        text.contains("resource \"random_string\" \"s\" {") && text.contains("length"),
        "{text}"
    );
    // Computed-only attributes are not configuration.
    assert!(!text.contains("result"), "{text}");
    s.run(&["apply", "-auto-approve"])
        .ok()
        .stdout_has("1 imported, 0 added, 0 changed, 0 destroyed");
    s.run(&["plan", "-detailed-exitcode"])
        .code(0)
        .stdout_has("No changes.");
}

#[test]
fn an_existing_file_is_never_overwritten_and_for_each_is_refused() {
    let s = Stack::with(
        r#"
import {
  to = random_string.s
  id = "abcdef"
}
"#,
    );
    s.file("generated.tf", "# mine\n");
    s.run(&["plan", "-generate-config-out=generated.tf"])
        .code(1)
        .stderr_has("the file `generated.tf` already exists");
    assert_eq!(s.read("generated.tf"), "# mine\n");

    let each = Stack::with(
        r#"
import {
  for_each = toset(["abcdef"])
  to       = random_string.s[each.key]
  id       = each.value
}
"#,
    );
    each.run(&["plan", "-generate-config-out=generated.tf"])
        .code(1)
        .stderr_has("cannot generate configuration for an `import` block with `for_each`")
        .stderr_has("main.tf:2:1");
    assert!(!each.path().join("generated.tf").exists());
}

#[cfg(feature = "aws")]
#[test]
fn a_bucket_made_by_boto3_gets_configuration_that_reapplies_with_no_change() {
    use crate::aws_stacks::boto3;
    let s = Stack::new();
    let bucket = format!("{}-gen", s.name().to_lowercase());
    boto3(&format!(
        "s3 = aws('s3')\ns3.create_bucket(Bucket='{bucket}')\ns3.put_bucket_tagging(Bucket='{bucket}', Tagging={{'TagSet': [{{'Key': 'team', 'Value': 'data'}}]}})\nprint('1')"
    ));
    s.file(
        "main.tf",
        &format!(
            "provider \"aws\" {{\n  region = \"us-east-1\"\n}}\nimport {{\n  to = aws_s3_bucket.clicked\n  id = \"{bucket}\"\n}}\n"
        ),
    );
    s.run(&["plan", "-generate-config-out=generated.tf"])
        .ok()
        .stdout_has("aws_s3_bucket.clicked will be imported")
        .stdout_has("Plan: 1 to import, 0 to add, 0 to change, 0 to destroy.");
    let text = s.read("generated.tf");
    assert!(
        text.contains(&format!("bucket              = \"{bucket}\"")),
        "{text}"
    );
    assert!(text.contains("team = \"data\""), "{text}");
    assert!(
        !text.contains("arn"),
        "computed-only attributes are left out: {text}"
    );
    s.run(&["apply", "-auto-approve"])
        .ok()
        .stdout_has("1 imported, 0 added");
    s.run(&["plan", "-detailed-exitcode"])
        .code(0)
        .stdout_has("No changes.");
    let tags = boto3(&format!(
        "print(json.dumps({{t['Key']: t['Value'] for t in aws('s3').get_bucket_tagging(Bucket='{bucket}')['TagSet']}}))"
    ));
    assert_eq!(tags["team"], "data", "the user's tag is kept: {tags}");
    s.run(&["destroy", "-auto-approve"]).ok();
    let left = boto3(&format!(
        "print(json.dumps([b['Name'] for b in aws('s3').list_buckets()['Buckets'] if b['Name'] == '{bucket}']))"
    ));
    assert_eq!(left, serde_json::json!([]));
}

#[cfg(feature = "docker")]
#[test]
fn a_network_and_a_container_made_by_the_docker_cli_get_configuration_that_reapplies_with_no_change(
) {
    use crate::compose::docker;
    let s = Stack::new();
    let name = format!("labform-gen-{}", s.name());
    let image = crate::common::harness_env("LABFORM_TEST_BUSYBOX");
    let (made, network_id) = docker(&["network", "create", "--label", "team=data", &name]);
    assert!(made, "docker network create {name}");
    let (made, container_id) = docker(&[
        "run",
        "-d",
        "--init",
        "--name",
        &name,
        "-e",
        "GREETING=hi",
        &image,
        "sleep",
        "600",
    ]);
    assert!(made, "docker run {name}");
    s.file(
        "main.tf",
        &format!(
            "import {{\n  to = docker_network.n\n  id = \"{network_id}\"\n}}\nimport {{\n  to = docker_container.c\n  id = \"{container_id}\"\n}}\n"
        ),
    );
    s.run(&["plan", "-generate-config-out=generated.tf"])
        .ok()
        .stdout_has("# docker_network.n will be imported")
        .stdout_has("# docker_container.c will be imported")
        .stdout_has("Plan: 2 to import, 0 to add, 0 to change, 0 to destroy.");
    let text = s.read("generated.tf");
    assert!(text.contains("label = \"team\""), "{text}");
    assert!(text.contains("env        = [\"GREETING=hi\"]"), "{text}");
    assert!(text.contains("command    = [\"sleep\", \"600\"]"), "{text}");
    s.run(&["apply", "-auto-approve"])
        .ok()
        .stdout_has("2 imported, 0 added, 0 changed, 0 destroyed");
    s.run(&["plan", "-detailed-exitcode"])
        .code(0)
        .stdout_has("No changes.");
    let (_, labels) = docker(&["network", "inspect", "-f", "{{json .Labels}}", &name]);
    let (_, still) = docker(&["inspect", "-f", "{{.Id}} {{.State.Running}}", &name]);
    s.run(&["destroy", "-auto-approve"]).ok();
    let (container_left, _) = docker(&["inspect", &name]);
    let (network_left, _) = docker(&["network", "inspect", &name]);
    if container_left {
        docker(&["rm", "-f", &name]);
    }
    if network_left {
        docker(&["network", "rm", &name]);
    }
    assert!(labels.contains("\"team\":\"data\""), "{labels}");
    assert_eq!(
        still,
        format!("{container_id} true"),
        "the container was kept, not replaced"
    );
    assert!(
        !container_left && !network_left,
        "labform destroyed what it imported"
    );
}

#[cfg(feature = "gcp")]
#[test]
fn a_gcs_bucket_made_by_curl_gets_configuration_that_reapplies_with_no_change() {
    use crate::common::harness_env;
    use crate::gcp_stacks::{bucket, unique};
    let project = crate::kill_gcp::emulators().project;
    let s = Stack::new();
    let name = format!("{}-gen", unique(&s));
    // A label set outside labform stays: `labels` is not authoritative (as Terraform's google
    // provider 5.x), so adopting a labelled bucket never removes what another tool put there.
    let made = std::process::Command::new("curl")
        .args([
            "-s",
            "-f",
            "-X",
            "POST",
            "-H",
            "content-type: application/json",
            "-d",
            &format!(r#"{{"name": "{name}", "location": "EU", "storageClass": "NEARLINE", "labels": {{"team": "x"}}}}"#),
            &format!(
                "{}/storage/v1/b?project={project}",
                harness_env("STORAGE_EMULATOR_HOST")
            ),
        ])
        .status()
        .expect("curl");
    assert!(made.success(), "curl made the bucket");
    s.file(
        "main.tf",
        &format!(
            "provider \"google\" {{\n  project = \"{project}\"\n}}\nimport {{\n  to = google_storage_bucket.b\n  id = \"{name}\"\n}}\n"
        ),
    );
    s.run(&["plan", "-generate-config-out=generated.tf"])
        .ok()
        .stdout_has("(config will be generated)");
    let text = s.read("generated.tf");
    assert!(
        text.contains("location                    = \"EU\""),
        "{text}"
    );
    assert!(
        text.contains("storage_class               = \"NEARLINE\""),
        "{text}"
    );
    s.run(&["apply", "-auto-approve"])
        .ok()
        .stdout_has("1 imported");
    s.run(&["plan", "-detailed-exitcode"])
        .code(0)
        .stdout_has("No changes.");
    let read = bucket(&name);
    assert_eq!(read["storageClass"], "NEARLINE", "{read}");
    assert_eq!(
        read["labels"]["team"], "x",
        "the label set outside is kept: {read}"
    );
    // labform did not make it: the import adds no mark (sweep never touches it), as the plan
    // of a pure import changes nothing in the cloud.
    assert!(read["labels"]["managed-by"].is_null(), "{read}");
    s.run(&["destroy", "-auto-approve"]).ok();
    assert!(
        bucket(&name).is_null(),
        "labform destroyed the imported bucket"
    );
}
