//! Checks a state file labform wrote against the Terraform providers' own schemas
//! (`tests/provider-schemas/`, read from the providers' sources), the way Terraform with the real
//! provider would decode it: every schema attribute and block present (null where unset), each
//! value of its schema type's JSON shape (a `dynamic` one as `{"value":..,"type":..}`), nested
//! blocks as lists or sets by nesting mode (a single block as an object or null), no attribute
//! the provider does not declare, and the instance's `schema_version` the provider's.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use serde_json::{json, Map, Value as Json};

/// One resource type's schema from the files: attributes, blocks and schema version.
struct TypeSchema {
    block: Json,
    version: u64,
}

/// Fails the test with every place where `state` (a state file's JSON) differs from what the
/// providers' schemas say, for every instance of a type the schema files describe. Returns how
/// many instances it checked, so that a caller can insist the check saw something.
#[track_caller]
pub fn assert_state_matches_provider_schemas(state: &Json) -> usize {
    let (checked, problems) = violations(state);
    assert!(
        problems.is_empty(),
        "the state differs from the Terraform providers' schemas:\n{}\nstate: {}",
        problems.join("\n"),
        serde_json::to_string_pretty(state).unwrap_or_default()
    );
    checked
}

/// The instances checked, and each difference as `address.path: what`.
pub fn violations(state: &Json) -> (usize, Vec<String>) {
    let mut out = Vec::new();
    let mut checked = 0;
    for resource in state["resources"].as_array().into_iter().flatten() {
        let mode = resource["mode"].as_str().unwrap_or_default();
        let type_name = resource["type"].as_str().unwrap_or_default();
        let Some(schema) = schemas().get(&(mode.to_string(), type_name.to_string())) else {
            continue;
        };
        let prefix = match mode {
            "data" => "data.",
            _ => "",
        };
        let base = format!(
            "{}{prefix}{type_name}.{}",
            resource["module"]
                .as_str()
                .map(|m| format!("{m}."))
                .unwrap_or_default(),
            resource["name"].as_str().unwrap_or_default()
        );
        for instance in resource["instances"].as_array().into_iter().flatten() {
            checked += 1;
            let addr = match &instance["index_key"] {
                Json::Null => base.clone(),
                key => format!("{base}[{key}]"),
            };
            if instance["schema_version"].as_u64() != Some(schema.version) {
                out.push(format!(
                    "{addr}: schema_version {} where the provider's is {}",
                    instance["schema_version"], schema.version
                ));
            }
            if !instance["sensitive_attributes"].is_array() {
                out.push(format!("{addr}: sensitive_attributes is not a list"));
            }
            check_block(&schema.block, &instance["attributes"], &addr, &mut out);
        }
    }
    (checked, out)
}

/// A state file as Terraform 1.15 with the real providers writes one: each resource is
/// `(type, name, attributes)` of a managed type of the schema files, its attributes those
/// given (what the provider read from the API) and every other attribute of the schema null,
/// every other block absent (an empty list, or null for single nesting), at the provider's
/// schema version.
pub fn terraform_state(resources: &[(&str, &str, Json)]) -> Json {
    let resources: Vec<Json> = resources
        .iter()
        .map(|(type_name, name, given)| {
            let schema = schemas()
                .get(&("managed".to_string(), type_name.to_string()))
                .unwrap_or_else(|| panic!("{type_name} is not in the schema files"));
            let provider = match type_name.split('_').next().unwrap_or_default() {
                "docker" => "kreuzwerker/docker".to_string(),
                other => format!("hashicorp/{other}"),
            };
            json!({
                "mode": "managed",
                "type": type_name,
                "name": name,
                "provider": format!("provider[\"registry.terraform.io/{provider}\"]"),
                "instances": [{
                    "schema_version": schema.version,
                    "attributes": filled(&schema.block, given),
                    "sensitive_attributes": [],
                    "identity_schema_version": 0,
                    "private": "eyJzY2hlbWFfdmVyc2lvbiI6IjAifQ=="
                }]
            })
        })
        .collect();
    json!({
        "version": 4,
        "terraform_version": "1.15.5",
        "serial": 3,
        "lineage": "0b7c2a4e-5d1f-4c63-9a57-2f1e8d3c6b90",
        "outputs": {},
        "resources": resources,
        "check_results": null
    })
}

/// A directory Terraform managed: `state` (checked against the schemas) as its
/// `terraform.tfstate` beside `main_tf`. labform reads it in place and plans no change, then
/// destroys the `count` objects it records.
pub fn take_over(stack: &crate::common::Stack, state: &Json, main_tf: &str, count: usize) {
    assert_state_matches_provider_schemas(state);
    stack.file(
        "terraform.tfstate",
        &serde_json::to_string_pretty(state).unwrap_or_default(),
    );
    stack.file("main.tf", main_tf);
    let secrets = sensitive_strings(state);
    let plan = stack.run(&["plan", "-detailed-exitcode"]);
    plan.code(0)
        .stdout_has("No changes")
        // What the Terraform provider wrote differently ("" where labform reads null) is no
        // change a plan acts on, so Terraform shows no drift note, and neither does labform.
        .nowhere("changed outside");
    let destroy = stack.run(&["destroy", "-auto-approve"]);
    destroy.ok().stdout_has(&format!("{count} destroyed"));
    for secret in &secrets {
        plan.nowhere(secret);
        destroy.nowhere(secret);
    }
}

/// The string values at the top-level paths a state marks sensitive
/// (`[{"type":"get_attr","value":"password"}]`): what no output may show.
fn sensitive_strings(state: &Json) -> Vec<String> {
    let instances = state["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| r["instances"].as_array().into_iter().flatten());
    let mut out = Vec::new();
    for instance in instances {
        for path in instance["sensitive_attributes"]
            .as_array()
            .into_iter()
            .flatten()
        {
            if let [step] = path.as_array().map(Vec::as_slice).unwrap_or_default() {
                if let Some(text) = step["value"]
                    .as_str()
                    .and_then(|name| instance["attributes"][name].as_str())
                {
                    out.push(text.to_string());
                }
            }
        }
    }
    out
}

/// `given` with every other attribute of `schema` null and every other block absent.
fn filled(schema: &Json, given: &Json) -> Json {
    let mut out = given.as_object().cloned().unwrap_or_default();
    for name in schema["attributes"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
    {
        out.entry(name.clone()).or_insert(Json::Null);
    }
    for (name, block) in schema["blocks"].as_object().into_iter().flatten() {
        let single = block["nesting"] == "single";
        match out.get_mut(name) {
            None => {
                out.insert(name.clone(), if single { Json::Null } else { json!([]) });
            }
            Some(Json::Array(items)) => {
                for item in items {
                    *item = filled(block, item);
                }
            }
            Some(item @ Json::Object(_)) => *item = filled(block, item),
            Some(_) => {}
        }
    }
    Json::Object(out)
}

fn check_block(schema: &Json, v: &Json, path: &str, out: &mut Vec<String>) {
    let Some(map) = v.as_object() else {
        out.push(format!("{path}: {v} where an object is expected"));
        return;
    };
    let empty = Map::new();
    let attributes = schema["attributes"].as_object().unwrap_or(&empty);
    let blocks = schema["blocks"].as_object().unwrap_or(&empty);
    for (name, attr) in attributes {
        match map.get(name) {
            None => out.push(format!("{path}.{name}: missing (null where unset)")),
            Some(value) => check_type(&attr["type"], value, &format!("{path}.{name}"), out),
        }
    }
    for (name, nested) in blocks {
        let at = format!("{path}.{name}");
        let Some(value) = map.get(name) else {
            out.push(format!("{at}: block missing"));
            continue;
        };
        match (nested["nesting"].as_str().unwrap_or_default(), value) {
            ("single", Json::Null) => {}
            ("single", Json::Object(_)) => check_block(nested, value, &at, out),
            ("list" | "set", Json::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    check_block(nested, item, &format!("{at}[{i}]"), out);
                }
            }
            (nesting, other) => out.push(format!(
                "{at}: {other} for a block of nesting mode `{nesting}` (a list, or for single \
                 nesting an object or null)"
            )),
        }
    }
    for name in map.keys() {
        // The plugin SDK gives every resource an `id` whether its source declares one or not.
        let implicit = name == "id" && schema["implicit_id"] == true;
        if !attributes.contains_key(name) && !blocks.contains_key(name) && !implicit {
            out.push(format!(
                "{path}.{name}: not an attribute of the provider's schema"
            ));
        }
    }
}

/// Whether `v` is the JSON Terraform writes for a value of type `ty` (Terraform's JSON type
/// notation: `"string"`, `["list","string"]`, `["object",{...}]`, `"dynamic"`).
fn check_type(ty: &Json, v: &Json, path: &str, out: &mut Vec<String>) {
    if v.is_null() {
        return;
    }
    let kind = ty
        .as_str()
        .or_else(|| ty.get(0).and_then(Json::as_str))
        .unwrap_or_default();
    let mut expect = |ok: bool, what: &str| {
        if !ok {
            out.push(format!(
                "{path}: {v} where the schema type {ty} wants {what}"
            ));
        }
    };
    match kind {
        "string" => expect(v.is_string(), "a string"),
        "number" => expect(v.is_number(), "a number"),
        "bool" => expect(v.is_boolean(), "a bool"),
        "dynamic" => {
            let wrapped = v
                .as_object()
                .is_some_and(|m| m.len() == 2 && m.contains_key("value") && m.contains_key("type"));
            expect(wrapped, "{\"value\": ..., \"type\": ...}");
        }
        "list" | "set" => match v.as_array() {
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    check_type(&ty[1], item, &format!("{path}[{i}]"), out);
                }
            }
            None => expect(false, "a JSON list"),
        },
        "map" => match v.as_object() {
            Some(items) => {
                for (k, item) in items {
                    check_type(&ty[1], item, &format!("{path}[{k:?}]"), out);
                }
            }
            None => expect(false, "a JSON object"),
        },
        "object" => match (v.as_object(), ty[1].as_object()) {
            (Some(items), Some(attrs)) => {
                for (k, attr_ty) in attrs {
                    match items.get(k) {
                        Some(item) => check_type(attr_ty, item, &format!("{path}.{k}"), out),
                        None => out.push(format!("{path}.{k}: missing in an object value")),
                    }
                }
                for k in items.keys().filter(|k| !attrs.contains_key(*k)) {
                    out.push(format!("{path}.{k}: not an attribute of the object type"));
                }
            }
            _ => expect(false, "a JSON object"),
        },
        "tuple" => match (v.as_array(), ty[1].as_array()) {
            (Some(items), Some(types)) if items.len() == types.len() => {
                for (i, (item, t)) in items.iter().zip(types).enumerate() {
                    check_type(t, item, &format!("{path}[{i}]"), out);
                }
            }
            _ => expect(false, "a JSON list of the tuple's length"),
        },
        other => out.push(format!(
            "{path}: unknown schema type `{other}` in the schema file"
        )),
    }
}

/// Every resource and data source type of the schema files, by (mode, type).
fn schemas() -> &'static BTreeMap<(String, String), TypeSchema> {
    static SCHEMAS: OnceLock<BTreeMap<(String, String), TypeSchema>> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/provider-schemas");
        let mut all = BTreeMap::new();
        for path in schema_files(&dir) {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
            let doc: Json = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()));
            for (section, mode) in [("resources", "managed"), ("data_sources", "data")] {
                for (name, schema) in doc[section].as_object().into_iter().flatten() {
                    let mut schema = schema.clone();
                    if name == "terraform_data" {
                        // `store` is Terraform 1.16's (alpha); the 1.15 the tests run has none.
                        if let Some(blocks) = schema["blocks"].as_object_mut() {
                            blocks.remove("store");
                        }
                    }
                    let schema = &schema;
                    let previous = all.insert(
                        (mode.to_string(), name.clone()),
                        TypeSchema {
                            block: with_sdk_additions(schema),
                            version: schema_version(schema),
                        },
                    );
                    assert!(
                        previous.is_none(),
                        "{mode} {name} is described twice; the second time in {}",
                        path.display()
                    );
                }
            }
        }
        all
    })
}

/// Every `*.json` of the schema directory, in name order: the files copied from the shared
/// schemas and those labform's sessions wrote from the providers' sources (`aws-<service>.json`).
/// A type described twice is an error: which file is right is not for a loader to decide.
fn schema_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

/// The schema with what the plugin SDK adds to a resource: an `id` (the files leave it out where
/// the source does not declare it), and the `timeouts` block of a resource that declares
/// timeouts (listed as `"timeouts": {"create": "20m", ...}`) where the file does not spell the
/// block out.
fn with_sdk_additions(schema: &Json) -> Json {
    let mut schema = schema.clone();
    schema["implicit_id"] = json!(true);
    let declared: Map<String, Json> = schema["timeouts"]
        .as_object()
        .map(|t| {
            t.keys()
                .filter(|k| ["create", "read", "update", "delete", "default"].contains(&k.as_str()))
                .map(|k| (k.clone(), json!({"type": "string", "optional": true})))
                .collect()
        })
        .unwrap_or_default();
    let has_block = schema["blocks"].get("timeouts").is_some();
    if !declared.is_empty() && !has_block {
        if !schema["blocks"].is_object() {
            schema["blocks"] = json!({});
        }
        schema["blocks"]["timeouts"] = json!({"nesting": "single", "attributes": declared});
    }
    schema
}

/// The resource's schema version: `schema_version` where the file gives it, else the version a
/// note states ("Schema version 2", "schema_version 1 (...)"; an identity's version is
/// another thing), else 0.
fn schema_version(schema: &Json) -> u64 {
    if let Some(v) = schema["schema_version"].as_u64() {
        return v;
    }
    for note in schema["notes"].as_array().into_iter().flatten() {
        let lower = note.as_str().unwrap_or_default().to_lowercase();
        for marker in ["schema version ", "schema_version "] {
            for (at, _) in lower.match_indices(marker) {
                if lower[..at].ends_with("identity ") {
                    continue;
                }
                let digits: String = lower[at + marker.len()..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                if let Ok(v) = digits.parse() {
                    return v;
                }
            }
        }
    }
    0
}

#[test]
fn schema_versions_are_read_from_the_files() {
    let version = |t: &str| {
        schemas()
            .get(&("managed".to_string(), t.to_string()))
            .map(|s| s.version)
    };
    assert_eq!(version("aws_instance"), Some(2));
    assert_eq!(version("aws_vpc"), Some(1));
    assert_eq!(version("aws_s3_bucket_versioning"), Some(0));
    assert_eq!(version("aws_s3_bucket_lifecycle_configuration"), Some(1));
    assert_eq!(version("google_storage_bucket"), Some(4));
    assert_eq!(version("docker_container"), Some(2));
    assert_eq!(version("docker_image"), Some(0));
    assert_eq!(version("random_password"), Some(3));
}

#[test]
fn a_state_off_the_schema_is_reported_at_each_place() {
    let state = json!({"resources": [{
        "mode": "managed", "type": "docker_volume", "name": "v", "provider": "x",
        "instances": [{"schema_version": 0, "sensitive_attributes": [],
            "attributes": {"name": 3, "driver": "local", "driver_opts": {"a": true},
                "id": "v", "labels": null, "cluster": [], "extra": 1}}]
    }]});
    let (checked, problems) = violations(&state);
    assert_eq!(checked, 1);
    let text = problems.join("\n");
    for expected in [
        "docker_volume.v: schema_version 0 where the provider's is 1",
        "docker_volume.v.name: 3 where the schema type",
        "docker_volume.v.driver_opts[\"a\"]: true",
        "docker_volume.v.mountpoint: missing",
        "docker_volume.v.labels: null for a block of nesting mode `set`",
        "docker_volume.v.extra: not an attribute",
    ] {
        assert!(text.contains(expected), "{expected} not in:\n{text}");
    }
    assert_eq!(problems.len(), 6, "{text}");
}

/// labform's own schemas, as the state encoding sees them: every attribute and block of the
/// Terraform provider's schema is implemented or declared unimplemented (so that state files
/// carry it), with the same nesting, and each type has the provider's schema version. Covers
/// the types no stack test applies.
#[test]
fn every_implemented_type_covers_its_terraform_schema() {
    use labform_sdk::{BlockSchema, Nesting, Unimplemented};

    fn nesting_name(n: Nesting) -> &'static str {
        match n {
            Nesting::Single => "single",
            Nesting::List => "list",
            Nesting::Set => "set",
        }
    }
    fn compare(ours: &BlockSchema, theirs: &Json, path: &str, out: &mut Vec<String>) {
        let empty = Map::new();
        for name in theirs["attributes"].as_object().unwrap_or(&empty).keys() {
            let implemented = ours.attributes.contains_key(name)
                // An attribute of a list or set of objects, which labform takes as blocks.
                || ours.blocks.contains_key(name);
            let declared = ours.unimplemented.get(name) == Some(&Unimplemented::Attribute);
            if !implemented && !declared {
                out.push(format!(
                    "{path}{name}: attribute neither implemented nor declared"
                ));
            }
        }
        for (name, block) in theirs["blocks"].as_object().unwrap_or(&empty) {
            let nesting = block["nesting"].as_str().unwrap_or_default();
            match (ours.blocks.get(name), ours.unimplemented.get(name)) {
                (Some(nested), _) => {
                    if nesting_name(nested.nesting) != nesting {
                        out.push(format!(
                            "{path}{name}: nesting `{}` where the provider's is `{nesting}`",
                            nesting_name(nested.nesting)
                        ));
                    }
                    compare(&nested.block, block, &format!("{path}{name}."), out);
                }
                (None, Some(Unimplemented::Block(n))) if nesting_name(*n) == nesting => {}
                _ => out.push(format!(
                    "{path}{name}: block ({nesting}) neither implemented nor declared"
                )),
            }
        }
    }

    let mut out = Vec::new();
    let mut compared = 0;
    for provider in labform::providers::all() {
        let all = [
            ("managed", provider.resource_schemas()),
            ("data", provider.data_source_schemas()),
        ];
        for (mode, ours_by_type) in all {
            for (type_name, ours) in ours_by_type {
                let Some(theirs) = schemas().get(&(mode.to_string(), type_name.to_string())) else {
                    continue;
                };
                compared += 1;
                if ours.version != theirs.version {
                    out.push(format!(
                        "{mode} {type_name}: version {} where the provider's is {}",
                        ours.version, theirs.version
                    ));
                }
                compare(
                    &ours,
                    &theirs.block,
                    &format!("{mode} {type_name}: "),
                    &mut out,
                );
            }
        }
    }
    assert!(compared >= 40, "only {compared} types compared");
    assert!(out.is_empty(), "{}", out.join("\n"));
}

/// The state of every builtin type (no API needed) against the providers' schemas.
#[test]
fn builtin_types_write_states_of_their_providers_schemas() {
    let s = crate::common::Stack::with(
        r#"
resource "terraform_data" "d" { input = { a = [1, "x"] } }
resource "random_id" "i" { byte_length = 4 }
resource "random_string" "s" { length = 8 }
resource "random_password" "p" { length = 12 }
resource "random_pet" "pet" {}
resource "random_integer" "n" {
  min = 1
  max = 9
}
resource "random_shuffle" "sh" { input = ["a", "b"] }
resource "random_uuid" "u" {}
resource "local_file" "f" {
  content  = "hi"
  filename = "${path.module}/out/f.txt"
}
resource "local_sensitive_file" "sf" {
  content  = "secret"
  filename = "${path.module}/out/sf.txt"
}
resource "tls_private_key" "k" { algorithm = "ED25519" }
"#,
    );
    s.run(&["apply", "-auto-approve"]).ok();
    let checked = assert_state_matches_provider_schemas(&s.state());
    assert_eq!(checked, 11);
}
