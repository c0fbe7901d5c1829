//! Data sources against moto.

use labform_sdk::Value;

use crate::common::*;

#[tokio::test]
async fn ami_lookup() {
    let p = configure(&unique("ami")).await;
    let d = data_source(&p, "aws_ami");
    let cfg = |most_recent: bool| {
        data_config(
            &d,
            &[
                ("most_recent", most_recent.into()),
                ("owners", strs(&["amazon"])),
                ("filter", filter("name", &["amzn2-ami-hvm-*"])),
            ],
        )
    };
    let v = d.read(&cfg(true)).await.expect("most recent");
    assert!(v.is_wholly_known());
    let id = v.str_attr("id").unwrap().to_string();
    assert!(id.starts_with("ami-"));
    assert_eq!(v.str_attr("image_id"), Some(id.as_str()));
    assert!(v.str_attr("name").unwrap().starts_with("amzn2-ami-hvm-"));
    let boto = py("r=ec2.describe_images(Owners=['amazon'], Filters=[{'Name':'name','Values':['amzn2-ami-hvm-*']}])['Images']\nout(sorted(r, key=lambda i: i['CreationDate'])[-1]['ImageId'])");
    let mut all = py("out([i['ImageId'] for i in ec2.describe_images(Owners=['amazon'], Filters=[{'Name':'name','Values':['amzn2-ami-hvm-*']}])['Images']])");
    assert!(
        all.as_array_mut().unwrap().iter().any(|x| x == id.as_str()),
        "{boto} / {id}"
    );
    let e = d.read(&cfg(false)).await.expect_err("several");
    assert!(e.hint.unwrap_or_default().contains("most_recent"));
    let none = data_config(
        &d,
        &[
            ("owners", strs(&["amazon"])),
            ("filter", filter("name", &["no-such-image-*"])),
        ],
    );
    assert!(d
        .read(&none)
        .await
        .unwrap_err()
        .message
        .contains("no results"));
    let unsafe_cfg = data_config(&d, &[("most_recent", true.into())]);
    assert!(d
        .read(&unsafe_cfg)
        .await
        .unwrap_err()
        .hint
        .unwrap_or_default()
        .contains("owners"));
}

#[tokio::test]
async fn zones_region_caller() {
    let p = configure(&unique("misc")).await;
    let z = data_source(&p, "aws_availability_zones");
    let v = z
        .read(&data_config(
            &z,
            &[
                ("state", "available".into()),
                ("exclude_names", strs(&["us-east-1f"])),
            ],
        ))
        .await
        .unwrap();
    let names = v.string_list_attr("names");
    assert!(
        names.contains(&"us-east-1a".to_string()) && !names.contains(&"us-east-1f".to_string()),
        "{names:?}"
    );
    assert_eq!(v.string_list_attr("zone_ids").len(), names.len());
    let r = data_source(&p, "aws_region");
    let v = r.read(&data_config(&r, &[])).await.unwrap();
    assert_eq!(v.str_attr("name"), Some("us-east-1"));
    assert_eq!(v.str_attr("endpoint"), Some("ec2.us-east-1.amazonaws.com"));
    let c = data_source(&p, "aws_caller_identity");
    let v = c.read(&data_config(&c, &[])).await.unwrap();
    let boto = py("out(sts.get_caller_identity()['Account'])");
    assert_eq!(v.str_attr("account_id"), boto.as_str());
}

#[tokio::test]
async fn network_lookups() {
    let stack = unique("lookups");
    let p = configure(&stack).await;
    let (vr, vpc) = make(
        &p,
        "aws_vpc",
        &[
            ("cidr_block", "10.80.0.0/16".into()),
            ("tags", tags(&[("Name", stack.as_str())])),
        ],
    )
    .await;
    let vpc_id = id(&vpc);
    let (s, sn) = make(
        &p,
        "aws_subnet",
        &[
            ("vpc_id", vpc_id.as_str().into()),
            ("cidr_block", "10.80.1.0/24".into()),
            ("tags", tags(&[("tier", "public")])),
        ],
    )
    .await;
    let (g, sg) = security_group(&p, &vpc_id, &unique("lf-look")).await;

    let dv = data_source(&p, "aws_vpc");
    let found = dv
        .read(&data_config(
            &dv,
            &[("tags", tags(&[("Name", stack.as_str())]))],
        ))
        .await
        .unwrap();
    assert_eq!(found.str_attr("id"), Some(vpc_id.as_str()));
    assert_eq!(
        found.str_attr("main_route_table_id"),
        vpc.str_attr("main_route_table_id")
    );
    let default = dv
        .read(&data_config(&dv, &[("default", true.into())]))
        .await
        .unwrap();
    assert_eq!(default.get("default"), &Value::Bool(true));

    let ds = data_source(&p, "aws_subnet");
    let found = ds
        .read(&data_config(
            &ds,
            &[
                ("vpc_id", vpc_id.as_str().into()),
                ("tags", tags(&[("tier", "public")])),
            ],
        ))
        .await
        .unwrap();
    assert_eq!(found.str_attr("id"), sn.str_attr("id"));
    assert_eq!(found.str_attr("cidr_block"), Some("10.80.1.0/24"));
    let many = data_source(&p, "aws_subnets");
    let ids = many
        .read(&data_config(
            &many,
            &[("filter", filter("vpc-id", &[&vpc_id]))],
        ))
        .await
        .unwrap();
    assert_eq!(
        ids.string_list_attr("ids"),
        vec![sn.str_attr("id").unwrap().to_string()]
    );
    let dg = data_source(&p, "aws_security_group");
    let found = dg
        .read(&data_config(&dg, &[("id", sg.get("id").clone())]))
        .await
        .unwrap();
    assert_eq!(found.get("name"), sg.get("name"));
    let e = dg
        .read(&data_config(&dg, &[("vpc_id", vpc_id.as_str().into())]))
        .await
        .expect_err("default + ours: two groups");
    assert!(e.message.contains("2 security groups"), "{}", e.message);

    delete(&g, &sg).await;
    delete(&s, &sn).await;
    delete(&vr, &vpc).await;
}
