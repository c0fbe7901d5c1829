//! `aws_iam_instance_profile` against moto, read back with boto3.

use crate::common::*;
use crate::iam::test_role;
use crate::interrupted::{named_and_prefixed_are_adopted, Tagged};

fn profile_by_boto3(name: &str) -> serde_json::Value {
    py(&format!(
        "p=iam.get_instance_profile(InstanceProfileName={name:?})['InstanceProfile']\nout({{'path': p['Path'], 'arn': p['Arn'], 'id': p['InstanceProfileId'], 'roles': [r['RoleName'] for r in p['Roles']], 'tags': {{t['Key']: t['Value'] for t in p.get('Tags', [])}}}})"
    ))
}

fn profile_exists(name: &str) -> bool {
    listed(
        "iam.list_instance_profiles()['InstanceProfiles']",
        "InstanceProfileName",
        name,
    )
}

#[tokio::test]
async fn iam_instance_profile_life_cycle() {
    let stack = unique("iam-prof");
    let p = configure(&stack).await;
    let (rr, role, role_name) = test_role(&p).await;
    let (rr2, role2, role2_name) = test_role(&p).await;
    let r = resource(&p, "aws_iam_instance_profile");
    let name = unique("lf-prof");
    let cfg = |path: &str, role: &str, team: &str| {
        config(
            &r,
            &[
                ("name", name.as_str().into()),
                ("path", path.into()),
                ("role", role.into()),
                ("tags", tags(&[("team", team)])),
            ],
        )
    };
    let v = create(&r, &cfg("/labs/", &role_name, "data")).await;
    let got = profile_by_boto3(&name);
    assert_eq!(got["path"], "/labs/");
    assert_eq!(got["roles"], serde_json::json!([role_name]));
    assert_eq!(got["tags"]["team"], "data");
    assert_eq!(got["tags"]["labform-stack"].as_str(), Some(stack.as_str()));
    assert_eq!(v.str_attr("arn"), got["arn"].as_str());
    assert_eq!(v.str_attr("unique_id"), got["id"].as_str());
    assert_eq!(v.str_attr("id"), Some(name.as_str()));
    assert!(v.str_attr("create_date").is_some_and(|d| !d.is_empty()));

    // In place: the role and tags.
    let v = update(&r, &v, &cfg("/labs/", &role2_name, "ml")).await;
    let got = profile_by_boto3(&name);
    assert_eq!(got["roles"], serde_json::json!([role2_name]));
    assert_eq!(got["tags"]["team"], "ml");

    // Drift: the role removed outside is put back.
    py(&format!(
        "iam.remove_role_from_instance_profile(InstanceProfileName={name:?}, RoleName={role2_name:?})\nout(1)"
    ));
    let v = assert_drift_fixed(&r, &v, &cfg("/labs/", &role2_name, "ml")).await;
    assert_eq!(
        profile_by_boto3(&name)["roles"],
        serde_json::json!([role2_name])
    );

    // Import by name.
    assert_imported(&r, &name, &v, &["arn", "role"]).await;

    // Found by a sweep of this stack only.
    assert_swept_among_others(&r, &stack, &v).await;

    // Force-new: the path. The profile holding a role is deleted (role removed first).
    let v = replace(&r, &v, &cfg("/other/", &role2_name, "ml"), "path").await;
    assert_eq!(profile_by_boto3(&name)["path"], "/other/");

    delete(&r, &v).await;
    assert!(!profile_exists(&name));
    delete(&rr, &role).await;
    delete(&rr2, &role2).await;
}

#[tokio::test]
async fn iam_instance_profile_is_adopted() {
    let r = lone_resource("adopt-prof", "aws_iam_instance_profile").await;
    let profiles = Tagged {
        setup: "",
        tags_of_o: "iam.get_instance_profile(InstanceProfileName=o['InstanceProfileName'])['InstanceProfile'].get('Tags', [])",
    };
    let count = profiles.count("iam.list_instance_profiles()['InstanceProfiles']");
    let name = unique("lf-adopt-prof");
    named_and_prefixed_are_adopted(&r, &name, "lf-pre-prof-", &[], count).await;
}
