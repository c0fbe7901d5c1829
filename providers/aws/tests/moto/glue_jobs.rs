//! aws_glue_crawler and aws_glue_job against moto (with the UpdateCrawler and UpdateJob calls
//! scripts/services/moto_server.py adds), read back with boto3.

use labform_sdk::Value;

use crate::common::*;
use crate::interrupted::glue_object_is_adopted;

const ROLE: &str = "arn:aws:iam::123456789012:role/glue-lab";

fn block(pairs: &[(&str, Value)]) -> Value {
    Value::List(vec![Value::from_pairs(pairs.iter().cloned())])
}

/// The crawler and its tags as boto3 sees them: `[crawler, tags]`.
fn crawler_remote(name: &str) -> (serde_json::Value, serde_json::Value) {
    let get = format!("glue.get_crawler(Name={name:?})['Crawler']");
    glue_remote(&get, "crawler", name)
}

fn crawlers_named(names: &[&str]) -> serde_json::Value {
    py(&names_listed(
        "glue.get_crawlers()['Crawlers']",
        "Name",
        names,
    ))
}

#[tokio::test]
async fn glue_crawler_life_cycle() {
    let (stack, _, r) = stack_of("glue-crawler", "aws_glue_crawler").await;
    let name = unique("lf-crawler");
    let full = |desc: &str, prefix: &str, configuration: &str, team: &str| {
        config(
            &r,
            &[
                ("name", name.as_str().into()),
                ("database_name", "lake".into()),
                ("role", ROLE.into()),
                ("description", desc.into()),
                ("table_prefix", prefix.into()),
                ("schedule", "cron(0 1 * * ? *)".into()),
                ("configuration", configuration.into()),
                ("classifiers", strs(&["csv-lab"])),
                (
                    "s3_target",
                    block(&[
                        ("path", "s3://lake/gold/".into()),
                        ("exclusions", strs(&["**.tmp"])),
                        ("sample_size", Value::from(10)),
                    ]),
                ),
                (
                    "jdbc_target",
                    block(&[("connection_name", "rds".into()), ("path", "shop/%".into())]),
                ),
                (
                    "schema_change_policy",
                    block(&[
                        ("delete_behavior", "LOG".into()),
                        ("update_behavior", "UPDATE_IN_DATABASE".into()),
                    ]),
                ),
                (
                    "recrawl_policy",
                    block(&[("recrawl_behavior", "CRAWL_EVERYTHING".into())]),
                ),
                ("tags", tags(&[("team", team)])),
            ],
        )
    };
    let json1 =
        r#"{"Version": 1.0, "Grouping": {"TableGroupingPolicy": "CombineCompatibleSchemas"}}"#;

    // Create, read back as declared.
    let v = create(&r, &full("raw", "raw_", json1, "data")).await;
    let arn = format!("arn:aws:glue:us-east-1:123456789012:crawler/{name}");
    assert_eq!(v.str_attr("arn"), Some(arn.as_str()));
    assert_eq!(v.str_attr("id"), Some(name.as_str()));
    let (c, t) = crawler_remote(&name);
    assert_eq!(c["DatabaseName"], "lake");
    assert_eq!(c["Role"], ROLE);
    assert_eq!(c["Description"], "raw");
    assert_eq!(c["TablePrefix"], "raw_");
    assert_eq!(c["Schedule"]["ScheduleExpression"], "cron(0 1 * * ? *)");
    assert_eq!(c["Classifiers"], serde_json::json!(["csv-lab"]));
    assert_eq!(c["Targets"]["S3Targets"][0]["Path"], "s3://lake/gold/");
    assert_eq!(
        c["Targets"]["S3Targets"][0]["Exclusions"],
        serde_json::json!(["**.tmp"])
    );
    assert_eq!(c["Targets"]["S3Targets"][0]["SampleSize"], 10);
    assert_eq!(c["Targets"]["JdbcTargets"][0]["ConnectionName"], "rds");
    assert_eq!(c["Targets"]["JdbcTargets"][0]["Path"], "shop/%");
    assert_eq!(c["SchemaChangePolicy"]["DeleteBehavior"], "LOG");
    assert_eq!(c["RecrawlPolicy"]["RecrawlBehavior"], "CRAWL_EVERYTHING");
    let conf: serde_json::Value =
        serde_json::from_str(c["Configuration"].as_str().unwrap()).unwrap();
    assert_eq!(
        conf["Grouping"]["TableGroupingPolicy"],
        "CombineCompatibleSchemas"
    );
    assert_eq!(t["team"], "data");
    assert_eq!(t["labform-stack"].as_str(), Some(stack.as_str()));

    // The same JSON written otherwise plans nothing.
    let json1b = r#"{"Grouping":{"TableGroupingPolicy":"CombineCompatibleSchemas"},"Version":1.0}"#;
    assert_no_change(&r, &v, &full("raw", "raw_", json1b, "data")).await;

    // Update in place: description, prefix, configuration, targets, tags; schedule removed.
    let json2 = r#"{"Version": 1.0, "CrawlerOutput": {"Partitions": {"AddOrUpdateBehavior": "InheritFromTable"}}}"#;
    let mut cfg2 = full("curated", "cur_", json2, "ml");
    cfg2.set("schedule", Value::Null);
    cfg2.set("s3_target", block(&[("path", "s3://lake/silver/".into())]));
    cfg2.set("jdbc_target", Value::List(vec![]));
    let v = update(&r, &v, &cfg2).await;
    let (c, t) = crawler_remote(&name);
    assert_eq!(c["Description"], "curated");
    assert_eq!(c["TablePrefix"], "cur_");
    assert!(c.get("Schedule").is_none(), "{c}");
    assert_eq!(c["Targets"]["S3Targets"][0]["Path"], "s3://lake/silver/");
    assert_eq!(c["Targets"]["JdbcTargets"], serde_json::json!([]));
    assert!(c["Configuration"]
        .as_str()
        .unwrap()
        .contains("InheritFromTable"));
    assert_eq!(t["team"], "ml");
    assert_eq!(t["managed-by"], "labform");

    // Drift: changed outside, planned back.
    py(&format!(
        "glue.update_crawler(Name={name:?}, Description='changed', TablePrefix='x_')\nout(1)"
    ));
    let v = assert_drift_fixed(&r, &v, &cfg2).await;
    assert_eq!(crawler_remote(&name).0["Description"], "curated");

    // Import by name: the same object.
    assert_imported(
        &r,
        &name,
        &v,
        &[
            "id",
            "arn",
            "name",
            "database_name",
            "role",
            "description",
            "table_prefix",
            "configuration",
            "s3_target",
            "schema_change_policy",
            "recrawl_policy",
            "tags_all",
        ],
    )
    .await;

    // Bad input is refused before any call.
    let mut bad = cfg2.clone();
    bad.set("configuration", "{not json".into());
    assert!(r.validate(&bad).unwrap_err().message.contains("JSON"));
    let mut bad = cfg2.clone();
    bad.set("s3_target", Value::List(vec![]));
    assert!(r.validate(&bad).unwrap_err().message.contains("target"));

    // Force-new: the database.
    let mut cfg3 = cfg2.clone();
    cfg3.set("database_name", "lake2".into());
    let v = replace(&r, &v, &cfg3, "database_name").await;
    assert_eq!(crawler_remote(&name).0["DatabaseName"], "lake2");

    // Sweep finds it by its marks; destroy leaves nothing.
    assert_swept_then_destroyed(&r, &stack, &v, || crawlers_named(&[&name])).await;
}

/// The lab's crawler: one S3 target and a schema change policy; no recrawl policy block, which
/// the API's answer must not turn into a change.
#[tokio::test]
async fn glue_crawler_as_the_lab_declares_it() {
    let r = lone_resource("glue-crawler-lab", "aws_glue_crawler").await;
    let name = unique("lf-lab-crawler");
    let cfg = config(
        &r,
        &[
            ("name", name.as_str().into()),
            ("database_name", "lake".into()),
            ("role", ROLE.into()),
            ("table_prefix", "raw_".into()),
            ("s3_target", block(&[("path", "s3://lake/gold/".into())])),
            (
                "schema_change_policy",
                block(&[
                    ("delete_behavior", "LOG".into()),
                    ("update_behavior", "UPDATE_IN_DATABASE".into()),
                ]),
            ),
        ],
    );
    let v = create(&r, &cfg).await;
    assert_eq!(crawler_remote(&name).0["TablePrefix"], "raw_");
    // Recreated outside with a recrawl policy: left alone, as the provider does.
    py(&format!(
        "glue.update_crawler(Name={name:?}, RecrawlPolicy={{'RecrawlBehavior': 'CRAWL_EVERYTHING'}})\nout(1)"
    ));
    let read = r.read(&v).await.unwrap().unwrap();
    assert_no_change(&r, &read, &cfg).await;
    delete(&r, &read).await;
}

#[tokio::test]
async fn glue_crawler_is_adopted() {
    glue_object_is_adopted(
        "adopt-crawler",
        "aws_glue_crawler",
        &unique("lf-adopt-crawler"),
        &[
            ("database_name", "lake".into()),
            ("role", ROLE.into()),
            ("s3_target", block(&[("path", "s3://lake/raw/".into())])),
        ],
        (
            "crawler",
            "[c['Name'] for c in glue.get_crawlers()['Crawlers']]",
        ),
    )
    .await;
}

/// The job and its tags as boto3 sees them: `[job, tags]`.
fn job_remote(name: &str) -> (serde_json::Value, serde_json::Value) {
    let get = format!("glue.get_job(JobName={name:?})['Job']");
    glue_remote(&get, "job", name)
}

fn jobs_named(names: &[&str]) -> serde_json::Value {
    py(&names_among("glue.list_jobs()['JobNames']", names))
}

#[tokio::test]
async fn glue_job_life_cycle() {
    let (stack, _, r) = stack_of("glue-job", "aws_glue_job").await;
    let name = unique("lf-job");
    // As the lab declares it.
    let lab = |timeout: i64, workers: i64, target: &str, team: &str| {
        config(
            &r,
            &[
                ("name", name.as_str().into()),
                ("role_arn", ROLE.into()),
                ("glue_version", "4.0".into()),
                ("worker_type", "G.1X".into()),
                ("number_of_workers", Value::from(workers)),
                ("timeout", Value::from(timeout)),
                ("connections", strs(&["rds"])),
                (
                    "command",
                    block(&[
                        ("name", "glueetl".into()),
                        ("script_location", "s3://scripts/etl.py".into()),
                        ("python_version", "3".into()),
                    ]),
                ),
                (
                    "default_arguments",
                    tags(&[
                        ("--enable-job-insights", "true"),
                        ("--job-language", "python"),
                        ("--target_path", target),
                    ]),
                ),
                ("tags", tags(&[("team", team)])),
            ],
        )
    };

    // Create, read back as declared.
    let v = create(&r, &lab(5, 2, "s3://lake/gold", "data")).await;
    let arn = format!("arn:aws:glue:us-east-1:123456789012:job/{name}");
    assert_eq!(v.str_attr("arn"), Some(arn.as_str()));
    assert_eq!(v.str_attr("id"), Some(name.as_str()));
    let (j, t) = job_remote(&name);
    assert_eq!(j["Role"], ROLE);
    assert_eq!(j["GlueVersion"], "4.0");
    assert_eq!(j["WorkerType"], "G.1X");
    assert_eq!(j["NumberOfWorkers"], 2);
    assert_eq!(j["Timeout"], 5);
    assert_eq!(j["Connections"]["Connections"], serde_json::json!(["rds"]));
    assert_eq!(j["Command"]["Name"], "glueetl");
    assert_eq!(j["Command"]["ScriptLocation"], "s3://scripts/etl.py");
    assert_eq!(j["Command"]["PythonVersion"], "3");
    assert_eq!(j["DefaultArguments"]["--target_path"], "s3://lake/gold");
    assert!(
        j.get("MaxCapacity").is_none(),
        "capacity sent with workers: {j}"
    );
    assert_eq!(t["team"], "data");
    assert_eq!(t["labform-stack"].as_str(), Some(stack.as_str()));
    assert_eq!(v.list_attr("command")[0].str_attr("name"), Some("glueetl"));

    // Update in place: UpdateJob overwrites the definition, so what is not changed must stay.
    let mut cfg2 = lab(10, 3, "s3://lake/silver", "ml");
    cfg2.set("description", "nightly".into());
    cfg2.set("max_retries", Value::from(2));
    cfg2.set(
        "non_overridable_arguments",
        tags(&[("--conf", "spark.x=1")]),
    );
    cfg2.set(
        "execution_property",
        block(&[("max_concurrent_runs", Value::from(3))]),
    );
    let v = update(&r, &v, &cfg2).await;
    let (j, t) = job_remote(&name);
    assert_eq!(j["Timeout"], 10);
    assert_eq!(j["NumberOfWorkers"], 3);
    assert_eq!(j["Description"], "nightly");
    assert_eq!(j["MaxRetries"], 2);
    assert_eq!(j["NonOverridableArguments"]["--conf"], "spark.x=1");
    assert_eq!(j["ExecutionProperty"]["MaxConcurrentRuns"], 3);
    assert_eq!(j["DefaultArguments"]["--target_path"], "s3://lake/silver");
    assert_eq!(j["GlueVersion"], "4.0");
    assert_eq!(j["Connections"]["Connections"], serde_json::json!(["rds"]));
    assert_eq!(j["Command"]["ScriptLocation"], "s3://scripts/etl.py");
    assert_eq!(t["team"], "ml");

    // Drift: changed outside (UpdateJob with another timeout and no description), planned back.
    py(&format!(
        "j=glue.get_job(JobName={name:?})['Job']\nu={{k: j[k] for k in ('Role','Command','DefaultArguments','NonOverridableArguments','Connections','GlueVersion','WorkerType','NumberOfWorkers','ExecutionProperty','MaxRetries')}}\nu['Timeout']=60\nglue.update_job(JobName={name:?}, JobUpdate=u)\nout(1)"
    ));
    let v = assert_drift_fixed(&r, &v, &cfg2).await;
    let (j, _) = job_remote(&name);
    assert_eq!(j["Timeout"], 10);
    assert_eq!(j["Description"], "nightly");

    // Import by name: the same object.
    assert_imported(
        &r,
        &name,
        &v,
        &[
            "id",
            "arn",
            "name",
            "role_arn",
            "command",
            "connections",
            "default_arguments",
            "glue_version",
            "worker_type",
            "number_of_workers",
            "timeout",
            "max_retries",
            "execution_property",
            "tags_all",
        ],
    )
    .await;

    // Bad input is refused before any call.
    let mut bad = cfg2.clone();
    bad.set("max_capacity", Value::from(2));
    assert!(r.validate(&bad).unwrap_err().message.contains("conflicts"));
    let mut bad = cfg2.clone();
    bad.set("worker_type", "G.3X".into());
    assert!(r
        .validate(&bad)
        .unwrap_err()
        .message
        .contains("worker_type"));

    // Force-new: the name.
    let name2 = unique("lf-job2");
    // Then the sweep finds it by its marks; destroy leaves nothing.
    let names = [name.as_str(), &name2];
    assert_renamed_swept_destroyed(&r, &stack, &v, &cfg2, "name", names, jobs_named).await;
}

/// A Python shell job sized by `max_capacity`: the capacity is sent (no workers), and the
/// unset computed arguments read back unset rather than changed.
#[tokio::test]
async fn glue_python_shell_job_by_capacity() {
    let r = lone_resource("glue-job-shell", "aws_glue_job").await;
    let name = unique("lf-shell");
    let cfg = |cap: f64| {
        config(
            &r,
            &[
                ("name", name.as_str().into()),
                ("role_arn", ROLE.into()),
                ("max_capacity", Value::from(cap)),
                (
                    "command",
                    block(&[
                        ("name", "pythonshell".into()),
                        ("script_location", "s3://scripts/shell.py".into()),
                    ]),
                ),
            ],
        )
    };
    let v = create(&r, &cfg(0.0625)).await;
    let (j, _) = job_remote(&name);
    assert_eq!(j["MaxCapacity"], 0.0625);
    assert_eq!(j["Command"]["Name"], "pythonshell");
    let v = update(&r, &v, &cfg(1.0)).await;
    assert_eq!(job_remote(&name).0["MaxCapacity"], 1.0);

    // Sized by workers instead: the capacity is left to Glue, and back again.
    let mut workers = cfg(1.0);
    workers.set("max_capacity", Value::Null);
    workers.set("worker_type", "G.1X".into());
    workers.set("number_of_workers", Value::from(2));
    let v = update(&r, &v, &workers).await;
    let (j, _) = job_remote(&name);
    assert_eq!(j["NumberOfWorkers"], 2);
    assert!(j.get("MaxCapacity").is_none(), "{j}");
    let v = update(&r, &v, &cfg(1.0)).await;
    let (j, _) = job_remote(&name);
    assert_eq!(j["MaxCapacity"], 1.0);
    assert!(j.get("NumberOfWorkers").is_none(), "{j}");
    assert_eq!(v.get("worker_type"), &Value::Null);
    delete(&r, &v).await;
}

#[tokio::test]
async fn glue_job_is_adopted() {
    let command = block(&[("script_location", "s3://scripts/etl.py".into())]);
    glue_object_is_adopted(
        "adopt-job",
        "aws_glue_job",
        &unique("lf-adopt-job"),
        &[("role_arn", ROLE.into()), ("command", command)],
        ("job", "glue.list_jobs()['JobNames']"),
    )
    .await;
}
