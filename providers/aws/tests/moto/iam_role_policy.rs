//! What hangs on an IAM role, against moto and read back with boto3: inline policies
//! (`aws_iam_role_policy`) and managed policy attachments (`aws_iam_role_policy_attachment`).

use crate::common::*;
use crate::iam::test_role;
use crate::interrupted::{interrupted_create_is_adopted, prefixed_is_adopted, FoundBy};

const S3_READ: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
const S3_WRITE: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}"#;
const GLUE_ROLE: &str = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole";
const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";

fn inline(role: &str, name: &str) -> serde_json::Value {
    py(&format!(
        "r=iam.get_role_policy(RoleName={role:?}, PolicyName={name:?})\nout(r['PolicyDocument'])"
    ))
}

fn inline_names(role: &str) -> serde_json::Value {
    py(&format!(
        "out(iam.list_role_policies(RoleName={role:?})['PolicyNames'])"
    ))
}

fn attached(role: &str) -> serde_json::Value {
    py(&format!(
        "out(sorted(p['PolicyArn'] for p in iam.list_attached_role_policies(RoleName={role:?})['AttachedPolicies']))"
    ))
}

#[tokio::test]
async fn iam_role_policy_life_cycle() {
    let p = configure(&unique("iam-inline")).await;
    let (rr, role, role_name) = test_role(&p).await;
    let (rr2, role2, role2_name) = test_role(&p).await;
    let r = resource(&p, "aws_iam_role_policy");
    let name = unique("lf-inline");
    let cfg = |role: &str, doc: &str| {
        config(
            &r,
            &[
                ("name", name.as_str().into()),
                ("role", role.into()),
                ("policy", doc.into()),
            ],
        )
    };
    let v = create(&r, &cfg(&role_name, S3_READ)).await;
    assert_eq!(
        inline(&role_name, &name)["Statement"][0]["Action"],
        "s3:GetObject"
    );
    assert_eq!(
        v.str_attr("id"),
        Some(format!("{role_name}:{name}").as_str())
    );
    assert_eq!(v.str_attr("policy"), Some(S3_READ));

    // In place: the document.
    let v = update(&r, &v, &cfg(&role_name, S3_WRITE)).await;
    assert_eq!(
        inline(&role_name, &name)["Statement"][0]["Action"],
        "s3:PutObject"
    );

    // Drift: the document changed outside is planned back.
    py(&format!(
        "iam.put_role_policy(RoleName={role_name:?}, PolicyName={name:?}, PolicyDocument={S3_READ:?})\nout(1)"
    ));
    let v = assert_drift_fixed(&r, &v, &cfg(&role_name, S3_WRITE)).await;
    assert_eq!(
        inline(&role_name, &name)["Statement"][0]["Action"],
        "s3:PutObject"
    );

    // Import by `role:name`; a malformed id says what it expects.
    assert_imported(&r, &format!("{role_name}:{name}"), &v, &["id", "role"]).await;
    assert!(r
        .import("no-colon")
        .await
        .unwrap_err()
        .message
        .contains("<role name>:<policy name>"));

    // Force-new: the role.
    let v = replace(&r, &v, &cfg(&role2_name, S3_WRITE), "role").await;
    assert_eq!(inline_names(&role_name), serde_json::json!([]));
    assert_eq!(inline_names(&role2_name), serde_json::json!([name]));

    delete(&r, &v).await;
    assert_eq!(inline_names(&role2_name), serde_json::json!([]));
    delete(&rr, &role).await;
    delete(&rr2, &role2).await;
}

#[tokio::test]
async fn iam_role_policy_is_adopted_only_as_planned() {
    let p = configure(&unique("adopt-inline")).await;
    let (rr, role, role_name) = test_role(&p).await;
    let r = resource(&p, "aws_iam_role_policy");
    let count = |_t: &str| inline_names(&role_name).as_array().map_or(0, Vec::len);
    let pairs = [
        ("role", role_name.as_str().into()),
        ("policy", S3_READ.into()),
    ];
    // A given name: the same document under it is this create's object, whatever the token.
    let mut cfg = config(&r, &pairs);
    cfg.set("name", unique("lf-adopt-inline").into());
    let named = interrupted_create_is_adopted(&r, &cfg, FoundBy::Key, count).await;
    // Another document under that name is not adopted.
    let mut other = named.intent.clone();
    other.set("policy", S3_WRITE.into());
    let e = r.find_interrupted(&other, &named.token).await.unwrap_err();
    assert!(e.message.contains("another document"), "{e}");
    assert!(e.hint.unwrap_or_default().contains("delete-role-policy"));
    delete(&r, &named.state).await;

    // A generated name is derived from the create token.
    prefixed_is_adopted(&r, "lf-pre-inline-", &pairs, count).await;
    delete(&rr, &role).await;
}

#[tokio::test]
async fn iam_role_policy_attachment_life_cycle() {
    let p = configure(&unique("iam-attach")).await;
    let (rr, role, role_name) = test_role(&p).await;
    let r = resource(&p, "aws_iam_role_policy_attachment");
    let cfg = |arn: &str| {
        config(
            &r,
            &[
                ("role", role_name.as_str().into()),
                ("policy_arn", arn.into()),
            ],
        )
    };
    // An AWS-managed policy, as the labs attach.
    let v = create(&r, &cfg(GLUE_ROLE)).await;
    assert_eq!(attached(&role_name), serde_json::json!([GLUE_ROLE]));
    assert_eq!(
        v.str_attr("id"),
        Some(format!("{role_name}-{GLUE_ROLE}").as_str())
    );

    // Drift: detached outside, the attachment reads as gone (planned again as a create).
    py(&format!(
        "iam.detach_role_policy(RoleName={role_name:?}, PolicyArn={GLUE_ROLE:?})\nout(1)"
    ));
    assert!(r.read(&v).await.unwrap().is_none());
    let v = create(&r, &cfg(GLUE_ROLE)).await;

    // Import by `role/arn`.
    let imported = r.import(&format!("{role_name}/{GLUE_ROLE}")).await.unwrap();
    assert_eq!(imported, v);
    assert!(r.import(&format!("{role_name}/{READ_ONLY}")).await.is_err());

    // Force-new: the policy.
    let v = replace(&r, &v, &cfg(READ_ONLY), "policy_arn").await;
    assert_eq!(attached(&role_name), serde_json::json!([READ_ONLY]));

    // A policy that does not exist: the error says what to check.
    let missing = plan(
        &r,
        None,
        &cfg("arn:aws:iam::aws:policy/NoSuchPolicyAnywhere"),
    );
    let e = r
        .create(&missing.planned, &labform_sdk::OpContext::silent())
        .await
        .unwrap_err();
    assert!(
        e.hint.unwrap_or_default().contains("exist"),
        "{}",
        e.message
    );

    delete(&r, &v).await;
    assert_eq!(attached(&role_name), serde_json::json!([]));
    delete(&rr, &role).await;
}

#[tokio::test]
async fn iam_role_policy_attachment_is_adopted() {
    let p = configure(&unique("adopt-attach")).await;
    let (rr, role, role_name) = test_role(&p).await;
    let r = resource(&p, "aws_iam_role_policy_attachment");
    let cfg = config(
        &r,
        &[
            ("role", role_name.as_str().into()),
            ("policy_arn", GLUE_ROLE.into()),
        ],
    );
    let count = |_t: &str| attached(&role_name).as_array().map_or(0, Vec::len);
    let adopted = interrupted_create_is_adopted(&r, &cfg, FoundBy::Key, count).await;
    delete(&r, &adopted.state).await;
    delete(&rr, &role).await;
}
