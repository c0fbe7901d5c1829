//! IAM managed policies against moto, read back with boto3: `aws_iam_policy`, data
//! `aws_iam_policy` and data `aws_iam_policy_document` through the configured provider.

use labform_sdk::Value;

use crate::common::*;
use crate::interrupted::{named_and_prefixed_are_adopted, Tagged};

/// A document allowing `actions` on everything, rendered by the provider's data source.
async fn document(
    p: &std::sync::Arc<dyn labform_sdk::ConfiguredProvider>,
    actions: &[&str],
) -> String {
    let d = data_source(p, "aws_iam_policy_document");
    let statement = Value::from_pairs([
        ("sid", Value::Null),
        ("effect", Value::Null),
        ("actions", strs(actions)),
        ("not_actions", Value::Null),
        ("resources", strs(&["*"])),
        ("not_resources", Value::Null),
        ("principals", Value::List(vec![])),
        ("not_principals", Value::List(vec![])),
        ("condition", Value::List(vec![])),
    ]);
    let out = d
        .read(&data_config(
            &d,
            &[("statement", Value::List(vec![statement]))],
        ))
        .await
        .unwrap();
    out.str_attr("json").unwrap().to_string()
}

fn policy_by_boto3(arn: &str) -> serde_json::Value {
    py(&format!(
        "p=iam.get_policy(PolicyArn={arn:?})['Policy']\nd=iam.get_policy_version(PolicyArn={arn:?}, VersionId=p['DefaultVersionId'])['PolicyVersion']['Document']\nout({{'name': p['PolicyName'], 'path': p['Path'], 'desc': p.get('Description'), 'doc': d, 'default': p['DefaultVersionId'], 'versions': len(iam.list_policy_versions(PolicyArn={arn:?})['Versions']), 'tags': {{t['Key']: t['Value'] for t in iam.list_policy_tags(PolicyArn={arn:?})['Tags']}}}})"
    ))
}

fn policy_exists(name: &str) -> bool {
    listed(
        "iam.list_policies(Scope='Local')['Policies']",
        "PolicyName",
        name,
    )
}

#[tokio::test]
async fn iam_policy_life_cycle() {
    let (stack, p, r) = stack_of("iam-pol", "aws_iam_policy").await;
    let name = unique("lf-pol");
    let read_s3 = document(&p, &["s3:GetObject", "s3:ListBucket"]).await;
    let write_s3 = document(&p, &["s3:PutObject"]).await;
    let cfg = |doc: &str, desc: &str, team: &str| {
        config(
            &r,
            &[
                ("name", name.as_str().into()),
                ("path", "/labs/".into()),
                ("description", desc.into()),
                ("policy", doc.into()),
                ("tags", tags(&[("team", team)])),
            ],
        )
    };
    let v = create(&r, &cfg(&read_s3, "lab policy", "data")).await;
    let arn = v.str_attr("arn").unwrap().to_string();
    let got = policy_by_boto3(&arn);
    assert_eq!(got["name"], name.as_str());
    assert_eq!(got["path"], "/labs/");
    assert_eq!(got["desc"], "lab policy");
    assert_eq!(
        got["doc"]["Statement"][0]["Action"],
        serde_json::json!(["s3:ListBucket", "s3:GetObject"])
    );
    assert_eq!(got["tags"]["team"], "data");
    assert_eq!(got["tags"]["labform-stack"].as_str(), Some(stack.as_str()));
    assert_eq!(v.str_attr("id"), Some(arn.as_str()));
    assert!(v.str_attr("policy_id").is_some_and(|i| !i.is_empty()));
    assert_eq!(v.get("attachment_count"), &Value::from(0));
    assert_eq!(v.str_attr("policy"), Some(read_s3.as_str()));

    // In place: the document (a new default version) and tags; six changes stay within IAM's
    // five versions because the oldest is pruned.
    let mut v = update(&r, &v, &cfg(&write_s3, "lab policy", "ml")).await;
    for i in 0..5 {
        let doc = document(&p, &[&format!("s3:Get{i}")]).await;
        v = update(&r, &v, &cfg(&doc, "lab policy", "ml")).await;
    }
    let v = update(&r, &v, &cfg(&write_s3, "lab policy", "ml")).await;
    let got = policy_by_boto3(&arn);
    assert_eq!(got["doc"]["Statement"][0]["Action"], "s3:PutObject");
    assert_eq!(got["tags"]["team"], "ml");
    assert!(got["versions"].as_u64().unwrap() <= 5, "{got}");

    // Drift: another default version and a tag changed outside are planned back.
    py(&format!(
        "for x in iam.list_policy_versions(PolicyArn={arn:?})['Versions']:\n    x['IsDefaultVersion'] or iam.delete_policy_version(PolicyArn={arn:?}, VersionId=x['VersionId'])\niam.create_policy_version(PolicyArn={arn:?}, PolicyDocument=json.dumps({{'Version':'2012-10-17','Statement':[{{'Effect':'Deny','Action':'*','Resource':'*'}}]}}), SetAsDefault=True)\niam.tag_policy(PolicyArn={arn:?}, Tags=[{{'Key':'team','Value':'other'}}])\nout(1)"
    ));
    let v = assert_drift_fixed(&r, &v, &cfg(&write_s3, "lab policy", "ml")).await;
    let got = policy_by_boto3(&arn);
    assert_eq!(got["doc"]["Statement"][0]["Effect"], "Allow");
    assert_eq!(got["tags"]["team"], "ml");

    // Import by ARN gives the same object.
    assert_imported(&r, &arn, &v, &["policy_id", "path", "tags_all"]).await;

    // Force-new: the description.
    let v = replace(&r, &v, &cfg(&write_s3, "another", "ml"), "description").await;
    assert_eq!(
        policy_by_boto3(v.str_attr("arn").unwrap())["desc"],
        "another"
    );

    // Found by a sweep of this stack only.
    assert_swept_among_others(&r, &stack, &v).await;

    // Bad input is refused before any call.
    let bad = config(&r, &[("policy", "[]".into())]);
    assert!(r.validate(&bad).unwrap_err().message.contains("`policy`"));
    let both = config(
        &r,
        &[
            ("name", "a".into()),
            ("name_prefix", "b".into()),
            ("policy", write_s3.as_str().into()),
        ],
    );
    assert!(r.validate(&both).is_err());

    delete(&r, &v).await;
    assert!(!policy_exists(&name));
}

#[tokio::test]
async fn iam_policy_data_source_by_arn_and_by_name() {
    let p = configure(&unique("iam-pol-data")).await;
    let d = data_source(&p, "aws_iam_policy");
    // An AWS-managed policy (moto loads them with MOTO_IAM_LOAD_MANAGED_POLICIES=true).
    let glue = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole";
    let v = d
        .read(&data_config(&d, &[("arn", glue.into())]))
        .await
        .unwrap();
    assert_eq!(v.str_attr("name"), Some("AWSGlueServiceRole"));
    assert_eq!(v.str_attr("path"), Some("/service-role/"));
    let doc: serde_json::Value = serde_json::from_str(v.str_attr("policy").unwrap()).unwrap();
    assert_eq!(doc["Version"], "2012-10-17");

    let r = resource(&p, "aws_iam_policy");
    let name = unique("lf-pol-data");
    let made = create(
        &r,
        &config(
            &r,
            &[
                ("name", name.as_str().into()),
                ("description", "read me".into()),
                ("policy", document(&p, &["glue:*"]).await.into()),
            ],
        ),
    )
    .await;
    let v = d
        .read(&data_config(&d, &[("name", name.as_str().into())]))
        .await
        .unwrap();
    let arn = made.str_attr("arn").unwrap();
    let got = policy_by_boto3(arn);
    assert_eq!(v.str_attr("arn"), Some(arn));
    assert_eq!(v.str_attr("description"), got["desc"].as_str());
    assert_eq!(v.str_attr("policy_id"), made.str_attr("policy_id"));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(v.str_attr("policy").unwrap()).unwrap(),
        got["doc"]
    );
    assert_eq!(v.get("tags").get("managed-by"), &Value::from("labform"));
    let none = d
        .read(&data_config(
            &d,
            &[("name", unique("lf-none").as_str().into())],
        ))
        .await
        .unwrap_err();
    assert!(none.message.contains("no matching"), "{none}");
    delete(&r, &made).await;
}

#[tokio::test]
async fn iam_policy_is_adopted() {
    let (_, p, r) = stack_of("adopt-pol", "aws_iam_policy").await;
    let doc = document(&p, &["s3:GetObject"]).await;
    let policies = Tagged {
        setup: "",
        tags_of_o: "iam.list_policy_tags(PolicyArn=o['Arn'])['Tags']",
    };
    let count = policies.count("iam.list_policies(Scope='Local')['Policies']");
    let policy = [("policy", doc.as_str().into())];
    let name = unique("lf-adopt-pol");
    named_and_prefixed_are_adopted(&r, &name, "lf-pre-pol-", &policy, count).await;
}
