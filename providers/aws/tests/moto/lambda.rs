//! aws_lambda_function and aws_lambda_permission against moto, read back with boto3.

use labform_sdk::Value;

use crate::common::*;

/// Runs `script` with a boto3 Lambda client `lam` besides the usual ones.
pub fn lam(script: &str) -> serde_json::Value {
    py(&format!(
        "lam=boto3.client('lambda', endpoint_url=E)\n{script}"
    ))
}

/// An IAM role Lambda may assume (moto checks that the role exists).
pub fn lambda_role(name: &str) -> String {
    py(&format!(
        "import json as j\nd=j.dumps({{'Version':'2012-10-17','Statement':[{{'Effect':'Allow','Principal':{{'Service':'lambda.amazonaws.com'}},'Action':'sts:AssumeRole'}}]}})\nout(iam.create_role(RoleName={name:?}, AssumeRolePolicyDocument=d)['Role']['Arn'])"
    ))
    .as_str()
    .unwrap()
    .to_string()
}

/// A fresh directory for test files (left in the system's temporary directory).
pub fn scratch_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(unique("lf-lambda-test"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A zip holding `index.py` with `body`, written as `dir/name`; its path.
pub fn zip_file(dir: &std::path::Path, name: &str, body: &str) -> String {
    let path = dir.join(name);
    py(&format!(
        "import zipfile\nz=zipfile.ZipFile({p:?}, 'w')\nz.writestr('index.py', {body:?})\nz.close()\nout(1)",
        p = path.to_string_lossy()
    ));
    path.to_string_lossy().into_owned()
}

fn remote(name: &str) -> serde_json::Value {
    lam(&format!(
        "f=lam.get_function(FunctionName={name:?})\nout([f['Configuration'], f.get('Tags', {{}})])"
    ))
}

fn functions_named(names: &[&str]) -> serde_json::Value {
    lam(&names_listed(
        "lam.list_functions()['Functions']",
        "FunctionName",
        names,
    ))
}

/// A Python function `name` with the handler `index.h`, run as `role`; then `extra`.
pub fn python_function<'a>(
    name: &str,
    role: &str,
    extra: &[(&'a str, Value)],
) -> Vec<(&'a str, Value)> {
    let mut pairs = vec![
        ("function_name", name.into()),
        ("role", role.into()),
        ("handler", "index.h".into()),
        ("runtime", "python3.12".into()),
    ];
    pairs.extend_from_slice(extra);
    pairs
}

fn one(key: &str, value: Value) -> Value {
    Value::List(vec![Value::from_pairs([(key, value)])])
}

#[tokio::test]
async fn lambda_function_life_cycle() {
    let (stack, _, r) = stack_of("lambda", "aws_lambda_function").await;
    let dir = scratch_dir();
    let zip1 = zip_file(&dir, "a.zip", "def h(e, c):\n    return 1\n");
    let zip2 = zip_file(&dir, "b.zip", "def h(e, c):\n    return 2\n");
    let role = lambda_role(&unique("lf-fn-role"));
    let name = unique("lf-fn");
    let cfg = |zip: &str, hash: &str, timeout: i64, env: &str, team: &str| {
        config(
            &r,
            &python_function(
                &name,
                &role,
                &[
                    ("description", "ingest".into()),
                    ("filename", zip.into()),
                    ("source_code_hash", hash.into()),
                    ("timeout", Value::from(timeout)),
                    ("memory_size", Value::from(256)),
                    ("architectures", strs(&["arm64"])),
                    (
                        "environment",
                        one("variables", Value::string_map([("STAGE", env)])),
                    ),
                    ("ephemeral_storage", one("size", Value::from(1024))),
                    ("tracing_config", one("mode", "Active".into())),
                    ("tags", tags(&[("team", team)])),
                ],
            ),
        )
    };

    // Create, read back as declared.
    let v = create(&r, &cfg(&zip1, "h1", 10, "dev", "data")).await;
    let arn = format!("arn:aws:lambda:us-east-1:123456789012:function:{name}");
    assert_eq!(v.str_attr("id"), Some(name.as_str()));
    assert_eq!(v.str_attr("arn"), Some(arn.as_str()));
    assert_eq!(
        v.str_attr("invoke_arn"),
        Some(
            format!(
                "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{arn}/invocations"
            )
            .as_str()
        )
    );
    assert_eq!(v.str_attr("version"), Some("$LATEST"));
    assert_eq!(
        v.str_attr("qualified_arn"),
        Some(format!("{arn}:$LATEST").as_str())
    );
    let [c, t] =
        <[serde_json::Value; 2]>::try_from(remote(&name).as_array().unwrap().clone()).unwrap();
    assert_eq!(c["Runtime"], "python3.12");
    assert_eq!(c["Handler"], "index.h");
    assert_eq!(c["Description"], "ingest");
    assert_eq!(c["Timeout"], 10);
    assert_eq!(c["MemorySize"], 256);
    assert_eq!(c["Role"], role.as_str());
    assert_eq!(c["Architectures"], serde_json::json!(["arm64"]));
    assert_eq!(c["Environment"]["Variables"]["STAGE"], "dev");
    assert_eq!(c["EphemeralStorage"]["Size"], 1024);
    assert_eq!(c["TracingConfig"]["Mode"], "Active");
    assert_eq!(c["State"], "Active");
    assert_eq!(v.str_attr("code_sha256"), c["CodeSha256"].as_str());
    assert_eq!(v.get("source_code_size").as_i64(), c["CodeSize"].as_i64());
    assert_eq!(t["team"], "data");
    assert_eq!(t["managed-by"], "labform");
    assert_eq!(t["labform-stack"].as_str(), Some(stack.as_str()));
    let sha1 = c["CodeSha256"].as_str().unwrap().to_string();

    // Update in place: settings, then new code by `source_code_hash`, and tags.
    let v = update(&r, &v, &cfg(&zip1, "h1", 30, "prod", "ml")).await;
    let [c, t] =
        <[serde_json::Value; 2]>::try_from(remote(&name).as_array().unwrap().clone()).unwrap();
    assert_eq!(c["Timeout"], 30);
    assert_eq!(c["Environment"]["Variables"]["STAGE"], "prod");
    assert_eq!(c["CodeSha256"], sha1.as_str());
    assert_eq!(t["team"], "ml");
    let v = update(&r, &v, &cfg(&zip2, "h2", 30, "prod", "ml")).await;
    let c = &remote(&name)[0];
    assert_ne!(
        c["CodeSha256"],
        sha1.as_str(),
        "the new zip was not uploaded"
    );
    assert_eq!(v.str_attr("code_sha256"), c["CodeSha256"].as_str());

    // Drift: changed outside, planned back.
    lam(&format!(
        "lam.update_function_configuration(FunctionName={name:?}, Timeout=99, MemorySize=512)\nout(1)"
    ));
    let v = assert_drift_fixed(&r, &v, &cfg(&zip2, "h2", 30, "prod", "ml")).await;
    let c = &remote(&name)[0];
    assert_eq!(c["Timeout"], 30);
    assert_eq!(c["MemorySize"], 256);

    // Import by name: the same object.
    assert_imported(
        &r,
        &name,
        &v,
        &[
            "id",
            "arn",
            "function_name",
            "role",
            "handler",
            "runtime",
            "timeout",
            "memory_size",
            "architectures",
            "environment",
            "ephemeral_storage",
            "tracing_config",
            "code_sha256",
            "tags_all",
        ],
    )
    .await;

    // Force-new: the name.
    let name2 = unique("lf-fn2");
    let cfg2 = cfg(&zip2, "h2", 30, "prod", "ml");
    // Then the sweep finds it by its marks; destroy leaves nothing.
    let names = [name.as_str(), &name2];
    let named = functions_named;
    assert_renamed_swept_destroyed(&r, &stack, &v, &cfg2, "function_name", names, named).await;
}

#[tokio::test]
async fn published_versions_and_code_from_s3() {
    let r = lone_resource("lambda-pub", "aws_lambda_function").await;
    let dir = scratch_dir();
    let zip = zip_file(&dir, "a.zip", "def h(e, c):\n    return 1\n");
    let bucket = unique("lf-code");
    py(&format!(
        "s3.create_bucket(Bucket={bucket:?})\ns3.upload_file({zip:?}, {bucket:?}, 'fn.zip')\nout(1)"
    ));
    let role = lambda_role(&unique("lf-pub-role"));
    let name = unique("lf-pub");
    let cfg = |timeout: i64| {
        let code = [
            ("s3_bucket", bucket.as_str().into()),
            ("s3_key", "fn.zip".into()),
            ("publish", true.into()),
            ("timeout", Value::from(timeout)),
        ];
        config(&r, &python_function(&name, &role, &code))
    };
    let v = create(&r, &cfg(3)).await;
    assert_eq!(v.str_attr("version"), Some("1"));
    assert!(v.str_attr("qualified_arn").unwrap().ends_with(":1"), "{v}");
    let v = update(&r, &v, &cfg(5)).await;
    assert_eq!(v.str_attr("version"), Some("2"));
    let versions = lam(&format!(
        "out([x['Version'] for x in lam.list_versions_by_function(FunctionName={name:?})['Versions']])"
    ));
    assert_eq!(versions, serde_json::json!(["$LATEST", "1", "2"]));
    delete(&r, &v).await;
    py(&format!(
        "s3.delete_object(Bucket={bucket:?}, Key='fn.zip')\ns3.delete_bucket(Bucket={bucket:?})\nout(1)"
    ));
}

#[tokio::test]
async fn bad_function_configurations_are_named() {
    let r = lone_resource("lambda-bad", "aws_lambda_function").await;
    let role = "arn:aws:iam::123456789012:role/r";
    let base = python_function("f", role, &[("filename", "f.zip".into())]);
    let err = |pairs: &[(&str, Value)]| refusal(&r, &base, pairs).message;
    assert!(err(&[("package_type", "Image".into())]).contains("`package_type = \"Image\"`"));
    assert!(err(&[("s3_bucket", "b".into())]).contains("conflicts"));
    assert!(err(&[("memory_size", Value::from(64))]).contains("`memory_size` is 64"));

    // A missing zip is named at apply, with the path.
    let mut cfg = config(&r, &base);
    cfg.set("filename", "no/such.zip".into());
    let planned = plan(&r, None, &cfg).planned;
    let e = r
        .create(&planned, &labform_sdk::OpContext::silent())
        .await
        .unwrap_err();
    assert!(e.message.contains("`no/such.zip`"), "{e}");
}

/// A function to hang permissions on, made with boto3; its name.
fn function_for_permissions(dir: &std::path::Path) -> String {
    let name = unique("lf-perm-fn");
    let zip = zip_file(dir, "p.zip", "def h(e, c):\n    return 1\n");
    let role = lambda_role(&unique("lf-perm-role"));
    lam(&format!(
        "lam.create_function(FunctionName={name:?}, Role={role:?}, Runtime='python3.12', Handler='index.h', Code={{'ZipFile': open({zip:?}, 'rb').read()}})\nout(1)"
    ));
    name
}

/// The statements of the function's policy, by Sid.
fn statements(function: &str) -> serde_json::Value {
    lam(&format!(
        "import json as j\ntry:\n    p=j.loads(lam.get_policy(FunctionName={function:?})['Policy'])\nexcept lam.exceptions.ResourceNotFoundException:\n    p={{'Statement': []}}\nout({{s['Sid']: s for s in p['Statement']}})"
    ))
}

#[tokio::test]
async fn lambda_permission_life_cycle() {
    let r = lone_resource("lambda-perm", "aws_lambda_permission").await;
    let function = function_for_permissions(&scratch_dir());
    let cfg = |sid: &str, source: &str| {
        config(
            &r,
            &[
                ("statement_id", sid.into()),
                ("action", "lambda:InvokeFunction".into()),
                ("function_name", function.as_str().into()),
                ("principal", "s3.amazonaws.com".into()),
                ("source_arn", source.into()),
                ("source_account", "123456789012".into()),
            ],
        )
    };

    // Create, read back as declared.
    let v = create(&r, &cfg("AllowS3", "arn:aws:s3:::lake")).await;
    assert_eq!(v.str_attr("id"), Some("AllowS3"));
    let st = &statements(&function)["AllowS3"];
    assert_eq!(st["Action"], "lambda:InvokeFunction");
    assert_eq!(st["Principal"]["Service"], "s3.amazonaws.com");
    assert_eq!(
        st["Condition"]["ArnLike"]["AWS:SourceArn"],
        "arn:aws:s3:::lake"
    );
    assert_eq!(
        st["Condition"]["StringEquals"]["AWS:SourceAccount"],
        "123456789012"
    );

    // Every argument forces a new statement.
    let v = replace(&r, &v, &cfg("AllowS3", "arn:aws:s3:::other"), "source_arn").await;
    assert_eq!(
        statements(&function)["AllowS3"]["Condition"]["ArnLike"]["AWS:SourceArn"],
        "arn:aws:s3:::other"
    );

    // Drift: removed outside, read as gone (the plan then creates it again).
    lam(&format!(
        "lam.remove_permission(FunctionName={function:?}, StatementId='AllowS3')\nout(1)"
    ));
    assert!(r.read(&v).await.unwrap().is_none());
    let v = create(&r, &cfg("AllowS3", "arn:aws:s3:::other")).await;

    // Import by `function/statement`.
    assert_imported(
        &r,
        &format!("{function}/AllowS3"),
        &v,
        &[
            "id",
            "statement_id",
            "action",
            "function_name",
            "principal",
            "source_arn",
            "source_account",
        ],
    )
    .await;
    assert!(r.import(&format!("{function}/NoSuch")).await.is_err());
    assert!(r.import("no-slash").await.is_err());

    // A generated id with a prefix; an account principal as AWS rewrites it.
    let cfg2 = config(
        &r,
        &[
            ("statement_id_prefix", "lf-".into()),
            ("action", "lambda:GetFunction".into()),
            ("function_name", function.as_str().into()),
            ("principal", "123456789012".into()),
        ],
    );
    let v2 = create(&r, &cfg2).await;
    assert!(v2.str_attr("id").unwrap().starts_with("lf-"), "{v2}");

    // Destroy leaves nothing.
    delete(&r, &v).await;
    delete(&r, &v2).await;
    assert_eq!(statements(&function), serde_json::json!({}));
    lam(&format!(
        "lam.delete_function(FunctionName={function:?})\nout(1)"
    ));
}
