//! Security groups (inline rules) and the rule resources.

use labform_sdk::Value;

use crate::common::*;

fn rule(
    r: &std::sync::Arc<dyn labform_sdk::Resource>,
    side: &str,
    proto: &str,
    from: f64,
    to: f64,
    cidrs: &[&str],
    desc: Option<&str>,
) -> Value {
    let mut v = r.schema().blocks[side].block.empty_value();
    v.set("protocol", proto.into());
    v.set("from_port", Value::Number(from));
    v.set("to_port", Value::Number(to));
    v.set("cidr_blocks", strs(cidrs));
    if let Some(d) = desc {
        v.set("description", d.into());
    }
    v
}

fn perms(gid: &str, key: &str) -> serde_json::Value {
    py(&format!(
        "g=ec2.describe_security_groups(GroupIds=[{gid:?}])['SecurityGroups'][0]\n\
         out(sorted([[p['IpProtocol'], p.get('FromPort'), p.get('ToPort'), sorted(r['CidrIp'] for r in p.get('IpRanges',[]))] for p in g[{key:?}]], key=str))"
    ))
}

#[tokio::test]
async fn security_group_inline_rules() {
    let (stack, p, (vr, v), vpc_id) = vpc_stack("sg", "10.60.0.0/16").await;
    let r = resource(&p, "aws_security_group");
    let name = unique("lf-ssh");
    let cfg = |ssh_from: &str, name: &str, desc: Option<&str>| {
        let mut pairs = vec![
            ("name", Value::from(name)),
            ("vpc_id", vpc_id.as_str().into()),
            (
                "ingress",
                Value::List(labform_sdk::types::normalize_set(vec![rule(
                    &r,
                    "ingress",
                    "tcp",
                    22.0,
                    22.0,
                    &[ssh_from],
                    Some("SSH"),
                )])),
            ),
            (
                "egress",
                Value::List(vec![rule(
                    &r,
                    "egress",
                    "-1",
                    0.0,
                    0.0,
                    &["0.0.0.0/0"],
                    None,
                )]),
            ),
            ("tags", tags(&[("Name", "ssh")])),
        ];
        if let Some(d) = desc {
            pairs.push(("description", d.into()));
        }
        config(&r, &pairs)
    };
    let planned = plan(&r, None, &cfg("203.0.113.0/24", &name, None)).planned;
    assert_eq!(
        planned.get("description"),
        &Value::from("Managed by Terraform")
    );
    let sg = create(&r, &cfg("203.0.113.0/24", &name, None)).await;
    let gid = sg.str_attr("id").unwrap().to_string();
    // boto3 finds SSH open from `range` alone.
    let assert_ssh_from = |range: &str| {
        assert_eq!(
            perms(&gid, "IpPermissions"),
            serde_json::json!([["tcp", 22, 22, [range]]])
        );
    };
    assert_ssh_from("203.0.113.0/24");
    assert_eq!(
        perms(&gid, "IpPermissionsEgress"),
        serde_json::json!([["-1", null, null, ["0.0.0.0/0"]]])
    );
    assert_marked(&ec2_tags(&gid), &stack);

    // In place: another SSH range, which the steps below keep.
    let ssh = |name: &str, desc: Option<&str>| cfg("198.51.100.7/32", name, desc);
    let sg = update(&r, &sg, &ssh(&name, None)).await;
    assert_ssh_from("198.51.100.7/32");

    // Drift: a rule opened outside labform is closed again.
    py(&format!(
        "ec2.authorize_security_group_ingress(GroupId={gid:?}, IpPermissions=[{{'IpProtocol':'tcp','FromPort':3306,'ToPort':3306,'IpRanges':[{{'CidrIp':'0.0.0.0/0'}}]}}])\nout(1)"
    ));
    let sg = assert_drift_fixed(&r, &sg, &ssh(&name, None)).await;
    assert_ssh_from("198.51.100.7/32");

    // Force-new: description and name.
    let sg = replace(&r, &sg, &ssh(&name, Some("ssh only")), "description").await;
    let name2 = unique("lf-ssh2");
    let sg = replace(&r, &sg, &ssh(&name2, Some("ssh only")), "name").await;
    assert!(r
        .validate(&config(&r, &[("name", "sg-bad".into())]))
        .is_err());

    // name_prefix: a unique generated name.
    let pre = create(
        &r,
        &config(
            &r,
            &[
                ("name_prefix", "lf-web-".into()),
                ("vpc_id", vpc_id.as_str().into()),
            ],
        ),
    )
    .await;
    assert!(pre.str_attr("name").unwrap().starts_with("lf-web-"));
    // No egress block: the default allow-all egress is removed, as Terraform does.
    assert_eq!(
        perms(pre.str_attr("id").unwrap(), "IpPermissionsEgress"),
        serde_json::json!([])
    );

    teardown_ec2(&stack, &[(&r, &pre), (&r, &sg), (&vr, &v)]).await;
}

#[tokio::test]
async fn rule_resources() {
    let (stack, p, (vr, v), vpc_id) = vpc_stack("sgrules", "10.61.0.0/16").await;
    let (g, sg) = security_group(&p, &vpc_id, &unique("lf-rules")).await;
    let gid = sg.str_attr("id").unwrap().to_string();

    // aws_vpc_security_group_ingress_rule / egress_rule.
    let ir = resource(&p, "aws_vpc_security_group_ingress_rule");
    let icfg = |port: f64, cidr: &str| {
        config(
            &ir,
            &[
                ("security_group_id", gid.as_str().into()),
                ("ip_protocol", "tcp".into()),
                ("from_port", Value::Number(port)),
                ("to_port", Value::Number(port)),
                ("cidr_ipv4", cidr.into()),
                ("tags", tags(&[("Name", "https")])),
            ],
        )
    };
    let ing = create(&ir, &icfg(443.0, "0.0.0.0/0")).await;
    assert!(ing
        .str_attr("security_group_rule_id")
        .unwrap()
        .starts_with("sgr-"));
    assert_eq!(
        perms(&gid, "IpPermissions"),
        serde_json::json!([["tcp", 443, 443, ["0.0.0.0/0"]]])
    );
    let ing = update(&ir, &ing, &icfg(8443.0, "10.0.0.0/8")).await;
    assert_eq!(
        perms(&gid, "IpPermissions"),
        serde_json::json!([["tcp", 8443, 8443, ["10.0.0.0/8"]]])
    );
    let er = resource(&p, "aws_vpc_security_group_egress_rule");
    let eg = create(
        &er,
        &config(
            &er,
            &[
                ("security_group_id", gid.as_str().into()),
                ("ip_protocol", "-1".into()),
                ("cidr_ipv4", "0.0.0.0/0".into()),
            ],
        ),
    )
    .await;
    assert_eq!(eg.get("from_port"), &Value::Null);
    assert_eq!(
        perms(&gid, "IpPermissionsEgress"),
        serde_json::json!([["-1", null, null, ["0.0.0.0/0"]]])
    );

    // The group itself has no inline blocks: it leaves these rules alone.
    let sg_read = g.read(&sg).await.unwrap().unwrap();
    let again = plan(
        &g,
        Some(&sg_read),
        &config(
            &g,
            &[
                ("name", sg.get("name").clone()),
                ("vpc_id", vpc_id.as_str().into()),
            ],
        ),
    );
    assert_eq!(again.planned, sg_read);

    // aws_security_group_rule.
    let sr = resource(&p, "aws_security_group_rule");
    let scfg = |desc: &str| {
        config(
            &sr,
            &[
                ("type", "ingress".into()),
                ("security_group_id", gid.as_str().into()),
                ("protocol", "tcp".into()),
                ("from_port", Value::Number(5432.0)),
                ("to_port", Value::Number(5432.0)),
                ("cidr_blocks", strs(&["10.61.0.0/16"])),
                ("description", desc.into()),
            ],
        )
    };
    let legacy = create(&sr, &scfg("postgres")).await;
    assert!(legacy.str_attr("id").unwrap().starts_with("sgrule-"));
    let legacy = update(&sr, &legacy, &scfg("postgres from the vpc")).await;
    let desc = py(&format!(
        "g=ec2.describe_security_groups(GroupIds=[{gid:?}])['SecurityGroups'][0]\nout([r.get('Description') for p in g['IpPermissions'] if p.get('FromPort')==5432 for r in p['IpRanges']])"
    ));
    assert_eq!(desc, serde_json::json!(["postgres from the vpc"]));
    let mut moved = scfg("postgres from the vpc");
    moved.set("from_port", Value::Number(5433.0));
    moved.set("to_port", Value::Number(5433.0));
    let legacy = replace(&sr, &legacy, &moved, "from_port").await;

    delete(&sr, &legacy).await;
    delete(&er, &eg).await;
    delete(&ir, &ing).await;
    assert_eq!(perms(&gid, "IpPermissions"), serde_json::json!([]));
    teardown_ec2(&stack, &[(&g, &sg), (&vr, &v)]).await;
}
