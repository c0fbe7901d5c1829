//! Terraform-shaped states of the builtin providers' managed types (issue 13), both ways.
//!
//! Terraform to labform: the `terraform.tfstate` Terraform 1.15 with hashicorp/random 3.x,
//! hashicorp/local 2.x, hashicorp/tls 4.x and hashicorp/time would have written, each value
//! derived as the provider derives it (random_id's encodings from one set of bytes, a real bcrypt
//! of the password, the files' checksums over their bytes on disk, a real key with its PEM and
//! OpenSSH forms). labform reads it in place, plans no change, never shows a secret, and destroys
//! it all (the files go).
//!
//! labform to Terraform: for the same configuration labform records the values those
//! derivations give (the key's forms re-derived by openssl and ssh-keygen from its PEM).
//!
//! Not covered: archive_file (its checksums are of Go's deflate output, which labform does not
//! reproduce byte for byte), random_bytes and time_static (labform has neither).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value as Json};

use crate::common::Stack;

mod derive;
use crate::provider_schema::{assert_state_matches_provider_schemas, take_over, terraform_state};
use derive::*;

const LOWER_DIGITS: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const OVERRIDE_SPECIAL: &str = "!#$%&*()-_=+[]{}<>:?";
const ZONES: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];
const ID_PREFIX: &str = "lab-";

/// The attributes the providers' schemas mark sensitive, by type.
const SENSITIVE: [(&str, &[&str]); 3] = [
    ("random_password", &["bcrypt_hash", "result"]),
    ("local_sensitive_file", &["content", "content_base64"]),
    (
        "tls_private_key",
        &[
            "private_key_openssh",
            "private_key_pem",
            "private_key_pem_pkcs8",
        ],
    ),
];

/// `state` with the attributes `names` of the resource `type_name` marked sensitive, as
/// Terraform 1.15 records the provider schema's sensitive attributes.
fn mark_sensitive(state: &mut Json, type_name: &str, names: &[&str]) {
    let paths: Vec<Json> = names
        .iter()
        .map(|n| json!([{"type": "get_attr", "value": n}]))
        .collect();
    for resource in state["resources"].as_array_mut().into_iter().flatten() {
        if resource["type"] == type_name {
            for instance in resource["instances"].as_array_mut().into_iter().flatten() {
                instance["sensitive_attributes"] = json!(paths);
            }
        }
    }
}

/// A file Terraform's local provider wrote: its bytes on disk with `mode`, its state attributes.
fn local_file(s: &Stack, filename: &str, content: &str, mode: u32) -> Json {
    let path = s.path().join(filename);
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(&path, content).expect("write file");
    let mut perms = std::fs::metadata(&path).expect("file").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, mode);
    std::fs::set_permissions(&path, perms).expect("chmod");
    let permission = format!("0{mode:o}");
    merged(
        json!({
            "filename": format!("./{filename}"), "content": content,
            "file_permission": permission, "directory_permission": permission,
        }),
        checksums(content.as_bytes()),
    )
}

/// time_sleep is in no schema file: its instance as hashicorp/time's Create writes it (the
/// durations and triggers as planned, `id` the creation time in RFC 3339, UTC, to the second).
fn time_sleep(name: &str, create_duration: &str) -> Json {
    json!({
        "mode": "managed", "type": "time_sleep", "name": name,
        "provider": "provider[\"registry.terraform.io/hashicorp/time\"]",
        "instances": [{
            "schema_version": 0,
            "attributes": {
                "create_duration": create_duration, "destroy_duration": null, "triggers": null,
                "id": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            },
            "sensitive_attributes": [],
            "identity_schema_version": 0
        }]
    })
}

/// What a user writes for these resources (a file's content built from other resources' values).
fn main_tf(create_duration: &str) -> String {
    format!(
        r#"
resource "random_id" "suffix" {{
  byte_length = 8
  prefix      = "{ID_PREFIX}"
}}
resource "random_string" "bucket" {{
  length  = 8
  special = false
  upper   = false
}}
resource "random_password" "db" {{
  length           = 16
  override_special = "{OVERRIDE_SPECIAL}"
}}
resource "random_pet" "name" {{}}
resource "random_integer" "port" {{
  min = 8000
  max = 8999
}}
resource "random_shuffle" "az" {{
  input        = {zones}
  result_count = 2
}}
resource "random_uuid" "run" {{}}
resource "local_file" "config" {{
  content  = "name=${{random_pet.name.id}}\nport=${{random_integer.port.result}}\n"
  filename = "${{path.module}}/out/app.conf"
}}
resource "local_sensitive_file" "db_password" {{
  content  = random_password.db.result
  filename = "${{path.module}}/out/db.pw"
}}
resource "tls_private_key" "ssh" {{
  algorithm = "ED25519"
}}
resource "tls_private_key" "deploy" {{
  algorithm = "RSA"
}}
resource "time_sleep" "settle" {{
  create_duration = "{create_duration}"
  depends_on      = [local_file.config]
}}
"#,
        zones = json!(ZONES),
    )
}

#[test]
fn a_terraform_state_of_builtin_types_plans_no_change_and_destroys() {
    let s = Stack::new();
    let keys = tempfile::tempdir().expect("temp dir");
    let id_bytes = random_bytes(8);
    let bucket = pick(LOWER_DIGITS, 8);
    let password = pick(&format!("{ALNUM}{OVERRIDE_SPECIAL}"), 16);
    let pet = format!("{}-{}", pet_word("adjectives"), pet_word("names"));
    let port = 8000 + random_u32() % 1000;
    let first = random_u32() as usize % 3;
    let shuffled = [ZONES[first], ZONES[(first + 1) % 3]];
    let uuid = hex::encode(random_bytes(16));
    let uuid = [
        &uuid[..8],
        &uuid[8..12],
        &uuid[12..16],
        &uuid[16..20],
        &uuid[20..],
    ]
    .join("-");
    let config_text = format!("name={pet}\nport={port}\n");
    let mut state = terraform_state(&[
        (
            "random_id",
            "suffix",
            merged(
                json!({"byte_length": 8, "prefix": ID_PREFIX}),
                random_id_encodings(&id_bytes),
            ),
        ),
        (
            "random_string",
            "bucket",
            json!({
                "length": 8, "special": false, "upper": false, "lower": true, "number": true,
                "numeric": true, "min_numeric": 0, "min_upper": 0, "min_lower": 0,
                "min_special": 0, "result": bucket, "id": bucket,
            }),
        ),
        (
            "random_password",
            "db",
            json!({
                "length": 16, "special": true, "upper": true, "lower": true, "number": true,
                "numeric": true, "min_numeric": 0, "min_upper": 0, "min_lower": 0,
                "min_special": 0, "override_special": OVERRIDE_SPECIAL, "result": password,
                "bcrypt_hash": bcrypt(&password, keys.path()), "id": "none",
            }),
        ),
        (
            "random_pet",
            "name",
            json!({"length": 2, "separator": "-", "id": pet}),
        ),
        (
            "random_integer",
            "port",
            json!({"min": 8000, "max": 8999, "result": port, "id": port.to_string()}),
        ),
        (
            "random_shuffle",
            "az",
            json!({"input": ZONES, "result_count": 2, "result": shuffled, "id": "-"}),
        ),
        ("random_uuid", "run", json!({"result": uuid, "id": uuid})),
        (
            "local_file",
            "config",
            local_file(&s, "out/app.conf", &config_text, 0o777),
        ),
        (
            "local_sensitive_file",
            "db_password",
            local_file(&s, "out/db.pw", &password, 0o700),
        ),
        (
            "tls_private_key",
            "ssh",
            tls_key(keys.path(), "ED25519", 2048),
        ),
        (
            "tls_private_key",
            "deploy",
            tls_key(keys.path(), "RSA", 2048),
        ),
    ]);
    if let Some(resources) = state["resources"].as_array_mut() {
        resources.push(time_sleep("settle", "30s"));
    }
    mark_sensitive(&mut state, "random_password", &["bcrypt_hash", "result"]);
    mark_sensitive(
        &mut state,
        "local_sensitive_file",
        &["content", "content_base64"],
    );
    mark_sensitive(
        &mut state,
        "tls_private_key",
        &[
            "private_key_openssh",
            "private_key_pem",
            "private_key_pem_pkcs8",
        ],
    );
    take_over(&s, &state, &main_tf("30s"), 12);
    for file in ["out/app.conf", "out/db.pw"] {
        assert!(!s.path().join(file).exists(), "{file} is still there");
    }
}

/// Each attribute of `expected` as `attrs` holds it.
#[track_caller]
fn assert_has(attrs: &Json, expected: &Json, what: &str) {
    for (name, value) in expected.as_object().into_iter().flatten() {
        assert_eq!(&attrs[name], value, "{what}.{name}");
    }
}

/// The other way round: what labform records for the same configuration holds each value as the
/// providers derive it, so Terraform with the real providers takes labform's state as its own.
#[test]
fn labform_records_builtin_types_as_their_providers_derive_them() {
    let s = Stack::with(&main_tf("1s"));
    s.run(&["apply", "-auto-approve"]).ok();
    let keys = tempfile::tempdir().expect("temp dir");
    let state = s.state();
    assert_eq!(assert_state_matches_provider_schemas(&state), 11);
    let instance = |type_name: &str, name: &str| -> Json {
        state["resources"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["type"] == type_name && r["name"] == name)
            .map(|r| r["instances"][0].clone())
            .unwrap_or_else(|| panic!("{type_name}.{name} not in state"))
    };
    let attrs = |type_name: &str, name: &str| instance(type_name, name)["attributes"].clone();

    let id = attrs("random_id", "suffix");
    let bytes = URL_SAFE_NO_PAD
        .decode(id["id"].as_str().unwrap_or_default())
        .expect("random_id.id is unpadded URL-safe base64");
    assert_has(&id, &random_id_encodings(&bytes), "random_id");

    let password = attrs("random_password", "db");
    let (result, hash) = (
        password["result"].as_str().unwrap_or_default(),
        password["bcrypt_hash"].as_str().unwrap_or_default(),
    );
    assert!(hash.starts_with("$2a$10$"), "{hash}");
    assert_eq!(
        crypt(result, hash, keys.path()),
        hash,
        "bcrypt of the result"
    );
    assert_eq!(password["id"], "none");

    for (type_name, name, file) in [
        ("local_file", "config", "out/app.conf"),
        ("local_sensitive_file", "db_password", "out/db.pw"),
    ] {
        let bytes = std::fs::read(s.path().join(file)).expect("file written");
        let recorded = attrs(type_name, name);
        assert_has(&recorded, &checksums(&bytes), type_name);
        assert_eq!(recorded["filename"], format!("./{file}"));
        assert_eq!(
            recorded["content"],
            String::from_utf8_lossy(&bytes).as_ref()
        );
    }

    for name in ["ssh", "deploy"] {
        let key = attrs("tls_private_key", name);
        let mut derived = tls_derived(
            keys.path(),
            key["private_key_pem"].as_str().unwrap_or_default(),
        );
        let openssh =
            |v: &Json| without_checkints(v["private_key_openssh"].as_str().unwrap_or_default());
        assert_eq!(
            openssh(&key),
            openssh(&derived),
            "tls_private_key.{name}.private_key_openssh"
        );
        derived["private_key_openssh"] = key["private_key_openssh"].clone();
        assert_has(&key, &derived, &format!("tls_private_key.{name}"));
    }

    let slept = attrs("time_sleep", "settle");
    let created = slept["id"].as_str().unwrap_or_default();
    assert!(
        chrono::DateTime::parse_from_rfc3339(created).is_ok()
            && created.len() == 20
            && created.ends_with('Z'),
        "time_sleep.id `{created}` is not RFC 3339 in UTC to the second"
    );

    for (type_name, names) in SENSITIVE {
        let resource = state["resources"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["type"] == type_name);
        let recorded = &resource.expect("in state")["instances"][0]["sensitive_attributes"];
        let mut paths: Vec<String> = recorded
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| p.to_string())
            .collect();
        paths.sort();
        let expected: Vec<String> = names
            .iter()
            .map(|n| json!([{"type": "get_attr", "value": n}]).to_string())
            .collect();
        assert_eq!(paths, expected, "{type_name}: sensitive_attributes");
    }
    s.run(&["destroy", "-auto-approve"])
        .ok()
        .stdout_has("12 destroyed");
}
