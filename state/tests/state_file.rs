//! The state file: its JSON shape, Terraform compatibility, lookups and moves.

// A test crate: its helpers may unwrap too (a failed unwrap is a failed test).
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::{addr, id_of, instance, PROVIDER, TF_VERSION};
use labform_sdk::Value;
use labform_state::{IndexKey, Mode, OutputState, Pending, StateError, StateFile, Status};

fn sample() -> StateFile {
    let mut state = StateFile::new(TF_VERSION);
    state.serial = 3;
    let mut tainted = instance("t");
    tainted.status = Some(Status::Tainted);
    tainted.dependencies = vec!["aws_vpc.main".to_string()];
    tainted.sensitive_attributes = vec![vec!["password".to_string()]];
    let mut pending = instance("p");
    pending.pending = Some(Pending::Create);
    let mut one = instance("one");
    one.created_at = Some("2026-12-04T18:52:05Z".to_string());
    state.put_instance(&addr("aws_s3_bucket.b[1]"), PROVIDER, one);
    state.put_instance(&addr("aws_s3_bucket.b[0]"), PROVIDER, instance("zero"));
    state.put_instance(&addr("aws_instance.web[\"blue\"]"), PROVIDER, tainted);
    state.put_instance(&addr("aws_instance.web[\"green\"]"), PROVIDER, pending);
    state.put_instance(
        &addr("data.aws_ami.x"),
        "provider[\"registry.terraform.io/hashicorp/aws\"]",
        instance("ami"),
    );
    state.outputs.insert(
        "secret".to_string(),
        OutputState {
            value: Value::from("s3cr3t"),
            ty: serde_json::json!("string"),
            sensitive: true,
        },
    );
    state
}

#[test]
fn round_trips_through_json() {
    let state = sample();
    let bytes = state.to_json_bytes();
    let back = StateFile::parse(&bytes, Path::new("state.json")).expect("parse");
    assert_eq!(back, state);
    assert_eq!(back.to_json_bytes(), bytes);
}

#[test]
fn the_create_time_is_written_beside_the_instance_and_read_back() {
    let json: serde_json::Value = serde_json::from_slice(&sample().to_json_bytes()).unwrap();
    let instances = json["resources"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["instances"].as_array().unwrap().iter())
        .collect::<Vec<_>>();
    let with_time: Vec<_> = instances
        .iter()
        .filter_map(|i| i.get("created_at"))
        .collect();
    // Only the instance that has one; the others carry no key at all.
    assert_eq!(with_time, [&serde_json::json!("2026-12-04T18:52:05Z")]);
}

#[test]
fn writes_terraform_v4_shape() {
    let json: serde_json::Value = serde_json::from_slice(&sample().to_json_bytes()).expect("json");
    assert_eq!(json["version"], 4);
    assert_eq!(json["terraform_version"], TF_VERSION);
    assert_eq!(json["serial"], 3);
    assert_eq!(
        json["outputs"]["secret"],
        serde_json::json!({"value": "s3cr3t", "type": "string", "sensitive": true})
    );
    let resources = json["resources"].as_array().expect("resources list");
    let names: Vec<String> = resources
        .iter()
        .map(|r| {
            format!(
                "{}.{}.{}",
                r["mode"].as_str().unwrap_or(""),
                r["type"].as_str().unwrap_or(""),
                r["name"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            "managed.aws_instance.web",
            "managed.aws_s3_bucket.b",
            "data.aws_ami.x"
        ]
    );
    let web = &resources[0]["instances"];
    assert_eq!(web[0]["index_key"], "blue");
    assert_eq!(web[0]["status"], "tainted");
    assert_eq!(web[0]["dependencies"], serde_json::json!(["aws_vpc.main"]));
    assert_eq!(
        web[0]["sensitive_attributes"],
        serde_json::json!([[{"type": "get_attr", "value": "password"}]]),
        "sensitive paths are Terraform's path steps"
    );
    assert_eq!(web[0]["identity_schema_version"], 0);
    assert!(json["check_results"].is_null() && json.get("check_results").is_some());
    assert_eq!(web[1]["pending"], "create");
    assert!(web[1].get("status").is_none());
    let buckets = &resources[1]["instances"];
    assert_eq!(buckets[0]["index_key"], 0, "instances are ordered by key");
    assert_eq!(buckets[1]["attributes"]["id"], "one");
    assert!(resources[2]["instances"][0].get("index_key").is_none());
    assert!(uuid::Uuid::parse_str(json["lineage"].as_str().unwrap_or("")).is_ok());
}

/// A state file as Terraform 1.9 writes it (trimmed): unknown fields are ignored.
const TERRAFORM_STATE: &str = r#"{
  "version": 4,
  "terraform_version": "1.9.5",
  "serial": 12,
  "lineage": "6f2b6a55-0b7e-4d57-8c1c-0b1c3c0b9a11",
  "outputs": {
    "url": { "value": "http://x", "type": "string" },
    "ids": { "value": ["a", "b"], "type": ["list", "string"], "sensitive": false }
  },
  "resources": [
    {
      "mode": "managed",
      "type": "random_password",
      "name": "db",
      "provider": "provider[\"registry.terraform.io/hashicorp/random\"]",
      "instances": [
        {
          "schema_version": 3,
          "attributes": { "id": "none", "length": 16, "result": "xyz", "special": true },
          "sensitive_attributes": [[{ "type": "get_attr", "value": "result" }], [{ "type": "get_attr", "value": "list" }, { "type": "index", "value": { "value": 0, "type": "number" } }]],
          "private": "eyJzY2hlbWFfdmVyc2lvbiI6IjMifQ==",
          "create_before_destroy": false
        }
      ]
    },
    {
      "mode": "data",
      "type": "aws_ami",
      "name": "ubuntu",
      "each": "list",
      "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
      "instances": [
        { "index_key": 0, "schema_version": 0, "attributes": { "id": "ami-1" }, "sensitive_attributes": [] }
      ]
    }
  ],
  "check_results": null
}"#;

#[test]
fn reads_a_terraform_state() {
    let state = StateFile::parse(TERRAFORM_STATE.as_bytes(), Path::new("terraform.tfstate"))
        .expect("parse");
    assert_eq!(
        (state.serial, state.terraform_version.as_str()),
        (12, "1.9.5")
    );
    assert_eq!(
        state.outputs["ids"].value,
        Value::List(vec![Value::from("a"), Value::from("b")])
    );
    let (resource, password) = state
        .instance(&addr("random_password.db"))
        .expect("password");
    assert_eq!(
        resource.provider,
        "provider[\"registry.terraform.io/hashicorp/random\"]"
    );
    assert_eq!(password.schema_version, 3);
    assert_eq!(password.attributes.i64_attr("length"), Some(16));
    assert_eq!(
        password.sensitive_attributes,
        vec![
            vec!["result".to_string()],
            vec!["list".to_string(), "0".to_string()]
        ]
    );
    let (ami, _) = state
        .instance(&addr("data.aws_ami.ubuntu[0]"))
        .expect("ami");
    assert_eq!(ami.mode, Mode::Data);
    assert_eq!(state.instance_count(), 2);
}

#[test]
fn keeps_fields_it_does_not_interpret_on_rewrite() {
    let future = TERRAFORM_STATE
        .replace(
            "\"check_results\": null",
            "\"check_results\": [{\"object_kind\": \"resource\", \"config_addr\": \"x\", \"status\": \"pass\", \"objects\": null}], \"from_the_future\": {\"a\": 1}",
        )
        .replace(
            "\"create_before_destroy\": false",
            "\"create_before_destroy\": false, \"identity_schema_version\": 2, \"identity\": {\"id\": \"none\"}",
        );
    let state = StateFile::parse(future.as_bytes(), Path::new("s.json")).expect("parse");
    let written: serde_json::Value = serde_json::from_slice(&state.to_json_bytes()).expect("json");
    assert_eq!(written["from_the_future"], serde_json::json!({"a": 1}));
    assert_eq!(written["check_results"][0]["status"], "pass");
    let resources = written["resources"].as_array().expect("resources");
    let password = &resources[0]["instances"][0];
    assert_eq!(password["private"], "eyJzY2hlbWFfdmVyc2lvbiI6IjMifQ==");
    assert_eq!(password["create_before_destroy"], false);
    assert_eq!(password["identity_schema_version"], 2);
    assert_eq!(password["identity"], serde_json::json!({"id": "none"}));
    assert_eq!(resources[1]["each"], "list");
    assert_eq!(
        password["sensitive_attributes"][1],
        serde_json::json!([
            {"type": "get_attr", "value": "list"},
            {"type": "index", "value": {"value": 0, "type": "number"}}
        ])
    );
}

#[test]
fn reads_and_writes_terraforms_module_key() {
    let module = TERRAFORM_STATE.replace(
        "\"mode\": \"data\",",
        "\"module\": \"module.net[\\\"a\\\"]\", \"mode\": \"data\",",
    );
    let state = StateFile::parse(module.as_bytes(), Path::new("s.json")).expect("module");
    let (resource, _) = state
        .instance(&addr("module.net[\"a\"].data.aws_ami.ubuntu[0]"))
        .expect("the instance is found by its module address");
    assert_eq!(resource.module.to_string(), "module.net[\"a\"]");
    assert!(state.instance(&addr("data.aws_ami.ubuntu[0]")).is_none());
    let written = String::from_utf8(state.to_json_bytes()).expect("utf8");
    assert!(
        written.contains("\"module\": \"module.net[\\\"a\\\"]\""),
        "{written}"
    );
    let again = StateFile::parse(written.as_bytes(), Path::new("s.json")).expect("re-read");
    assert_eq!(again, state);
}

#[test]
fn refuses_what_it_cannot_represent() {
    let deposed = TERRAFORM_STATE.replace(
        "\"index_key\": 0,",
        "\"index_key\": 0, \"deposed\": \"00000001\",",
    );
    let err = StateFile::parse(deposed.as_bytes(), Path::new("s.json")).expect_err("deposed");
    assert!(
        err.to_string().contains("deposed object `00000001`"),
        "{err}"
    );
}

#[test]
fn a_newer_format_version_is_an_error() {
    let err = StateFile::parse(br#"{"version": 5, "whatever": []}"#, Path::new("s.json"))
        .expect_err("v5");
    assert!(matches!(
        err,
        StateError::UnsupportedVersion { version: 5, .. }
    ));
    assert_eq!(
        err.to_string(),
        "state file `s.json` has format version 5; this labform reads version 4\nhint: it was written by a newer tool: upgrade labform"
    );
    let err =
        StateFile::parse(br#"{"version": 3, "modules": []}"#, Path::new("s.json")).expect_err("v3");
    assert!(matches!(
        err,
        StateError::UnsupportedVersion { version: 3, .. }
    ));
}

#[test]
fn invalid_json_names_the_line() {
    let err = StateFile::parse(
        b"{\n  \"version\": 4,\n  \"serial\": oops\n}",
        Path::new("s.json"),
    )
    .expect_err("bad");
    assert!(
        matches!(err, StateError::Corrupt { line: Some(3), .. }),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .starts_with("state file `s.json` is not valid at line 3: "),
        "{err}"
    );
}

#[test]
fn lookups_puts_removes() {
    let mut state = sample();
    assert_eq!(id_of(&state, "aws_s3_bucket.b[0]").as_deref(), Some("zero"));
    assert!(state.instance(&addr("aws_s3_bucket.b[7]")).is_none());
    assert!(state.instance(&addr("aws_s3_bucket.b")).is_none());
    let all: Vec<String> = state.instances().map(|(a, _, _)| a.to_string()).collect();
    assert_eq!(
        all,
        [
            "aws_instance.web[\"blue\"]",
            "aws_instance.web[\"green\"]",
            "aws_s3_bucket.b[0]",
            "aws_s3_bucket.b[1]",
            "data.aws_ami.x"
        ]
    );
    let mut moved_key = instance("z2");
    moved_key.index_key = Some(IndexKey::Int(99));
    state.put_instance(&addr("aws_s3_bucket.b[0]"), PROVIDER, moved_key);
    let (_, zero) = state.instance(&addr("aws_s3_bucket.b[0]")).expect("b[0]");
    assert_eq!(
        zero.index_key,
        Some(IndexKey::Int(0)),
        "index_key follows the address"
    );
    assert_eq!(
        state
            .remove_instance(&addr("aws_s3_bucket.b[0]"))
            .map(|i| i.attributes),
        Some(instance("z2").attributes)
    );
    assert!(state.remove_instance(&addr("aws_s3_bucket.b[0]")).is_none());
    assert!(state.remove_instance(&addr("aws_s3_bucket.b[1]")).is_some());
    assert!(
        state.resources().all(|r| r.type_name != "aws_s3_bucket"),
        "empty resources are dropped"
    );
}

#[test]
fn moves_instances_and_refuses_bad_moves() {
    let mut state = sample();
    state
        .move_instance(&addr("aws_s3_bucket.b[0]"), &addr("aws_s3_bucket.logs"))
        .expect("move");
    assert_eq!(id_of(&state, "aws_s3_bucket.logs").as_deref(), Some("zero"));
    assert!(state.instance(&addr("aws_s3_bucket.b[0]")).is_none());
    let err = state
        .move_instance(&addr("aws_s3_bucket.nope"), &addr("aws_s3_bucket.x"))
        .expect_err("missing");
    assert_eq!(
        err.to_string(),
        "resource `aws_s3_bucket.nope` is not in the state"
    );
    let err = state
        .move_instance(&addr("aws_s3_bucket.b[1]"), &addr("aws_s3_bucket.logs"))
        .expect_err("taken");
    assert_eq!(
        err.to_string(),
        "resource `aws_s3_bucket.logs` is already in the state"
    );
    let err = state
        .move_instance(&addr("aws_s3_bucket.b[1]"), &addr("aws_instance.b"))
        .expect_err("type");
    assert_eq!(
        err.to_string(),
        "cannot move `aws_s3_bucket.b[1]` to `aws_instance.b`: the resource types differ"
    );
}

#[test]
fn outputs_and_empty_state_are_well_formed() {
    let state = StateFile::new(TF_VERSION);
    assert_eq!(state.serial, 0);
    assert_ne!(state.lineage, StateFile::new(TF_VERSION).lineage);
    let json: serde_json::Value = serde_json::from_slice(&state.to_json_bytes()).expect("json");
    assert_eq!(json["resources"], serde_json::json!([]));
    assert_eq!(json["outputs"], serde_json::json!({}));
}
