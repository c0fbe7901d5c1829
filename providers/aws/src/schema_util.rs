//! Schema pieces many resources share (`region`, `tags`/`tags_all`, `timeouts`) and the plan
//! every AWS resource uses: provider region and merged tags known at plan time.

use std::time::Duration;

use labform_sdk::{
    default_plan, Attribute, BlockSchema, NestedBlock, PlannedChange, ProviderError, Result, Type,
    Value,
};

use crate::client::Aws;
use crate::tags::planned_tags_all;

pub fn s() -> Type {
    Type::String
}
pub fn b() -> Type {
    Type::Bool
}
pub fn n() -> Type {
    Type::Number
}
pub fn smap() -> Type {
    Type::map(Type::String)
}
pub fn sset() -> Type {
    Type::set(Type::String)
}
pub fn slist() -> Type {
    Type::list(Type::String)
}

/// Adds the v6 per-resource `region` and the computed `id`.
pub fn regional(schema: BlockSchema) -> BlockSchema {
    schema
        .attr(
            "region",
            Attribute::optional_computed(s()).describe("the region; the provider's when unset"),
        )
        .attr("id", Attribute::computed(s()))
}

/// Adds `tags` and `tags_all`.
pub fn tagged(schema: BlockSchema) -> BlockSchema {
    schema
        .attr("tags", Attribute::optional(smap()))
        .attr("tags_all", Attribute::optional_computed(smap()))
}

/// Adds a `timeouts` block with the given operations (accepted; AWS calls here are bounded anyway).
pub fn timeouts(schema: BlockSchema, ops: &[&str]) -> BlockSchema {
    let mut block = BlockSchema::new();
    for op in ops {
        block = block.attr(op, Attribute::optional(s()));
    }
    schema.block("timeouts", NestedBlock::single(block))
}

/// A `timeouts` entry such as `10m`, `1h30m`, `45s`; `default` when unset or unreadable.
pub fn timeout(v: &Value, op: &str, default: Duration) -> Duration {
    let Some(text) = v.get("timeouts").get(op).as_str() else {
        return default;
    };
    match labform_sdk::go_duration(text) {
        Ok(d) if !d.is_zero() => d,
        _ => default,
    }
}

/// The `filter { name, values }` block of data sources.
pub fn filter_block(schema: BlockSchema) -> BlockSchema {
    schema.block(
        "filter",
        NestedBlock::set(
            BlockSchema::new()
                .attr("name", Attribute::required(s()))
                .attr("values", Attribute::required(sset())),
        ),
    )
}

/// The plan of an AWS resource: `region` is the provider's (another region is not supported
/// yet), `tags_all` is the merged set, then the default plan.
pub fn plan(
    aws: &Aws,
    schema: &BlockSchema,
    prior: Option<&Value>,
    config: &Value,
) -> Result<PlannedChange> {
    let mut config = config.clone();
    if schema.attributes.contains_key("region") {
        check_region(aws, &config)?;
        config.set("region", Value::from(aws.region.as_str()));
    }
    if schema.attributes.contains_key("tags_all") {
        let tags_all = planned_tags_all(aws, config.get("tags"));
        config.set("tags_all", tags_all);
    }
    Ok(default_plan(schema, prior, &config))
}

/// Rejects a per-resource `region` other than the provider's.
pub fn check_region(aws: &Aws, config: &Value) -> Result<()> {
    match config.str_attr("region") {
        Some(r) if r != aws.region => Err(ProviderError::unsupported(format!(
            "`region = \"{r}\"` differs from the provider's region `{}`: a per-resource region is not supported yet",
            aws.region
        ))
        .with_hint("use a second provider block with `alias` and that region")),
        _ => Ok(()),
    }
}

/// Fills `out` with the attributes of `from` that only configuration knows (the API never
/// returns them), for those named.
pub fn keep(out: &mut Value, from: &Value, names: &[&str]) {
    for name in names {
        out.set(*name, from.get(name).clone());
    }
}

/// `v` with each boolean of `defaults` that it holds as null set to its default: what the API
/// never answers, or a blank value's settings before any read.
pub fn bool_defaults(mut v: Value, defaults: &[(&str, bool)]) -> Value {
    for (name, default) in defaults {
        if v.get(name).is_null() {
            v.set(*name, (*default).into());
        }
    }
    v
}

/// A string attribute that must be known and set at apply time.
pub fn req<'a>(v: &'a Value, name: &str) -> Result<&'a str> {
    v.str_attr(name)
        .ok_or_else(|| ProviderError::invalid(format!("`{name}` must be set to a known value")))
}

/// Replaces every `Unknown` left in a value with null, so what goes to state is wholly known.
pub fn known(v: Value) -> Value {
    match v {
        Value::Unknown => Value::Null,
        Value::List(items) => Value::List(items.into_iter().map(known).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, known(v))).collect()),
        other => other,
    }
}

/// A set attribute's value: `items` in the order sets are kept in.
pub fn set_of(items: Vec<Value>) -> Value {
    Value::List(labform_sdk::types::normalize_set(items))
}

/// A string the API answered as a state value: null when absent or empty.
pub fn opt_str(s: Option<&str>) -> Value {
    s.filter(|s| !s.is_empty()).map_or(Value::Null, Value::from)
}

/// A 32-bit number the API answered as a state value: null when absent.
pub fn opt_int(i: Option<i32>) -> Value {
    i.map_or(Value::Null, |i| Value::from(i64::from(i)))
}

/// A number attribute as the 32-bit integer the APIs take (`None`: unset or out of range).
pub fn int(v: &Value, name: &str) -> Option<i32> {
    v.i64_attr(name).and_then(|i| i32::try_from(i).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_parse_like_go_durations() {
        let v = Value::from_pairs([(
            "timeouts",
            Value::from_pairs([
                ("create", Value::from("1h30m")),
                ("delete", Value::from("45s")),
            ]),
        )]);
        assert_eq!(
            timeout(&v, "create", Duration::from_secs(1)),
            Duration::from_secs(5400)
        );
        assert_eq!(
            timeout(&v, "delete", Duration::from_secs(1)),
            Duration::from_secs(45)
        );
        assert_eq!(
            timeout(&v, "update", Duration::from_secs(7)),
            Duration::from_secs(7)
        );
    }
}
