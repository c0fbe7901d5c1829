//! Module instance paths: `module.etl`, `module.db[0]`, `module.a["k"].module.b`, as Terraform
//! writes them in addresses and in the state's `module` key.

use std::fmt;
use std::str::FromStr;

use crate::addr::{parse_key, split_ident, AddrParseError, IndexKey};

/// One step of a module path: a module call's name and, with `count`/`for_each`, the instance key.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ModuleStep {
    pub name: String,
    pub key: Option<IndexKey>,
}

/// The module instance a resource lives in; empty for the root module.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ModulePath(pub Vec<ModuleStep>);

impl ModulePath {
    pub fn root() -> Self {
        ModulePath(Vec::new())
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// This path with one more step.
    pub fn child(&self, name: &str, key: Option<IndexKey>) -> Self {
        let mut steps = self.0.clone();
        steps.push(ModuleStep {
            name: name.to_string(),
            key,
        });
        ModulePath(steps)
    }

    /// The text that goes before a name in this module: `module.a.` (empty for the root).
    pub fn prefix(&self) -> String {
        if self.is_root() {
            String::new()
        } else {
            format!("{self}.")
        }
    }

    /// True when `self` is `other` or inside it (`module.a.module.b` starts with `module.a`).
    pub fn starts_with(&self, other: &ModulePath) -> bool {
        self.0.len() >= other.0.len() && self.0[..other.0.len()] == other.0[..]
    }

    /// Parses leading `module.NAME[KEY]` steps off `input`; returns the path and the rest (after
    /// the dot that follows the last step, or empty when the input is only a module path).
    pub fn parse_prefix(input: &str) -> Result<(ModulePath, &str), &'static str> {
        let mut steps = Vec::new();
        let mut rest = input;
        while let Some(after) = rest.strip_prefix("module.") {
            let (name, tail) = split_ident(after).ok_or("a module name after `module.`")?;
            let (key, tail) = match tail.strip_prefix('[') {
                Some(inner) => {
                    let end = closing_bracket(inner).ok_or("a closing `]`")?;
                    let key = parse_key(&inner[..end]).ok_or(
                        "an instance key in brackets: a whole number such as `[0]` or a quoted string such as `[\"key\"]`",
                    )?;
                    (Some(key), &inner[end + 1..])
                }
                None => (None, tail),
            };
            steps.push(ModuleStep {
                name: name.to_string(),
                key,
            });
            if tail.is_empty() {
                rest = tail;
                break;
            }
            rest = tail.strip_prefix('.').ok_or("a `.` after a module step")?;
        }
        Ok((ModulePath(steps), rest))
    }
}

/// The index of the `]` closing a key that starts at `inner[0]` (a quoted key may hold `]`).
fn closing_bracket(inner: &str) -> Option<usize> {
    if inner.starts_with('"') {
        let mut escaped = false;
        for (i, c) in inner.char_indices().skip(1) {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => return inner[i + 1..].starts_with(']').then_some(i + 1),
                _ => escaped = false,
            }
        }
        None
    } else {
        inner.find(']')
    }
}

impl fmt::Display for ModulePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            write!(f, "module.{}", step.name)?;
            if let Some(key) = &step.key {
                write!(f, "[{key}]")?;
            }
        }
        Ok(())
    }
}

impl FromStr for ModulePath {
    type Err = AddrParseError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        match ModulePath::parse_prefix(input) {
            Ok((path, "")) => Ok(path),
            Ok(_) => Err(AddrParseError {
                input: input.to_string(),
                expected: "a module path such as `module.a` or `module.a[\"k\"].module.b`",
            }),
            Err(expected) => Err(AddrParseError {
                input: input.to_string(),
                expected,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_module_paths() {
        for text in ["module.a", "module.a[0]", "module.a[\"k]\"].module.b", ""] {
            let p: ModulePath = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(p.to_string(), text);
        }
        let p: ModulePath = "module.a[\"x\"].module.b[2]".parse().unwrap();
        assert_eq!(p.0.len(), 2);
        assert_eq!(p.0[0].key, Some(IndexKey::from("x")));
        assert_eq!(p.prefix(), "module.a[\"x\"].module.b[2].");
        assert!(p.starts_with(&"module.a[\"x\"]".parse().unwrap()));
        assert!(!p.starts_with(&"module.a".parse().unwrap()));
    }

    #[test]
    fn rejects_broken_paths() {
        for bad in ["module.", "module.a[", "module.a[x]", "module.a.b"] {
            assert!(bad.parse::<ModulePath>().is_err(), "{bad}");
        }
    }
}
