//! aws_instance (running on create, terminated on destroy, stop/start changes) and aws_key_pair.

use labform_sdk::Value;

use crate::common::*;

const PUBLIC_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBQ5mnVUQ3Ud4hpAmIjr6Pkfh0XaEyZ8A7p6vvzH4wKr lab@example";

fn state_of(id: &str) -> serde_json::Value {
    py(&format!(
        "i=ec2.describe_instances(InstanceIds=[{id:?}])['Reservations'][0]['Instances'][0]\nout([i['State']['Name'], i['InstanceType'], i.get('PublicIpAddress'), i.get('KeyName'), [g['GroupId'] for g in i['SecurityGroups']]])"
    ))
}

#[tokio::test]
async fn instance_life_cycle() {
    let Subnetted {
        stack,
        p,
        vpc: (vr, v),
        vpc_id,
        subnet: (s, sn),
    } = subnetted("ec2", "10.70").await;
    let (g, sg) = security_group(&p, &vpc_id, &unique("lf-ec2")).await;
    let (_, sg2) = security_group(&p, &vpc_id, &unique("lf-ec2b")).await;
    let k = resource(&p, "aws_key_pair");
    let key_name = unique("lf-key");
    let key = create(
        &k,
        &config(
            &k,
            &[
                ("key_name", key_name.as_str().into()),
                ("public_key", format!("{PUBLIC_KEY}\n").into()),
            ],
        ),
    )
    .await;
    assert!(!key.str_attr("fingerprint").unwrap().is_empty());

    let image = amazon_linux_2(&p).await;
    let ami_id = image.str_attr("id").unwrap().to_string();

    let r = resource(&p, "aws_instance");
    let root = {
        let mut b = r.schema().blocks["root_block_device"].block.empty_value();
        b.set("volume_size", Value::Number(8.0));
        b.set("volume_type", "gp3".into());
        Value::List(vec![b])
    };
    let cfg = |itype: &str, groups: &[&str], name: &str| {
        config(
            &r,
            &[
                ("ami", ami_id.as_str().into()),
                ("instance_type", itype.into()),
                ("subnet_id", sn.str_attr("id").unwrap().into()),
                (
                    "vpc_security_group_ids",
                    Value::List(labform_sdk::types::normalize_set(
                        groups.iter().map(|g| Value::from(*g)).collect(),
                    )),
                ),
                ("associate_public_ip_address", true.into()),
                ("key_name", key_name.as_str().into()),
                ("user_data", "#!/bin/bash\necho hi\n".into()),
                ("root_block_device", root.clone()),
                ("tags", tags(&[("Name", name)])),
            ],
        )
    };
    let gid = sg.str_attr("id").unwrap().to_string();
    let gid2 = sg2.str_attr("id").unwrap().to_string();
    let inst = create(&r, &cfg("t3.micro", &[&gid], "web")).await;
    let id = inst.str_attr("id").unwrap().to_string();
    assert_eq!(inst.str_attr("instance_state"), Some("running"));
    assert!(
        !inst.str_attr("public_ip").unwrap().is_empty(),
        "no public ip: {inst}"
    );
    assert!(!inst.str_attr("private_ip").unwrap().is_empty());
    let got = state_of(&id);
    assert_eq!(got[0], "running");
    assert_eq!(got[1], "t3.micro");
    assert_eq!(got[2].as_str(), inst.str_attr("public_ip"));
    assert_eq!(got[3], key_name.as_str());
    assert_marked(&ec2_tags(&id), &stack);
    let root_state = inst.single_block("root_block_device").unwrap();
    assert_eq!(root_state.get("volume_size"), &Value::Number(8.0));
    let vol = root_state.str_attr("volume_id").unwrap().to_string();
    assert_eq!(
        ec2_tags(&vol).get("labform-stack").map(String::as_str),
        Some(stack.as_str())
    );

    // In place: type (stop/start), security groups, tags.
    let inst = update(&r, &inst, &cfg("t3.small", &[&gid, &gid2], "web2")).await;
    let got = state_of(&id);
    assert_eq!(got[0], "running");
    assert_eq!(got[1], "t3.small");
    let mut groups: Vec<String> = serde_json::from_value(got[4].clone()).unwrap();
    groups.sort();
    let mut want = vec![gid.clone(), gid2.clone()];
    want.sort();
    assert_eq!(groups, want);

    // Drift: Name changed outside.
    py(&format!(
        "ec2.create_tags(Resources=[{id:?}], Tags=[{{'Key':'Name','Value':'renamed'}}])\nout(1)"
    ));
    let inst = assert_drift_fixed(&r, &inst, &cfg("t3.small", &[&gid, &gid2], "web2")).await;

    // Force-new: another subnet.
    let (_, sn2) = subnet(&p, &vpc_id, "10.70.2.0/24").await;
    let mut moved = cfg("t3.small", &[&gid], "web2");
    moved.set("subnet_id", sn2.str_attr("id").unwrap().into());
    let inst2 = replace(&r, &inst, &moved, "subnet_id").await;
    assert_eq!(state_of(&id)[0], "terminated");

    // Terminated outside: gone.
    let id2 = inst2.str_attr("id").unwrap().to_string();
    py(&format!(
        "ec2.terminate_instances(InstanceIds=[{id2:?}])\nout(1)"
    ));
    assert!(r.read(&inst2).await.unwrap().is_none());
    delete(&r, &inst2).await;

    teardown_ec2(
        &stack,
        &[
            (&k, &key),
            (&g, &sg2),
            (&g, &sg),
            (&s, &sn2),
            (&s, &sn),
            (&vr, &v),
        ],
    )
    .await;
}

#[tokio::test]
async fn key_pair_life_cycle() {
    let stack = unique("key");
    let p = configure(&stack).await;
    let k = resource(&p, "aws_key_pair");
    let cfg = |team: &str| {
        config(
            &k,
            &[
                ("key_name_prefix", "lf-deploy-".into()),
                ("public_key", PUBLIC_KEY.into()),
                ("tags", tags(&[("team", team)])),
            ],
        )
    };
    let key = create(&k, &cfg("data")).await;
    let name = key.str_attr("key_name").unwrap().to_string();
    assert!(name.starts_with("lf-deploy-"));
    let found = py(&format!(
        "out([x['KeyName'] for x in ec2.describe_key_pairs(KeyNames=[{name:?}])['KeyPairs']])"
    ));
    assert_eq!(found, serde_json::json!([name]));
    let key = update(&k, &key, &cfg("ml")).await;
    assert_eq!(
        ec2_tags(key.str_attr("key_pair_id").unwrap())
            .get("team")
            .map(String::as_str),
        Some("ml")
    );
    assert!(k
        .validate(&config(&k, &[("public_key", "not a key".into())]))
        .is_err());
    delete(&k, &key).await;
}
