//! aws_glue_connection against moto (started through scripts/services/moto_server.py, which adds
//! UpdateConnection and DeleteConnection), read back with boto3.

use labform_sdk::{Value, INSTANCE_KEY};

use crate::common::*;
use crate::interrupted::{interrupted_create_is_adopted, py_count, FoundBy};

/// The connection as boto3 sees it (password included).
fn remote(name: &str) -> serde_json::Value {
    py(&format!(
        "out(glue.get_connection(Name={name:?}, HidePassword=False)['Connection'])"
    ))
}

fn connections_named(names: &[&str]) -> serde_json::Value {
    py(&names_listed(
        "glue.get_connections()['ConnectionList']",
        "Name",
        names,
    ))
}

fn jdbc(url: &str, password: &str) -> Value {
    tags(&[
        ("JDBC_CONNECTION_URL", url),
        ("USERNAME", "lab"),
        ("PASSWORD", password),
    ])
}

fn physical(subnet: &str, group: &str) -> Value {
    Value::List(vec![Value::from_pairs([
        ("availability_zone", Value::from("us-east-1a")),
        ("security_group_id_list", strs(&[group])),
        ("subnet_id", Value::from(subnet)),
    ])])
}

#[tokio::test]
async fn glue_connection_life_cycle() {
    let (stack, _, r) = stack_of("glue-conn", "aws_glue_connection").await;
    let name = unique("lf-conn");
    let cfg = |desc: &str, url: &str| {
        config(
            &r,
            &[
                ("name", name.as_str().into()),
                ("description", desc.into()),
                ("connection_properties", jdbc(url, "s3cret-pw")),
                (
                    "physical_connection_requirements",
                    physical("subnet-1", "sg-1"),
                ),
            ],
        )
    };

    // Create; read back as declared, the type defaulting to JDBC, marked in its tags.
    let v = create(&r, &cfg("source db", "jdbc:mysql://db-a:3306/lab")).await;
    assert_strs(
        &v,
        &[
            ("id", &format!("123456789012:{name}")),
            (
                "arn",
                &format!("arn:aws:glue:us-east-1:123456789012:connection/{name}"),
            ),
            ("connection_type", "JDBC"),
        ],
    );
    let c = remote(&name);
    assert_eq!(c["ConnectionType"], "JDBC");
    assert_eq!(c["Description"], "source db");
    assert_eq!(
        c["ConnectionProperties"]["JDBC_CONNECTION_URL"],
        "jdbc:mysql://db-a:3306/lab"
    );
    assert_eq!(c["ConnectionProperties"]["PASSWORD"], "s3cret-pw");
    assert_eq!(c["PhysicalConnectionRequirements"]["SubnetId"], "subnet-1");
    assert_eq!(
        c["PhysicalConnectionRequirements"]["SecurityGroupIdList"],
        serde_json::json!(["sg-1"])
    );
    let arn = v.str_attr("arn").unwrap().to_string();
    let remote_tags = py(&format!("out(glue.get_tags(ResourceArn={arn:?})['Tags'])"));
    assert_eq!(remote_tags["managed-by"], "labform");
    assert_eq!(remote_tags["labform-stack"].as_str(), Some(stack.as_str()));

    // Update in place: description and URL, through UpdateConnection; the marks stay.
    let v = update(&r, &v, &cfg("source db v2", "jdbc:mysql://db-b:3306/lab")).await;
    let c = remote(&name);
    assert_eq!(c["Description"], "source db v2");
    assert_eq!(
        c["ConnectionProperties"]["JDBC_CONNECTION_URL"],
        "jdbc:mysql://db-b:3306/lab"
    );
    let remote_tags = py(&format!("out(glue.get_tags(ResourceArn={arn:?})['Tags'])"));
    assert_eq!(remote_tags["managed-by"], "labform");

    // Drift: the password changed outside is planned back.
    py(&format!(
        "c=glue.get_connection(Name={name:?}, HidePassword=False)['Connection']\np=dict(c['ConnectionProperties']); p['PASSWORD']='changed'\nglue.update_connection(Name={name:?}, ConnectionInput={{'Name': {name:?}, 'ConnectionType': 'JDBC', 'Description': c['Description'], 'ConnectionProperties': p, 'PhysicalConnectionRequirements': c['PhysicalConnectionRequirements']}})\nout(1)"
    ));
    let v = assert_drift_fixed(&r, &v, &cfg("source db v2", "jdbc:mysql://db-b:3306/lab")).await;
    assert_eq!(
        remote(&name)["ConnectionProperties"]["PASSWORD"],
        "s3cret-pw"
    );

    // Import by CATALOG:NAME and by NAME.
    for id in [format!("123456789012:{name}"), name.clone()] {
        assert_imported(
            &r,
            &id,
            &v,
            &[
                "id",
                "arn",
                "connection_properties",
                "connection_type",
                "physical_connection_requirements",
            ],
        )
        .await;
    }
    assert!(r.import("lf-no-such-connection").await.is_err());

    // Sweep finds it by its marks, and no other stack does.
    assert_swept(&r, &stack, &v).await;
    assert!(marked_values(&r, "no-such-stack").await.is_empty());

    // Force-new: the name.
    let name2 = unique("lf-conn2");
    let cfg2 = config(
        &r,
        &[
            ("name", name2.as_str().into()),
            (
                "connection_properties",
                jdbc("jdbc:mysql://db-b:3306/lab", "pw"),
            ),
        ],
    );
    let v2 = assert_renamed(&r, &v, &cfg2, "name", [&name, &name2], connections_named).await;

    // Destroy leaves nothing.
    assert_destroyed(&r, &v2, || connections_named(&[&name, &name2])).await;
}

#[tokio::test]
async fn glue_connection_bad_configurations_are_named_without_the_password() {
    let r = lone_resource("glue-conn-bad", "aws_glue_connection").await;
    let err = |pairs: &[(&str, Value)]| {
        let e = refusal(&r, &[("name", Value::from("c"))], pairs);
        format!("{} {}", e.message, e.hint.unwrap_or_default())
    };
    let e = err(&[(
        "connection_properties",
        tags(&[("PASWORD", "hunter2-secret")]),
    )]);
    assert!(e.contains("`PASWORD`") && e.contains("PASSWORD"), "{e}");
    let e = err(&[("connection_properties", tags(&[("password", "x")]))]);
    assert!(e.contains("use `PASSWORD`"), "{e}");
    assert!(!e.contains("hunter2-secret"), "{e}");
    let e = err(&[("connection_type", "jdbc".into())]);
    assert!(e.contains("`jdbc`") && e.contains("use `JDBC`"), "{e}");
    let e = err(&[("connection_type", "ODBC".into())]);
    assert!(e.contains("`ODBC`") && e.contains("JDBC, KAFKA"), "{e}");
    assert!(err(&[("name", "".into())]).contains("1 to 255"));
}

#[tokio::test]
async fn glue_connection_is_adopted() {
    let r = lone_resource("adopt-conn", "aws_glue_connection").await;
    let cfg = config(
        &r,
        &[
            ("name", unique("lf-adopt-conn").as_str().into()),
            (
                "connection_properties",
                jdbc("jdbc:mysql://db:3306/lab", "pw"),
            ),
        ],
    );
    let count = |t: &str| {
        py_count(&format!(
            "n=0\nfor c in glue.get_connections()['ConnectionList']:\n    a='arn:aws:glue:us-east-1:123456789012:connection/'+c['Name']\n    n+=glue.get_tags(ResourceArn=a)['Tags'].get({INSTANCE_KEY:?})=={t:?}\nout(n)"
        ))
    };
    let adopted = interrupted_create_is_adopted(&r, &cfg, FoundBy::Name, count).await;
    delete(&r, &adopted.state).await;
}
