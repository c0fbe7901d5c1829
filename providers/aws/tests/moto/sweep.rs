//! `list_marked`: what a sweep finds when state is lost.

use crate::common::*;

#[tokio::test]
async fn marked_objects_are_found_per_stack() {
    let (stack, p, (vr, v), vpc_id) = vpc_stack("sweep", "10.90.0.0/16").await;
    let other = configure(&unique("sweep-other")).await;
    let (s, sn) = subnet(&p, &vpc_id, "10.90.1.0/24").await;
    let (g, sg) = security_group(&p, &vpc_id, &unique("lf-sweep")).await;
    let (b, bucket) = make(
        &p,
        "aws_s3_bucket",
        &[("bucket", unique("lf-sweep").into())],
    )
    .await;
    let (d, db) = make(
        &p,
        "aws_glue_catalog_database",
        &[("name", unique("lf_sweep").replace('-', "_").into())],
    )
    .await;

    for (r, state) in [(&vr, &v), (&s, &sn), (&g, &sg), (&b, &bucket), (&d, &db)] {
        let found = marked_values(r, &stack).await;
        assert_eq!(
            found
                .iter()
                .filter(|f| f.get("id") == state.get("id"))
                .count(),
            1,
            "{}: {found:?}",
            r.type_name()
        );
        let theirs = marked_values(&resource(&other, r.type_name()), "no-such-stack").await;
        assert!(
            theirs.iter().all(|f| f.get("id") != state.get("id")),
            "{}",
            r.type_name()
        );
        // A stack in another directory with the same name (another id) never sees it.
        let twin = r
            .list_marked(&labform_sdk::StackFilter::Stack {
                name: stack.clone(),
                id: "0123456789abcdef".into(),
            })
            .await
            .unwrap();
        assert!(
            twin.iter().all(|f| f.value.get("id") != state.get("id")),
            "{}: a same-named stack with another id listed it",
            r.type_name()
        );
        // What list_marked returns, delete accepts.
        let mine = found
            .into_iter()
            .find(|f| f.get("id") == state.get("id"))
            .unwrap();
        if r.type_name() != "aws_vpc" && r.type_name() != "aws_subnet" {
            delete(r, &mine).await;
        }
    }
    delete(&s, &sn).await;
    delete(&vr, &v).await;
    assert_eq!(ec2_marked(&stack), Vec::<String>::new());
}
