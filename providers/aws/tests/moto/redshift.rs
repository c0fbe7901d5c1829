//! aws_redshift_subnet_group and aws_redshift_cluster against moto, read back with boto3.
//!
//! moto 5.1.22 lacks ModifyClusterSubnetGroup and ModifyClusterIamRoles (both answer 500), and
//! its ModifyCluster ignores `Encrypted` and `Port`: changes of a group's description or
//! subnets, of a cluster's `iam_roles`, `encrypted` or `port` are planned in place here but
//! cannot be checked against it.

use labform_sdk::Value;

use crate::common::*;

/// Runs `script` with a boto3 `redshift` client besides the usual ones.
fn rs(script: &str) -> serde_json::Value {
    py(&format!(
        "rs=boto3.client('redshift', endpoint_url=E)\n{script}"
    ))
}

fn group(name: &str) -> serde_json::Value {
    rs(&with_tag_map(
        &format!("rs.describe_cluster_subnet_groups(ClusterSubnetGroupName={name:?})['ClusterSubnetGroups'][0]"),
        "Tags",
    ))
}

fn groups_named(names: &[&str]) -> serde_json::Value {
    let listing = "rs.describe_cluster_subnet_groups()['ClusterSubnetGroups']";
    rs(&names_listed(listing, "ClusterSubnetGroupName", names))
}

fn cluster(identifier: &str) -> serde_json::Value {
    rs(&with_tag_map(
        &format!("rs.describe_clusters(ClusterIdentifier={identifier:?})['Clusters'][0]"),
        "Tags",
    ))
}

fn clusters_named(names: &[&str]) -> serde_json::Value {
    let listing = "rs.describe_clusters()['Clusters']";
    rs(&names_listed(listing, "ClusterIdentifier", names))
}

fn snapshots_named(name: &str) -> serde_json::Value {
    let listing = "rs.describe_cluster_snapshots()['Snapshots']";
    rs(&names_listed(listing, "SnapshotIdentifier", &[name]))
}

#[tokio::test]
async fn redshift_subnet_group_life_cycle() {
    subnet_group_life_cycle(SubnetGroupCase {
        type_name: "aws_redshift_subnet_group",
        short: "rssg",
        cidr16: "10.71",
        arn_prefix: "arn:aws:redshift:us-east-1:123456789012:subnetgroup:",
        description_key: "Description",
        group,
        groups_named,
        drift_tag: |arn| {
            rs(&format!(
                "rs.create_tags(ResourceName={arn:?}, Tags=[{{'Key':'team','Value':'other'}}])\nout(1)"
            ));
        },
        has_vpc_id: false,
    })
    .await;
}

#[tokio::test]
async fn redshift_cluster_life_cycle() {
    let (stack, p, r) = stack_of("rsc", "aws_redshift_cluster").await;
    let group_name = unique("lf-rsc");
    let name = ("name", group_name.as_str().into());
    let (vpc, subnets, g, sg) =
        subnet_group_over_network(&p, "aws_redshift_subnet_group", "10.72", name).await;
    let security_group = py(&format!(
        "out(ec2.create_security_group(GroupName={:?}, Description='redshift', VpcId={vpc:?})['GroupId'])",
        unique("lf-rsc-sg")
    ));
    let security_group = security_group.as_str().unwrap().to_string();
    let identifier = unique("lf-dw");
    let snapshot = unique("lf-final");
    let cfg = |nodes: i64, days: i64, public: bool, pw: &str, window: &str, team: &str| {
        config(
            &r,
            &[
                ("cluster_identifier", identifier.as_str().into()),
                ("node_type", "dc2.large".into()),
                ("number_of_nodes", Value::from(nodes)),
                ("database_name", "lab".into()),
                ("master_username", "lab_admin".into()),
                ("master_password", pw.into()),
                ("cluster_subnet_group_name", group_name.as_str().into()),
                ("vpc_security_group_ids", strs(&[&security_group])),
                (
                    "iam_roles",
                    strs(&["arn:aws:iam::123456789012:role/lab-redshift"]),
                ),
                ("automated_snapshot_retention_period", Value::from(days)),
                ("publicly_accessible", public.into()),
                ("preferred_maintenance_window", window.into()),
                ("final_snapshot_identifier", snapshot.as_str().into()),
                ("tags", tags(&[("team", team)])),
            ],
        )
    };

    // Create, waited for `available`, read back as declared; the defaults as the provider's.
    let v = create(
        &r,
        &cfg(1, 1, false, "Secret-pw-1", "Mon:03:00-Mon:03:30", "data"),
    )
    .await;
    let c = cluster(&identifier);
    assert_eq!(c["ClusterStatus"], "available");
    assert_eq!(c["NodeType"], "dc2.large");
    assert_eq!(c["NumberOfNodes"], 1);
    assert_eq!(c["DBName"], "lab");
    assert_eq!(c["MasterUsername"], "lab_admin");
    assert_eq!(c["ClusterSubnetGroupName"], group_name.as_str());
    assert_eq!(
        c["VpcSecurityGroups"][0]["VpcSecurityGroupId"],
        security_group.as_str()
    );
    assert_eq!(
        c["IamRoles"][0]["IamRoleArn"],
        "arn:aws:iam::123456789012:role/lab-redshift"
    );
    assert_eq!(c["PubliclyAccessible"], false);
    assert_eq!(c["Encrypted"], true);
    assert_eq!(c["AllowVersionUpgrade"], true);
    assert_eq!(c["AutomatedSnapshotRetentionPeriod"], 1);
    assert_eq!(c["Endpoint"]["Port"], 5439);
    assert_eq!(c["Tags"]["team"], "data");
    assert_marked(&serde_json::from_value(c["Tags"].clone()).unwrap(), &stack);
    let address = c["Endpoint"]["Address"].as_str().unwrap();
    let arn = format!("arn:aws:redshift:us-east-1:123456789012:cluster:{identifier}");
    assert_strs(
        &v,
        &[
            ("id", &identifier),
            ("arn", &arn),
            ("dns_name", address),
            ("endpoint", &format!("{address}:5439")),
            ("cluster_type", "single-node"),
            ("preferred_maintenance_window", "mon:03:00-mon:03:30"),
            ("master_password", "Secret-pw-1"),
        ],
    );
    assert_eq!(v.i64_attr("port"), Some(5439));

    // Update in place: nodes (so the type), backups, access, password, window, tags.
    let v = update(
        &r,
        &v,
        &cfg(2, 5, true, "Secret-pw-2", "tue:01:00-tue:01:30", "ml"),
    )
    .await;
    let c = cluster(&identifier);
    assert_eq!(c["NumberOfNodes"], 2);
    assert_eq!(c["AutomatedSnapshotRetentionPeriod"], 5);
    assert_eq!(c["PubliclyAccessible"], true);
    assert_eq!(c["PreferredMaintenanceWindow"], "tue:01:00-tue:01:30");
    assert_eq!(c["Tags"]["team"], "ml");
    assert_eq!(c["Tags"]["managed-by"], "labform");
    assert_eq!(v.str_attr("cluster_type"), Some("multi-node"));
    assert_eq!(v.str_attr("master_password"), Some("Secret-pw-2"));
    let final_cfg = cfg(2, 5, true, "Secret-pw-2", "tue:01:00-tue:01:30", "ml");

    // Drift: changed by boto3, planned back.
    rs(&format!(
        "rs.modify_cluster(ClusterIdentifier={identifier:?}, AutomatedSnapshotRetentionPeriod=9, PubliclyAccessible=False)\nout(1)"
    ));
    let v = assert_drift_fixed(&r, &v, &final_cfg).await;
    let c = cluster(&identifier);
    assert_eq!(c["AutomatedSnapshotRetentionPeriod"], 5);
    assert_eq!(c["PubliclyAccessible"], true);

    // Neither the first database nor the zone can change in place: said at plan time.
    for (name, value) in [
        ("database_name", "other"),
        ("availability_zone", "us-east-1b"),
    ] {
        let mut changed = final_cfg.clone();
        changed.set(name, value.into());
        let e = r.plan(Some(&v), &changed).unwrap_err();
        assert!(e.message.contains(name), "{e}");
    }

    // Import by identifier: the same object; no final snapshot, as the provider imports.
    assert_database_imported(
        &r,
        &identifier,
        &v,
        "master_password",
        &[
            "id",
            "arn",
            "cluster_identifier",
            "node_type",
            "number_of_nodes",
            "cluster_type",
            "database_name",
            "master_username",
            "endpoint",
            "dns_name",
            "port",
            "cluster_subnet_group_name",
            "vpc_security_group_ids",
            "iam_roles",
            "encrypted",
            "tags_all",
        ],
    )
    .await;

    // Sweep finds it by its marks.
    assert_swept(&r, &stack, &v).await;

    // Force-new: the master user. The old cluster leaves its final snapshot.
    let renamed = config(
        &r,
        &[
            ("cluster_identifier", identifier.as_str().into()),
            ("node_type", "dc2.large".into()),
            ("master_username", "other_admin".into()),
            ("master_password", "Secret-pw-3".into()),
            ("encrypted", "false".into()),
            ("skip_final_snapshot", true.into()),
        ],
    );
    let v2 = replace(&r, &v, &renamed, "master_username").await;
    assert_eq!(snapshots_named(&snapshot), serde_json::json!([snapshot]));
    let c = cluster(&identifier);
    assert_eq!(c["MasterUsername"], "other_admin");
    assert_eq!(c["Encrypted"], false);
    assert_eq!(c["DBName"], "dev");
    assert_eq!(v2.str_attr("database_name"), Some("dev"));

    // Destroy (no snapshot asked for) leaves nothing.
    delete(&r, &v2).await;
    assert_eq!(clusters_named(&[&identifier]), serde_json::json!([]));
    rs(&format!(
        "rs.delete_cluster_snapshot(SnapshotIdentifier={snapshot:?})\nout(1)"
    ));
    delete(&g, &sg).await;
    py(&format!(
        "ec2.delete_security_group(GroupId={security_group:?})\nout(1)"
    ));
    drop_network(&vpc, &subnets);
}

#[tokio::test]
async fn a_cluster_delete_that_needs_an_unnamed_snapshot_fails_before_any_call() {
    let r = lone_resource("rsc-snap", "aws_redshift_cluster").await;
    let identifier = unique("lf-keep");
    let password = "Secret-pw-9";
    assert_unnamed_final_snapshot_refused(
        &r,
        &[
            ("cluster_identifier", identifier.as_str().into()),
            ("node_type", "dc2.large".into()),
            ("master_username", "lab".into()),
            ("master_password", password.into()),
        ],
        password,
        &format!("deleting redshift cluster `{identifier}`: Redshift Cluster Instance FinalSnapshotIdentifier is required when a final snapshot is required"),
        || clusters_named(&[&identifier]) == serde_json::json!([identifier]),
    )
    .await;
}

#[tokio::test]
async fn bad_redshift_configurations_are_named() {
    let (_, p, r) = stack_of("rs-bad", "aws_redshift_cluster").await;
    let base = [
        ("cluster_identifier", Value::from("lab-dw")),
        ("node_type", Value::from("dc2.large")),
        ("master_username", Value::from("lab")),
        ("master_password", Value::from("Secret-pw-1")),
    ];
    let err = |pairs: &[(&str, Value)]| refusal(&r, &base, pairs);
    assert!(err(&[("cluster_identifier", "Lab".into())])
        .message
        .contains("lowercase"));
    assert!(err(&[("master_password", Value::Null)])
        .message
        .contains("`master_password` must be set"));
    let weak = err(&[("master_password", "weakpassword".into())]);
    assert!(weak.message.contains("uppercase"), "{weak}");
    assert!(!weak.to_string().contains("weakpassword"), "{weak}");
    assert!(err(&[("port", Value::from(80))])
        .message
        .contains("between 1115 and 65535"));
    assert!(
        err(&[("automated_snapshot_retention_period", Value::from(40))])
            .message
            .contains("at most 35")
    );
    assert!(err(&[("cluster_type", "multi-node".into())])
        .message
        .contains("follows the number of nodes"));
    assert!(err(&[("database_name", "Dev".into())])
        .message
        .contains("lowercase"));
    assert!(err(&[("final_snapshot_identifier", "a--b".into())])
        .message
        .contains("two consecutive hyphens"));
    // What is not implemented is named by the schema, so setting it is a validation error.
    let schemas = labform_aws::provider().resource_schemas();
    for name in [
        "kms_key_id",
        "snapshot_identifier",
        "manage_master_password",
    ] {
        assert!(
            schemas["aws_redshift_cluster"]
                .unimplemented
                .contains_key(name),
            "{name}"
        );
    }
    let g = resource(&p, "aws_redshift_subnet_group");
    let subnets = [("subnet_ids", strs(&["subnet-1"]))];
    let e = refusal(&g, &subnets, &[("name", "Lab_Group".into())]);
    assert!(e.message.contains("lowercase"), "{e}");
}
