//! What random_string and random_password share: schema, validation, the number/numeric sync,
//! the override_special replace rule, and generation and import (one [`Kind`] for both).

use labform_sdk::{AttrPath, Attribute, BlockSchema, ProviderError, Result, Type, Value};

use super::charset::{self, Params};
use super::keepers;
use super::resource::{int_attr, opt_int_attr, Kind};

/// What distinguishes random_string from random_password: the rest of their [`Kind`] is shared.
pub trait StringKind: Send + Sync + 'static {
    const TYPE: &'static str;
    /// [`base_schema`] plus `result`, `id` and the type's own computed attributes.
    fn schema() -> BlockSchema;
    /// Sets `result` (made at create, or the id of an import) and what is derived from it.
    fn set_result(state: &mut Value, result: &str) -> Result<()>;
}

impl<S: StringKind> Kind for S {
    const TYPE: &'static str = S::TYPE;

    fn schema() -> BlockSchema {
        S::schema()
    }

    fn validate(config: &Value) -> Result<()> {
        validate(config)
    }

    fn normalize(config: &Value) -> Result<Value> {
        normalize(config)
    }

    fn extra_replace(prior: &Value, config: &Value, _planned: &Value) -> Vec<AttrPath> {
        override_special_replace(prior, config)
    }

    fn generate(planned: &Value) -> Result<Value> {
        let result = charset::generate(&params(planned)?)?;
        let mut state = planned.clone();
        S::set_result(&mut state, &result)?;
        Ok(state)
    }

    fn import(id: &str) -> Option<Result<Value>> {
        let mut state = imported(&S::schema(), id);
        Some(S::set_result(&mut state, id).map(|()| state))
    }
}

const FLAGS: [&str; 5] = ["special", "upper", "lower", "number", "numeric"];
const MINIMUMS: [&str; 4] = ["min_numeric", "min_upper", "min_lower", "min_special"];

/// Attributes both types have; `result` and `id` are added by each type.
pub fn base_schema() -> BlockSchema {
    let mut schema = keepers::base_schema()
        .attr("length", Attribute::required(Type::Number).force_new())
        .attr("override_special", Attribute::optional(Type::String));
    for flag in FLAGS {
        schema = schema.attr(
            flag,
            Attribute::optional_computed(Type::Bool)
                .default(true)
                .force_new(),
        );
    }
    for min in MINIMUMS {
        schema = schema.attr(
            min,
            Attribute::optional_computed(Type::Number)
                .default(0.0)
                .force_new(),
        );
    }
    schema
}

pub fn validate(config: &Value) -> Result<()> {
    if let Some(length) = opt_int_attr(config, "length")? {
        if length < 1 {
            return Err(ProviderError::invalid(format!(
                "`length` must be at least 1, got `{length}`"
            )));
        }
        let mut sum = 0i64;
        for min in MINIMUMS {
            sum = sum.saturating_add(opt_int_attr(config, min)?.unwrap_or(0));
        }
        if length < sum {
            return Err(ProviderError::invalid(format!(
                "`length` ({length}) must be at least `min_upper` + `min_lower` + `min_numeric` + `min_special` ({sum})"
            )));
        }
    }
    for flag in ["number", "numeric"] {
        if config.get(flag) == &Value::Bool(false) {
            let other_on = ["special", "upper", "lower"]
                .iter()
                .any(|f| config.get(f) != &Value::Bool(false));
            if !other_on {
                return Err(ProviderError::invalid(format!(
                    "`{flag} = false` needs at least one of `special`, `upper` or `lower` to be true"
                )));
            }
        }
    }
    Ok(())
}

/// Keeps the deprecated `number` and `numeric` in sync: one set gives both its value.
pub fn normalize(config: &Value) -> Result<Value> {
    let mut config = config.clone();
    let (number, numeric) = (config.get("number").clone(), config.get("numeric").clone());
    match (&number, &numeric) {
        (Value::Null, Value::Null) => {}
        (Value::Null, v) => config.set("number", v.clone()),
        (v, Value::Null) => config.set("numeric", v.clone()),
        (Value::Bool(a), Value::Bool(b)) if a != b => {
            return Err(ProviderError::invalid(format!(
                "`number` (`{a}`) and `numeric` (`{b}`) disagree"
            ))
            .with_hint("`number` is deprecated: set only `numeric`"));
        }
        _ => {}
    }
    Ok(config)
}

/// override_special replaces on any change, except config null over a prior `""` (in place), and
/// an unknown configuration does not ask for replacement.
pub fn override_special_replace(prior: &Value, config: &Value) -> Vec<AttrPath> {
    let (before, now) = (
        prior.get("override_special"),
        config.get("override_special"),
    );
    let unchanged =
        before == now || now.is_unknown() || (now.is_null() && before.as_str() == Some(""));
    if unchanged {
        Vec::new()
    } else {
        vec![vec!["override_special".to_string()]]
    }
}

/// The generation settings of a wholly known planned value.
pub fn params(planned: &Value) -> Result<Params> {
    let flag = |name: &str| planned.bool_attr(name, true);
    let min = |name: &str| opt_int_attr(planned, name).map(|v| v.unwrap_or(0));
    Ok(Params {
        length: int_attr(planned, "length")?,
        upper: flag("upper"),
        lower: flag("lower"),
        numeric: flag("numeric") && flag("number"),
        special: flag("special"),
        min_upper: min("min_upper")?,
        min_lower: min("min_lower")?,
        min_numeric: min("min_numeric")?,
        min_special: min("min_special")?,
        override_special: planned.str_attr("override_special").map(str::to_string),
    })
}

/// The state of an imported string: every flag true, minimums 0, `length` its byte length.
pub fn imported(schema: &BlockSchema, result: &str) -> Value {
    let mut value = schema.empty_value();
    value.set("length", Value::Number(result.len() as f64));
    for flag in FLAGS {
        value.set(flag, Value::Bool(true));
    }
    for min in MINIMUMS {
        value.set(min, Value::Number(0.0));
    }
    value
}
