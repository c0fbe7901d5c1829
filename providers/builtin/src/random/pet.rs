//! `random_pet`: a readable random name such as `lucky-frog`.
//!
//! The word lists are those of dustinkirkland/golang-petname at the commit the random provider
//! pins (Apache-2.0): 449 adjectives, 261 adverbs, 452 names.

use std::sync::OnceLock;

use labform_sdk::{Attribute, BlockSchema, Result, Type, Value};

use super::keepers;
use super::resource::{opt_int_attr, Kind};
use crate::rng;

pub struct RandomPet;

struct Words {
    adjectives: Vec<&'static str>,
    adverbs: Vec<&'static str>,
    names: Vec<&'static str>,
}

fn words() -> &'static Words {
    static WORDS: OnceLock<Words> = OnceLock::new();
    WORDS.get_or_init(|| {
        let list = |text: &'static str| text.lines().filter(|l| !l.is_empty()).collect();
        Words {
            adjectives: list(include_str!("../../words/adjectives.txt")),
            adverbs: list(include_str!("../../words/adverbs.txt")),
            names: list(include_str!("../../words/names.txt")),
        }
    })
}

impl Kind for RandomPet {
    const TYPE: &'static str = "random_pet";

    fn schema() -> BlockSchema {
        keepers::base_schema()
            .attr(
                "length",
                Attribute::optional_computed(Type::Number)
                    .default(2.0)
                    .force_new(),
            )
            .attr("prefix", Attribute::optional(Type::String).force_new())
            .attr(
                "separator",
                Attribute::optional_computed(Type::String)
                    .default("-")
                    .force_new(),
            )
            .attr("id", Attribute::computed(Type::String))
    }

    fn validate(config: &Value) -> Result<()> {
        opt_int_attr(config, "length").map(|_| ())
    }

    fn generate(planned: &Value) -> Result<Value> {
        let length = opt_int_attr(planned, "length")?.unwrap_or(2);
        let separator = planned.str_attr("separator").unwrap_or("-");
        let mut name = pet_name(length, separator)?;
        if let Some(prefix) = planned.str_attr("prefix").filter(|p| !p.is_empty()) {
            name = format!("{prefix}{separator}{name}");
        }
        let mut state = planned.clone();
        state.set("id", name.into());
        Ok(state)
    }
}

/// 1 word: a name; 2: adjective and name; more: adverbs, an adjective, a name (0 or less acts
/// as 2). The generated words and separators are lower-cased as a whole, as Terraform does.
pub fn pet_name(length: i64, separator: &str) -> Result<String> {
    let w = words();
    let pick = |list: &[&'static str]| rng::below(list.len() as u64).map(|i| list[i as usize]);
    let mut parts = Vec::new();
    match length {
        1 => parts.push(pick(&w.names)?),
        n if n >= 3 => {
            for _ in 0..n - 2 {
                parts.push(pick(&w.adverbs)?);
            }
            parts.push(pick(&w.adjectives)?);
            parts.push(pick(&w.names)?);
        }
        _ => {
            parts.push(pick(&w.adjectives)?);
            parts.push(pick(&w.names)?);
        }
    }
    Ok(parts.join(separator).to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_have_the_pinned_sizes() {
        let w = words();
        assert_eq!(
            (w.adjectives.len(), w.adverbs.len(), w.names.len()),
            (449, 261, 452)
        );
    }

    #[test]
    fn word_order_follows_length() {
        let w = words();
        let name = pet_name(4, "_").unwrap();
        let parts: Vec<&str> = name.split('_').collect();
        assert_eq!(parts.len(), 4);
        assert!(
            w.adverbs.contains(&parts[0]) && w.adverbs.contains(&parts[1]),
            "{name}"
        );
        assert!(
            w.adjectives.contains(&parts[2]) && w.names.contains(&parts[3]),
            "{name}"
        );
        assert!(w.names.contains(&pet_name(1, "-").unwrap().as_str()));
        assert_eq!(pet_name(0, "-").unwrap().split('-').count(), 2);
        assert_eq!(pet_name(-3, "+").unwrap().split('+').count(), 2);
    }

    #[test]
    fn separator_is_lowercased_but_prefix_is_not() {
        let name = pet_name(2, "X").unwrap();
        assert!(name.contains('x') && !name.contains('X'), "{name}");
        let planned = Value::from_pairs([
            ("length", Value::Number(1.0)),
            ("separator", "-".into()),
            ("prefix", "Dev".into()),
        ]);
        let state = RandomPet::generate(&planned).unwrap();
        let id = state.str_attr("id").unwrap();
        assert!(id.starts_with("Dev-"), "{id}");
        assert!(words().names.contains(&&id[4..]), "{id}");
    }
}
