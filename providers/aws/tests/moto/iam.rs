//! IAM against moto, read back with boto3: roles.

use std::sync::Arc;

use labform_sdk::{ConfiguredProvider, Resource, Value};

use crate::common::*;
use crate::interrupted::{named_and_prefixed_are_adopted, Tagged};

pub const TRUST_EC2: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const TRUST_GLUE: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"glue.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

/// A role made through the provider, for the types that hang on one: the role type, the role's
/// state and its name.
pub async fn test_role(p: &Arc<dyn ConfiguredProvider>) -> (Arc<dyn Resource>, Value, String) {
    let r = resource(p, "aws_iam_role");
    let v = create(
        &r,
        &config(
            &r,
            &[
                ("name", unique("lf-role").as_str().into()),
                ("assume_role_policy", TRUST_EC2.into()),
                ("force_detach_policies", true.into()),
            ],
        ),
    )
    .await;
    let name = v.str_attr("name").unwrap().to_string();
    (r, v, name)
}

fn role_by_boto3(name: &str) -> serde_json::Value {
    py(&format!(
        "r=iam.get_role(RoleName={name:?})['Role']\nout({{'path': r['Path'], 'desc': r.get('Description'), 'max': r.get('MaxSessionDuration'), 'trust': r['AssumeRolePolicyDocument'], 'tags': {{t['Key']: t['Value'] for t in r.get('Tags', [])}}, 'arn': r['Arn'], 'id': r['RoleId']}})"
    ))
}

fn role_exists(name: &str) -> bool {
    listed("iam.list_roles()['Roles']", "RoleName", name)
}

#[tokio::test]
async fn iam_role_life_cycle() {
    let (stack, _, r) = stack_of("iam", "aws_iam_role").await;
    let name = unique("lf-role");
    let cfg = |trust: &str, desc: &str, team: &str| {
        config(
            &r,
            &[
                ("name", name.as_str().into()),
                ("path", "/labs/".into()),
                ("assume_role_policy", trust.into()),
                ("description", desc.into()),
                ("tags", tags(&[("team", team)])),
            ],
        )
    };
    let v = create(&r, &cfg(TRUST_EC2, "lab role", "data")).await;
    let got = role_by_boto3(&name);
    assert_eq!(got["path"], "/labs/");
    assert_eq!(got["desc"], "lab role");
    assert_eq!(got["max"], 3600);
    assert_eq!(
        got["trust"]["Statement"][0]["Principal"]["Service"],
        "ec2.amazonaws.com"
    );
    assert_eq!(got["tags"]["team"], "data");
    assert_eq!(got["tags"]["labform-stack"].as_str(), Some(stack.as_str()));
    assert_eq!(v.str_attr("arn"), got["arn"].as_str());
    assert_eq!(v.str_attr("unique_id"), got["id"].as_str());
    assert_eq!(v.str_attr("id"), Some(name.as_str()));
    assert_eq!(v.str_attr("assume_role_policy"), Some(TRUST_EC2));
    assert!(v.str_attr("create_date").is_some_and(|d| !d.is_empty()));

    // In place: trust policy, description, tags.
    let v = update(&r, &v, &cfg(TRUST_GLUE, "glue role", "ml")).await;
    let got = role_by_boto3(&name);
    assert_eq!(
        got["trust"]["Statement"][0]["Principal"]["Service"],
        "glue.amazonaws.com"
    );
    assert_eq!(got["desc"], "glue role");
    assert_eq!(got["tags"]["team"], "ml");

    // Drift: a tag changed outside is planned back.
    py(&format!(
        "iam.tag_role(RoleName={name:?}, Tags=[{{'Key':'team','Value':'other'}}])\nout(1)"
    ));
    let v = assert_drift_fixed(&r, &v, &cfg(TRUST_GLUE, "glue role", "ml")).await;
    assert_eq!(role_by_boto3(&name)["tags"]["team"], "ml");

    // Import by name gives the same state (but for what only configuration knows).
    assert_imported(&r, &name, &v, &["arn", "path"]).await;

    // Unimplemented arguments are errors that name them; bad JSON is caught before any call.
    let mut bad = cfg(TRUST_EC2, "x", "y");
    bad.set(
        "managed_policy_arns",
        strs(&["arn:aws:iam::aws:policy/ReadOnlyAccess"]),
    );
    let e = r.validate(&bad).unwrap_err();
    assert!(e.message.contains("`managed_policy_arns`"), "{e}");
    let bad = config(&r, &[("assume_role_policy", "not json".into())]);
    assert!(r
        .validate(&bad)
        .unwrap_err()
        .message
        .contains("assume_role_policy"));

    // Force-new: the path.
    let mut moved = cfg(TRUST_GLUE, "glue role", "ml");
    moved.set("path", "/other/".into());
    let v = replace(&r, &v, &moved, "path").await;
    assert_eq!(role_by_boto3(&name)["path"], "/other/");

    // force_detach_policies: a role with an inline policy added outside is still deleted.
    py(&format!(
        "iam.put_role_policy(RoleName={name:?}, PolicyName='extra', PolicyDocument=json.dumps({{'Version':'2012-10-17','Statement':[{{'Effect':'Allow','Action':'s3:ListBucket','Resource':'*'}}]}}))\nout(1)"
    ));
    let e = r
        .delete(&v, &labform_sdk::OpContext::silent())
        .await
        .unwrap_err();
    assert!(e.hint.unwrap_or_default().contains("force_detach_policies"));
    let mut forced = v.clone();
    forced.set("force_detach_policies", true.into());
    delete(&r, &forced).await;
    assert!(!role_exists(&name));
}

#[tokio::test]
async fn iam_role_is_adopted() {
    let r = lone_resource("adopt-iam", "aws_iam_role").await;
    // Every page of roles, and a role another test deletes between the listing and its read
    // (iam_role_sweep_sees_every_page makes and deletes 105 at once) has no tags.
    let roles = Tagged {
        setup: "def role_tags(n):\n    try: return iam.get_role(RoleName=n)['Role'].get('Tags', [])\n    except iam.exceptions.NoSuchEntityException: return []",
        tags_of_o: "role_tags(o['RoleName'])",
    };
    let count = roles
        .count("[r for page in iam.get_paginator('list_roles').paginate() for r in page['Roles']]");
    let trust = [("assume_role_policy", TRUST_EC2.into())];
    named_and_prefixed_are_adopted(&r, &unique("lf-adopt"), "lf-pre-", &trust, count).await;
}

/// `list_marked` goes through every page of ListRoles (IAM answers 100 roles a page).
#[tokio::test]
async fn iam_role_sweep_sees_every_page() {
    let (stack, _, r) = stack_of("iam-pages", "aws_iam_role").await;
    let path = format!("/{}/", unique("lf-pages"));
    py(&format!(
        "t=json.dumps({{'Version':'2012-10-17','Statement':[]}})\nfor i in range(105):\n    iam.create_role(RoleName='lf-pg-%d-%s' % (i, {stack:?}[-12:]), Path={path:?}, AssumeRolePolicyDocument=t, Tags=[{{'Key':'managed-by','Value':'labform'}},{{'Key':'labform-stack','Value':{stack:?}}}])\nout(1)"
    ));
    // The first page really is not all of them.
    let truncated = py(&format!(
        "out(iam.list_roles(PathPrefix={path:?}).get('IsTruncated', False))"
    ));
    assert_eq!(truncated, serde_json::json!(true));
    let found = marked_values(&r, &stack).await;
    assert_eq!(found.len(), 105, "list_marked stopped at a page boundary");
    assert!(found
        .iter()
        .all(|v| v.bool_attr("force_detach_policies", false)));
    for v in &found {
        delete(&r, v).await;
    }
    let left = py(&format!(
        "out(len(iam.list_roles(PathPrefix={path:?})['Roles']))"
    ));
    assert_eq!(left, serde_json::json!(0));
}
