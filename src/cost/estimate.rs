//! One object's estimated cost: its type's entry in the price table applied to its attributes
//! (planned or recorded). Pure: no clock, no network, no printing.

use labform_sdk::Value;

use super::table::{FreeTierRef, Kind, PriceTable, Selector, TypeEntry};

/// One billed part of an object: `EC2 t3.micro`, `EBS gp2 8 GB`.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Part {
    pub what: String,
    pub per_hour: f64,
    /// The source id in the table, for `-json` readers who want the page.
    pub source: String,
}

/// What an object costs, as far as the table knows.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Estimate {
    /// `None`: the table has no entry for the type (so no price is known).
    pub kind: Option<Kind>,
    /// The type's label in the table (`EC2`), or the type name when it has no entry.
    pub label: String,
    pub parts: Vec<Part>,
    /// Charges that depend on use (stored GB) and so count $0 here: `storage billed by use
    /// ($0.023/GB-month, STANDARD)`.
    pub by_use: Vec<String>,
    /// Free tiers that may cover the object (the account's eligibility is not known here).
    pub free_tiers: Vec<String>,
    /// What was assumed for a value that is unset or known only after apply.
    pub assumptions: Vec<String>,
    /// Why part or all of the price is not known; empty when it is.
    pub no_price: Vec<String>,
    /// The type's own note (`the first million Data Catalog objects are free`).
    pub note: Option<String>,
}

impl Estimate {
    /// The known parts per hour; parts with no price known count nothing.
    pub fn per_hour(&self) -> f64 {
        // An empty float sum is -0.0; adding 0.0 makes it print as 0.
        self.parts.iter().map(|p| p.per_hour).sum::<f64>() + 0.0
    }

    pub fn per_day(&self) -> f64 {
        self.per_hour() * 24.0
    }

    /// Whether a price is missing for part or all of the object.
    pub fn price_unknown(&self) -> bool {
        !self.no_price.is_empty()
    }

    /// The billed parts as a person reads them: `EC2 t3.micro, EBS gp2 8 GB`.
    pub fn summary(&self) -> String {
        self.parts
            .iter()
            .map(|p| p.what.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The value at a dotted path (`root_block_device.0.volume_size`): numbers index lists.
fn at<'v>(v: &'v Value, path: &str) -> &'v Value {
    static NULL: Value = Value::Null;
    path.split('.').fold(v, |cur, step| match cur {
        Value::List(items) => step
            .parse::<usize>()
            .ok()
            .and_then(|i| items.get(i))
            .unwrap_or(&NULL),
        Value::Unknown => cur,
        _ => cur.get(step),
    })
}

/// A scalar attribute as key text; `Err` says why there is none.
fn text_of(v: &Value, attribute: &str) -> Result<Option<String>, String> {
    match at(v, attribute) {
        Value::Unknown => Err(format!("`{attribute}` is known only after apply")),
        Value::Null => Ok(None),
        Value::String(s) if s.is_empty() => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        Value::Bool(b) => Ok(Some(b.to_string())),
        Value::Number(n) => Ok(Some(labform_sdk::value::format_number(*n))),
        other => Err(format!("`{attribute}` is a {}", other.kind_name())),
    }
}

/// One selector's part of a key. An unset value, or one known only after apply (a volume type
/// the AMI decides), takes the selector's default when it has one.
fn select(v: &Value, s: &Selector) -> Result<String, String> {
    let raw = match (text_of(v, &s.attribute), &s.default) {
        (Ok(Some(t)), _) => t,
        (Ok(None) | Err(_), Some(d)) => d.clone(),
        (Ok(None), None) => return Err(format!("`{}` is not set", s.attribute)),
        (Err(why), None) => return Err(why),
    };
    let Some(map) = &s.map else {
        return Ok(raw);
    };
    map.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(&raw))
        .or_else(|| map.get_key_value("*"))
        .map(|(_, to)| to.clone())
        .ok_or_else(|| format!("`{}` = `{raw}` has no price class", s.attribute))
}

/// The price key of an object (`postgres/db.t3.micro`; empty for a key of no selectors).
fn key_of(v: &Value, selectors: &[Selector]) -> Result<String, String> {
    let parts: Vec<String> = selectors
        .iter()
        .map(|s| select(v, s))
        .collect::<Result<_, _>>()?;
    Ok(parts.join("/"))
}

/// The key as words: `postgres/db.t3.micro` reads `postgres db.t3.micro`.
fn words(key: &str) -> String {
    key.replace('/', " ")
}

fn equals(v: &Value, attribute: &str, expected: &serde_json::Value) -> bool {
    at(v, attribute).to_json() == *expected
}

fn number(v: &Value, attribute: &str) -> Result<Option<f64>, String> {
    match at(v, attribute) {
        Value::Unknown => Err(format!("`{attribute}` is known only after apply")),
        Value::Number(n) if *n > 0.0 => Ok(Some(*n)),
        _ => Ok(None),
    }
}

fn money(x: f64) -> String {
    format!("${}", labform_sdk::value::format_number(x))
}

struct Builder<'t> {
    table: &'t PriceTable,
    out: Estimate,
}

impl Builder<'_> {
    fn free_tier(&mut self, tier: &Option<FreeTierRef>, key: &str) {
        let Some(tier) = tier.as_ref().filter(|t| t.applies_to(key)) else {
            return;
        };
        if let Some(text) = self.table.free_tier_text(&tier.id) {
            if !self.out.free_tiers.iter().any(|t| t == text) {
                self.out.free_tiers.push(text.to_string());
            }
        }
    }

    fn hourly(&mut self, e: &TypeEntry, v: &Value) {
        let Some(h) = &e.hourly else { return };
        let key = match key_of(v, &h.key) {
            Ok(k) => k,
            Err(why) => return self.out.no_price.push(format!("{}: {why}", e.label)),
        };
        let Some(price) = h.prices.get(&key) else {
            return self.out.no_price.push(format!(
                "no price known for {} `{}`",
                e.label,
                words(&key)
            ));
        };
        let mut what = format!("{} {}", e.label, words(&key)).trim().to_string();
        let mut per_hour = *price;
        if let Some(c) = &e.count {
            let n = match number(v, &c.attribute) {
                Ok(n) => n.unwrap_or(c.default),
                Err(why) => {
                    self.out
                        .assumptions
                        .push(format!("{why}: {} {} assumed", c.default, c.label));
                    c.default
                }
            };
            if n != 1.0 {
                what = format!(
                    "{what} x{} {}",
                    labform_sdk::value::format_number(n),
                    c.label
                );
            }
            per_hour *= n;
        }
        if let Some(m) = e
            .multiplier
            .as_ref()
            .filter(|m| equals(v, &m.attribute, &m.equals))
        {
            what = format!("{what} {}", m.label);
            per_hour *= m.factor;
        }
        let first = key.split('/').next().unwrap_or("");
        let source = h.sources.get(first).unwrap_or(&h.source).clone();
        self.out.parts.push(Part {
            what,
            per_hour,
            source,
        });
        self.free_tier(&h.free_tier, &key);
    }

    fn storage(&mut self, e: &TypeEntry, v: &Value) {
        let Some(s) = &e.storage else { return };
        let size = match number(v, &s.size) {
            Ok(Some(n)) => Some(n),
            unset_or_unknown => {
                if let (Some(d), Some(note)) = (s.default_size, &s.default_size_note) {
                    self.out.assumptions.push(note.clone());
                    Some(d)
                } else if let Err(why) = unset_or_unknown {
                    self.out.no_price.push(format!("{}: {why}", s.label));
                    None
                } else {
                    s.default_size
                }
            }
        };
        let Some(size) = size else { return };
        let key = match key_of(v, &s.key) {
            Ok(k) => k,
            Err(why) => return self.out.no_price.push(format!("{}: {why}", s.label)),
        };
        let Some(rate) = s.per_gb_month.get(&key) else {
            return self.out.no_price.push(format!(
                "no price known for {} `{}`",
                s.label,
                words(&key)
            ));
        };
        self.out.parts.push(Part {
            what: format!(
                "{} {} {} GB",
                s.label,
                words(&key),
                labform_sdk::value::format_number(size)
            ),
            per_hour: size * rate / self.table.hours_per_month,
            source: s.source.clone(),
        });
        self.free_tier(&s.free_tier, &key);
    }

    fn addons(&mut self, e: &TypeEntry, v: &Value) {
        for a in e.addons.iter().filter(|a| at(v, &a.attribute).is_unknown()) {
            self.out.assumptions.push(format!(
                "`{}` is known only after apply: {} adds {}/hour",
                a.attribute,
                a.label,
                money(a.per_hour)
            ));
        }
        for a in e
            .addons
            .iter()
            .filter(|a| equals(v, &a.attribute, &a.equals))
        {
            self.out.parts.push(Part {
                what: a.label.clone(),
                per_hour: a.per_hour,
                source: a.source.clone(),
            });
        }
    }

    fn by_use(&mut self, e: &TypeEntry, v: &Value) {
        let Some(b) = &e.by_use else { return };
        let rate = key_of(v, &b.key).map(|k| (b.prices.get(&k).copied(), k));
        let text = match &rate {
            Ok((Some(p), k)) if k.is_empty() => format!("{}/{}", money(*p), b.unit),
            Ok((Some(p), k)) => format!("{}/{}, {}", money(*p), b.unit, words(k)),
            Ok((None, k)) => format!("no price known for `{}`", words(k)),
            Err(why) => why.clone(),
        };
        self.out
            .by_use
            .push(format!("{} billed by use ({text})", b.what));
        if let Ok((_, k)) = &rate {
            self.free_tier(&b.free_tier, k);
        }
    }
}

/// The estimate for one object of type `type_name` with attributes `v` (a planned value may
/// hold unknowns: a price that depends on one is reported missing, a size is assumed).
pub fn estimate(table: &PriceTable, type_name: &str, v: &Value) -> Estimate {
    let Some(e) = table.entry(type_name) else {
        return Estimate {
            kind: None,
            label: type_name.to_string(),
            no_price: vec![format!("no price known for `{type_name}`")],
            ..Estimate::default()
        };
    };
    let mut b = Builder {
        table,
        out: Estimate {
            kind: Some(e.kind),
            label: e.label.clone(),
            note: e.note.clone(),
            ..Estimate::default()
        },
    };
    b.hourly(e, v);
    b.storage(e, v);
    b.addons(e, v);
    b.by_use(e, v);
    b.out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::table::builtin;

    fn obj(pairs: &[(&str, Value)]) -> Value {
        Value::from_pairs(pairs.iter().map(|(k, v)| (*k, v.clone())))
    }

    fn s(text: &str) -> Value {
        Value::from(text)
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn an_instance_costs_its_type_and_its_root_volume() {
        let t = builtin().unwrap();
        let root = Value::List(vec![obj(&[
            ("volume_size", Value::Number(20.0)),
            ("volume_type", s("gp3")),
        ])]);
        let e = estimate(
            t,
            "aws_instance",
            &obj(&[
                ("instance_type", s("t3.micro")),
                ("root_block_device", root),
            ]),
        );
        assert_eq!(e.summary(), "EC2 t3.micro, EBS gp3 20 GB");
        assert!(close(e.per_hour(), 0.0104 + 20.0 * 0.08 / 730.0));
        assert!(e.no_price.is_empty() && e.assumptions.is_empty());
        assert!(e.free_tiers.iter().any(|f| f.contains("t3.micro")));
    }

    #[test]
    fn a_planned_instance_assumes_the_usual_root_volume() {
        let t = builtin().unwrap();
        let e = estimate(
            t,
            "aws_instance",
            &obj(&[
                ("instance_type", s("m5.large")),
                ("root_block_device", Value::Unknown),
            ]),
        );
        assert_eq!(e.summary(), "EC2 m5.large, EBS gp2 8 GB");
        assert!(close(e.per_hour(), 0.096 + 8.0 * 0.10 / 730.0));
        assert_eq!(e.assumptions.len(), 1);
        // m5.large is outside the free tier.
        assert!(!e.free_tiers.iter().any(|f| f.contains("750 hours")));
    }

    #[test]
    fn a_public_ip_adds_its_hourly_charge() {
        let t = builtin().unwrap();
        let e = estimate(
            t,
            "aws_instance",
            &obj(&[
                ("instance_type", s("t2.micro")),
                ("associate_public_ip_address", Value::Bool(true)),
            ]),
        );
        assert!(close(e.per_hour(), 0.0116 + 8.0 * 0.10 / 730.0 + 0.005));
        assert!(e.summary().ends_with("public IPv4"));
    }

    #[test]
    fn an_unknown_instance_type_has_no_price_and_says_so() {
        let t = builtin().unwrap();
        let e = estimate(t, "aws_instance", &obj(&[("instance_type", s("x9.huge"))]));
        assert_eq!(e.no_price, vec!["no price known for EC2 `x9.huge`"]);
        let later = estimate(
            t,
            "aws_instance",
            &obj(&[("instance_type", Value::Unknown)]),
        );
        assert_eq!(
            later.no_price,
            vec!["EC2: `instance_type` is known only after apply"]
        );
    }

    #[test]
    fn a_type_missing_from_the_table_has_no_price_known() {
        let t = builtin().unwrap();
        let e = estimate(t, "aws_glue_job", &Value::object());
        assert_eq!(e.kind, None);
        assert_eq!(e.no_price, vec!["no price known for `aws_glue_job`"]);
        assert_eq!(e.per_hour(), 0.0);
    }

    /// RDS classes by engine, with storage, Multi-AZ and the free tier.
    #[test]
    fn db_classes_are_priced_by_engine_and_class() {
        let t = builtin().unwrap();
        let cases = [
            ("postgres", "db.t3.micro", 0.018),
            ("postgres", "db.t3.small", 0.036),
            ("postgres", "db.t3.medium", 0.072),
            ("postgres", "db.t3.large", 0.145),
            ("postgres", "db.t4g.micro", 0.016),
            ("postgres", "db.t4g.large", 0.129),
            ("mysql", "db.t3.micro", 0.017),
            ("mysql", "db.t3.large", 0.136),
            ("mysql", "db.t4g.micro", 0.016),
            ("mysql", "db.t4g.medium", 0.065),
        ];
        for (engine, class, hourly) in cases {
            let e = estimate(
                t,
                "aws_db_instance",
                &obj(&[
                    ("engine", s(engine)),
                    ("instance_class", s(class)),
                    ("allocated_storage", Value::Number(20.0)),
                ]),
            );
            assert!(e.no_price.is_empty(), "{engine} {class}: {:?}", e.no_price);
            assert!(
                close(e.per_hour(), hourly + 20.0 * 0.115 / 730.0),
                "{engine} {class}: {}",
                e.per_hour()
            );
            assert_eq!(
                e.summary(),
                format!("RDS {engine} {class}, storage gp2 20 GB")
            );
            let source = if engine == "mysql" {
                "aws_rds_mysql"
            } else {
                "aws_rds_postgres"
            };
            assert_eq!(e.parts[0].source, source);
            assert_eq!(
                e.free_tiers.iter().any(|f| f.contains("db.t3.micro")),
                class.ends_with("micro")
            );
        }
        let multi = estimate(
            t,
            "aws_db_instance",
            &obj(&[
                ("engine", s("postgres")),
                ("instance_class", s("db.t3.micro")),
                ("multi_az", Value::Bool(true)),
                ("allocated_storage", Value::Number(20.0)),
            ]),
        );
        assert!(close(multi.parts[0].per_hour, 0.036));
        assert_eq!(multi.parts[0].what, "RDS postgres db.t3.micro Multi-AZ");
        let aurora = estimate(
            t,
            "aws_db_instance",
            &obj(&[
                ("engine", s("aurora-postgresql")),
                ("instance_class", s("db.r5.large")),
            ]),
        );
        assert_eq!(
            aurora.no_price[0],
            "no price known for RDS `aurora-postgresql db.r5.large`"
        );
    }

    #[test]
    fn redshift_counts_its_nodes() {
        let t = builtin().unwrap();
        let e = estimate(
            t,
            "aws_redshift_cluster",
            &obj(&[
                ("node_type", s("dc2.large")),
                ("number_of_nodes", Value::Number(2.0)),
            ]),
        );
        assert!(close(e.per_hour(), 0.5));
        assert_eq!(e.summary(), "Redshift dc2.large x2 nodes");
        let one = estimate(
            t,
            "aws_redshift_cluster",
            &obj(&[("node_type", s("ra3.xlplus"))]),
        );
        assert!(close(one.per_hour(), 1.086));
    }

    #[test]
    fn buckets_cost_nothing_up_front_and_show_the_storage_rate() {
        let t = builtin().unwrap();
        let s3 = estimate(t, "aws_s3_bucket", &obj(&[("bucket", s("b"))]));
        assert_eq!(s3.per_hour(), 0.0);
        assert!(s3.no_price.is_empty());
        assert_eq!(
            s3.by_use,
            vec!["storage billed by use ($0.023/GB-month, STANDARD)"]
        );
        let gcs_us = estimate(t, "google_storage_bucket", &obj(&[("location", s("US"))]));
        assert_eq!(
            gcs_us.by_use,
            vec!["storage billed by use ($0.026/GB-month, multi-region STANDARD)"]
        );
        let gcs_region = estimate(
            t,
            "google_storage_bucket",
            &obj(&[
                ("location", s("us-central1")),
                ("storage_class", s("NEARLINE")),
            ]),
        );
        assert_eq!(
            gcs_region.by_use,
            vec!["storage billed by use ($0.01/GB-month, region NEARLINE)"]
        );
        let bq = estimate(t, "google_bigquery_dataset", &Value::object());
        assert_eq!(
            bq.by_use,
            vec!["active logical storage billed by use ($0.02/GB-month)"]
        );
        assert!(bq.free_tiers[0].contains("10 GB"));
    }

    #[test]
    fn free_local_and_state_only_types_cost_nothing_and_are_known() {
        let t = builtin().unwrap();
        for (ty, kind) in [
            ("aws_vpc", Kind::Free),
            ("aws_iam_role", Kind::Free),
            ("aws_s3_bucket_versioning", Kind::Free),
            ("docker_container", Kind::Local),
            ("docker_volume", Kind::Local),
            ("terraform_data", Kind::None),
            ("random_pet", Kind::None),
        ] {
            let e = estimate(t, ty, &Value::object());
            assert_eq!(e.kind, Some(kind), "{ty}");
            assert_eq!(e.per_hour(), 0.0, "{ty}");
            assert!(e.no_price.is_empty(), "{ty}");
        }
    }
}
