//! Security group rules as Terraform writes them (`ingress { protocol, from_port, to_port,
//! cidr_blocks, ... }`) and as EC2 stores them (`IpPermission`), both ways.

use std::collections::BTreeSet;

use aws_sdk_ec2::types::{IpPermission, IpRange, Ipv6Range, PrefixListId, UserIdGroupPair};
use labform_sdk::types::normalize_set;
use labform_sdk::{Attribute, BlockSchema, Value};

use crate::schema_util::{b, n, s, slist, sset};

/// The attributes of an inline `ingress`/`egress` block.
pub fn rule_block_schema() -> BlockSchema {
    BlockSchema::new()
        .attr("cidr_blocks", Attribute::optional(slist()))
        .attr("description", Attribute::optional(s()))
        .attr("from_port", Attribute::required(n()))
        .attrs(
            &["ipv6_cidr_blocks", "prefix_list_ids"],
            Attribute::optional(slist()),
        )
        .attr("protocol", Attribute::required(s()))
        .attr("security_groups", Attribute::optional(sset()))
        .attr("self", Attribute::optional(b()))
        .attr("to_port", Attribute::required(n()))
}

/// `all`/`-1` -> `-1`; protocol numbers -> names; lower case.
pub fn normalize_protocol(p: &str) -> String {
    match p.to_lowercase().as_str() {
        "all" | "-1" => "-1".into(),
        "6" => "tcp".into(),
        "17" => "udp".into(),
        "1" => "icmp".into(),
        "58" => "icmpv6".into(),
        other => other.to_string(),
    }
}

fn strings(v: &Value, name: &str) -> Vec<String> {
    v.string_list_attr(name)
}

fn str_list(items: impl IntoIterator<Item = String>) -> Value {
    Value::List(items.into_iter().map(Value::from).collect())
}

/// A rule with every attribute present in canonical form (empty lists, `self = false`,
/// `description = ""`, normalised protocol), so configuration and read-back compare equal.
/// Unknown parts are left as they are.
pub fn canonical(rule: &Value) -> Value {
    if !rule.is_wholly_known() {
        return rule.clone();
    }
    let mut v = rule.clone();
    for list in ["cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids"] {
        if v.get(list).is_null() {
            v.set(list, Value::List(vec![]));
        }
    }
    let groups = normalize_set(v.list_attr("security_groups").to_vec());
    v.set("security_groups", Value::List(groups));
    if v.get("self").is_null() {
        v.set("self", false.into());
    }
    if v.get("description").is_null() {
        v.set("description", "".into());
    }
    if let Some(p) = v.str_attr("protocol") {
        let p = normalize_protocol(p);
        if p == "-1" {
            // Ports mean nothing for "all traffic"; AWS stores none.
            v.set("from_port", Value::Number(0.0));
            v.set("to_port", Value::Number(0.0));
        }
        v.set("protocol", p.into());
    }
    v
}

/// Canonical rules, sorted as a set.
pub fn canonical_set(rules: &[Value]) -> Vec<Value> {
    normalize_set(rules.iter().map(canonical).collect())
}

/// Where a permission lets traffic come from (ingress) or go to (egress).
pub struct Peers {
    pub ipv4: Vec<String>,
    pub ipv6: Vec<String>,
    pub prefix_lists: Vec<String>,
    /// Security groups, each with the account that owns it when that is another one.
    pub groups: Vec<(Option<String>, String)>,
}

/// The permission for `protocol` on `ports` (from, to) to every one of `peers`, each carrying
/// the description `desc`.
pub fn permission(
    protocol: &str,
    ports: (Option<i32>, Option<i32>),
    peers: Peers,
    desc: Option<String>,
) -> IpPermission {
    let mut p = IpPermission::builder()
        .ip_protocol(protocol)
        .set_from_port(ports.0)
        .set_to_port(ports.1);
    for c in peers.ipv4 {
        p = p.ip_ranges(
            IpRange::builder()
                .cidr_ip(c)
                .set_description(desc.clone())
                .build(),
        );
    }
    for c in peers.ipv6 {
        p = p.ipv6_ranges(
            Ipv6Range::builder()
                .cidr_ipv6(c)
                .set_description(desc.clone())
                .build(),
        );
    }
    for c in peers.prefix_lists {
        p = p.prefix_list_ids(
            PrefixListId::builder()
                .prefix_list_id(c)
                .set_description(desc.clone())
                .build(),
        );
    }
    for (user, id) in peers.groups {
        p = p.user_id_group_pairs(
            UserIdGroupPair::builder()
                .group_id(id)
                .set_user_id(user)
                .set_description(desc.clone())
                .build(),
        );
    }
    p.build()
}

/// The permission for one inline rule; `own_group` stands in for `self = true`.
pub fn to_permission(rule: &Value, own_group: &str) -> IpPermission {
    let protocol = normalize_protocol(rule.str_attr("protocol").unwrap_or("-1"));
    let desc = rule
        .str_attr("description")
        .filter(|d| !d.is_empty())
        .map(str::to_string);
    let ports = if protocol == "-1" {
        (None, None)
    } else {
        (int(rule, "from_port"), int(rule, "to_port"))
    };
    let mut groups: Vec<String> = strings(rule, "security_groups");
    if rule.bool_attr("self", false) {
        groups.push(own_group.to_string());
    }
    let peers = Peers {
        ipv4: strings(rule, "cidr_blocks"),
        ipv6: strings(rule, "ipv6_cidr_blocks"),
        prefix_lists: strings(rule, "prefix_list_ids"),
        // Cross-account references are written `account/sg-id`.
        groups: groups
            .into_iter()
            .map(|g| match g.split_once('/') {
                Some((u, i)) => (Some(u.to_string()), i.to_string()),
                None => (None, g),
            })
            .collect(),
    };
    permission(&protocol, ports, peers, desc)
}

/// A port attribute of a rule, as EC2 takes it.
pub fn int(rule: &Value, name: &str) -> Option<i32> {
    rule.i64_attr(name).map(|x| x as i32)
}

impl Peers {
    /// The peers a permission names.
    fn of_permission(p: &IpPermission) -> Peers {
        Peers {
            ipv4: texts(p.ip_ranges().iter().map(|r| r.cidr_ip())),
            ipv6: texts(p.ipv6_ranges().iter().map(|r| r.cidr_ipv6())),
            prefix_lists: texts(p.prefix_list_ids().iter().map(|r| r.prefix_list_id())),
            groups: p
                .user_id_group_pairs()
                .iter()
                .filter_map(|g| Some((g.user_id().map(str::to_string), g.group_id()?.to_string())))
                .collect(),
        }
    }

    /// Every peer as a `kind:value` string; the group `own_group` names (if any) is `self`.
    fn sources(&self, own_group: Option<&str>) -> BTreeSet<String> {
        let tagged = |kind: &str, items: &[String]| -> Vec<String> {
            items.iter().map(|c| format!("{kind}:{c}")).collect()
        };
        let mut out = BTreeSet::new();
        out.extend(tagged("cidr", &self.ipv4));
        out.extend(tagged("ipv6", &self.ipv6));
        out.extend(tagged("pl", &self.prefix_lists));
        out.extend(self.groups.iter().map(|(_, id)| match own_group {
            Some(own) if own == id => "self".to_string(),
            _ => format!("sg:{id}"),
        }));
        out
    }
}

/// The texts an API answer holds, skipping those it left out.
fn texts<'a>(items: impl Iterator<Item = Option<&'a str>>) -> Vec<String> {
    items.flatten().map(str::to_string).collect()
}

/// Every source of an inline rule, as [`Peers::sources`] spells them; `self = true` is `self`.
fn sources_of_rule(rule: &Value) -> BTreeSet<String> {
    let peers = Peers {
        ipv4: strings(rule, "cidr_blocks"),
        ipv6: strings(rule, "ipv6_cidr_blocks"),
        prefix_lists: strings(rule, "prefix_list_ids"),
        groups: strings(rule, "security_groups")
            .iter()
            .map(|g| (None, g.rsplit('/').next().unwrap_or(g).to_string()))
            .collect(),
    };
    let mut out = peers.sources(None);
    if rule.bool_attr("self", false) {
        out.insert("self".into());
    }
    out
}

fn ports_of_rule(rule: &Value) -> (String, i64, i64) {
    let c = canonical(rule);
    (
        c.str_attr("protocol").unwrap_or("").to_string(),
        c.i64_attr("from_port").unwrap_or(0),
        c.i64_attr("to_port").unwrap_or(0),
    )
}

fn ports_of_permission(p: &IpPermission) -> (String, i64, i64) {
    let proto = normalize_protocol(p.ip_protocol().unwrap_or("-1"));
    if proto == "-1" {
        return (proto, 0, 0);
    }
    (
        proto,
        i64::from(p.from_port().unwrap_or(0)),
        i64::from(p.to_port().unwrap_or(0)),
    )
}

/// Turns the permissions EC2 returns back into rules. EC2 merges rules with the same ports
/// into one permission; where `prior` rules with those ports together make up exactly that
/// permission they are kept as written, otherwise one merged rule stands for it.
pub fn from_permissions(perms: &[IpPermission], own_group: &str, prior: &[Value]) -> Vec<Value> {
    let mut out = Vec::new();
    for p in perms {
        let ports = ports_of_permission(p);
        let peers = Peers::of_permission(p);
        let have = peers.sources(Some(own_group));
        let candidates: Vec<&Value> = prior
            .iter()
            .filter(|r| {
                r.is_wholly_known()
                    && ports_of_rule(r) == ports
                    && sources_of_rule(r).is_subset(&have)
            })
            .collect();
        let union: BTreeSet<String> = candidates.iter().flat_map(|r| sources_of_rule(r)).collect();
        if !candidates.is_empty() && union == have {
            out.extend(candidates.into_iter().map(canonical));
            continue;
        }
        let desc = p
            .ip_ranges()
            .iter()
            .filter_map(|r| r.description())
            .chain(p.ipv6_ranges().iter().filter_map(|r| r.description()))
            .chain(
                p.user_id_group_pairs()
                    .iter()
                    .filter_map(|r| r.description()),
            )
            .chain(p.prefix_list_ids().iter().filter_map(|r| r.description()))
            .next()
            .unwrap_or("");
        let groups = peers.groups.into_iter().map(|(_, id)| id);
        let rule = Value::from_pairs([
            ("protocol", ports.0.clone().into()),
            ("from_port", Value::Number(ports.1 as f64)),
            ("to_port", Value::Number(ports.2 as f64)),
            ("cidr_blocks", str_list(peers.ipv4)),
            ("ipv6_cidr_blocks", str_list(peers.ipv6)),
            ("prefix_list_ids", str_list(peers.prefix_lists)),
            (
                "security_groups",
                str_list(groups.filter(|g| g != own_group)),
            ),
            ("self", have.contains("self").into()),
            ("description", desc.into()),
        ]);
        out.push(canonical(&rule));
    }
    normalize_set(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ssh(cidr: &str, desc: Option<&str>) -> Value {
        Value::from_pairs([
            ("protocol", "tcp".into()),
            ("from_port", Value::Number(22.0)),
            ("to_port", Value::Number(22.0)),
            ("cidr_blocks", Value::List(vec![cidr.into()])),
            ("description", desc.map(Value::from).unwrap_or(Value::Null)),
            ("ipv6_cidr_blocks", Value::Null),
            ("prefix_list_ids", Value::Null),
            ("security_groups", Value::Null),
            ("self", Value::Null),
        ])
    }

    #[test]
    fn merged_permissions_split_back_into_the_written_rules() {
        let rules = vec![
            ssh("10.0.0.0/8", Some("office")),
            ssh("192.168.0.0/16", None),
        ];
        let perm = IpPermission::builder()
            .ip_protocol("tcp")
            .from_port(22)
            .to_port(22)
            .ip_ranges(
                IpRange::builder()
                    .cidr_ip("10.0.0.0/8")
                    .description("office")
                    .build(),
            )
            .ip_ranges(IpRange::builder().cidr_ip("192.168.0.0/16").build())
            .build();
        assert_eq!(
            from_permissions(std::slice::from_ref(&perm), "sg-1", &rules),
            canonical_set(&rules)
        );
        // Without prior rules: one merged rule.
        let merged = from_permissions(&[perm], "sg-1", &[]);
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].string_list_attr("cidr_blocks").len(), 2);
    }

    #[test]
    fn all_traffic_is_canonical() {
        let r = Value::from_pairs([
            ("protocol", "all".into()),
            ("from_port", Value::Number(0.0)),
            ("to_port", Value::Number(0.0)),
        ]);
        let c = canonical(&r);
        assert_eq!(c.str_attr("protocol"), Some("-1"));
        assert_eq!(c.get("self"), &Value::Bool(false));
        assert_eq!(normalize_protocol("6"), "tcp");
    }
}
