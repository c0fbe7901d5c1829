//! terraform_data plan decisions and apply results.

use labform_sdk::{OpContext, Resource, Value};

use super::data::TerraformData;

fn config(input: Value, triggers: Value) -> Value {
    Value::from_pairs([
        ("id", Value::Null),
        ("input", input),
        ("output", Value::Null),
        ("triggers_replace", triggers),
    ])
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime")
        .block_on(f)
}

fn apply(r: &TerraformData, prior: Option<&Value>, cfg: &Value) -> Value {
    let plan = r.plan(prior, cfg).unwrap();
    let ctx = OpContext::silent();
    let state = match prior {
        Some(p) if plan.requires_replace.is_empty() => block_on(r.update(p, &plan.planned, &ctx)),
        _ => block_on(r.create(&plan.planned, &ctx)),
    }
    .unwrap();
    assert!(state.is_wholly_known());
    state
}

fn is_go_uuid(id: &Value) -> bool {
    let s = id.as_str().unwrap_or("");
    let lens: Vec<usize> = s.split('-').map(str::len).collect();
    lens == [8, 4, 4, 4, 12]
        && s.chars()
            .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c))
}

#[test]
fn create_plans_unknown_output_or_null_for_null_input() {
    let r = TerraformData::new();
    let p = r.plan(None, &config("a".into(), Value::Null)).unwrap();
    assert_eq!(
        (p.planned.get("id"), p.planned.get("output")),
        (&Value::Unknown, &Value::Unknown)
    );
    let p = r.plan(None, &config(Value::Null, Value::Null)).unwrap();
    assert_eq!(
        (p.planned.get("id"), p.planned.get("output")),
        (&Value::Unknown, &Value::Null)
    );
    let state = apply(
        &r,
        None,
        &config(Value::List(vec![1.0.into(), "x".into()]), Value::Null),
    );
    assert_eq!(state.get("output"), state.get("input"));
    assert!(is_go_uuid(state.get("id")), "{}", state.get("id"));
}

#[test]
fn input_change_updates_in_place_and_keeps_the_id() {
    let r = TerraformData::new();
    let prior = apply(&r, None, &config("v1".into(), "t".into()));
    let cfg = config("v2".into(), "t".into());
    let p = r.plan(Some(&prior), &cfg).unwrap();
    assert!(p.requires_replace.is_empty());
    assert_eq!(p.planned.get("id"), prior.get("id"));
    assert_eq!(p.planned.get("output"), &Value::Unknown);
    let state = apply(&r, Some(&prior), &cfg);
    assert_eq!(
        (state.get("id"), state.get("output")),
        (prior.get("id"), &"v2".into())
    );
    let to_null = apply(&r, Some(&state), &config(Value::Null, "t".into()));
    assert_eq!(to_null.get("output"), &Value::Null);
}

#[test]
fn triggers_change_replaces_with_a_new_id() {
    let r = TerraformData::new();
    let prior = apply(&r, None, &config("v".into(), Value::List(vec!["a".into()])));
    for triggers in [Value::List(vec!["b".into()]), Value::Null, Value::Unknown] {
        let p = r
            .plan(Some(&prior), &config("v".into(), triggers.clone()))
            .unwrap();
        assert_eq!(
            p.requires_replace,
            vec![vec!["triggers_replace".to_string()]],
            "{triggers}"
        );
        assert_eq!(
            (p.planned.get("id"), p.planned.get("output")),
            (&Value::Unknown, &Value::Unknown)
        );
    }
    let state = apply(
        &r,
        Some(&prior),
        &config("v".into(), Value::List(vec!["b".into()])),
    );
    assert_ne!(state.get("id"), prior.get("id"));
}

#[test]
fn unchanged_config_is_a_no_op_that_keeps_output() {
    let r = TerraformData::new();
    let prior = apply(
        &r,
        None,
        &config(Value::from_pairs([("k", "v".into())]), Value::Number(1.0)),
    );
    let p = r
        .plan(
            Some(&prior),
            &config(Value::from_pairs([("k", "v".into())]), Value::Number(1.0)),
        )
        .unwrap();
    assert!(p.requires_replace.is_empty());
    assert_eq!(p.planned, prior);
}

#[test]
fn read_keeps_state_import_takes_any_id_and_config_cannot_set_read_only_attributes() {
    let r = TerraformData::new();
    let s = apply(&r, None, &config("v".into(), Value::Null));
    assert_eq!(block_on(r.read(&s)).unwrap(), Some(s.clone()));
    assert!(block_on(r.delete(&s, &OpContext::silent())).is_ok());
    assert!(!r.has_remote_object());
    let imported = block_on(r.import("anything")).unwrap();
    assert_eq!(
        (imported.get("id"), imported.get("input")),
        (&"anything".into(), &Value::Null)
    );
    let mut bad = config("v".into(), Value::Null);
    bad.set("output", "x".into());
    assert!(r.validate(&bad).is_err());
    assert!(r.validate(&config("v".into(), Value::Null)).is_ok());
}
