//! Marks that come from outside expressions: attributes a provider's schema declares sensitive,
//! and attributes a provider computed from a sensitive value (an `output` echoing a sensitive
//! `input`, a connection string holding a password).

use labform_sdk::{BlockSchema, Nesting, Value};

use crate::eval::marks::secret_texts;
use crate::eval::Marks;

/// The attributes of `value` that `schema` declares sensitive, nested blocks included.
pub fn schema_marks(schema: &BlockSchema, value: &Value) -> Marks {
    let mut marks = Marks::none();
    for (name, attr) in &schema.attributes {
        if attr.sensitive {
            marks.insert(vec![name.clone()]);
        }
    }
    for (name, nested) in &schema.blocks {
        let inner = |v: &Value| schema_marks(&nested.block, v);
        let mut m = Marks::none();
        match (nested.nesting, value.get(name)) {
            (Nesting::Single, v @ Value::Object(_)) => m = inner(v),
            (_, Value::List(items)) => {
                for (i, item) in items.iter().enumerate() {
                    m.nest(&i.to_string(), &inner(item));
                }
            }
            _ => {}
        }
        marks.nest(name, &m);
    }
    marks
}

/// Widens `marks` to every other string in `value` that holds one of the marked secrets.
/// Terraform leaves such an echo unmarked (and prints `terraform_data`'s `output`); labform
/// never prints a secret, so the echo is marked too. Secrets shorter than 4 characters are not
/// searched for: they would mark unrelated text.
pub fn widen(value: &Value, marks: &mut Marks) {
    if marks.is_empty() {
        return;
    }
    let mut secrets = secret_texts(value, marks);
    secrets.retain(|s| s.chars().count() >= 4);
    if secrets.is_empty() {
        return;
    }
    let mut found = Vec::new();
    echoes(value, &secrets, &mut Vec::new(), &mut found);
    for path in found {
        marks.insert(path);
    }
}

fn echoes(v: &Value, secrets: &[String], path: &mut Vec<String>, found: &mut Vec<Vec<String>>) {
    match v {
        Value::String(s) if secrets.iter().any(|x| s.contains(x.as_str())) => {
            found.push(path.clone())
        }
        Value::List(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                echoes(item, secrets, path, found);
                path.pop();
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                path.push(k.clone());
                echoes(item, secrets, path, found);
                path.pop();
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_echo_of_a_secret_is_marked_at_its_path() {
        let v = Value::from_pairs([
            ("input", Value::from("hunter22")),
            (
                "output",
                Value::List(vec![Value::from("x"), Value::from("pw=hunter22")]),
            ),
            ("id", Value::from("abc")),
        ]);
        let mut m = Marks::from_paths(&[vec!["input".to_string()]]);
        widen(&v, &mut m);
        assert_eq!(
            m.to_paths(),
            vec![
                vec!["input".to_string()],
                vec!["output".to_string(), "1".to_string()]
            ]
        );
    }
}
