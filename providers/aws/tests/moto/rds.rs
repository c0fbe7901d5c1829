//! aws_db_subnet_group and aws_db_instance against moto, read back with boto3.

use labform_sdk::Value;

use crate::common::*;

/// Runs `script` with a boto3 `rds` client besides the usual ones.
fn rds(script: &str) -> serde_json::Value {
    py(&format!(
        "rds=boto3.client('rds', endpoint_url=E)\n{script}"
    ))
}

fn group(name: &str) -> serde_json::Value {
    rds(&format!(
        "g=rds.describe_db_subnet_groups(DBSubnetGroupName={name:?})['DBSubnetGroups'][0]\n\
         t=rds.list_tags_for_resource(ResourceName=g['DBSubnetGroupArn'])['TagList']\n\
         g['Tags']={{x['Key']:x['Value'] for x in t}}\nout(g)"
    ))
}

fn groups_named(names: &[&str]) -> serde_json::Value {
    let listing = "rds.describe_db_subnet_groups()['DBSubnetGroups']";
    rds(&names_listed(listing, "DBSubnetGroupName", names))
}

fn instance(identifier: &str) -> serde_json::Value {
    rds(&with_tag_map(
        &format!(
            "rds.describe_db_instances(DBInstanceIdentifier={identifier:?})['DBInstances'][0]"
        ),
        "TagList",
    ))
}

fn instances_named(names: &[&str]) -> serde_json::Value {
    let listing = "rds.describe_db_instances()['DBInstances']";
    rds(&names_listed(listing, "DBInstanceIdentifier", names))
}

fn snapshots_named(name: &str) -> serde_json::Value {
    let listing = "rds.describe_db_snapshots()['DBSnapshots']";
    rds(&names_listed(listing, "DBSnapshotIdentifier", &[name]))
}

/// The least a MySQL instance needs.
fn mysql(identifier: &str, password: &str) -> Vec<(&'static str, Value)> {
    vec![
        ("identifier", identifier.into()),
        ("engine", "mysql".into()),
        ("instance_class", "db.t3.micro".into()),
        ("allocated_storage", Value::from(20)),
        ("username", "lab".into()),
        ("password", password.into()),
    ]
}

#[tokio::test]
async fn db_subnet_group_life_cycle() {
    subnet_group_life_cycle(SubnetGroupCase {
        type_name: "aws_db_subnet_group",
        short: "dbsg",
        cidr16: "10.61",
        arn_prefix: "arn:aws:rds:us-east-1:123456789012:subgrp:",
        description_key: "DBSubnetGroupDescription",
        group,
        groups_named,
        drift_tag: |arn| {
            rds(&format!(
                "rds.add_tags_to_resource(ResourceName={arn:?}, Tags=[{{'Key':'team','Value':'other'}}])\nout(1)"
            ));
        },
        has_vpc_id: true,
    })
    .await;
}

#[tokio::test]
async fn db_instance_life_cycle() {
    let (stack, p, r) = stack_of("dbi", "aws_db_instance").await;
    let name = ("name_prefix", "lf-dbi-".into());
    let (vpc, subnets, g, sg) =
        subnet_group_over_network(&p, "aws_db_subnet_group", "10.62", name).await;
    let sg_name = sg.str_attr("name").unwrap().to_string();
    assert!(sg_name.starts_with("lf-dbi-"), "{sg_name}");
    let identifier = unique("lf-db");
    let snapshot = unique("lf-final");
    let cfg = |engine: &str, db: &str, storage: i64, days: i64, pw: &str, team: &str| {
        config(
            &r,
            &[
                ("identifier", identifier.as_str().into()),
                ("engine", engine.into()),
                ("engine_version", "16".into()),
                ("instance_class", "db.t3.micro".into()),
                ("allocated_storage", Value::from(storage)),
                ("db_name", db.into()),
                ("username", "lab".into()),
                ("password", pw.into()),
                ("db_subnet_group_name", sg_name.as_str().into()),
                ("backup_retention_period", Value::from(days)),
                ("apply_immediately", true.into()),
                ("skip_final_snapshot", false.into()),
                ("final_snapshot_identifier", snapshot.as_str().into()),
                ("tags", tags(&[("team", team)])),
            ],
        )
    };

    // Create, waited for `available`, read back as declared.
    let v = create(&r, &cfg("Postgres", "lab", 20, 1, "secret-pw-1", "data")).await;
    let d = instance(&identifier);
    assert_eq!(d["DBInstanceStatus"], "available");
    assert_eq!(d["Engine"], "postgres");
    assert_eq!(d["DBName"], "lab");
    assert_eq!(d["MasterUsername"], "lab");
    assert_eq!(d["AllocatedStorage"], 20);
    assert_eq!(d["PubliclyAccessible"], false);
    assert_eq!(d["DBSubnetGroup"]["DBSubnetGroupName"], sg_name.as_str());
    assert_eq!(d["DBSubnetGroup"]["VpcId"], vpc.as_str());
    assert_eq!(d["Tags"]["team"], "data");
    assert_marked(&serde_json::from_value(d["Tags"].clone()).unwrap(), &stack);
    assert_eq!(v.get("engine"), &Value::from("postgres"));
    assert_eq!(
        v.get("id"),
        &Value::from(d["DbiResourceId"].as_str().unwrap())
    );
    assert_eq!(v.get("resource_id"), v.get("id"));
    let address = d["Endpoint"]["Address"].as_str().unwrap();
    assert_eq!(v.i64_attr("port"), Some(5432));
    assert_strs(
        &v,
        &[
            ("address", address),
            ("endpoint", &format!("{address}:5432")),
            ("status", "available"),
            ("engine_version", "16"),
            ("password", "secret-pw-1"),
        ],
    );
    assert_eq!(
        v.str_attr("engine_version_actual"),
        d["EngineVersion"].as_str()
    );

    // Update in place: storage, backups, password, tags.
    let v = update(&r, &v, &cfg("postgres", "lab", 30, 3, "secret-pw-2", "ml")).await;
    let d = instance(&identifier);
    assert_eq!(d["AllocatedStorage"], 30);
    assert_eq!(d["BackupRetentionPeriod"], 3);
    assert_eq!(d["Tags"]["team"], "ml");
    assert_eq!(d["Tags"]["managed-by"], "labform");
    assert_eq!(v.str_attr("password"), Some("secret-pw-2"));

    // Drift: changed by boto3, planned back.
    rds(&format!(
        "rds.modify_db_instance(DBInstanceIdentifier={identifier:?}, BackupRetentionPeriod=7, ApplyImmediately=True)\nout(1)"
    ));
    let v = assert_drift_fixed(&r, &v, &cfg("postgres", "lab", 30, 3, "secret-pw-2", "ml")).await;
    assert_eq!(instance(&identifier)["BackupRetentionPeriod"], 3);

    // Import by identifier: the same object; no final snapshot, as the provider imports.
    assert_database_imported(
        &r,
        &identifier,
        &v,
        "password",
        &[
            "id",
            "arn",
            "identifier",
            "engine",
            "db_name",
            "username",
            "address",
            "endpoint",
            "allocated_storage",
            "db_subnet_group_name",
            "tags_all",
        ],
    )
    .await;

    // Sweep finds it by its marks.
    assert_swept(&r, &stack, &v).await;

    // Force-new: the engine (to mysql). The old instance leaves its final snapshot.
    let mut mysql = mysql(&identifier, "secret-pw-3");
    mysql.push(("skip_final_snapshot", true.into()));
    let v2 = replace(&r, &v, &config(&r, &mysql), "engine").await;
    assert_eq!(snapshots_named(&snapshot), serde_json::json!([snapshot]));
    let d = instance(&identifier);
    assert_eq!(d["Engine"], "mysql");
    assert_eq!(v2.i64_attr("port"), Some(3306));
    // (moto gives every instance the same DBI resource id, so `id` cannot show the new one.)

    // Destroy (no snapshot asked for) leaves nothing.
    delete(&r, &v2).await;
    assert_eq!(instances_named(&[&identifier]), serde_json::json!([]));
    rds(&format!(
        "rds.delete_db_snapshot(DBSnapshotIdentifier={snapshot:?})\nout(1)"
    ));
    delete(&g, &sg).await;
    drop_network(&vpc, &subnets);
}

#[tokio::test]
async fn a_delete_that_needs_an_unnamed_snapshot_fails_before_any_call() {
    let r = lone_resource("dbi-snap", "aws_db_instance").await;
    let identifier = unique("lf-keep");
    let password = "secret-pw-9";
    assert_unnamed_final_snapshot_refused(
        &r,
        &mysql(&identifier, password),
        password,
        &format!("deleting db instance `{identifier}`: final_snapshot_identifier is required when skip_final_snapshot is false"),
        || instances_named(&[&identifier]) == serde_json::json!([identifier]),
    )
    .await;
}

#[tokio::test]
async fn bad_configurations_are_named() {
    let (_, p, r) = stack_of("rds-bad", "aws_db_instance").await;
    let base = [
        ("engine", Value::from("postgres")),
        ("instance_class", Value::from("db.t3.micro")),
        ("allocated_storage", Value::from(20)),
        ("username", Value::from("lab")),
        ("password", Value::from("pw-pw-pw")),
    ];
    let err = |pairs: &[(&str, Value)]| refusal(&r, &base, pairs).message;
    assert!(err(&[("identifier", "Lab".into())]).contains("lowercase"));
    assert!(err(&[
        ("identifier", "a".into()),
        ("identifier_prefix", "b".into())
    ])
    .contains("only one of"));
    assert!(err(&[("password", Value::Null)]).contains("`password` must be set"));
    assert!(err(&[("backup_retention_period", Value::from(40))]).contains("between 0 and 35"));
    assert!(err(&[("final_snapshot_identifier", "1-final".into())]).contains("begin with a letter"));
    let g = resource(&p, "aws_db_subnet_group");
    let subnets = [("subnet_ids", strs(&["subnet-1"]))];
    let e = refusal(&g, &subnets, &[("name", "Default".into())]);
    assert!(e.message.contains("lowercase"), "{e}");
}
