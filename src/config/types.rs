//! Parses type constraint expressions (`list(string)`, `object({ a = optional(number, 1) })`).

use std::collections::BTreeMap;

use hcl_edit::expr::{Expression, ObjectKey};
use labform_sdk::types::ObjectAttr;
use labform_sdk::Type;

use crate::eval::eval_const;

/// Parses a type constraint. The error says what was expected.
pub fn parse_type(expr: &Expression) -> Result<Type, String> {
    match expr {
        Expression::Variable(v) => keyword(v.as_str()),
        // Terraform 0.11 wrote types as strings.
        Expression::String(s) => keyword(s.value()),
        Expression::FuncCall(call) => {
            let name = call.name.name.as_str();
            let args: Vec<&Expression> = call.args.iter().collect();
            let one = |what: &str| -> Result<&Expression, String> {
                match args.as_slice() {
                    [a] => Ok(*a),
                    _ => Err(format!("`{what}(...)` takes exactly one argument")),
                }
            };
            match name {
                "list" => Ok(Type::list(parse_type(one("list")?)?)),
                "set" => Ok(Type::set(parse_type(one("set")?)?)),
                "map" => Ok(Type::map(parse_type(one("map")?)?)),
                "tuple" => match one("tuple")? {
                    Expression::Array(items) => Ok(Type::Tuple(
                        items.iter().map(parse_type).collect::<Result<_, _>>()?,
                    )),
                    _ => {
                        Err("`tuple(...)` takes a list of types: `tuple([string, number])`".into())
                    }
                },
                "object" => match one("object")? {
                    Expression::Object(obj) => {
                        let mut attrs = BTreeMap::new();
                        for (k, v) in obj.iter() {
                            let key = match k {
                                ObjectKey::Ident(i) => i.as_str().to_string(),
                                ObjectKey::Expression(e) => match e {
                                    Expression::String(s) => s.value().to_string(),
                                    Expression::Variable(v) => v.as_str().to_string(),
                                    _ => {
                                        return Err(
                                            "object type attribute names must be plain names"
                                                .into(),
                                        )
                                    }
                                },
                            };
                            attrs.insert(key, parse_object_attr(v.expr())?);
                        }
                        Ok(Type::Object(attrs))
                    }
                    _ => Err(
                        "`object(...)` takes an object of types: `object({ name = string })`"
                            .into(),
                    ),
                },
                "optional" => {
                    Err("`optional(...)` is only allowed for attributes of an `object` type".into())
                }
                other => Err(format!("unknown type constructor `{other}`")),
            }
        }
        _ => Err("expected a type such as `string` or `list(string)`".into()),
    }
}

fn parse_object_attr(expr: &Expression) -> Result<ObjectAttr, String> {
    if let Expression::FuncCall(call) = expr {
        if call.name.name.as_str() == "optional" {
            let args: Vec<&Expression> = call.args.iter().collect();
            let ty = parse_type(args.first().ok_or("`optional(...)` needs a type")?)?;
            let default = match args.get(1) {
                Some(d) => Some(
                    eval_const(d)
                        .map_err(|e| format!("invalid default in `optional(...)`: {e}"))?,
                ),
                None => None,
            };
            if args.len() > 2 {
                return Err("`optional(...)` takes a type and an optional default".into());
            }
            return Ok(ObjectAttr {
                ty,
                optional: true,
                default,
            });
        }
    }
    Ok(ObjectAttr {
        ty: parse_type(expr)?,
        optional: false,
        default: None,
    })
}

fn keyword(name: &str) -> Result<Type, String> {
    match name {
        "string" => Ok(Type::String),
        "number" => Ok(Type::Number),
        "bool" => Ok(Type::Bool),
        "any" => Ok(Type::Any),
        "list" => Ok(Type::list(Type::Any)),
        "map" => Ok(Type::map(Type::Any)),
        "set" => Ok(Type::set(Type::Any)),
        other => Err(format!("unknown type `{other}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Type, String> {
        parse_type(&hcl_edit::parser::parse_expr(text).map_err(|e| e.to_string())?)
    }

    #[test]
    fn parses_nested_types() {
        assert_eq!(parse("list(string)"), Ok(Type::list(Type::String)));
        assert_eq!(
            parse("map(list(number))"),
            Ok(Type::map(Type::list(Type::Number)))
        );
        let t = parse("object({ name = string, size = optional(number, 10) })").unwrap();
        let Type::Object(attrs) = t else {
            panic!("not an object")
        };
        assert!(attrs["size"].optional);
        assert_eq!(
            attrs["size"].default,
            Some(labform_sdk::Value::Number(10.0))
        );
    }

    #[test]
    fn rejects_unknown_types() {
        assert!(parse("strin").unwrap_err().contains("unknown type `strin`"));
    }
}
