//! The four calls that add and remove security group rules, one per direction each, behind
//! one function per verb: `aws_security_group` (inline rules), `aws_security_group_rule` and
//! the `aws_vpc_security_group_*_rule` pair share them.

use aws_sdk_ec2::types::{IpPermission, TagSpecification};
use labform_sdk::Result;

use crate::client::Aws;
use crate::errors::{self, Failed};

/// Which rules of a group: inbound or outbound.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Side {
    Ingress,
    Egress,
}

impl Side {
    /// The side a rule resource's `type` (`ingress`/`egress`) names.
    pub fn of_type(rule_type: Option<&str>) -> Side {
        if rule_type == Some("egress") {
            Side::Egress
        } else {
            Side::Ingress
        }
    }
}

/// Which rules of a group a revoke names.
pub enum Rules {
    Permissions(Vec<IpPermission>),
    /// Rules by their own ids (`sgr-...`).
    Ids(Vec<String>),
}

impl Rules {
    /// What the revoke calls take: the permissions, or the rule ids.
    fn parts(self) -> (Option<Vec<IpPermission>>, Option<Vec<String>>) {
        match self {
            Rules::Permissions(p) => (Some(p), None),
            Rules::Ids(ids) => (None, Some(ids)),
        }
    }
}

/// `send` with `call` bound to the builder of `$ingress` or `$egress` (the client's operation
/// of each side), as `side` says, its error reduced to a [`Failed`] (`what` names the change):
/// the two operations of each verb take the same arguments, but their builders and errors are
/// different types.
macro_rules! on_side {
    ($side:expr, $ec2:expr, $ingress:ident / $egress:ident, $what:expr, |$call:ident| $send:expr) => {
        match $side {
            Side::Ingress => {
                let $call = $ec2.$ingress();
                $send.map_err(|e| errors::failed($what, e))
            }
            Side::Egress => {
                let $call = $ec2.$egress();
                $send.map_err(|e| errors::failed($what, e))
            }
        }
    };
}

/// Adds `perms` to `side` of `group`, the new rules tagged as `tags` says: the ids of the rules
/// made (in the order EC2 lists them).
pub async fn authorize(
    aws: &Aws,
    group: &str,
    side: Side,
    perms: Vec<IpPermission>,
    tags: Option<TagSpecification>,
    what: &str,
) -> Result<Vec<String>, Failed> {
    let (perms, tags) = (Some(perms), tags.map(|t| vec![t]));
    let ops = &aws.ec2;
    let rules = on_side!(
        side,
        ops,
        authorize_security_group_ingress / authorize_security_group_egress,
        what,
        |call| {
            let call = call.group_id(group).set_ip_permissions(perms);
            let out = call.set_tag_specifications(tags).send().await;
            out.map(|o| o.security_group_rules.unwrap_or_default())
        }
    )?;
    Ok(rules
        .iter()
        .filter_map(|r| r.security_group_rule_id())
        .map(str::to_string)
        .collect())
}

/// Removes `rules` from `side` of `group`; a rule or group already gone counts as removed.
pub async fn revoke(aws: &Aws, group: &str, side: Side, rules: Rules, what: &str) -> Result<()> {
    let (perms, ids) = rules.parts();
    let ops = &aws.ec2;
    let r = on_side!(
        side,
        ops,
        revoke_security_group_ingress / revoke_security_group_egress,
        what,
        |call| {
            let call = call.group_id(group).set_ip_permissions(perms);
            call.set_security_group_rule_ids(ids)
                .send()
                .await
                .map(|_| ())
        }
    );
    match r {
        Err(f) if !f.not_found => Err(f.error),
        _ => Ok(()),
    }
}
