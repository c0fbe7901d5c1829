//! `list_marked`: what a sweep finds when state is lost.

use crate::common::*;

#[tokio::test]
async fn marked_objects_are_found_per_stack() {
    let stack = unique("sweep");
    let p = configure(&stack).await;
    let other = configure(&unique("sweep-other")).await;
    let vr = resource(&p, "aws_vpc");
    let v = create(&vr, &config(&vr, &[("cidr_block", "10.90.0.0/16".into())])).await;
    let vpc_id = v.str_attr("id").unwrap().to_string();
    let s = resource(&p, "aws_subnet");
    let sn = create(
        &s,
        &config(
            &s,
            &[
                ("vpc_id", vpc_id.as_str().into()),
                ("cidr_block", "10.90.1.0/24".into()),
            ],
        ),
    )
    .await;
    let g = resource(&p, "aws_security_group");
    let sg = create(
        &g,
        &config(
            &g,
            &[
                ("name", unique("lf-sweep").into()),
                ("vpc_id", vpc_id.as_str().into()),
            ],
        ),
    )
    .await;
    let b = resource(&p, "aws_s3_bucket");
    let bucket = create(&b, &config(&b, &[("bucket", unique("lf-sweep").into())])).await;
    let d = resource(&p, "aws_glue_catalog_database");
    let db = create(
        &d,
        &config(&d, &[("name", unique("lf_sweep").replace('-', "_").into())]),
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
