//! The price table (`prices.json`, checked in beside this file): its shape, and the entry for a
//! resource type. The numbers and what each one is per live in the data, never in code.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

/// The table as written in `prices.json`, compiled into the binary (no network call, no file
/// to find at run time).
const PRICES_JSON: &str = include_str!("prices.json");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceTable {
    /// What the numbers are (estimates, regions, how they were read); shown by no command.
    pub about: Vec<String>,
    /// One sentence printed under every estimate: what the numbers are, and that they are not a bill.
    pub disclaimer: String,
    /// Hours in a billing month, for per-GB-month prices (AWS and Google use 730).
    pub hours_per_month: f64,
    pub sources: BTreeMap<String, Source>,
    pub free_tiers: BTreeMap<String, FreeTier>,
    /// By resource type; a key ending in `*` is a prefix pattern.
    pub types: BTreeMap<String, TypeEntry>,
}

/// The pricing page a group of numbers comes from.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub url: String,
    /// The date (YYYY-MM-DD) the numbers were entered from the page.
    pub read: String,
    pub region: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FreeTier {
    pub source: String,
    pub text: String,
}

/// What a resource type is, for cost purposes.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Billed: by the hour (`hourly`, `storage`), by use (`by_use`), or both.
    #[default]
    Priced,
    /// An object of the cloud that costs nothing by itself (a VPC, an IAM role).
    Free,
    /// Runs on this machine (Docker): $0.
    Local,
    /// No object outside state (`terraform_data`, `random_*`): nothing to pay for.
    None,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeEntry {
    /// How the cost line names it: `EC2`, `RDS`, `S3 bucket`.
    pub label: String,
    #[serde(default)]
    pub kind: Kind,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub hourly: Option<Hourly>,
    #[serde(default)]
    pub count: Option<Count>,
    #[serde(default)]
    pub multiplier: Option<Multiplier>,
    #[serde(default)]
    pub storage: Option<Storage>,
    #[serde(default)]
    pub addons: Vec<Addon>,
    #[serde(default)]
    pub by_use: Option<ByUse>,
}

/// One part of a price key: an attribute's value (or a default), optionally translated.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selector {
    /// A path into the object's attributes: `a.0.b` walks block lists.
    pub attribute: String,
    #[serde(default)]
    pub default: Option<String>,
    /// Case-insensitive translation of the value; `*` for any other value.
    #[serde(default)]
    pub map: Option<BTreeMap<String, String>>,
}

/// A free tier that applies to some keys of a price list (all keys when `keys` is empty).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FreeTierRef {
    pub id: String,
    #[serde(default)]
    pub keys: Vec<String>,
}

/// A price per hour chosen by a key (`t3.micro`, `postgres/db.t3.micro`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hourly {
    pub source: String,
    /// A different source by the key's first part (`mysql` prices come from the MySQL page).
    #[serde(default)]
    pub sources: BTreeMap<String, String>,
    pub key: Vec<Selector>,
    pub prices: BTreeMap<String, f64>,
    #[serde(default)]
    pub free_tier: Option<FreeTierRef>,
}

/// How many of the hourly unit run (Redshift nodes).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Count {
    pub label: String,
    pub attribute: String,
    pub default: f64,
}

/// A factor on the hourly price when an attribute has a value (Multi-AZ doubles RDS).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Multiplier {
    pub label: String,
    pub attribute: String,
    pub equals: serde_json::Value,
    pub factor: f64,
}

/// Provisioned storage billed per GB-month whether used or not (an EBS root volume).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Storage {
    pub label: String,
    pub source: String,
    /// The attribute holding the size in GB.
    pub size: String,
    /// The size assumed when the attribute is unset or known only after apply.
    #[serde(default)]
    pub default_size: Option<f64>,
    #[serde(default)]
    pub default_size_note: Option<String>,
    pub key: Vec<Selector>,
    pub per_gb_month: BTreeMap<String, f64>,
    #[serde(default)]
    pub free_tier: Option<FreeTierRef>,
}

/// A fixed hourly charge when an attribute has a value (a public IPv4 address).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Addon {
    pub label: String,
    pub source: String,
    pub attribute: String,
    pub equals: serde_json::Value,
    pub per_hour: f64,
}

/// Billed by use (stored GB, processed GB): unknown at plan time, so $0 in the totals and the
/// rate shown beside it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ByUse {
    /// What is billed: `storage`, `data processed`.
    pub what: String,
    /// The unit of the rate: `GB-month`, `GB`.
    pub unit: String,
    pub source: String,
    pub key: Vec<Selector>,
    pub prices: BTreeMap<String, f64>,
    #[serde(default)]
    pub free_tier: Option<FreeTierRef>,
}

impl FreeTierRef {
    pub fn applies_to(&self, key: &str) -> bool {
        self.keys.is_empty() || self.keys.iter().any(|k| k == key)
    }
}

impl PriceTable {
    /// Parses a table. Errors: the JSON error, with its line.
    pub fn parse(text: &str) -> Result<PriceTable, String> {
        serde_json::from_str(text).map_err(|e| format!("line {}: {e}", e.line()))
    }

    /// The entry for a resource type: its own, else the longest `prefix*` pattern matching it.
    pub fn entry(&self, type_name: &str) -> Option<&TypeEntry> {
        if let Some(e) = self.types.get(type_name) {
            return Some(e);
        }
        self.types
            .iter()
            .filter_map(|(k, e)| {
                let prefix = k.strip_suffix('*')?;
                type_name.starts_with(prefix).then_some((prefix.len(), e))
            })
            .max_by_key(|(len, _)| *len)
            .map(|(_, e)| e)
    }

    pub fn free_tier_text(&self, id: &str) -> Option<&str> {
        self.free_tiers.get(id).map(|f| f.text.as_str())
    }
}

/// The table compiled into labform. Errors: the table does not parse (a unit test keeps that
/// from being released).
pub fn builtin() -> Result<&'static PriceTable, &'static str> {
    static TABLE: OnceLock<Result<PriceTable, String>> = OnceLock::new();
    TABLE
        .get_or_init(|| PriceTable::parse(PRICES_JSON))
        .as_ref()
        .map_err(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_table_parses_and_every_reference_resolves() {
        let t = builtin().unwrap();
        assert_eq!(t.hours_per_month, 730.0);
        let check_source = |s: &str| assert!(t.sources.contains_key(s), "unknown source `{s}`");
        let check_tier = |f: &Option<FreeTierRef>| {
            if let Some(f) = f {
                assert!(
                    t.free_tiers.contains_key(&f.id),
                    "unknown free tier `{}`",
                    f.id
                );
            }
        };
        for f in t.free_tiers.values() {
            check_source(&f.source);
        }
        for (name, e) in &t.types {
            if let Some(h) = &e.hourly {
                check_source(&h.source);
                h.sources.values().for_each(|s| check_source(s));
                check_tier(&h.free_tier);
                assert!(h.prices.values().all(|p| *p > 0.0), "{name}");
            }
            if let Some(s) = &e.storage {
                check_source(&s.source);
                check_tier(&s.free_tier);
            }
            if let Some(b) = &e.by_use {
                check_source(&b.source);
                check_tier(&b.free_tier);
            }
            for a in &e.addons {
                check_source(&a.source);
            }
            let priced = e.hourly.is_some() || e.storage.is_some() || e.by_use.is_some();
            assert_eq!(
                priced,
                e.kind == Kind::Priced,
                "{name}: kind and prices disagree"
            );
        }
        for s in t.sources.values() {
            assert!(s.url.starts_with("https://"), "{}", s.url);
            assert_eq!(s.read.len(), 10, "read date `{}` is not YYYY-MM-DD", s.read);
        }
    }

    #[test]
    fn an_exact_type_wins_over_a_pattern_and_the_longest_pattern_wins() {
        let t = PriceTable::parse(
            r#"{"about":[],"disclaimer":"","hours_per_month":730,"sources":{},"free_tiers":{},"types":{
                "x_*":{"label":"short","kind":"free"},
                "x_bucket_*":{"label":"long","kind":"free"},
                "x_bucket":{"label":"exact","kind":"free"}}}"#,
        )
        .unwrap();
        assert_eq!(t.entry("x_bucket").unwrap().label, "exact");
        assert_eq!(t.entry("x_bucket_policy").unwrap().label, "long");
        assert_eq!(t.entry("x_vpc").unwrap().label, "short");
        assert!(t.entry("y_vpc").is_none());
    }
}
