//! The VPC family: vpc, subnet, internet gateway, route tables, routes, associations, and a
//! teardown in reverse dependency order that ends with nothing tagged with the stack.

use std::sync::Arc;

use labform_sdk::{OpContext, Value};

use crate::common::*;

fn route(cidr: &str, gateway: &str, r: &Arc<dyn labform_sdk::Resource>) -> Value {
    let mut v = r.schema().blocks["route"].block.empty_value();
    v.set("cidr_block", cidr.into());
    v.set("gateway_id", gateway.into());
    v
}

#[tokio::test]
async fn vpc_life_cycle() {
    let (stack, _, r) = stack_of("vpc", "aws_vpc").await;
    let cfg = |hostnames: Option<bool>, name: &str| {
        let mut pairs = vec![
            ("cidr_block", Value::from("10.20.0.0/16")),
            ("tags", tags(&[("Name", name)])),
        ];
        if let Some(h) = hostnames {
            pairs.push(("enable_dns_hostnames", h.into()));
        }
        config(&r, &pairs)
    };
    let planned = plan(&r, None, &cfg(None, "lab")).planned;
    assert_eq!(planned.get("enable_dns_support"), &Value::Bool(true));
    assert_eq!(planned.get("instance_tenancy"), &Value::from("default"));
    let v = create(&r, &cfg(None, "lab")).await;
    let id = v.str_attr("id").unwrap().to_string();
    for attr in [
        "main_route_table_id",
        "default_security_group_id",
        "arn",
        "owner_id",
    ] {
        assert!(
            v.str_attr(attr).is_some_and(|s| !s.is_empty()),
            "{attr} empty: {v}"
        );
    }
    let got = py(&format!(
        "v=ec2.describe_vpcs(VpcIds=[{id:?}])['Vpcs'][0]\nh=ec2.describe_vpc_attribute(VpcId={id:?}, Attribute='enableDnsHostnames')['EnableDnsHostnames']['Value']\nout([v['CidrBlock'], h])"
    ));
    assert_eq!(got, serde_json::json!(["10.20.0.0/16", false]));
    assert_marked(&ec2_tags(&id), &stack);

    let v = update(&r, &v, &cfg(Some(true), "lab")).await;
    let h = py(&format!("out(ec2.describe_vpc_attribute(VpcId={id:?}, Attribute='enableDnsHostnames')['EnableDnsHostnames']['Value'])"));
    assert_eq!(h, true);

    // Drift: Name changed and the mark deleted outside.
    py(&format!(
        "ec2.create_tags(Resources=[{id:?}], Tags=[{{'Key':'Name','Value':'other'}}])\nec2.delete_tags(Resources=[{id:?}], Tags=[{{'Key':'labform-stack'}}])\nout(1)"
    ));
    let v = assert_drift_fixed(&r, &v, &cfg(Some(true), "lab")).await;
    let t = ec2_tags(&id);
    assert_marked(&t, &stack);
    assert_eq!(t.get("Name").map(String::as_str), Some("lab"));

    // Force-new: the CIDR.
    let cfg2 = config(&r, &[("cidr_block", "10.21.0.0/16".into())]);
    let v2 = replace(&r, &v, &cfg2, "cidr_block").await;
    assert!(r
        .validate(&config(&r, &[("cidr_block", "10.21.0.1/16".into())]))
        .is_err());
    teardown_ec2(&stack, &[(&r, &v2)]).await;
}

#[tokio::test]
async fn subnet_and_internet_gateway() {
    let (stack, p, (vr, v), vpc_id) = vpc_stack("subnet", "10.30.0.0/16").await;
    let s = resource(&p, "aws_subnet");
    let scfg = |cidr: &str, public: bool| {
        config(
            &s,
            &[
                ("vpc_id", vpc_id.as_str().into()),
                ("cidr_block", cidr.into()),
                ("availability_zone", "us-east-1a".into()),
                ("map_public_ip_on_launch", public.into()),
            ],
        )
    };
    let sn = create(&s, &scfg("10.30.1.0/24", true)).await;
    let sid = sn.str_attr("id").unwrap().to_string();
    let got = py(&format!("x=ec2.describe_subnets(SubnetIds=[{sid:?}])['Subnets'][0]\nout([x['CidrBlock'], x['MapPublicIpOnLaunch'], x['AvailabilityZone']])"));
    assert_eq!(got, serde_json::json!(["10.30.1.0/24", true, "us-east-1a"]));
    assert_marked(&ec2_tags(&sid), &stack);
    let sn = update(&s, &sn, &scfg("10.30.1.0/24", false)).await;
    let sn = replace(&s, &sn, &scfg("10.30.2.0/24", false), "cidr_block").await;

    let g = resource(&p, "aws_internet_gateway");
    let igw = create(&g, &config(&g, &[("vpc_id", vpc_id.as_str().into())])).await;
    let gid = igw.str_attr("id").unwrap().to_string();
    let attached = py(&format!("out(ec2.describe_internet_gateways(InternetGatewayIds=[{gid:?}])['InternetGateways'][0]['Attachments'][0]['VpcId'])"));
    assert_eq!(attached, vpc_id.as_str());
    // Moving to another VPC happens in place.
    let (_, v2) = vpc(&p, "10.31.0.0/16").await;
    let vpc2 = id(&v2);
    let igw = update(&g, &igw, &config(&g, &[("vpc_id", vpc2.as_str().into())])).await;
    let attached = py(&format!("out(ec2.describe_internet_gateways(InternetGatewayIds=[{gid:?}])['InternetGateways'][0]['Attachments'][0]['VpcId'])"));
    assert_eq!(attached, vpc2.as_str());

    teardown_ec2(&stack, &[(&g, &igw), (&s, &sn), (&vr, &v2), (&vr, &v)]).await;
}

#[tokio::test]
async fn routes_and_associations_then_teardown_in_reverse_order() {
    let Subnetted {
        stack,
        p,
        vpc: (vr, v),
        vpc_id,
        subnet: (s, sn),
    } = subnetted("routes", "10.40").await;
    let g = resource(&p, "aws_internet_gateway");
    let igw = create(&g, &config(&g, &[("vpc_id", vpc_id.as_str().into())])).await;
    let gid = igw.str_attr("id").unwrap().to_string();

    let t = resource(&p, "aws_route_table");
    let tcfg = |routes: Vec<Value>| {
        config(
            &t,
            &[
                ("vpc_id", vpc_id.as_str().into()),
                (
                    "route",
                    Value::List(labform_sdk::types::normalize_set(routes)),
                ),
            ],
        )
    };
    let rt = create(&t, &tcfg(vec![route("0.0.0.0/0", &gid, &t)])).await;
    let rtid = rt.str_attr("id").unwrap().to_string();
    let routes = |id: &str| {
        py(&format!(
            "r=ec2.describe_route_tables(RouteTableIds=[{id:?}])['RouteTables'][0]['Routes']\nout(sorted([x.get('DestinationCidrBlock') for x in r if x.get('GatewayId','')!='local']))"
        ))
    };
    assert_eq!(routes(&rtid), serde_json::json!(["0.0.0.0/0"]));
    let both = tcfg(vec![
        route("0.0.0.0/0", &gid, &t),
        route("192.168.0.0/16", &gid, &t),
    ]);
    let both_routed = || {
        assert_eq!(
            routes(&rtid),
            serde_json::json!(["0.0.0.0/0", "192.168.0.0/16"])
        )
    };
    let rt = update(&t, &rt, &both).await;
    both_routed();
    // Drift: a route removed outside comes back.
    py(&format!(
        "ec2.delete_route(RouteTableId={rtid:?}, DestinationCidrBlock='192.168.0.0/16')\nout(1)"
    ));
    let rt = assert_drift_fixed(&t, &rt, &both).await;
    both_routed();

    // A second table managed by aws_route (no route blocks: the table leaves routes alone).
    let rt2 = create(&t, &tcfg(vec![])).await;
    let rt2id = rt2.str_attr("id").unwrap().to_string();
    let rr = resource(&p, "aws_route");
    let rcfg = config(
        &rr,
        &[
            ("route_table_id", rt2id.as_str().into()),
            ("destination_cidr_block", "0.0.0.0/0".into()),
            ("gateway_id", gid.as_str().into()),
        ],
    );
    let route_state = create(&rr, &rcfg).await;
    assert!(route_state
        .str_attr("id")
        .unwrap()
        .starts_with(&format!("r-{rt2id}")));
    assert_eq!(routes(&rt2id), serde_json::json!(["0.0.0.0/0"]));
    let rt2_read = t.read(&rt2).await.unwrap().unwrap();
    assert_eq!(
        plan(&t, Some(&rt2_read), &tcfg(vec![])).planned,
        rt2_read,
        "table without route blocks must not fight aws_route"
    );

    // Association, then moved to the other table in place.
    let a = resource(&p, "aws_route_table_association");
    let acfg = |table: &str| {
        config(
            &a,
            &[
                ("subnet_id", sn.str_attr("id").unwrap().into()),
                ("route_table_id", table.into()),
            ],
        )
    };
    let assoc = create(&a, &acfg(&rtid)).await;
    let assoc = update(&a, &assoc, &acfg(&rt2id)).await;
    let sid = sn.str_attr("id").unwrap();
    let table_of_subnet = py(&format!(
        "r=ec2.describe_route_tables(Filters=[{{'Name':'association.subnet-id','Values':[{sid:?}]}}])['RouteTables']\nout([t['RouteTableId'] for t in r])"
    ));
    assert_eq!(table_of_subnet, serde_json::json!([rt2id]));

    // Teardown in reverse dependency order: every delete must succeed outright.
    teardown_ec2(
        &stack,
        &[
            (&a, &assoc),
            (&rr, &route_state),
            (&t, &rt2),
            (&t, &rt),
            (&g, &igw),
            (&s, &sn),
            (&vr, &v),
        ],
    )
    .await;
}

#[tokio::test]
async fn vpc_delete_waits_for_dependents_to_go() {
    let Subnetted {
        stack,
        p: _provider,
        vpc: (vr, v),
        vpc_id: _,
        subnet: (s, sn),
    } = subnetted("vpcwait", "10.50").await;
    // The subnet goes away two seconds into the VPC's delete: DependencyViolation is retried.
    let s2 = s.clone();
    let sn2 = sn.clone();
    let later = tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        s2.delete(&sn2, &OpContext::silent()).await
    });
    let started = std::time::Instant::now();
    vr.delete(&v, &OpContext::silent())
        .await
        .expect("vpc delete retried until the subnet was gone");
    assert!(started.elapsed().as_secs_f64() >= 1.5);
    later.await.unwrap().unwrap();
    assert_eq!(ec2_marked(&stack), Vec::<String>::new());
}
