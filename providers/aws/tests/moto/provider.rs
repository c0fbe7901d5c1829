//! The provider block: credentials, endpoints, errors.

use std::process::Command;
use std::time::Instant;

use labform_sdk::{ErrorKind, ProviderContext, Value};

use crate::common::*;

/// Runs one `#[ignore]`d test of this binary in a child process with a changed environment
/// (the environment is process-wide; the other tests share it). Returns whether it passed and
/// its output. Panics when the child ran no test (a renamed child would otherwise pass its
/// parent by doing nothing).
fn child(test: &str, envs: &[(&str, Option<&str>)]) -> (bool, String) {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        test,
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ]);
    for (k, v) in envs {
        match v {
            Some(v) => cmd.env(k, v),
            None => cmd.env_remove(k),
        };
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let text = format!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        stdout.contains("running 1 test\n"),
        "the child test `{test}` ran no test (renamed?):\n{text}"
    );
    let passed = stdout.contains("test result: ok. 1 passed");
    (out.status.success() && passed, text)
}

#[test]
#[should_panic(expected = "ran no test")]
fn a_child_that_runs_no_test_fails_its_parent() {
    child("provider::no_such_child_test", &[]);
}

#[test]
fn a_non_loopback_endpoint_fails_before_any_call() {
    endpoint();
    for bad in [
        "https://ec2.us-east-1.amazonaws.com",
        "http://10.0.0.1:4566",
        "http://localhost:4566",
    ] {
        let started = Instant::now();
        let (ok, out) = child(
            "provider::child_calls_aws",
            &[("AWS_ENDPOINT_URL", Some(bad))],
        );
        assert!(!ok, "{bad} was accepted:\n{out}");
        assert!(out.contains("refusing to run"), "{out}");
        assert!(out.contains("127.0.0.0/8"), "{out}");
        assert!(
            started.elapsed().as_secs() < 10,
            "took {:?}",
            started.elapsed()
        );
    }
    for good in [
        "http://127.0.0.1:4566",
        "http://127.8.9.10",
        "https://127.0.0.1/x",
    ] {
        assert_eq!(loopback_only(good), Ok(()), "{good}");
    }
    // A per-service variable is checked too.
    let (ok, out) = child(
        "provider::child_calls_aws",
        &[("AWS_ENDPOINT_URL_S3", Some("https://s3.amazonaws.com"))],
    );
    assert!(!ok && out.contains("AWS_ENDPOINT_URL_S3"), "{out}");
}

#[tokio::test]
#[ignore = "run by a_non_loopback_endpoint_fails_before_any_call in a child process"]
async fn child_calls_aws() {
    let p = configure("hermetic").await;
    let c = p.data_source("aws_caller_identity").unwrap();
    c.read(&c.schema().empty_value()).await.unwrap();
}

/// A stack `x` in the temp dir, for configuring the provider by hand.
fn scratch_context() -> ProviderContext {
    ProviderContext {
        stack_name: "x".into(),
        stack_dir: std::env::temp_dir(),
        stack_id: labform_sdk::label_safe("x"),
        expires: None,
    }
}

/// Runs `child_no_credentials` with no keys, no profile, `home` (empty) as HOME and for the
/// config files, and `extra`: it must pass within 20 seconds.
fn fails_fast_without_credentials(home: &std::path::Path, extra: &[(&str, Option<&str>)]) {
    let config = home.join("config");
    let credentials = home.join("credentials");
    let mut envs = vec![
        ("AWS_ACCESS_KEY_ID", None),
        ("AWS_SECRET_ACCESS_KEY", None),
        ("AWS_SESSION_TOKEN", None),
        ("AWS_PROFILE", None),
        ("HOME", Some(home.to_str().unwrap())),
        ("AWS_CONFIG_FILE", Some(config.to_str().unwrap())),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            Some(credentials.to_str().unwrap()),
        ),
    ];
    envs.extend_from_slice(extra);
    let started = Instant::now();
    let (ok, out) = child("provider::child_no_credentials", &envs);
    assert!(ok, "{out}");
    assert!(
        started.elapsed().as_secs() < 20,
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn no_credentials_fail_fast_with_a_clear_message() {
    endpoint();
    let home = std::env::temp_dir().join(unique("lf-nohome"));
    std::fs::create_dir_all(&home).unwrap();
    fails_fast_without_credentials(&home, &[]);
    // With the instance-metadata probe allowed (a laptop without that variable): still quick.
    fails_fast_without_credentials(
        &home,
        &[
            ("AWS_EC2_METADATA_DISABLED", None),
            // The probe runs, but against a closed loopback port: never off this machine.
            (
                "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                Some("http://127.0.0.1:9"),
            ),
        ],
    );
    std::fs::remove_dir_all(&home).ok();
}

#[tokio::test]
#[ignore = "run by no_credentials_fail_fast_with_a_clear_message in a child process"]
async fn child_no_credentials() {
    let p = labform_aws::provider();
    let ctx = scratch_context();
    let started = Instant::now();
    let e = p
        .configure(&p.config_schema().empty_value(), &ctx)
        .await
        .err()
        .expect("configure must fail");
    assert_eq!(e.kind, ErrorKind::Credentials, "{e}");
    assert!(e.message.contains("no aws credentials"), "{}", e.message);
    let hint = e.hint.unwrap_or_default();
    assert!(
        hint.contains("AWS_ACCESS_KEY_ID") && hint.contains("AWS_PROFILE"),
        "{hint}"
    );
    assert!(started.elapsed().as_secs() < 15);
}

#[test]
fn profiles_from_the_shared_files_work() {
    endpoint();
    let home = std::env::temp_dir().join(unique("lf-profile"));
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(
        home.join("credentials"),
        "[lab]\naws_access_key_id = test\naws_secret_access_key = test\n",
    )
    .unwrap();
    std::fs::write(home.join("config"), "[profile lab]\nregion = eu-west-1\n").unwrap();
    let (ok, out) = child(
        "provider::child_profile",
        &[
            ("AWS_ACCESS_KEY_ID", None),
            ("AWS_SECRET_ACCESS_KEY", None),
            ("AWS_REGION", None),
            ("AWS_DEFAULT_REGION", None),
            ("AWS_PROFILE", None),
            (
                "AWS_CONFIG_FILE",
                Some(home.join("config").to_str().unwrap()),
            ),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                Some(home.join("credentials").to_str().unwrap()),
            ),
        ],
    );
    assert!(ok, "{out}");
    std::fs::remove_dir_all(&home).ok();
}

#[tokio::test]
#[ignore = "run by profiles_from_the_shared_files_work in a child process"]
async fn child_profile() {
    let p = configure_with("profile", &[("profile", "lab".into())]).await;
    let r = p.data_source("aws_region").unwrap();
    let v = r.read(&r.schema().empty_value()).await.unwrap();
    assert_eq!(v.str_attr("name"), Some("eu-west-1"));
    let c = p.data_source("aws_caller_identity").unwrap();
    assert!(c.read(&c.schema().empty_value()).await.is_ok());
}

#[tokio::test]
async fn endpoints_block_and_explicit_keys() {
    let e = endpoint();
    let endpoints = Value::List(vec![Value::from_pairs([
        ("s3", e.as_str().into()),
        ("ec2", e.as_str().into()),
        ("glue", e.as_str().into()),
        ("sts", e.as_str().into()),
        ("s3api", Value::Null),
    ])]);
    let p = configure_with(
        "endpoints",
        &[
            ("endpoints", endpoints),
            ("access_key", "test".into()),
            ("secret_key", "test".into()),
            ("region", "us-east-1".into()),
        ],
    )
    .await;
    let c = p.data_source("aws_caller_identity").unwrap();
    assert!(c.read(&c.schema().empty_value()).await.is_ok());

    // Only one of the two keys: a configuration error.
    let prov = labform_aws::provider();
    let mut cfg = prov.config_schema().empty_value();
    cfg.set("access_key", "test".into());
    let ctx = scratch_context();
    let err = prov
        .configure(&cfg, &ctx)
        .await
        .err()
        .expect("half a key pair");
    assert_eq!(err.kind, ErrorKind::InvalidConfig);
}

#[tokio::test]
async fn an_unreachable_endpoint_is_a_clear_error() {
    endpoint();
    let endpoints = Value::List(vec![Value::from_pairs([(
        "sts",
        "http://127.0.0.1:9".into(),
    )])]);
    let prov = labform_aws::provider();
    let mut cfg = prov.config_schema().empty_value();
    cfg.set("endpoints", endpoints);
    cfg.set("max_retries", Value::Number(1.0));
    let ctx = scratch_context();
    let started = Instant::now();
    let err = prov
        .configure(&cfg, &ctx)
        .await
        .err()
        .expect("nothing listens on port 9");
    assert_eq!(err.kind, ErrorKind::Unreachable, "{err}");
    assert!(!err.message.contains('<'), "{}", err.message);
    assert!(started.elapsed().as_secs() < 30);
}

#[test]
fn schemas_need_no_credentials() {
    let p = labform_aws::provider();
    assert_eq!(p.name(), "aws");
    let r = p.resource_schemas();
    // Every resource type (each has an adoption test).
    for name in crate::adoption::COVERED {
        assert!(r.contains_key(name), "{name}");
    }
    let d = p.data_source_schemas();
    for name in [
        "aws_ami",
        "aws_availability_zones",
        "aws_caller_identity",
        "aws_region",
        "aws_vpc",
        "aws_subnet",
        "aws_subnets",
        "aws_security_group",
    ] {
        assert!(d.contains_key(name), "{name}");
    }
    let b = &r["aws_s3_bucket"];
    assert!(b.attributes["bucket"].force_new && b.attributes["bucket_prefix"].force_new);
    assert_eq!(
        b.attributes["force_destroy"].default,
        Some(Value::Bool(false))
    );
    assert!(r["aws_security_group"].attributes["description"].force_new);
    assert_eq!(
        r["aws_vpc"].attributes["enable_dns_support"].default,
        Some(Value::Bool(true))
    );
}
