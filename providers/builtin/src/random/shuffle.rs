//! `random_shuffle`: a permutation of a list, reproducible from `seed` as in Terraform.

use labform_sdk::{Attribute, BlockSchema, Result, Type, Value};

use super::keepers;
use super::resource::{opt_int_attr, Kind};
use super::seed;

pub struct RandomShuffle;

impl Kind for RandomShuffle {
    const TYPE: &'static str = "random_shuffle";

    fn schema() -> BlockSchema {
        keepers::base_schema()
            .attr("seed", Attribute::optional(Type::String).force_new())
            .attr(
                "input",
                Attribute::required(Type::list(Type::String)).force_new(),
            )
            .attr(
                "result_count",
                Attribute::optional(Type::Number).force_new(),
            )
            .attr("result", Attribute::computed(Type::list(Type::String)))
            .attr("id", Attribute::computed(Type::String))
    }

    fn validate(config: &Value) -> Result<()> {
        opt_int_attr(config, "result_count").map(|_| ())
    }

    fn generate(planned: &Value) -> Result<Value> {
        let input = planned.list_attr("input").to_vec();
        let count = opt_int_attr(planned, "result_count")?;
        let result = shuffle(&input, count, planned.str_attr("seed"))?;
        let mut state = planned.clone();
        state.set("result", Value::List(result));
        state.set("id", "-".into());
        Ok(state)
    }
}

/// Appends fresh permutations of `input` until `count` (default: its length) elements are taken.
/// Like Terraform, a negative count still takes one element.
pub fn shuffle(input: &[Value], count: Option<i64>, seed_text: Option<&str>) -> Result<Vec<Value>> {
    let count = count.unwrap_or(input.len() as i64);
    let mut result = Vec::new();
    if count == 0 || input.is_empty() {
        return Ok(result);
    }
    let mut rng = seed::go_rand(seed_text)?;
    loop {
        for i in rng.perm(input.len()) {
            result.push(input[i].clone());
            if result.len() as i64 >= count {
                return Ok(result);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letters() -> Vec<Value> {
        ["a", "b", "c", "d", "e"]
            .iter()
            .map(|s| Value::from(*s))
            .collect()
    }

    fn sorted(mut v: Vec<Value>) -> Vec<String> {
        let mut s: Vec<String> = v
            .drain(..)
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect();
        s.sort();
        s
    }

    #[test]
    fn default_count_is_a_permutation_of_the_input() {
        let r = shuffle(&letters(), None, None).unwrap();
        assert_eq!(sorted(r), vec!["a", "b", "c", "d", "e"]);
    }

    #[test]
    fn counts_beyond_the_input_repeat_whole_permutations() {
        let r = shuffle(&letters(), Some(12), Some("x")).unwrap();
        assert_eq!(r.len(), 12);
        assert_eq!(sorted(r[0..5].to_vec()), vec!["a", "b", "c", "d", "e"]);
        assert_eq!(sorted(r[5..10].to_vec()), vec!["a", "b", "c", "d", "e"]);
        assert_eq!(shuffle(&letters(), Some(12), Some("x")).unwrap(), r);
    }

    #[test]
    fn seeded_shuffle_equals_terraforms() {
        // Reference printed by Go: Perm passes of math/rand seeded with CRC-64 ISO of "x".
        let r = shuffle(&letters(), Some(12), Some("x")).unwrap();
        let got: Vec<&str> = r.iter().filter_map(Value::as_str).collect();
        assert_eq!(
            got,
            ["b", "e", "d", "a", "c", "e", "b", "d", "a", "c", "c", "e"]
        );
    }

    #[test]
    fn edge_counts_follow_terraform() {
        assert!(shuffle(&letters(), Some(0), None).unwrap().is_empty());
        assert!(shuffle(&[], Some(3), None).unwrap().is_empty());
        assert_eq!(shuffle(&letters(), Some(-1), None).unwrap().len(), 1);
    }
}
