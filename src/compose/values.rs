//! Typed reading of YAML values as the Compose specification types them: strings
//! (interpolated), booleans, integers, byte sizes, "string or list" and "mapping or list of
//! `KEY=VALUE`" fields. Every error points at the value.

use std::path::Path;

use super::interpolate::{interpolate, Lookup};
use super::yaml::{Kind, Node};
use crate::diag::{Diagnostic, Diagnostics};
use crate::suggest::did_you_mean;

/// What reading values needs: variables for interpolation and the project directory.
pub struct Ctx<'a> {
    pub env: Lookup<'a>,
    pub dir: &'a Path,
}

impl Ctx<'_> {
    /// A scalar as an interpolated string (numbers and booleans as written).
    pub fn str(&self, n: &Node) -> Result<String, Diagnostic> {
        match &n.kind {
            Kind::Scalar { text, .. } => {
                interpolate(text, self.env).map_err(|d| d.at(n.location()))
            }
            _ => Err(n.error(format!("expected a string, found {}", n.describe()))),
        }
    }

    pub fn bool(&self, n: &Node) -> Result<bool, Diagnostic> {
        match self.str(n)?.as_str() {
            "true" | "True" | "TRUE" => Ok(true),
            "false" | "False" | "FALSE" => Ok(false),
            other => Err(n
                .error(format!("expected `true` or `false`, found `{other}`"))
                .hint("write `true` or `false`")),
        }
    }

    pub fn int(&self, n: &Node) -> Result<i64, Diagnostic> {
        let s = self.str(n)?;
        s.trim()
            .parse::<i64>()
            .map_err(|_| n.error(format!("expected a whole number, found `{s}`")))
    }

    /// A byte size: `1024`, `64m`, `1.5gb`, `512M` (units b, k, m, g, with or without `b`).
    pub fn bytes(&self, n: &Node) -> Result<i64, Diagnostic> {
        let s = self.str(n)?;
        let t = s.trim().to_ascii_lowercase();
        let t = t.strip_suffix('b').unwrap_or(&t);
        let (num, mult) = match t.chars().last() {
            Some('k') => (&t[..t.len() - 1], 1i64 << 10),
            Some('m') => (&t[..t.len() - 1], 1 << 20),
            Some('g') => (&t[..t.len() - 1], 1 << 30),
            _ => (t, 1),
        };
        match num.trim().parse::<f64>() {
            Ok(v) if v >= 0.0 => Ok((v * mult as f64) as i64),
            _ => Err(n
                .error(format!(
                    "expected a size such as `64m` or `1gb`, found `{s}`"
                ))
                .hint("write a number with an optional unit: b, k, m or g")),
        }
    }

    /// A list of strings; `null` is empty.
    pub fn list(&self, n: &Node) -> Result<Vec<String>, Diagnostic> {
        if n.is_null() {
            return Ok(Vec::new());
        }
        match n.items() {
            Some(items) => items.iter().map(|i| self.str(i)).collect(),
            None => Err(n.error(format!("expected a list, found {}", n.describe()))),
        }
    }

    /// A string or a list of strings, as `env_file` and `profiles` take.
    pub fn str_or_list(&self, n: &Node) -> Result<Vec<String>, Diagnostic> {
        match &n.kind {
            Kind::Scalar { .. } if !n.is_null() => Ok(vec![self.str(n)?]),
            _ => self.list(n),
        }
    }

    /// A command: a list as it is, or a string split as a shell would.
    pub fn command(&self, n: &Node) -> Result<Vec<String>, Diagnostic> {
        match &n.kind {
            Kind::Scalar { .. } if !n.is_null() => {
                let s = self.str(n)?;
                split_shell(&s).ok_or_else(|| {
                    n.error(format!("unbalanced quotes in `{s}`"))
                        .hint("close every quote, or write the command as a list")
                })
            }
            _ => self.list(n),
        }
    }

    /// A mapping `KEY: value` or a list of `KEY=value` (`sep`) strings. A key without a value
    /// (`KEY:` or `KEY`) reads `None`.
    pub fn pairs(&self, n: &Node, sep: char) -> Result<Vec<(String, Option<String>)>, Diagnostic> {
        if n.is_null() {
            return Ok(Vec::new());
        }
        if let Some(entries) = n.entries() {
            return entries
                .iter()
                .map(|(k, v)| {
                    let key = self.str(k)?;
                    let value = if v.is_null() {
                        None
                    } else {
                        Some(self.str(v)?)
                    };
                    Ok((key, value))
                })
                .collect();
        }
        let items = n.items().ok_or_else(|| {
            n.error(format!(
                "expected a mapping or a list, found {}",
                n.describe()
            ))
        })?;
        items
            .iter()
            .map(|i| {
                let s = self.str(i)?;
                Ok(match s.split_once(sep) {
                    Some((k, v)) => (k.to_string(), Some(v.to_string())),
                    None => (s, None),
                })
            })
            .collect()
    }

    /// The mapping's entries, or an error saying a mapping was expected.
    pub fn entries<'n>(&self, n: &'n Node) -> Result<&'n [(Node, Node)], Diagnostic> {
        if n.is_null() {
            return Ok(&[]);
        }
        n.entries()
            .ok_or_else(|| n.error(format!("expected a mapping, found {}", n.describe())))
    }
}

/// Checks a mapping's keys: `x-*` extensions pass, `known` keys pass, keys of the specification
/// that labform does not implement and unknown keys are errors at the key.
pub fn check_keys(
    n: &Node,
    what: &str,
    known: &[&str],
    unsupported: &[&str],
    diags: &mut Diagnostics,
) {
    let Some(entries) = n.entries() else { return };
    for (k, _) in entries {
        let key = k.scalar().unwrap_or_default();
        if key.starts_with("x-") || known.contains(&key) {
            continue;
        }
        if unsupported.contains(&key) {
            diags.push(
                k.error(format!("`{key}` in {what} is not supported by labform yet"))
                    .hint(format!(
                        "remove `{key}`, or run this file with `docker compose` for now"
                    )),
            );
        } else {
            diags.push(
                k.error(format!("unknown key `{key}` in {what}"))
                    .maybe_hint(did_you_mean(key, known.iter().copied(), |s| s.to_string()))
                    .detail(format!("expected one of: {}", known.join(", "))),
            );
        }
    }
}

/// Splits a command line as a POSIX shell would (quotes and backslashes, no expansion).
/// `None` when a quote is not closed.
pub fn split_shell(s: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => word.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            c @ ('"' | '\\' | '$' | '`') => word.push(c),
                            c => {
                                word.push('\\');
                                word.push(c);
                            }
                        },
                        c => word.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(c) = chars.next() {
                    word.push(c);
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        out.push(word);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_split_like_compose() {
        assert_eq!(
            split_shell(r#"bash -c "echo 'hi there' \"x\"" plain\ word"#).unwrap(),
            vec!["bash", "-c", "echo 'hi there' \"x\"", "plain word"]
        );
        assert_eq!(split_shell("  ").unwrap(), Vec::<String>::new());
        assert_eq!(split_shell("a ''").unwrap(), vec!["a", ""]);
        assert!(split_shell("echo 'open").is_none());
    }
}
