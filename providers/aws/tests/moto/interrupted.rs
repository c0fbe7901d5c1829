//! The interrupted-create template: every resource type's adoption test calls
//! [`interrupted_create_is_adopted`], so a type added later gets the check by one line.

use std::sync::Arc;

use labform_sdk::{ConfiguredProvider, OpContext, Resource, Value, INSTANCE_KEY};

use crate::common::*;

/// How a type finds the object of an interrupted create.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FoundBy {
    /// The per-instance mark or idempotency token: another token finds nothing.
    Token,
    /// A unique name, adopted only when it carries this create's mark: another token is an
    /// error that names the object.
    Name,
    /// A natural key whose owner the API cannot tell (a route, a bucket's setting): another
    /// token finds the same object.
    Key,
}

/// The intent the engine records before a create: the planned value with unknowns null.
fn intent_of(planned: &Value) -> Value {
    match planned {
        Value::Unknown => Value::Null,
        Value::List(items) => Value::List(items.iter().map(intent_of).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), intent_of(v))).collect())
        }
        other => other.clone(),
    }
}

/// What an adoption test found: the adopted state, and the intent and token it was found by.
pub struct Adopted {
    pub state: Value,
    pub intent: Value,
    pub token: String,
}

/// Creates `config` with a create token and throws the result away, as a run killed right
/// after the call would. `find_interrupted` must then find that very object by the token (and,
/// per `by`, nothing or an error with another token); its tags must not show the per-instance
/// mark; planning against it must change nothing; and `count(token)` (boto3) must see exactly
/// one object. Returns what was adopted, for the caller to delete.
pub async fn interrupted_create_is_adopted(
    r: &Arc<dyn Resource>,
    config: &Value,
    by: FoundBy,
    count: impl Fn(&str) -> usize,
) -> Adopted {
    let t = r.type_name();
    let planned = plan(r, None, config).planned;
    let intent = intent_of(&planned);
    let token = unique("token");
    let before = r
        .find_interrupted(&intent, &token)
        .await
        .unwrap_or_else(|e| panic!("{t}: find before the create: {e}"));
    assert!(before.is_none(), "{t}: found an object before the create");

    let ctx = OpContext::silent().with_create_token(token.as_str());
    let made = r
        .create(&planned, &ctx)
        .await
        .unwrap_or_else(|e| panic!("{t}: create: {e}"));
    // The run is killed here: `made` never reaches state.
    let found = r
        .find_interrupted(&intent, &token)
        .await
        .unwrap_or_else(|e| panic!("{t}: find: {e}"))
        .unwrap_or_else(|| panic!("{t}: the object of the interrupted create was not found"));
    assert!(
        made.str_attr("id").is_some_and(|id| !id.is_empty()),
        "{t}: no id: {made}"
    );
    assert_eq!(found.get("id"), made.get("id"), "{t}: found another object");
    for attr in ["tags", "tags_all"] {
        if let Some(m) = found.get(attr).as_object() {
            assert!(
                !m.contains_key(INSTANCE_KEY),
                "{t}: `{attr}` shows the per-instance mark: {found}"
            );
        }
    }

    let other = r.find_interrupted(&intent, "another-token").await;
    match (by, other) {
        (FoundBy::Token, Ok(None)) => {}
        (FoundBy::Name, Err(e)) => assert!(
            e.message.contains("cannot be shown to have made it") && e.hint.is_some(),
            "{t}: {e}"
        ),
        (FoundBy::Key, Ok(Some(v))) => assert_eq!(v.get("id"), made.get("id"), "{t}"),
        (by, other) => panic!("{t}: found by {by:?}, but another token gave {other:?}"),
    }
    assert_eq!(
        count(&token),
        1,
        "{t}: boto3 does not see exactly one object"
    );
    assert_no_change(r, &found, config).await;
    Adopted {
        state: found,
        intent,
        token,
    }
}

/// What a boto3 `script` that prints a count printed (0 for anything else): the usual body
/// of a count for [`interrupted_create_is_adopted`].
pub fn py_count(script: &str) -> usize {
    py(script).as_u64().unwrap_or(0) as usize
}

/// A Glue object of `type_name` in a stack of its own (`stack_prefix`), named `name` and
/// configured by `pairs` besides: an interrupted create is found by that name (the `kind` object
/// among `names`, a boto3 list of names) and adopted, then deleted.
pub async fn glue_object_is_adopted(
    stack_prefix: &str,
    type_name: &str,
    name: &str,
    pairs: &[(&str, Value)],
    (kind, names): (&str, &str),
) {
    let r = lone_resource(stack_prefix, type_name).await;
    let mut all = vec![("name", Value::from(name))];
    all.extend_from_slice(pairs);
    let count = glue_marked(kind, names, name);
    let adopted = interrupted_create_is_adopted(&r, &config(&r, &all), FoundBy::Name, count).await;
    delete(&r, &adopted.state).await;
}

/// Where [`Tagged::count`] finds a service's objects' tags.
pub struct Tagged {
    /// Statements that make the client.
    pub setup: &'static str,
    /// The `Key`/`Value` tag list of the object `o`, a Python expression.
    pub tags_of_o: &'static str,
}

impl Tagged {
    /// The count for [`adopt`]: how many of `objects` (a boto3 expression) carry
    /// `labform-instance = token`.
    pub fn count(&self, objects: &'static str) -> impl Fn(&str) -> usize + '_ {
        move |token| {
            py_count(&format!(
                "{}\nout(sum(any(x['Key']=={INSTANCE_KEY:?} and x['Value']=={token:?} for x in {}) for o in {objects}))",
                self.setup, self.tags_of_o
            ))
        }
    }
}

/// Configures `type_name` with `pairs` and runs [`interrupted_create_is_adopted`] on it;
/// returns the resource and what was adopted.
pub async fn adopt(
    p: &Arc<dyn ConfiguredProvider>,
    type_name: &str,
    pairs: &[(&str, Value)],
    by: FoundBy,
    count: impl Fn(&str) -> usize,
) -> (Arc<dyn Resource>, Adopted) {
    let r = resource(p, type_name);
    let adopted = interrupted_create_is_adopted(&r, &config(&r, pairs), by, count).await;
    (r, adopted)
}

/// The `name_prefix` half of an adoption test: `r` configured by `pairs` and
/// `name_prefix = prefix` is adopted by its create token, under a name it derives from the
/// prefix; then it is deleted.
pub async fn prefixed_is_adopted(
    r: &Arc<dyn Resource>,
    prefix: &str,
    pairs: &[(&str, Value)],
    count: impl Fn(&str) -> usize,
) {
    let mut all = vec![("name_prefix", Value::from(prefix))];
    all.extend_from_slice(pairs);
    let prefixed = interrupted_create_is_adopted(r, &config(r, &all), FoundBy::Token, count).await;
    assert!(prefixed
        .state
        .str_attr("name")
        .is_some_and(|n| n.starts_with(prefix)));
    delete(r, &prefixed.state).await;
}

/// The adoption test of a type named by `name` or `name_prefix` (IAM's): `r` configured by
/// `pairs` and `name = name` is adopted by its name, then [`prefixed_is_adopted`] with `prefix`.
pub async fn named_and_prefixed_are_adopted(
    r: &Arc<dyn Resource>,
    name: &str,
    prefix: &str,
    pairs: &[(&str, Value)],
    count: impl Fn(&str) -> usize,
) {
    let mut all = vec![("name", Value::from(name))];
    all.extend_from_slice(pairs);
    let named = interrupted_create_is_adopted(r, &config(r, &all), FoundBy::Name, &count).await;
    delete(r, &named.state).await;
    prefixed_is_adopted(r, prefix, pairs, count).await;
}

/// The count for [`interrupted_create_is_adopted`]: how many EC2 objects `list` (a boto3
/// expression over the filter `F`, which selects `labform-instance = token`) returns.
pub fn count_ec2(list: &str) -> impl Fn(&str) -> usize + '_ {
    move |token| {
        let j = py(&format!(
            "F=[{{'Name':'tag:{INSTANCE_KEY}','Values':[{token:?}]}}]\nout(len({list}))"
        ));
        j.as_u64().unwrap_or(u64::MAX) as usize
    }
}
