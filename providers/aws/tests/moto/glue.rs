//! aws_glue_catalog_database against moto.

use crate::common::*;

#[tokio::test]
async fn glue_database_life_cycle() {
    let (stack, _, r) = stack_of("glue", "aws_glue_catalog_database").await;
    let name = unique("lf_db").replace('-', "_");
    let cfg = |desc: &str, team: &str| {
        config(
            &r,
            &[
                ("name", name.as_str().into()),
                ("description", desc.into()),
                ("location_uri", "s3://lake/curated/".into()),
                ("parameters", tags(&[("classification", "parquet")])),
                ("tags", tags(&[("team", team)])),
            ],
        )
    };
    let v = create(&r, &cfg("raw data", "data")).await;
    assert_eq!(
        v.str_attr("arn"),
        Some(format!("arn:aws:glue:us-east-1:123456789012:database/{name}").as_str())
    );
    let got = py(&format!(
        "d=glue.get_database(Name={name:?})['Database']\nt=glue.get_tags(ResourceArn={arn:?})['Tags']\nout([d.get('Description'), d.get('LocationUri'), d.get('Parameters'), t])",
        arn = v.str_attr("arn").unwrap()
    ));
    assert_eq!(got[0], "raw data");
    assert_eq!(got[1], "s3://lake/curated/");
    assert_eq!(got[2]["classification"], "parquet");
    assert_eq!(got[3]["labform-stack"].as_str(), Some(stack.as_str()));
    assert_eq!(got[3]["team"], "data");

    let v = update(&r, &v, &cfg("curated data", "ml")).await;
    let desc = py(&format!(
        "out(glue.get_database(Name={name:?})['Database'].get('Description'))"
    ));
    assert_eq!(desc, "curated data");

    // Upper case is rejected before any call.
    let bad = config(&r, &[("name", "RawData".into())]);
    assert!(r.validate(&bad).unwrap_err().message.contains("uppercase"));

    // Force-new: the name.
    let name2 = unique("lf_db2").replace('-', "_");
    let cfg2 = config(&r, &[("name", name2.as_str().into())]);
    let v2 = replace(&r, &v, &cfg2, "name").await;

    // Drift: deleted outside.
    py(&format!("glue.delete_database(Name={name2:?})\nout(1)"));
    assert!(r.read(&v2).await.unwrap().is_none());
    delete(&r, &v2).await;
    let left = py(&format!("out([d['Name'] for d in glue.get_databases()['DatabaseList'] if d['Name'] in ({name:?}, {name2:?})])"));
    assert_eq!(left, serde_json::json!([]));
}
