//! Resource instance addresses: `aws_s3_bucket.b`, `aws_s3_bucket.b[0]`, `aws_s3_bucket.b["k"]`,
//! `data.aws_ami.x`, `module.etl.aws_s3_bucket.b`, as Terraform writes them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use crate::module_path::ModulePath;

/// Whether an address names a managed resource or a data source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Managed,
    Data,
}

/// The key of one instance of a resource with `count` (`Int`) or `for_each` (`Str`).
///
/// Serialises as a JSON number or string, like Terraform's `index_key`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IndexKey {
    Int(i64),
    Str(String),
}

impl fmt::Display for IndexKey {
    /// `0` or `"key"` (quoted and escaped), the text between the brackets of an address.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IndexKey::Int(i) => write!(f, "{i}"),
            IndexKey::Str(s) => {
                let quoted = serde_json::to_string(s).map_err(|_| fmt::Error)?;
                f.write_str(&quoted)
            }
        }
    }
}

impl From<i64> for IndexKey {
    fn from(i: i64) -> Self {
        IndexKey::Int(i)
    }
}

impl From<&str> for IndexKey {
    fn from(s: &str) -> Self {
        IndexKey::Str(s.to_string())
    }
}

impl From<String> for IndexKey {
    fn from(s: String) -> Self {
        IndexKey::Str(s)
    }
}

/// The address of one resource instance, in the root module or a module instance.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct InstanceAddr {
    /// The module instance (empty: the root module).
    pub module: ModulePath,
    pub mode: Mode,
    pub type_name: String,
    pub name: String,
    pub key: Option<IndexKey>,
}

impl InstanceAddr {
    /// A managed resource instance without a key: `type_name.name`.
    pub fn managed(type_name: impl Into<String>, name: impl Into<String>) -> Self {
        InstanceAddr {
            module: ModulePath::root(),
            mode: Mode::Managed,
            type_name: type_name.into(),
            name: name.into(),
            key: None,
        }
    }

    /// A data source instance without a key: `data.type_name.name`.
    pub fn data(type_name: impl Into<String>, name: impl Into<String>) -> Self {
        InstanceAddr {
            module: ModulePath::root(),
            mode: Mode::Data,
            type_name: type_name.into(),
            name: name.into(),
            key: None,
        }
    }

    /// The same resource with instance key `key`.
    pub fn with_key(mut self, key: impl Into<IndexKey>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// The same resource in module instance `module`.
    pub fn in_module(mut self, module: ModulePath) -> Self {
        self.module = module;
        self
    }

    /// The address of the whole resource, without the key: `type.name` (managed) or
    /// `data.type.name` (data source), after its module path (`module.m.type.name`): the form
    /// used in `dependencies`.
    pub fn resource_addr(&self) -> String {
        let prefix = self.module.prefix();
        match self.mode {
            Mode::Managed => format!("{prefix}{}.{}", self.type_name, self.name),
            Mode::Data => format!("{prefix}data.{}.{}", self.type_name, self.name),
        }
    }
}

impl fmt::Display for InstanceAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.module.is_root() {
            write!(f, "{}.", self.module)?;
        }
        if self.mode == Mode::Data {
            f.write_str("data.")?;
        }
        write!(f, "{}.{}", self.type_name, self.name)?;
        if let Some(key) = &self.key {
            write!(f, "[{key}]")?;
        }
        Ok(())
    }
}

/// A string that is not a resource instance address.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid resource address `{input}`: expected {expected}")]
pub struct AddrParseError {
    pub input: String,
    pub expected: &'static str,
}

const EXPECTED_ADDR: &str =
    "`type.name`, `type.name[0]`, `type.name[\"key\"]`, `data.type.name` or `module.m.type.name`";

impl FromStr for InstanceAddr {
    type Err = AddrParseError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let fail = |expected| AddrParseError {
            input: input.to_string(),
            expected,
        };
        let (module, rest) = ModulePath::parse_prefix(input).map_err(fail)?;
        let (mode, rest) = match rest.strip_prefix("data.") {
            Some(rest) => (Mode::Data, rest),
            None => (Mode::Managed, rest),
        };
        let (type_name, rest) = split_ident(rest).ok_or_else(|| fail(EXPECTED_ADDR))?;
        let rest = rest.strip_prefix('.').ok_or_else(|| fail(EXPECTED_ADDR))?;
        let (name, rest) = split_ident(rest).ok_or_else(|| fail(EXPECTED_ADDR))?;
        let key = if rest.is_empty() {
            None
        } else {
            let inner = rest
                .strip_prefix('[')
                .and_then(|r| r.strip_suffix(']'))
                .ok_or_else(|| fail(EXPECTED_ADDR))?;
            Some(parse_key(inner).ok_or_else(|| {
                fail("an instance key in brackets: a whole number such as `[0]` or a quoted string such as `[\"key\"]`")
            })?)
        };
        Ok(InstanceAddr {
            module,
            mode,
            type_name: type_name.to_string(),
            name: name.to_string(),
            key,
        })
    }
}

/// Splits a leading identifier (`[A-Za-z_][A-Za-z0-9_-]*`) off `s`.
pub(crate) fn split_ident(s: &str) -> Option<(&str, &str)> {
    let first = s.chars().next()?;
    if !(first.is_ascii_alphabetic() || first == '_') {
        return None;
    }
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(s.len());
    Some(s.split_at(end))
}

pub(crate) fn parse_key(inner: &str) -> Option<IndexKey> {
    if inner.starts_with('"') {
        // The quoted form is JSON's (it is what Display writes), so serde_json reads it back.
        serde_json::from_str::<String>(inner)
            .ok()
            .map(IndexKey::Str)
    } else {
        inner.parse::<i64>().ok().map(IndexKey::Int)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str) -> InstanceAddr {
        let addr: InstanceAddr = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(addr.to_string(), text);
        addr
    }

    #[test]
    fn parses_and_displays_every_form() {
        assert_eq!(
            round_trip("aws_s3_bucket.b"),
            InstanceAddr::managed("aws_s3_bucket", "b")
        );
        assert_eq!(
            round_trip("aws_s3_bucket.b[0]"),
            InstanceAddr::managed("aws_s3_bucket", "b").with_key(0)
        );
        assert_eq!(
            round_trip("aws_s3_bucket.b[\"k\"]"),
            InstanceAddr::managed("aws_s3_bucket", "b").with_key("k")
        );
        assert_eq!(
            round_trip("data.aws_ami.x"),
            InstanceAddr::data("aws_ami", "x")
        );
        assert_eq!(round_trip("data.aws_ami.x[2]").key, Some(IndexKey::Int(2)));
        round_trip("random_id.my-id_2[\"a \\\"quoted\\\" ] key\"]");
        let m = round_trip("module.etl[\"a\"].module.x.data.t.n[0]");
        assert_eq!(m.module.to_string(), "module.etl[\"a\"].module.x");
        assert_eq!(m.resource_addr(), "module.etl[\"a\"].module.x.data.t.n");
        round_trip("module.db[0].aws_s3_bucket.b");
    }

    #[test]
    fn resource_addr_has_no_key() {
        assert_eq!(
            InstanceAddr::managed("t", "n").with_key(3).resource_addr(),
            "t.n"
        );
        assert_eq!(InstanceAddr::data("t", "n").resource_addr(), "data.t.n");
    }

    #[test]
    fn rejects_malformed_addresses_saying_what_was_expected() {
        for bad in [
            "",
            "aws_s3_bucket",
            "aws_s3_bucket.",
            "1abc.b",
            "a.b[",
            "a.b[x]",
            "a.b[0",
            "a.b.c",
            "a.b[\"x]",
            "module.m",
            "module.m.a",
            "module.m[x].a.b",
        ] {
            let err = bad.parse::<InstanceAddr>().expect_err(bad);
            assert!(
                err.to_string()
                    .starts_with(&format!("invalid resource address `{bad}`: expected ")),
                "{err}"
            );
        }
    }

    #[test]
    fn index_keys_serialise_as_terraform_index_key() {
        assert_eq!(
            serde_json::to_string(&IndexKey::Int(1)).ok(),
            Some("1".to_string())
        );
        assert_eq!(
            serde_json::to_string(&IndexKey::from("a")).ok(),
            Some("\"a\"".to_string())
        );
        assert_eq!(
            serde_json::from_str::<IndexKey>("\"a\"").ok(),
            Some(IndexKey::from("a"))
        );
        assert_eq!(
            serde_json::from_str::<IndexKey>("7").ok(),
            Some(IndexKey::Int(7))
        );
    }
}
