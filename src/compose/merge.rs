//! Merging several compose files (`-f a.yaml -f b.yaml`, or `compose.override.yaml`) as
//! Compose does: mappings merge key by key, scalars and `command`/`entrypoint`/healthcheck
//! `test` are replaced, `environment`/`labels`/`args` and mounts merge by name or target,
//! other lists are appended without repeats.

use super::yaml::{Kind, Node};
use crate::diag::Diagnostic;

const REPLACED: &[&str] = &["command", "entrypoint", "test", "profiles"];

/// Keys whose list form (`KEY=value` items) and mapping form mean the same thing: a file may
/// write one and an override the other, as Compose merges its normalised model.
const KEY_VALUE: &[&str] = &["environment", "labels", "args", "sysctls"];

pub fn merge(base: Node, over: Node, key: &str) -> Result<Node, Diagnostic> {
    let (base, over) = match (&base.kind, &over.kind) {
        (Kind::Map(_), Kind::Seq(_)) | (Kind::Seq(_), Kind::Map(_)) if KEY_VALUE.contains(&key) => {
            (as_mapping(base), as_mapping(over))
        }
        _ => (base, over),
    };
    match (base.kind, over.kind) {
        (Kind::Map(mut entries), Kind::Map(more)) => {
            for (k, v) in more {
                let name = k.scalar().unwrap_or_default().to_string();
                match entries
                    .iter()
                    .position(|(e, _)| e.scalar() == Some(name.as_str()))
                {
                    Some(i) => {
                        let old = entries[i].1.clone();
                        entries[i].1 = merge(old, v, &name)?;
                    }
                    None => entries.push((k, v)),
                }
            }
            Ok(Node {
                kind: Kind::Map(entries),
                ..over_shell(&base.span, &base.file)
            })
        }
        (Kind::Seq(mut items), Kind::Seq(more)) if !REPLACED.contains(&key) => {
            for item in more {
                let id = item_key(&item, key);
                match items
                    .iter()
                    .position(|i| item_key(i, key) == id && id.is_some())
                {
                    Some(i) => items[i] = item,
                    None => items.push(item),
                }
            }
            Ok(Node {
                kind: Kind::Seq(items),
                ..over_shell(&base.span, &base.file)
            })
        }
        (Kind::Map(_), k @ Kind::Seq(_)) | (Kind::Seq(_), k @ Kind::Map(_))
            if !REPLACED.contains(&key) =>
        {
            let n = Node {
                kind: k,
                span: over.span,
                file: over.file,
            };
            Err(n
                .error(format!("cannot merge `{key}` written as a list in one file and as a mapping in another"))
                .hint(format!("write `{key}` the same way in every file")))
        }
        (_, kind) => Ok(Node {
            kind,
            span: over.span,
            file: over.file,
        }),
    }
}

/// A list of `KEY=value` strings as the mapping it stands for (`KEY` alone: no value).
fn as_mapping(n: Node) -> Node {
    let Kind::Seq(items) = n.kind else { return n };
    let scalar = |text: &str, plain: bool, like: &Node| Node {
        kind: Kind::Scalar {
            text: text.to_string(),
            plain,
        },
        span: like.span.clone(),
        file: like.file.clone(),
    };
    let entries = items
        .iter()
        .map(|i| {
            let text = i.scalar().unwrap_or_default();
            match text.split_once('=') {
                Some((k, v)) => (scalar(k, false, i), scalar(v, false, i)),
                None => (scalar(text, false, i), scalar("", true, i)),
            }
        })
        .collect();
    Node {
        kind: Kind::Map(entries),
        span: n.span,
        file: n.file,
    }
}

fn over_shell(
    span: &std::ops::Range<usize>,
    file: &std::sync::Arc<crate::diag::SourceFile>,
) -> Node {
    Node {
        kind: Kind::Seq(Vec::new()),
        span: span.clone(),
        file: file.clone(),
    }
}

/// What identifies a list item for replacement: the name of `KEY=value`, a mount's target;
/// `None` for items that are only appended without repeats.
fn item_key(item: &Node, key: &str) -> Option<String> {
    let text = item.scalar();
    match key {
        "environment" | "labels" | "args" => {
            text.map(|t| t.split('=').next().unwrap_or(t).to_string())
        }
        "volumes" => match text {
            Some(t) => {
                let parts: Vec<&str> = t.split(':').collect();
                Some(parts.get(1).unwrap_or(&parts[0]).to_string())
            }
            None => item
                .get("target")
                .and_then(|t| t.scalar())
                .map(String::from),
        },
        _ => text.map(|t| format!("={t}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::yaml::parse;
    use crate::diag::SourceFile;

    fn doc(name: &str, text: &str) -> Node {
        parse(&SourceFile::new(name.into(), name.into(), text.into())).unwrap()
    }

    #[test]
    fn override_file_merges_like_compose() {
        let a = doc("a.yaml", "services:\n  web:\n    image: a\n    command: [x, y]\n    ports: ['80:80']\n    environment: [A=1, B=2]\n    volumes: ['d:/data']\n");
        let b = doc("b.yaml", "services:\n  web:\n    image: b\n    command: [z]\n    ports: ['80:80', '443:443']\n    environment: [B=3]\n    volumes: ['./here:/data']\n  db:\n    image: pg\n");
        let m = merge(a, b, "").unwrap();
        let web = m.get("services").unwrap().get("web").unwrap();
        assert_eq!(web.get("image").unwrap().scalar(), Some("b"));
        let texts = |k: &str| -> Vec<String> {
            web.get(k)
                .unwrap()
                .items()
                .unwrap()
                .iter()
                .map(|i| i.scalar().unwrap().to_string())
                .collect()
        };
        assert_eq!(texts("command"), vec!["z"]);
        assert_eq!(texts("ports"), vec!["80:80", "443:443"]);
        assert_eq!(texts("environment"), vec!["A=1", "B=3"]);
        assert_eq!(texts("volumes"), vec!["./here:/data"]);
        assert!(m.get("services").unwrap().get("db").is_some());
        // the overriding value keeps its own file for messages
        assert_eq!(web.get("image").unwrap().file.display, "b.yaml");
    }

    #[test]
    fn key_value_lists_merge_with_mappings() {
        let a = doc(
            "a.yaml",
            "services:\n  web:\n    environment: [A=1, B=2, C]\n",
        );
        let b = doc(
            "b.yaml",
            "services:\n  web:\n    environment:\n      B: 3\n",
        );
        let m = merge(a, b, "").unwrap();
        let env = m
            .get("services")
            .unwrap()
            .get("web")
            .unwrap()
            .get("environment")
            .unwrap();
        let pairs: Vec<(String, String)> = env
            .entries()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.scalar().unwrap().into(), v.scalar().unwrap_or("").into()))
            .collect();
        assert_eq!(
            pairs,
            vec![
                ("A".into(), "1".into()),
                ("B".into(), "3".into()),
                ("C".into(), "".into())
            ]
        );
        assert!(env.get("C").unwrap().is_null());
    }

    #[test]
    fn list_against_mapping_is_an_error_at_the_second_file() {
        let a = doc("a.yaml", "services:\n  web:\n    ports: ['80:80']\n");
        let b = doc("b.yaml", "services:\n  web:\n    ports:\n      a: 2\n");
        let e = merge(a, b, "").unwrap_err();
        assert!(e.location.unwrap().short().starts_with("b.yaml:4:"));
    }
}
