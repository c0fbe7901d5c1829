//! Plan decisions and generated values of the random_* types, through the `Resource` trait.

use labform_sdk::{OpContext, Provider, Resource, Value};

use super::id::RandomId;
use super::integer::RandomInteger;
use super::password::RandomPassword;
use super::pet::RandomPet;
use super::resource::{Kind, RandomResource};
use super::string::RandomString;
use super::uuid::RandomUuid;
use super::RandomProvider;
use crate::encode;

fn config<K: Kind>(pairs: &[(&str, Value)]) -> Value {
    let mut v = K::schema().empty_value();
    for (k, val) in pairs {
        v.set(*k, val.clone());
    }
    v
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime")
        .block_on(f)
}

/// Plans a create and applies it.
fn created<K: Kind>(cfg: &Value) -> Value {
    let r = RandomResource::<K>::new();
    let plan = r.plan(None, cfg).expect("plan");
    assert!(plan.requires_replace.is_empty());
    let state = block_on(r.create(&plan.planned, &OpContext::silent())).expect("create");
    assert!(state.is_wholly_known());
    state
}

fn keepers(pairs: &[(&str, Value)]) -> Value {
    Value::from_pairs(pairs.iter().map(|(k, v)| (*k, v.clone())))
}

#[test]
fn random_id_create_plans_unknown_encodings_and_they_decode_to_the_same_bytes() {
    let r = RandomResource::<RandomId>::new();
    let cfg = config::<RandomId>(&[("byte_length", Value::Number(9.0)), ("prefix", "p-".into())]);
    let plan = r.plan(None, &cfg).unwrap();
    for attr in ["b64_url", "b64_std", "hex", "dec", "id"] {
        assert_eq!(plan.planned.get(attr), &Value::Unknown, "{attr}");
    }
    let s = created::<RandomId>(&cfg);
    let id = s.str_attr("id").unwrap();
    let bytes = encode::decode_b64_url(id).unwrap();
    assert_eq!(bytes.len(), 9);
    assert!(
        id.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
        "{id}"
    );
    assert_eq!(s.str_attr("b64_url").unwrap(), format!("p-{id}"));
    let std = s.str_attr("b64_std").unwrap().strip_prefix("p-").unwrap();
    assert_eq!(encode::decode_b64_std(std).unwrap(), bytes);
    let hex = s.str_attr("hex").unwrap().strip_prefix("p-").unwrap();
    let from_hex: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    assert_eq!(from_hex, bytes);
    let dec = s.str_attr("dec").unwrap().strip_prefix("p-").unwrap();
    let mut be = [0u8; 16];
    be[16 - 9..].copy_from_slice(&bytes);
    assert_eq!(dec, u128::from_be_bytes(be).to_string());
}

#[test]
fn random_id_std_encoding_is_padded_and_zero_bytes_give_empty_encodings() {
    let s = created::<RandomId>(&config::<RandomId>(&[("byte_length", Value::Number(4.0))]));
    assert!(s.str_attr("b64_std").unwrap().ends_with("=="));
    assert_eq!(s.str_attr("b64_url").unwrap().len(), 6);
    let z = created::<RandomId>(&config::<RandomId>(&[("byte_length", Value::Number(0.0))]));
    assert_eq!((z.str_attr("id"), z.str_attr("dec")), (Some(""), Some("0")));
}

#[test]
fn random_id_plans_no_op_replace_and_in_place_keepers_update() {
    let r = RandomResource::<RandomId>::new();
    let cfg = config::<RandomId>(&[("byte_length", Value::Number(8.0))]);
    let prior = created::<RandomId>(&cfg);

    let same = r.plan(Some(&prior), &cfg).unwrap();
    assert_eq!(
        (same.planned.clone(), same.requires_replace.len()),
        (prior.clone(), 0)
    );

    let longer = config::<RandomId>(&[("byte_length", Value::Number(9.0))]);
    let p = r.plan(Some(&prior), &longer).unwrap();
    assert_eq!(p.requires_replace, vec![vec!["byte_length".to_string()]]);
    assert_eq!(p.planned.get("hex"), &Value::Unknown);

    let prefixed =
        config::<RandomId>(&[("byte_length", Value::Number(8.0)), ("prefix", "x".into())]);
    assert_eq!(
        r.plan(Some(&prior), &prefixed).unwrap().requires_replace,
        vec![vec!["prefix".to_string()]]
    );

    let null_keepers = config::<RandomId>(&[
        ("byte_length", Value::Number(8.0)),
        ("keepers", Value::object()),
    ]);
    let p = r.plan(Some(&prior), &null_keepers).unwrap();
    assert!(p.requires_replace.is_empty());
    assert_ne!(
        p.planned, prior,
        "keepers null -> {{}} is an in-place update"
    );
    assert_eq!(
        p.planned.get("hex"),
        prior.get("hex"),
        "generated values are kept"
    );
    let updated = block_on(r.update(&prior, &p.planned, &OpContext::silent())).unwrap();
    assert_eq!(
        (updated.get("id"), updated.get("keepers")),
        (prior.get("id"), &Value::object())
    );

    let real = config::<RandomId>(&[
        ("byte_length", Value::Number(8.0)),
        ("keepers", keepers(&[("ami", "ami-1".into())])),
    ]);
    let p = r.plan(Some(&prior), &real).unwrap();
    assert_eq!(p.requires_replace, vec![vec!["keepers".to_string()]]);
    assert_eq!(p.planned.get("id"), &Value::Unknown);
}

#[test]
fn random_id_import_splits_the_prefix_at_the_last_comma() {
    let r = RandomResource::<RandomId>::new();
    let s = block_on(r.import("a,b,AAEC_w")).unwrap();
    assert_eq!(s.get("prefix"), &Value::from("a,b"));
    assert_eq!(s.get("byte_length"), &Value::Number(4.0));
    assert_eq!(s.get("hex"), &Value::from("a,b000102ff"));
    assert_eq!(s.get("id"), &Value::from("AAEC_w"));
    let bare = block_on(r.import("AAEC_w")).unwrap();
    assert_eq!(bare.get("prefix"), &Value::Null);
    assert!(block_on(r.import("not base64!")).is_err());
}

#[test]
fn random_string_defaults_and_generation() {
    let r = RandomResource::<RandomString>::new();
    let cfg = config::<RandomString>(&[("length", Value::Number(24.0))]);
    let plan = r.plan(None, &cfg).unwrap();
    for flag in ["special", "upper", "lower", "number", "numeric"] {
        assert_eq!(plan.planned.get(flag), &Value::Bool(true), "{flag}");
    }
    for min in ["min_upper", "min_lower", "min_numeric", "min_special"] {
        assert_eq!(plan.planned.get(min), &Value::Number(0.0), "{min}");
    }
    assert_eq!(plan.planned.get("result"), &Value::Unknown);
    let s = created::<RandomString>(&cfg);
    let result = s.str_attr("result").unwrap();
    assert_eq!(result.chars().count(), 24);
    assert_eq!(s.get("id"), s.get("result"));
}

#[test]
fn random_string_number_and_numeric_stay_in_sync() {
    let r = RandomResource::<RandomString>::new();
    let only_number =
        config::<RandomString>(&[("length", Value::Number(30.0)), ("number", false.into())]);
    let p = r.plan(None, &only_number).unwrap();
    assert_eq!(
        (p.planned.get("number"), p.planned.get("numeric")),
        (&false.into(), &false.into())
    );
    let s = created::<RandomString>(&only_number);
    assert!(!s
        .str_attr("result")
        .unwrap()
        .chars()
        .any(|c| c.is_ascii_digit()));
    let both = config::<RandomString>(&[
        ("length", Value::Number(3.0)),
        ("number", false.into()),
        ("numeric", true.into()),
    ]);
    assert!(r.plan(None, &both).is_err());
    assert!(r.validate(&both).is_err());
}

#[test]
fn random_string_validation_follows_terraform() {
    let r = RandomResource::<RandomString>::new();
    assert!(r
        .validate(&config::<RandomString>(&[("length", Value::Number(0.0))]))
        .is_err());
    let too_short = config::<RandomString>(&[
        ("length", Value::Number(3.0)),
        ("min_upper", Value::Number(2.0)),
        ("min_special", Value::Number(2.0)),
    ]);
    let err = r.validate(&too_short).unwrap_err();
    assert!(err.message.contains("(4)"), "{}", err.message);
    let nothing = config::<RandomString>(&[
        ("length", Value::Number(3.0)),
        ("numeric", false.into()),
        ("special", false.into()),
        ("upper", false.into()),
        ("lower", false.into()),
    ]);
    assert!(r.validate(&nothing).is_err());
    let unknown_length = config::<RandomString>(&[("length", Value::Unknown)]);
    assert!(r.validate(&unknown_length).is_ok());
}

#[test]
fn random_string_flag_change_replaces_and_override_special_follows_its_rule() {
    let r = RandomResource::<RandomString>::new();
    let with = |pairs: &[(&str, Value)]| {
        let mut all = vec![("length", Value::Number(8.0))];
        all.extend_from_slice(pairs);
        config::<RandomString>(&all)
    };
    let plan = |prior: &Value, pairs: &[(&str, Value)]| r.plan(Some(prior), &with(pairs)).unwrap();
    let replaced_for = |attr: &str| vec![vec![attr.to_string()]];
    let prior = created::<RandomString>(&with(&[("override_special", "".into())]));
    let p = plan(&prior, &[("override_special", Value::Null)]);
    assert!(p.requires_replace.is_empty(), "null over \"\" is in place");
    assert_eq!(p.planned.get("result"), prior.get("result"));
    let p = plan(&prior, &[("override_special", Value::Unknown)]);
    assert!(
        p.requires_replace.is_empty(),
        "unknown does not ask for replacement"
    );
    let p = plan(&prior, &[("override_special", "_".into())]);
    assert_eq!(p.requires_replace, replaced_for("override_special"));
    assert_eq!(p.planned.get("result"), &Value::Unknown);
    let plain = created::<RandomString>(&with(&[]));
    let p = plan(&plain, &[("override_special", "".into())]);
    assert_eq!(p.requires_replace, replaced_for("override_special"));
    let p = plan(&plain, &[("special", false.into())]);
    assert_eq!(p.requires_replace, replaced_for("special"));
    let p = plan(&plain, &[("min_lower", Value::Number(2.0))]);
    assert_eq!(p.requires_replace, replaced_for("min_lower"));
}

#[test]
fn random_string_import_uses_the_byte_length() {
    let s = block_on(RandomResource::<RandomString>::new().import("héllo")).unwrap();
    assert_eq!(s.get("length"), &Value::Number(6.0));
    assert_eq!(
        (s.get("id"), s.get("result")),
        (&"héllo".into(), &"héllo".into())
    );
    assert_eq!(s.get("numeric"), &Value::Bool(true));
    assert_eq!(s.get("override_special"), &Value::Null);
}

#[test]
fn random_password_is_sensitive_with_a_go_style_bcrypt_hash() {
    let schema = RandomPassword::schema();
    assert!(schema.is_sensitive("result") && schema.is_sensitive("bcrypt_hash"));
    assert!(!RandomString::schema().is_sensitive("result"));
    let s = created::<RandomPassword>(&config::<RandomPassword>(&[
        ("length", Value::Number(20.0)),
        ("min_special", Value::Number(3.0)),
        ("override_special", "#".into()),
    ]));
    assert_eq!(s.get("id"), &Value::from("none"));
    let result = s.str_attr("result").unwrap();
    assert!(result.matches('#').count() >= 3, "{result}");
    let hash = s.str_attr("bcrypt_hash").unwrap();
    assert!(hash.starts_with("$2a$10$") && hash.len() == 60, "{hash}");
    assert!(bcrypt::verify(result, hash).unwrap());
    assert!(!bcrypt::verify("something else", hash).unwrap());
}

#[test]
fn random_password_bcrypt_covers_only_the_first_72_bytes() {
    let long = "a".repeat(72) + "tail";
    let hash = super::password::bcrypt_hash(&long).unwrap();
    assert!(bcrypt::verify("a".repeat(72), &hash).unwrap());
}

#[test]
fn random_pet_defaults_and_prefix() {
    let r = RandomResource::<RandomPet>::new();
    let plan = r.plan(None, &config::<RandomPet>(&[])).unwrap();
    assert_eq!(plan.planned.get("length"), &Value::Number(2.0));
    assert_eq!(plan.planned.get("separator"), &Value::from("-"));
    let s = created::<RandomPet>(&config::<RandomPet>(&[
        ("prefix", "lab".into()),
        ("length", Value::Number(3.0)),
    ]));
    let id = s.str_attr("id").unwrap();
    assert!(id.starts_with("lab-") && id.split('-').count() == 4, "{id}");
    let prior = s.clone();
    let p = r.plan(
        Some(&prior),
        &config::<RandomPet>(&[("prefix", "lab".into()), ("length", Value::Number(3.0))]),
    );
    assert_eq!(p.unwrap().planned, prior);
    let p = r
        .plan(
            Some(&prior),
            &config::<RandomPet>(&[("prefix", "lab".into())]),
        )
        .unwrap();
    assert_eq!(p.requires_replace, vec![vec!["length".to_string()]]);
}

#[test]
fn random_integer_plans_and_creates() {
    let r = RandomResource::<RandomInteger>::new();
    let cfg = config::<RandomInteger>(&[
        ("min", Value::Number(1.0)),
        ("max", Value::Number(50000.0)),
        ("seed", "course".into()),
    ]);
    let s = created::<RandomInteger>(&cfg);
    let n = s.get("result").as_i64().unwrap();
    assert!((1..=50000).contains(&n));
    assert_eq!(s.get("id"), &Value::from(n.to_string()));
    assert_eq!(
        created::<RandomInteger>(&cfg).get("result"),
        s.get("result"),
        "seeded: reproducible"
    );
    let p = r.plan(
        Some(&s),
        &config::<RandomInteger>(&[
            ("min", Value::Number(1.0)),
            ("max", Value::Number(60000.0)),
            ("seed", "course".into()),
        ]),
    );
    assert_eq!(p.unwrap().requires_replace, vec![vec!["max".to_string()]]);
    let bad = config::<RandomInteger>(&[("min", Value::Number(5.0)), ("max", Value::Number(1.0))]);
    let plan = r.plan(None, &bad).unwrap();
    assert!(block_on(r.create(&plan.planned, &OpContext::silent())).is_err());
}

#[test]
fn random_uuid_creates_lowercase_text_and_imports_canonically() {
    let s = created::<RandomUuid>(&config::<RandomUuid>(&[]));
    let id = s.str_attr("id").unwrap();
    assert_eq!(s.get("result"), s.get("id"));
    assert!(super::uuid::parse_uuid(id).is_ok());
    assert_eq!(id, id.to_ascii_lowercase());
    let r = RandomResource::<RandomUuid>::new();
    let imported = block_on(r.import("0A1B2C3D-0000-1111-2222-ABCDEFABCDEF")).unwrap();
    assert_eq!(
        imported.get("id"),
        &Value::from("0a1b2c3d-0000-1111-2222-abcdefabcdef")
    );
    assert!(block_on(r.import("0a1b2c3d00001111222233334444abcd")).is_err());
}

#[test]
fn read_update_delete_touch_only_state_and_no_intent_is_needed() {
    let r = RandomResource::<RandomUuid>::new();
    let s = created::<RandomUuid>(&config::<RandomUuid>(&[]));
    assert_eq!(block_on(r.read(&s)).unwrap(), Some(s.clone()));
    assert!(block_on(r.delete(&s, &OpContext::silent())).is_ok());
    assert!(!r.has_remote_object());
    assert!(block_on(RandomResource::<RandomPet>::new().import("x")).is_err());
}

#[test]
fn schemas_list_exactly_terraforms_attributes() {
    let schemas = RandomProvider.resource_schemas();
    let names = |t: &str| {
        schemas[t]
            .attributes
            .keys()
            .cloned()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(
        names("random_id"),
        "b64_std b64_url byte_length dec hex id keepers prefix"
    );
    let strings =
        "id keepers length lower min_lower min_numeric min_special min_upper number numeric \
                   override_special result special upper";
    assert_eq!(names("random_string"), strings);
    assert_eq!(
        names("random_password"),
        strings.replace("id keepers", "bcrypt_hash id keepers")
    );
    assert_eq!(names("random_pet"), "id keepers length prefix separator");
    assert_eq!(names("random_integer"), "id keepers max min result seed");
    assert_eq!(
        names("random_shuffle"),
        "id input keepers result result_count seed"
    );
    assert_eq!(names("random_uuid"), "id keepers result");
    let ctx = labform_sdk::ProviderContext {
        stack_name: "s".into(),
        stack_dir: ".".into(),
        stack_id: String::new(),
        expires: None,
    };
    let configured = block_on(RandomProvider.configure(&Value::object(), &ctx)).unwrap();
    for t in schemas.keys() {
        let res = configured
            .resource(t)
            .unwrap_or_else(|| panic!("{t} has a schema but no resource"));
        assert_eq!(res.schema(), &schemas[*t]);
    }
}
