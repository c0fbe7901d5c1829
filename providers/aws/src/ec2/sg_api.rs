//! The four calls that add and remove security group rules, one per direction each, behind
//! one function per verb: `aws_security_group` (inline rules) and `aws_security_group_rule`
//! share them.

use aws_sdk_ec2::types::IpPermission;

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

/// Adds `perms` to `side` of `group`: the ids of the rules made (in the order EC2 lists them).
pub async fn authorize(
    aws: &Aws,
    group: &str,
    side: Side,
    perms: Vec<IpPermission>,
    what: &str,
) -> Result<Vec<String>, Failed> {
    let perms = Some(perms);
    let rules = match side {
        Side::Ingress => {
            let call = aws.ec2.authorize_security_group_ingress().group_id(group);
            let out = call.set_ip_permissions(perms).send().await;
            out.map(|o| o.security_group_rules.unwrap_or_default())
                .map_err(|e| errors::failed(what, e))?
        }
        Side::Egress => {
            let call = aws.ec2.authorize_security_group_egress().group_id(group);
            let out = call.set_ip_permissions(perms).send().await;
            out.map(|o| o.security_group_rules.unwrap_or_default())
                .map_err(|e| errors::failed(what, e))?
        }
    };
    Ok(rules
        .iter()
        .filter_map(|r| r.security_group_rule_id())
        .map(str::to_string)
        .collect())
}

/// Removes `perms` from `side` of `group`; a rule or group already gone counts as removed.
pub async fn revoke(
    aws: &Aws,
    group: &str,
    side: Side,
    perms: Vec<IpPermission>,
    what: &str,
) -> Result<(), labform_sdk::ProviderError> {
    let perms = Some(perms);
    let r = match side {
        Side::Ingress => {
            let call = aws.ec2.revoke_security_group_ingress().group_id(group);
            call.set_ip_permissions(perms)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| errors::failed(what, e))
        }
        Side::Egress => {
            let call = aws.ec2.revoke_security_group_egress().group_id(group);
            call.set_ip_permissions(perms)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| errors::failed(what, e))
        }
    };
    match r {
        Err(f) if !f.not_found => Err(f.error),
        _ => Ok(()),
    }
}
