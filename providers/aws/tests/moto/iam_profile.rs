//! `aws_iam_instance_profile` against moto, read back with boto3.

use labform_sdk::INSTANCE_KEY;

use crate::common::*;
use crate::iam::test_role;
use crate::interrupted::{named_and_prefixed_are_adopted, py_count};

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
    let (rr, role) = test_role(&p).await;
    let (rr2, role2) = test_role(&p).await;
    let role_name = role.str_attr("name").unwrap().to_string();
    let role2_name = role2.str_attr("name").unwrap().to_string();
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
    let imported = r.import(&name).await.unwrap();
    assert_eq!(imported.get("arn"), v.get("arn"));
    assert_eq!(imported.get("role"), v.get("role"));

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
    let count = |t: &str| {
        py_count(&format!(
            "n=0\nfor p in iam.list_instance_profiles()['InstanceProfiles']:\n    tg=iam.get_instance_profile(InstanceProfileName=p['InstanceProfileName'])['InstanceProfile'].get('Tags', [])\n    n+=any(x['Key']=={INSTANCE_KEY:?} and x['Value']=={t:?} for x in tg)\nout(n)"
        ))
    };
    let name = unique("lf-adopt-prof");
    named_and_prefixed_are_adopted(&r, &name, "lf-pre-prof-", &[], count).await;
}
