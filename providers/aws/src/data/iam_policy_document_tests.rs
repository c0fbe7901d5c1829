//! Golden tests: the examples of the provider's documentation page and acceptance tests for
//! `aws_iam_policy_document`, their inputs against the JSON hashicorp/aws 6 renders. The
//! documentation page still shows `"Sid": ""` for statements without a sid, which the provider
//! has left out since 5.0 (pull request 28539); the expected texts here leave it out too. Where
//! the page gives no output, or a wrong one (a typo in a Sid, a trailing comma), the expected text
//! is derived from the provider's rules and says so.

use labform_sdk::Value;

use super::{render, schema};

fn strs(items: &[&str]) -> Value {
    Value::List(items.iter().map(|s| Value::from(*s)).collect())
}

fn principal(kind: &str, ids: &[&str]) -> Value {
    Value::from_pairs([("type", kind.into()), ("identifiers", strs(ids))])
}

fn condition(test: &str, variable: &str, values: &[&str]) -> Value {
    Value::from_pairs([
        ("test", test.into()),
        ("variable", variable.into()),
        ("values", strs(values)),
    ])
}

/// A statement block: every attribute null and every block empty, then `pairs`.
fn st(pairs: &[(&str, Value)]) -> Value {
    let mut v = Value::from_pairs([
        ("sid", Value::Null),
        ("effect", Value::Null),
        ("actions", Value::Null),
        ("not_actions", Value::Null),
        ("resources", Value::Null),
        ("not_resources", Value::Null),
        ("principals", Value::List(vec![])),
        ("not_principals", Value::List(vec![])),
        ("condition", Value::List(vec![])),
    ]);
    for (k, x) in pairs {
        v.set(*k, x.clone());
    }
    v
}

fn doc(statements: Vec<Value>, pairs: &[(&str, Value)]) -> Value {
    let mut v = schema().empty_value();
    v.set("statement", Value::List(statements));
    for (k, x) in pairs {
        v.set(*k, x.clone());
    }
    v
}

fn json_of(config: &Value) -> String {
    match render(config) {
        Ok(v) => v.str_attr("json").unwrap_or_default().to_string(),
        Err(e) => panic!("render: {e}"),
    }
}

/// The text `json` holds for a document of `statements` (each as indented there), with the
/// `Id` `id` when there is one.
fn document(id: Option<&str>, statements: &[&str]) -> String {
    let id = id.map_or(String::new(), |id| format!("  \"Id\": \"{id}\",\n"));
    format!(
        "{{\n  \"Version\": \"2012-10-17\",\n{id}  \"Statement\": [\n{}\n  ]\n}}",
        statements.join(",\n")
    )
}

/// Checks that `cfg` renders the [`document`] of `statements`, without an `Id`.
fn assert_renders(cfg: &Value, statements: &[&str]) {
    assert_eq!(json_of(cfg), document(None, statements));
}

/// The rendered statement of the "Basic Example" that lists every bucket.
const LIST_ALL_BUCKETS: &str = r#"    {
      "Sid": "1",
      "Effect": "Allow",
      "Action": [
        "s3:ListAllMyBuckets",
        "s3:GetBucketLocation"
      ],
      "Resource": "arn:aws:s3:::*"
    }"#;

/// The rendered statement `ec2:*` on every resource, which several examples merge.
const EC2_ANYWHERE: &str = r#"    {
      "Effect": "Allow",
      "Action": "ec2:*",
      "Resource": "*"
    }"#;

fn docs(items: &[&str]) -> Value {
    strs(items)
}

/// The statements of the page's "Basic Example" on `bucket`: list every bucket, list `bucket`
/// under `prefixes`, anything under the user's home directory.
fn home_directories(bucket: &str, prefixes: &[&str]) -> [Value; 3] {
    [
        st(&[
            ("sid", "1".into()),
            (
                "actions",
                strs(&["s3:ListAllMyBuckets", "s3:GetBucketLocation"]),
            ),
            ("resources", strs(&["arn:aws:s3:::*"])),
        ]),
        st(&[
            ("actions", strs(&["s3:ListBucket"])),
            ("resources", strs(&[&format!("arn:aws:s3:::{bucket}")])),
            (
                "condition",
                Value::List(vec![condition("StringLike", "s3:prefix", prefixes)]),
            ),
        ]),
        st(&[
            ("actions", strs(&["s3:*"])),
            (
                "resources",
                strs(&[
                    &format!("arn:aws:s3:::{bucket}/home/&{{aws:username}}"),
                    &format!("arn:aws:s3:::{bucket}/home/&{{aws:username}}/*"),
                ]),
            ),
        ]),
    ]
}

#[test]
fn basic_example_renders_sorted_lists_and_policy_variables() {
    // The page's "Basic Example" with `var.s3_bucket_name = "mybucket"`; derived output.
    let cfg = doc(
        home_directories("mybucket", &["", "home/", "home/&{aws:username}/"]).to_vec(),
        &[],
    );
    assert_renders(
        &cfg,
        &[
            LIST_ALL_BUCKETS,
            r#"    {
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::mybucket",
      "Condition": {
        "StringLike": {
          "s3:prefix": [
            "",
            "home/",
            "home/${aws:username}/"
          ]
        }
      }
    }"#,
            r#"    {
      "Effect": "Allow",
      "Action": "s3:*",
      "Resource": [
        "arn:aws:s3:::mybucket/home/${aws:username}/*",
        "arn:aws:s3:::mybucket/home/${aws:username}"
      ]
    }"#,
        ],
    );
}

#[test]
fn multiple_condition_keys_example() {
    let cfg = doc(
        vec![st(&[
            ("actions", strs(&["kms:Decrypt", "kms:GenerateDataKey"])),
            ("resources", strs(&["*"])),
            (
                "condition",
                Value::List(vec![
                    condition(
                        "ForAnyValue:StringEquals",
                        "kms:EncryptionContext:service",
                        &["pi"],
                    ),
                    condition(
                        "ForAnyValue:StringEquals",
                        "kms:EncryptionContext:aws:pi:service",
                        &["rds"],
                    ),
                ]),
            ),
        ])],
        &[],
    );
    assert_renders(
        &cfg,
        &[r#"    {
      "Effect": "Allow",
      "Action": [
        "kms:GenerateDataKey",
        "kms:Decrypt"
      ],
      "Resource": "*",
      "Condition": {
        "ForAnyValue:StringEquals": {
          "kms:EncryptionContext:aws:pi:service": "rds",
          "kms:EncryptionContext:service": "pi"
        }
      }
    }"#],
    );
}

#[test]
fn assume_role_policy_with_multiple_principals() {
    // The page's example with `trusted_role_arn`, `account_id` and `provider_name` filled in;
    // derived output: principal types sorted, identifiers sorted in reverse.
    let cfg = doc(
        vec![st(&[
            ("actions", strs(&["sts:AssumeRole"])),
            (
                "principals",
                Value::List(vec![
                    principal("Service", &["firehose.amazonaws.com"]),
                    principal("AWS", &["arn:aws:iam::123456789012:role/trusted"]),
                    principal(
                        "Federated",
                        &[
                            "arn:aws:iam::123456789012:saml-provider/corp",
                            "cognito-identity.amazonaws.com",
                        ],
                    ),
                ]),
            ),
        ])],
        &[],
    );
    assert_renders(
        &cfg,
        &[r#"    {
      "Effect": "Allow",
      "Action": "sts:AssumeRole",
      "Principal": {
        "AWS": "arn:aws:iam::123456789012:role/trusted",
        "Federated": [
          "cognito-identity.amazonaws.com",
          "arn:aws:iam::123456789012:saml-provider/corp"
        ],
        "Service": "firehose.amazonaws.com"
      }
    }"#],
    );
}

/// The examples' statement `SidToOverride`: `s3:*` on `resources`.
fn sid_to_override(resources: &[&str]) -> Value {
    st(&[
        ("sid", "SidToOverride".into()),
        ("actions", strs(&["s3:*"])),
        ("resources", strs(resources)),
    ])
}

fn source_doc() -> String {
    json_of(&doc(
        vec![
            st(&[("actions", strs(&["ec2:*"])), ("resources", strs(&["*"]))]),
            sid_to_override(&["*"]),
        ],
        &[],
    ))
}

#[test]
fn source_document_example() {
    let cfg = doc(
        vec![sid_to_override(&[
            "arn:aws:s3:::somebucket",
            "arn:aws:s3:::somebucket/*",
        ])],
        &[("source_policy_documents", docs(&[&source_doc()]))],
    );
    assert_renders(
        &cfg,
        &[
            EC2_ANYWHERE,
            r#"    {
      "Sid": "SidToOverride",
      "Effect": "Allow",
      "Action": "s3:*",
      "Resource": [
        "arn:aws:s3:::somebucket/*",
        "arn:aws:s3:::somebucket"
      ]
    }"#,
        ],
    );
}

#[test]
fn override_document_example() {
    let over = json_of(&doc(vec![sid_to_override(&["*"])], &[]));
    let cfg = doc(
        vec![
            st(&[("actions", strs(&["ec2:*"])), ("resources", strs(&["*"]))]),
            sid_to_override(&["arn:aws:s3:::somebucket", "arn:aws:s3:::somebucket/*"]),
        ],
        &[("override_policy_documents", docs(&[&over]))],
    );
    assert_renders(
        &cfg,
        &[
            EC2_ANYWHERE,
            r#"    {
      "Sid": "SidToOverride",
      "Effect": "Allow",
      "Action": "s3:*",
      "Resource": "*"
    }"#,
        ],
    );
}

fn one(sid: &str, effect: &str, action: &str) -> Value {
    let mut s = st(&[("actions", strs(&[action])), ("resources", strs(&["*"]))]);
    if !sid.is_empty() {
        s.set("sid", sid.into());
    }
    if !effect.is_empty() {
        s.set("effect", effect.into());
    }
    s
}

#[test]
fn source_and_override_documents_together() {
    let source = json_of(&doc(
        vec![one(
            "OverridePlaceholder",
            "",
            "ec2:DescribeAccountAttributes",
        )],
        &[],
    ));
    let over = json_of(&doc(
        vec![one("OverridePlaceholder", "", "s3:GetObject")],
        &[],
    ));
    let cfg = doc(
        vec![],
        &[
            ("source_policy_documents", docs(&[&source])),
            ("override_policy_documents", docs(&[&over])),
        ],
    );
    assert_renders(
        &cfg,
        &[r#"    {
      "Sid": "OverridePlaceholder",
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "*"
    }"#],
    );
}

#[test]
fn merging_source_documents() {
    let one_doc = json_of(&doc(
        vec![one("", "", "ec2:*"), one("UniqueSidOne", "", "s3:*")],
        &[],
    ));
    let two_doc = json_of(&doc(
        vec![one("UniqueSidTwo", "", "iam:*"), one("", "", "lambda:*")],
        &[],
    ));
    let cfg = doc(
        vec![],
        &[("source_policy_documents", docs(&[&one_doc, &two_doc]))],
    );
    assert_renders(
        &cfg,
        &[
            EC2_ANYWHERE,
            r#"    {
      "Sid": "UniqueSidOne",
      "Effect": "Allow",
      "Action": "s3:*",
      "Resource": "*"
    }"#,
            r#"    {
      "Sid": "UniqueSidTwo",
      "Effect": "Allow",
      "Action": "iam:*",
      "Resource": "*"
    }"#,
            r#"    {
      "Effect": "Allow",
      "Action": "lambda:*",
      "Resource": "*"
    }"#,
        ],
    );
    // The same Sid in two source documents is refused.
    let cfg = doc(
        vec![],
        &[("source_policy_documents", docs(&[&one_doc, &one_doc]))],
    );
    let e = render(&cfg).unwrap_err();
    assert!(e.message.contains("duplicate Sid `UniqueSidOne`"), "{e}");
}

#[test]
fn merging_override_documents() {
    // The page's output has a typo in two Sids and a trailing comma; derived from the merge
    // rule: the document's own statements first, each override replacing its Sid in place.
    let p1 = json_of(&doc(
        vec![one("OverridePlaceHolderOne", "Allow", "s3:*")],
        &[],
    ));
    let p2 = json_of(&doc(
        vec![
            one("", "Allow", "ec2:*"),
            one("OverridePlaceHolderTwo", "Allow", "iam:*"),
        ],
        &[],
    ));
    let p3 = json_of(&doc(
        vec![one("OverridePlaceHolderOne", "Deny", "logs:*")],
        &[],
    ));
    let cfg = doc(
        vec![one("OverridePlaceHolderTwo", "Deny", "*")],
        &[("override_policy_documents", docs(&[&p1, &p2, &p3]))],
    );
    assert_renders(
        &cfg,
        &[
            r#"    {
      "Sid": "OverridePlaceHolderTwo",
      "Effect": "Allow",
      "Action": "iam:*",
      "Resource": "*"
    }"#,
            r#"    {
      "Sid": "OverridePlaceHolderOne",
      "Effect": "Deny",
      "Action": "logs:*",
      "Resource": "*"
    }"#,
            EC2_ANYWHERE,
        ],
    );
}

#[test]
fn acceptance_test_document_with_not_fields_and_wildcard_principals() {
    // The provider's acceptance test `TestAccIAMPolicyDocumentDataSource_basic` (partition
    // `aws`), whose expected text is that test's without the empty Sids.
    let [all_buckets, mut list, mut home] =
        home_directories("foo", &["home/", "", "home/&{aws:username}/"]);
    let example = Value::List(vec![principal("AWS", &["arn:blahblah:example"])]);
    list.set("not_principals", example.clone());
    home.set("principals", example);
    let cfg = doc(
        vec![
            all_buckets,
            list,
            home,
            st(&[
                ("effect", "Deny".into()),
                ("not_actions", strs(&["s3:*"])),
                ("not_resources", strs(&["arn:aws:s3:::*"])),
            ]),
            st(&[
                ("actions", strs(&["kinesis:*"])),
                ("principals", Value::List(vec![principal("AWS", &["*"])])),
            ]),
            st(&[
                ("actions", strs(&["firehose:*"])),
                ("principals", Value::List(vec![principal("*", &["*"])])),
            ]),
        ],
        &[("policy_id", "policy_id".into())],
    );
    let out = render(&cfg).unwrap();
    assert_eq!(
        out.str_attr("json").unwrap(),
        document(
            Some("policy_id"),
            &[
                LIST_ALL_BUCKETS,
                r#"    {
      "Effect": "Allow",
      "Action": "s3:ListBucket",
      "Resource": "arn:aws:s3:::foo",
      "NotPrincipal": {
        "AWS": "arn:blahblah:example"
      },
      "Condition": {
        "StringLike": {
          "s3:prefix": [
            "home/",
            "",
            "home/${aws:username}/"
          ]
        }
      }
    }"#,
                r#"    {
      "Effect": "Allow",
      "Action": "s3:*",
      "Resource": [
        "arn:aws:s3:::foo/home/${aws:username}/*",
        "arn:aws:s3:::foo/home/${aws:username}"
      ],
      "Principal": {
        "AWS": "arn:blahblah:example"
      }
    }"#,
                r#"    {
      "Effect": "Deny",
      "NotAction": "s3:*",
      "NotResource": "arn:aws:s3:::*"
    }"#,
                r#"    {
      "Effect": "Allow",
      "Action": "kinesis:*",
      "Principal": {
        "AWS": "*"
      }
    }"#,
                r#"    {
      "Effect": "Allow",
      "Action": "firehose:*",
      "Principal": "*"
    }"#
            ],
        )
    );
    assert_eq!(
        out.str_attr("minified_json").unwrap(),
        r#"{"Version":"2012-10-17","Id":"policy_id","Statement":[{"Sid":"1","Effect":"Allow","Action":["s3:ListAllMyBuckets","s3:GetBucketLocation"],"Resource":"arn:aws:s3:::*"},{"Effect":"Allow","Action":"s3:ListBucket","Resource":"arn:aws:s3:::foo","NotPrincipal":{"AWS":"arn:blahblah:example"},"Condition":{"StringLike":{"s3:prefix":["home/","","home/${aws:username}/"]}}},{"Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::foo/home/${aws:username}/*","arn:aws:s3:::foo/home/${aws:username}"],"Principal":{"AWS":"arn:blahblah:example"}},{"Effect":"Deny","NotAction":"s3:*","NotResource":"arn:aws:s3:::*"},{"Effect":"Allow","Action":"kinesis:*","Principal":{"AWS":"*"}},{"Effect":"Allow","Action":"firehose:*","Principal":"*"}]}"#
    );
    // The id is the CRC-32 of `json`, as the provider's `StringHashcode`.
    let json = out.str_attr("json").unwrap();
    assert_eq!(
        out.str_attr("id").unwrap(),
        crc32fast::hash(json.as_bytes()).to_string()
    );
    assert_eq!(out.get("version"), &Value::from("2012-10-17"));
}

#[test]
fn single_condition_value_and_escaping() {
    // `TestAccIAMPolicyDocumentDataSource_singleConditionValue`, plus a value with `&`, which
    // Go's encoder writes as `\u0026`.
    let cfg = doc(
        vec![st(&[
            ("effect", "Deny".into()),
            ("principals", Value::List(vec![principal("AWS", &["*"])])),
            ("actions", strs(&["elasticfilesystem:*"])),
            ("resources", strs(&["*"])),
            (
                "condition",
                Value::List(vec![
                    condition("Bool", "aws:SecureTransport", &["false"]),
                    condition("StringEquals", "aws:PrincipalTag/team", &["r&d"]),
                ]),
            ),
        ])],
        &[],
    );
    assert_renders(
        &cfg,
        &[r#"    {
      "Effect": "Deny",
      "Action": "elasticfilesystem:*",
      "Resource": "*",
      "Principal": {
        "AWS": "*"
      },
      "Condition": {
        "Bool": {
          "aws:SecureTransport": "false"
        },
        "StringEquals": {
          "aws:PrincipalTag/team": "r\u0026d"
        }
      }
    }"#],
    );
}

#[test]
fn source_documents_written_by_hand_keep_their_shapes() {
    // Lists stay lists (identifiers sorted in reverse), bool condition values become strings,
    // a string principal is everyone, the later version wins.
    let hand = r#"{"Version":"2008-10-17","Id":"x","Statement":[{"Sid":"A","Effect":"Allow","Action":["s3:GetObject"],"Principal":{"AWS":["arn:aws:iam::1:root","arn:aws:iam::2:root"]},"Condition":{"Bool":{"aws:SecureTransport":true}}},{"effect":"Deny","action":"*","principal":"anyone"}]}"#;
    let cfg = doc(vec![], &[("source_policy_documents", docs(&[hand]))]);
    assert_eq!(
        json_of(&cfg),
        document(
            Some("x"),
            &[
                r#"    {
      "Sid": "A",
      "Effect": "Allow",
      "Action": [
        "s3:GetObject"
      ],
      "Principal": {
        "AWS": [
          "arn:aws:iam::2:root",
          "arn:aws:iam::1:root"
        ]
      },
      "Condition": {
        "Bool": {
          "aws:SecureTransport": "true"
        }
      }
    }"#,
                r#"    {
      "Effect": "Deny",
      "Action": "*",
      "Principal": "*"
    }"#
            ],
        )
    );
}

#[test]
fn errors_name_what_is_wrong() {
    let dup = doc(vec![one("Same", "", "a:*"), one("Same", "", "b:*")], &[]);
    assert!(render(&dup)
        .unwrap_err()
        .message
        .contains("duplicate Sid `Same`"));
    let old = doc(
        vec![st(&[(
            "resources",
            strs(&["arn:aws:s3:::b/&{aws:username}"]),
        )])],
        &[("version", "2008-10-17".into())],
    );
    assert!(render(&old)
        .unwrap_err()
        .message
        .contains("not supported in document version 2008-10-17"));
    let effect = doc(vec![one("", "Maybe", "a:*")], &[]);
    assert!(render(&effect).unwrap_err().message.contains("`effect`"));
    let sid = doc(vec![one("has-dash", "", "a:*")], &[]);
    assert!(render(&sid).unwrap_err().message.contains("alphanumeric"));
    let bad = doc(vec![], &[("source_policy_documents", docs(&["{not json"]))]);
    assert!(render(&bad)
        .unwrap_err()
        .message
        .contains("merging source document 0"));
    // An empty document is just the version.
    assert_eq!(
        json_of(&doc(vec![], &[])),
        "{\n  \"Version\": \"2012-10-17\"\n}"
    );
}
