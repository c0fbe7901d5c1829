//! `lifecycle { ignore_changes }`: the listed attributes keep their prior values.

use labform_sdk::Value;

use crate::config::IgnoreChanges;

/// `ignore_changes`: the listed attributes keep their prior values in the configuration.
pub fn apply_ignore_changes(
    ignore: &IgnoreChanges,
    prior: Option<&Value>,
    mut config: Value,
) -> Value {
    let Some(prior) = prior else { return config };
    match ignore {
        IgnoreChanges::None => config,
        IgnoreChanges::All => {
            if let (Value::Object(c), Value::Object(p)) = (&mut config, prior) {
                for (k, v) in c.iter_mut() {
                    if let Some(pv) = p.get(k) {
                        *v = pv.clone();
                    }
                }
            }
            config
        }
        IgnoreChanges::Paths(paths) => {
            for path in paths {
                copy_path(&mut config, prior, path);
            }
            config
        }
    }
}

fn copy_path(config: &mut Value, prior: &Value, path: &[String]) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    let prior_child = match prior {
        Value::Object(m) => m.get(first),
        Value::List(items) => first.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    };
    let config_child = match config {
        Value::Object(m) => m.get_mut(first),
        Value::List(items) => first.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
        _ => None,
    };
    match (config_child, prior_child) {
        (Some(c), Some(p)) if rest.is_empty() => *c = p.clone(),
        (Some(c), Some(p)) => copy_path(c, p, rest),
        (None, Some(p)) if rest.is_empty() => config.set(first.clone(), p.clone()),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignore_changes_keeps_prior_values_at_paths() {
        let prior = Value::from_pairs([
            ("tags", Value::string_map([("owner", "a"), ("env", "dev")])),
            ("name", "x".into()),
        ]);
        let config = Value::from_pairs([
            ("tags", Value::string_map([("owner", "b"), ("env", "prod")])),
            ("name", "y".into()),
        ]);
        let out = apply_ignore_changes(
            &IgnoreChanges::Paths(vec![vec!["tags".into(), "owner".into()]]),
            Some(&prior),
            config,
        );
        assert_eq!(out.get("tags").get("owner"), &Value::from("a"));
        assert_eq!(out.get("tags").get("env"), &Value::from("prod"));
        assert_eq!(out.get("name"), &Value::from("y"));
    }
}
