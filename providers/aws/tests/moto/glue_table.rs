//! aws_glue_catalog_table against moto, read back with boto3.

use labform_sdk::{Value, INSTANCE_KEY};

use crate::common::*;
use crate::interrupted::{interrupted_create_is_adopted, py_count, FoundBy};

fn column(name: &str, ty: &str) -> Value {
    Value::from_pairs([("name", Value::from(name)), ("type", Value::from(ty))])
}

/// A `storage_descriptor` block over `location` with `cols`, stored as CSV.
fn storage(location: &str, cols: Vec<Value>) -> Value {
    Value::List(vec![Value::from_pairs([
        ("location", Value::from(location)),
        (
            "input_format",
            Value::from("org.apache.hadoop.mapred.TextInputFormat"),
        ),
        (
            "output_format",
            Value::from("org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"),
        ),
        ("columns", Value::List(cols)),
        (
            "ser_de_info",
            Value::List(vec![Value::from_pairs([
                (
                    "serialization_library",
                    Value::from("org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"),
                ),
                ("parameters", tags(&[("field.delim", ",")])),
            ])]),
        ),
    ])])
}

/// The table as boto3 sees it.
fn remote(db: &str, name: &str) -> serde_json::Value {
    py(&format!(
        "out(glue.get_table(DatabaseName={db:?}, Name={name:?})['Table'])"
    ))
}

fn tables_named(db: &str, names: &[&str]) -> serde_json::Value {
    let listing = format!("glue.get_tables(DatabaseName={db:?})['TableList']");
    py(&names_listed(&listing, "Name", names))
}

/// A database made for the test (by the database resource).
async fn database(
    p: &std::sync::Arc<dyn labform_sdk::ConfiguredProvider>,
) -> (std::sync::Arc<dyn labform_sdk::Resource>, Value, String) {
    let d = resource(p, "aws_glue_catalog_database");
    let name = unique("lf_tdb").replace('-', "_");
    let v = create(&d, &config(&d, &[("name", name.as_str().into())])).await;
    (d, v, name)
}

#[tokio::test]
async fn glue_table_life_cycle() {
    let stack = unique("glue-table");
    let p = configure(&stack).await;
    let (d, dbv, db) = database(&p).await;
    let r = resource(&p, "aws_glue_catalog_table");
    let name = unique("lf_tbl").replace('-', "_");
    let cfg = |desc: &str, cols: Vec<Value>| {
        config(
            &r,
            &[
                ("name", name.as_str().into()),
                ("database_name", db.as_str().into()),
                ("description", desc.into()),
                ("table_type", "EXTERNAL_TABLE".into()),
                ("parameters", tags(&[("classification", "csv")])),
                ("storage_descriptor", storage("s3://lake/raw/", cols)),
                (
                    "partition_keys",
                    Value::List(vec![column("ingest_date", "string")]),
                ),
            ],
        )
    };

    // Create, read back as declared; the marks sit in the parameters, not in state.
    let v = create(&r, &cfg("raw rides", vec![column("id", "int")])).await;
    let arn = format!("arn:aws:glue:us-east-1:123456789012:table/{db}/{name}");
    assert_strs(
        &v,
        &[("id", &format!("123456789012:{db}:{name}")), ("arn", &arn)],
    );
    assert_eq!(v.get("parameters"), &tags(&[("classification", "csv")]));
    let t = remote(&db, &name);
    assert_eq!(t["Description"], "raw rides");
    assert_eq!(t["TableType"], "EXTERNAL_TABLE");
    assert_eq!(t["StorageDescriptor"]["Location"], "s3://lake/raw/");
    assert_eq!(
        t["StorageDescriptor"]["Columns"],
        serde_json::json!([{"Name": "id", "Type": "int"}])
    );
    assert_eq!(
        t["StorageDescriptor"]["SerdeInfo"]["Parameters"]["field.delim"],
        ","
    );
    assert_eq!(t["PartitionKeys"][0]["Name"], "ingest_date");
    assert_eq!(t["Parameters"]["classification"], "csv");
    assert_eq!(t["Parameters"]["managed-by"], "labform");
    assert_eq!(
        t["Parameters"]["labform-stack"].as_str(),
        Some(stack.as_str())
    );

    // Update in place: description and a new column; the marks stay.
    let two = || vec![column("id", "int"), column("fare", "double")];
    let v = update(&r, &v, &cfg("curated rides", two())).await;
    let t = remote(&db, &name);
    assert_eq!(t["Description"], "curated rides");
    assert_eq!(t["StorageDescriptor"]["Columns"][1]["Name"], "fare");
    assert_eq!(t["Parameters"]["managed-by"], "labform");

    // Drift: replaced outside (without the marks), planned back, and marked again.
    py(&format!(
        "glue.update_table(DatabaseName={db:?}, TableInput={{'Name': {name:?}, 'Description': 'changed'}})\nout(1)"
    ));
    let v = assert_drift_fixed(&r, &v, &cfg("curated rides", two())).await;
    let t = remote(&db, &name);
    assert_eq!(t["Description"], "curated rides");
    assert_eq!(t["Parameters"]["managed-by"], "labform");

    // Import by id (and by DATABASE:NAME).
    for id in [format!("123456789012:{db}:{name}"), format!("{db}:{name}")] {
        assert_imported(
            &r,
            &id,
            &v,
            &[
                "id",
                "arn",
                "parameters",
                "storage_descriptor",
                "partition_keys",
            ],
        )
        .await;
    }
    assert!(r.import(&format!("{db}:no_such_table")).await.is_err());
    assert!(r.import("just-a-name").await.is_err());

    // Sweep finds it by the marks in its parameters, and no other stack does.
    assert_swept(&r, &stack, &v).await;
    assert!(marked_values(&r, "no-such-stack").await.is_empty());

    // Force-new: the name.
    let name2 = unique("lf_tbl2").replace('-', "_");
    let cfg2 = config(
        &r,
        &[
            ("name", name2.as_str().into()),
            ("database_name", db.as_str().into()),
        ],
    );
    let named = |names: &[&str]| tables_named(&db, names);
    let v2 = assert_renamed(&r, &v, &cfg2, "name", [&name, &name2], named).await;

    // Destroy leaves nothing.
    assert_destroyed(&r, &v2, || named(&[&name, &name2])).await;
    delete(&d, &dbv).await;
}

#[tokio::test]
async fn glue_table_bad_configurations_are_named() {
    let r = lone_resource("glue-table-bad", "aws_glue_catalog_table").await;
    let err = |pairs: &[(&str, Value)]| {
        refusal(&r, &[("database_name", Value::from("db"))], pairs).message
    };
    assert!(err(&[("name", "Rides".into())]).contains("uppercase"));
    assert!(err(&[
        ("name", "rides".into()),
        ("parameters", tags(&[(INSTANCE_KEY, "x")]))
    ])
    .contains("reserved"));
}

#[tokio::test]
async fn glue_table_is_adopted() {
    let p = configure(&unique("adopt-table")).await;
    let (d, dbv, db) = database(&p).await;
    let r = resource(&p, "aws_glue_catalog_table");
    let cfg = config(
        &r,
        &[
            ("name", unique("lf_adopt").replace('-', "_").as_str().into()),
            ("database_name", db.as_str().into()),
        ],
    );
    let count = |t: &str| {
        py_count(&format!(
            "out(len([x for x in glue.get_tables(DatabaseName={db:?})['TableList'] if (x.get('Parameters') or {{}}).get({INSTANCE_KEY:?})=={t:?}]))"
        ))
    };
    let adopted = interrupted_create_is_adopted(&r, &cfg, FoundBy::Name, count).await;
    delete(&r, &adopted.state).await;
    delete(&d, &dbv).await;
}
