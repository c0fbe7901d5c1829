//! Every resource type: a create interrupted after the call (its result never reached state)
//! is found again and adopted, once (see `interrupted.rs`); deleting it then works twice.

use labform_sdk::{Value, INSTANCE_KEY};

use crate::common::*;
use crate::interrupted::{adopt, count_ec2, py_count, FoundBy, Tagged};

const PUBLIC_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBQ5mnVUQ3Ud4hpAmIjr6Pkfh0XaEyZ8A7p6vvzH4wKr lab@example";

/// Every type the tests below cover: a new type fails `every_type_has_an_adoption_test`
/// until it gets its test here.
pub const COVERED: [&str; 36] = [
    "aws_vpc",
    "aws_subnet",
    "aws_internet_gateway",
    "aws_route_table",
    "aws_route",
    "aws_route_table_association",
    "aws_security_group",
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
    "aws_key_pair",
    "aws_instance",
    "aws_s3_bucket",
    "aws_s3_bucket_versioning",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_lifecycle_configuration",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_object",
    "aws_glue_catalog_database",
    "aws_glue_catalog_table", // glue_table.rs
    "aws_glue_connection",    // glue_connection.rs
    "aws_glue_crawler",       // glue_jobs.rs
    "aws_glue_job",           // glue_jobs.rs
    "aws_iam_role",
    "aws_iam_policy",
    "aws_iam_role_policy",
    "aws_iam_role_policy_attachment",
    "aws_iam_instance_profile",
    "aws_kinesis_stream",
    "aws_kinesis_firehose_delivery_stream",
    "aws_db_subnet_group",
    "aws_db_instance",
    "aws_lambda_function",
    "aws_lambda_permission",
    "aws_redshift_subnet_group", // redshift_subnet_group_and_cluster_are_adopted
    "aws_redshift_cluster",
];

#[test]
fn every_type_has_an_adoption_test() {
    let p = labform_aws::provider();
    let all: Vec<&str> = p.resource_schemas().keys().copied().collect();
    let mut covered = COVERED.to_vec();
    covered.sort();
    assert_eq!(all, covered, "a resource type without an adoption test");
}

/// A VPC with one subnet, made by boto3 (not by the provider): `(vpc_id, subnet_id)`.
fn boto_subnet(vpc_cidr: &str, subnet_cidr: &str) -> (String, String) {
    let ids = py(&format!(
        "v=ec2.create_vpc(CidrBlock={vpc_cidr:?})['Vpc']['VpcId']\ns=ec2.create_subnet(VpcId=v,CidrBlock={subnet_cidr:?})['Subnet']['SubnetId']\nout([v,s])"
    ));
    let id = |i: usize| ids[i].as_str().unwrap().to_string();
    (id(0), id(1))
}

fn delete_boto_subnet((vpc, subnet): (String, String)) {
    py(&format!(
        "ec2.delete_subnet(SubnetId={subnet:?})\nec2.delete_vpc(VpcId={vpc:?})\nout(1)"
    ));
}

#[tokio::test]
async fn vpc_is_adopted() {
    let p = configure(&unique("adopt-vpc")).await;
    let cfg = |name: &str| {
        [
            ("cidr_block", Value::from("10.80.0.0/16")),
            ("tags", tags(&[("Name", name)])),
        ]
    };
    let (r, v) = adopt(
        &p,
        "aws_vpc",
        &cfg("a"),
        FoundBy::Token,
        count_ec2("ec2.describe_vpcs(Filters=F)['Vpcs']"),
    )
    .await;
    // An in-place tag change neither shows nor removes the per-instance mark.
    let v = update(&r, &v.state, &config(&r, &cfg("b"))).await;
    let remote = ec2_tags(&id(&v));
    assert!(remote.contains_key(INSTANCE_KEY), "{remote:?}");
    assert_eq!(remote.get("Name").map(String::as_str), Some("b"));
    delete(&r, &v).await;
}

#[tokio::test]
async fn subnet_and_internet_gateway_are_adopted() {
    let p = configure(&unique("adopt-subnet")).await;
    let (vr, v) = vpc(&p, "10.81.0.0/16").await;
    let (s, sn) = adopt(
        &p,
        "aws_subnet",
        &[
            ("vpc_id", id(&v).into()),
            ("cidr_block", "10.81.1.0/24".into()),
        ],
        FoundBy::Token,
        count_ec2("ec2.describe_subnets(Filters=F)['Subnets']"),
    )
    .await;
    let (g, igw) = adopt(
        &p,
        "aws_internet_gateway",
        &[("vpc_id", id(&v).into())],
        FoundBy::Token,
        count_ec2("ec2.describe_internet_gateways(Filters=F)['InternetGateways']"),
    )
    .await;
    delete(&g, &igw.state).await;
    delete(&s, &sn.state).await;
    delete(&vr, &v).await;
}

#[tokio::test]
async fn route_table_route_and_association_are_adopted() {
    let p = configure(&unique("adopt-rt")).await;
    let (vr, v) = vpc(&p, "10.82.0.0/16").await;
    let (g, igw) = make(&p, "aws_internet_gateway", &[("vpc_id", id(&v).into())]).await;
    let (s, sn) = subnet(&p, &id(&v), "10.82.1.0/24").await;

    let (rt, table) = adopt(
        &p,
        "aws_route_table",
        &[("vpc_id", id(&v).into())],
        FoundBy::Token,
        count_ec2("ec2.describe_route_tables(Filters=F)['RouteTables']"),
    )
    .await;
    let tid = id(&table.state);

    let (r, route) = adopt(
        &p,
        "aws_route",
        &[
            ("route_table_id", tid.as_str().into()),
            ("destination_cidr_block", "0.0.0.0/0".into()),
            ("gateway_id", id(&igw).into()),
        ],
        FoundBy::Key,
        |_| {
            py_count(&format!(
                "t=ec2.describe_route_tables(RouteTableIds=[{tid:?}])['RouteTables'][0]\nout(len([r for r in t['Routes'] if r.get('DestinationCidrBlock')=='0.0.0.0/0']))"
            ))
        },
    )
    .await;

    let sid = id(&sn);
    let (a, assoc) = adopt(
        &p,
        "aws_route_table_association",
        &[
            ("route_table_id", tid.as_str().into()),
            ("subnet_id", sid.as_str().into()),
        ],
        FoundBy::Key,
        |_| {
            py_count(&format!(
                "T=ec2.describe_route_tables(Filters=[{{'Name':'association.subnet-id','Values':[{sid:?}]}}])['RouteTables']\nout(len([a for t in T for a in t['Associations'] if a.get('SubnetId')=={sid:?}]))"
            ))
        },
    )
    .await;

    delete(&a, &assoc.state).await;
    delete(&r, &route.state).await;
    delete(&rt, &table.state).await;
    delete(&s, &sn).await;
    delete(&g, &igw).await;
    delete(&vr, &v).await;
}

#[tokio::test]
async fn security_group_and_its_rules_are_adopted() {
    let p = configure(&unique("adopt-sg")).await;
    let (vr, v) = vpc(&p, "10.83.0.0/16").await;
    let (g, sg) = adopt(
        &p,
        "aws_security_group",
        &[
            ("name_prefix", "lf-adopt-".into()),
            ("vpc_id", id(&v).into()),
        ],
        FoundBy::Token,
        count_ec2("ec2.describe_security_groups(Filters=F)['SecurityGroups']"),
    )
    .await;
    let gid = id(&sg.state);

    let mut rules = Vec::new();
    for (name, port) in [
        ("aws_vpc_security_group_ingress_rule", 443.0),
        ("aws_vpc_security_group_egress_rule", 5432.0),
    ] {
        let rule = adopt(
            &p,
            name,
            &[
                ("security_group_id", gid.as_str().into()),
                ("ip_protocol", "tcp".into()),
                ("from_port", Value::Number(port)),
                ("to_port", Value::Number(port)),
                ("cidr_ipv4", "10.0.0.0/8".into()),
            ],
            FoundBy::Token,
            count_ec2("ec2.describe_security_group_rules(Filters=F)['SecurityGroupRules']"),
        )
        .await;
        rules.push(rule);
    }

    let legacy = adopt(
        &p,
        "aws_security_group_rule",
        &[
            ("type", "ingress".into()),
            ("security_group_id", gid.as_str().into()),
            ("protocol", "tcp".into()),
            ("from_port", Value::Number(22.0)),
            ("to_port", Value::Number(22.0)),
            ("cidr_blocks", strs(&["10.83.0.0/16"])),
        ],
        FoundBy::Key,
        |_| {
            py_count(&format!(
                "g=ec2.describe_security_groups(GroupIds=[{gid:?}])['SecurityGroups'][0]\nout(len([x for p in g['IpPermissions'] if p.get('FromPort')==22 for x in p['IpRanges'] if x['CidrIp']=='10.83.0.0/16']))"
            ))
        },
    )
    .await;
    rules.push(legacy);

    for (r, rule) in &rules {
        delete(r, &rule.state).await;
    }
    delete(&g, &sg.state).await;
    delete(&vr, &v).await;
}

#[tokio::test]
async fn key_pair_and_instance_are_adopted() {
    let p = configure(&unique("adopt-ec2")).await;
    let (k, key) = adopt(
        &p,
        "aws_key_pair",
        &[
            ("key_name_prefix", "lf-adopt-".into()),
            ("public_key", PUBLIC_KEY.into()),
        ],
        FoundBy::Token,
        count_ec2("ec2.describe_key_pairs(Filters=F)['KeyPairs']"),
    )
    .await;

    let (vr, v) = vpc(&p, "10.84.0.0/16").await;
    let (s, sn) = subnet(&p, &id(&v), "10.84.1.0/24").await;
    let image = amazon_linux_2(&p).await;
    let (r, inst) = adopt(
        &p,
        "aws_instance",
        &[
            ("ami", image.get("id").clone()),
            ("instance_type", "t3.micro".into()),
            ("subnet_id", id(&sn).into()),
            ("tags", tags(&[("Name", "adopted")])),
        ],
        FoundBy::Token,
        count_ec2("[i for r in ec2.describe_instances(Filters=F)['Reservations'] for i in r['Instances'] if i['State']['Name']!='terminated']"),
    )
    .await;
    delete(&r, &inst.state).await;
    // Terminated, it is no longer what an interrupted create made.
    let after = r.find_interrupted(&inst.intent, &inst.token).await.unwrap();
    assert!(
        after.is_none(),
        "a terminated instance was adopted: {after:?}"
    );
    delete(&s, &sn).await;
    delete(&vr, &v).await;
    delete(&k, &key.state).await;
}

#[tokio::test]
async fn kinesis_stream_is_adopted() {
    let p = configure(&unique("adopt-kin")).await;
    let kinesis = Tagged {
        setup: "",
        tags_of_o: "kinesis.list_tags_for_stream(StreamName=o)['Tags']",
    };
    let (r, adopted) = adopt(
        &p,
        "aws_kinesis_stream",
        &[
            ("name", unique("lf-adopt-kin").as_str().into()),
            ("shard_count", Value::from(1)),
        ],
        FoundBy::Name,
        kinesis.count("kinesis.list_streams(Limit=10000)['StreamNames']"),
    )
    .await;
    delete(&r, &adopted.state).await;
}

#[tokio::test]
async fn firehose_delivery_stream_is_adopted() {
    let p = configure(&unique("adopt-fh")).await;
    let firehose = Tagged {
        setup: "fh=boto3.client('firehose', endpoint_url=E)",
        tags_of_o: "fh.list_tags_for_delivery_stream(DeliveryStreamName=o)['Tags']",
    };
    let s3 = Value::from_pairs([
        (
            "role_arn",
            Value::from("arn:aws:iam::123456789012:role/lf-firehose"),
        ),
        ("bucket_arn", Value::from("arn:aws:s3:::lf-lake")),
    ]);
    let (r, adopted) = adopt(
        &p,
        "aws_kinesis_firehose_delivery_stream",
        &[
            ("name", unique("lf-adopt-fh").as_str().into()),
            ("destination", "extended_s3".into()),
            ("extended_s3_configuration", Value::List(vec![s3])),
        ],
        FoundBy::Name,
        firehose.count("fh.list_delivery_streams(Limit=10000)['DeliveryStreamNames']"),
    )
    .await;
    delete(&r, &adopted.state).await;
}

#[tokio::test]
async fn db_subnet_group_and_instance_are_adopted() {
    let p = configure(&unique("adopt-rds")).await;
    let rds = Tagged {
        setup: "rds=boto3.client('rds', endpoint_url=E)",
        tags_of_o: "rds.list_tags_for_resource(ResourceName=o)['TagList']",
    };
    let vpc = boto_subnet("10.63.0.0/16", "10.63.1.0/24");
    let (g, group) = adopt(
        &p,
        "aws_db_subnet_group",
        &[
            ("name_prefix", "lf-adopt-".into()),
            ("subnet_ids", strs(&[&vpc.1])),
        ],
        FoundBy::Token,
        rds.count(
            "[x['DBSubnetGroupArn'] for x in rds.describe_db_subnet_groups()['DBSubnetGroups']]",
        ),
    )
    .await;
    let (r, db) = adopt(
        &p,
        "aws_db_instance",
        &[
            ("identifier_prefix", "lf-adopt-".into()),
            ("engine", "postgres".into()),
            ("instance_class", "db.t3.micro".into()),
            ("allocated_storage", Value::from(20)),
            ("username", "lab".into()),
            ("password", "secret-pw-1".into()),
            ("skip_final_snapshot", true.into()),
        ],
        FoundBy::Token,
        rds.count("[x['DBInstanceArn'] for x in rds.describe_db_instances()['DBInstances']]"),
    )
    .await;
    delete(&r, &db.state).await;
    delete(&g, &group.state).await;
    delete_boto_subnet(vpc);
}

#[tokio::test]
async fn lambda_function_is_adopted() {
    use crate::lambda::{lam, lambda_role, python_function, scratch_dir, zip_file};
    let p = configure(&unique("adopt-fn")).await;
    let zip = zip_file(&scratch_dir(), "a.zip", "def h(e, c):\n    return 1\n");
    let count = |t: &str| {
        lam(&format!(
            "n=0\nfor f in lam.list_functions()['Functions']:\n    tg=lam.list_tags(Resource=f['FunctionArn'])['Tags']\n    n+=tg.get({INSTANCE_KEY:?})=={t:?}\nout(n)"
        ))
        .as_u64()
        .unwrap_or(0) as usize
    };
    let (r, adopted) = adopt(
        &p,
        "aws_lambda_function",
        &python_function(
            &unique("lf-adopt-fn"),
            &lambda_role(&unique("lf-adopt-role")),
            &[("filename", zip.as_str().into())],
        ),
        FoundBy::Name,
        count,
    )
    .await;

    // Its permission, with a generated statement id (derived from the create token).
    let function = adopted.state.get("function_name").clone();
    let fname = function.as_str().unwrap_or_default().to_string();
    let (pr, perm) = adopt(
        &p,
        "aws_lambda_permission",
        &[
            ("action", "lambda:InvokeFunction".into()),
            ("function_name", function),
            ("principal", "events.amazonaws.com".into()),
        ],
        FoundBy::Token,
        |_| {
            lam(&format!(
                "import json as j\nout(len(j.loads(lam.get_policy(FunctionName={fname:?})['Policy'])['Statement']))"
            ))
            .as_u64()
            .unwrap_or(0) as usize
        },
    )
    .await;
    delete(&pr, &perm.state).await;
    delete(&r, &adopted.state).await;
}

#[tokio::test]
async fn redshift_subnet_group_and_cluster_are_adopted() {
    let p = configure(&unique("adopt-rs")).await;
    let redshift = Tagged {
        setup: "rs=boto3.client('redshift', endpoint_url=E)",
        tags_of_o: "o.get('Tags', [])",
    };
    let vpc = boto_subnet("10.73.0.0/16", "10.73.1.0/24");
    let (g, group) = adopt(
        &p,
        "aws_redshift_subnet_group",
        &[
            ("name", unique("lf-adopt-rs").as_str().into()),
            ("subnet_ids", strs(&[&vpc.1])),
        ],
        FoundBy::Name,
        redshift.count("rs.describe_cluster_subnet_groups()['ClusterSubnetGroups']"),
    )
    .await;
    let (r, cluster) = adopt(
        &p,
        "aws_redshift_cluster",
        &[
            ("cluster_identifier", unique("lf-adopt-rs").as_str().into()),
            ("node_type", "dc2.large".into()),
            ("master_username", "lab".into()),
            ("master_password", "Secret-pw-1".into()),
            ("cluster_subnet_group_name", group.state.get("name").clone()),
            ("skip_final_snapshot", true.into()),
        ],
        FoundBy::Name,
        redshift.count("rs.describe_clusters()['Clusters']"),
    )
    .await;
    delete(&r, &cluster.state).await;
    delete(&g, &group.state).await;
    delete_boto_subnet(vpc);
}
