//! `plan -generate-config-out`: the `resource` block for an object an `import` block reads,
//! written from what its provider read, as Terraform generates it: only arguments a
//! configuration may set (computed-only attributes left out), null values and values equal to
//! the schema's default left out, sensitive values never written (a comment says to set them).

use labform_sdk::{BlockSchema, Nesting, Presence, Value};

use crate::fmt::literal::{quoted, value};

/// The comment beside an argument whose value is sensitive and so was not written.
pub const SENSITIVE_LEFT_OUT: &str = "# sensitive value left out: set it yourself";

/// The unformatted text of `resource "TYPE" "NAME" { ... }` for `object`; `provider` is the
/// configuration key when it is not the type's implied one (`aws.west`).
pub fn resource_block(
    type_name: &str,
    name: &str,
    provider: Option<&str>,
    schema: &BlockSchema,
    object: &Value,
) -> String {
    let mut out = format!("resource {} {} {{\n", quoted(type_name), quoted(name));
    if let Some(p) = provider {
        out.push_str(&format!("  provider = {p}\n"));
    }
    body(schema, object, 1, &mut out);
    out.push_str("}\n");
    out
}

fn body(schema: &BlockSchema, object: &Value, indent: usize, out: &mut String) {
    let pad = "  ".repeat(indent);
    for (name, attr) in &schema.attributes {
        if attr.presence == Presence::Computed {
            continue;
        }
        let v = object.get(name);
        if !worth_writing(v) || attr.default.as_ref() == Some(v) {
            continue;
        }
        if attr.sensitive {
            out.push_str(&format!("{pad}{name} = null {SENSITIVE_LEFT_OUT}\n"));
            continue;
        }
        out.push_str(&format!("{pad}{name} = {}\n", value(v, indent)));
    }
    for (name, nested) in &schema.blocks {
        let items = match (nested.nesting, object.get(name)) {
            (Nesting::Single, v @ Value::Object(_)) => vec![v],
            (Nesting::List | Nesting::Set, Value::List(items)) => items.iter().collect(),
            _ => Vec::new(),
        };
        for item in items {
            let mut inner = String::new();
            body(&nested.block, item, indent + 1, &mut inner);
            if inner.is_empty() && nested.min_items == 0 {
                // Only computed attributes inside: nothing the configuration could say.
                continue;
            }
            out.push_str(&format!("{pad}{name} {{\n{inner}{pad}}}\n"));
        }
    }
}

/// Null, and empty collections, say nothing a configuration needs to repeat.
fn worth_writing(v: &Value) -> bool {
    match v {
        Value::Null | Value::Unknown => false,
        Value::List(items) => !items.is_empty(),
        Value::Object(m) => !m.is_empty(),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use labform_sdk::{Attribute, NestedBlock, Type};

    use super::*;

    fn schema() -> BlockSchema {
        BlockSchema::new()
            .attr("id", Attribute::computed(Type::String))
            .attr("name", Attribute::required(Type::String))
            .attr(
                "size",
                Attribute::optional(Type::Number).default(Value::Number(10.0)),
            )
            .attr("password", Attribute::optional(Type::String).sensitive())
            .attr(
                "labels",
                Attribute::optional(Type::Map(Box::new(Type::String))),
            )
            .attr("note", Attribute::optional(Type::String))
            .block(
                "rule",
                NestedBlock::list(
                    BlockSchema::new()
                        .attr("age", Attribute::required(Type::Number))
                        .attr("etag", Attribute::computed(Type::String)),
                ),
            )
    }

    fn object(pairs: &[(&str, Value)]) -> Value {
        Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    #[test]
    fn writes_what_configuration_sets_and_leaves_out_the_rest() {
        let o = object(&[
            ("id", Value::String("x".into())),
            ("name", Value::String("b-${x}".into())),
            ("size", Value::Number(10.0)),
            ("password", Value::String("hunter2".into())),
            ("labels", Value::Object(Default::default())),
            ("note", Value::Null),
            (
                "rule",
                Value::List(vec![object(&[
                    ("age", Value::Number(3.0)),
                    ("etag", Value::String("e".into())),
                ])]),
            ),
        ]);
        let text = resource_block("x_thing", "t", None, &schema(), &o);
        assert_eq!(
            text,
            "resource \"x_thing\" \"t\" {\n  name = \"b-$${x}\"\n  password = null # sensitive value left out: set it yourself\n  rule {\n    age = 3\n  }\n}\n"
        );
        assert!(!text.contains("hunter2"));
        let formatted = crate::fmt::format_source(&text).expect("generated text parses");
        assert!(formatted.contains("  name     = \"b-$${x}\""));
    }

    #[test]
    fn a_provider_other_than_the_implied_one_is_named() {
        let o = object(&[("name", Value::String("n".into()))]);
        let text = resource_block("x_thing", "t", Some("x.west"), &schema(), &o);
        assert!(text.starts_with("resource \"x_thing\" \"t\" {\n  provider = x.west\n"));
    }
}
