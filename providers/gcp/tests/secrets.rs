//! Provider credentials (an access token, a service account's private key) never reach `Debug`
//! output: not the settings, not the clients built from them, not the credentials themselves.

// A test crate: its helpers may unwrap too (a failed unwrap is a failed test).
#![allow(clippy::unwrap_used)]

mod common;

use labform_gcp::bigquery::client::BqClient;
use labform_gcp::credentials::{self, Auth, Source};
use labform_gcp::gcs::client::GcsClient;
use labform_sdk::{ProviderContext, Value};

const TOKEN: &str = "ya29.canary-token-7f3a9c";
const KEY_CANARY: &str = "canaryKEYmaterial0123456789";

fn key_json() -> String {
    serde_json::json!({
        "type": "service_account",
        "project_id": "labform-test",
        "private_key_id": "canary-key-id",
        "private_key": format!("-----BEGIN PRIVATE KEY-----\n{KEY_CANARY}\n-----END PRIVATE KEY-----\n"),
        "client_email": "sa@labform-test.iam.gserviceaccount.com",
        "client_id": "1",
        // A closed loopback port: nothing here may mint a token from Google.
        "token_uri": "http://127.0.0.1:9/token",
    })
    .to_string()
}

fn assert_clean(what: &str, text: &str) {
    for secret in [TOKEN, KEY_CANARY, "BEGIN PRIVATE KEY"] {
        assert!(!text.contains(secret), "{what} shows a secret: {text}");
    }
}

#[tokio::test]
async fn credentials_never_reach_debug_output() {
    // Endpoints that need credentials (https), on a closed loopback port.
    let ctx = ProviderContext {
        stack_name: "secrets".to_string(),
        stack_dir: std::env::temp_dir(),
        stack_id: labform_sdk::label_safe("secrets"),
        expires: None,
    };
    let config = Value::from_pairs([
        ("project", Value::from("labform-test")),
        ("access_token", Value::from(TOKEN)),
        (
            "storage_custom_endpoint",
            Value::from("https://127.0.0.1:9/storage/v1/"),
        ),
        (
            "big_query_custom_endpoint",
            Value::from("https://127.0.0.1:9/bigquery/v2/"),
        ),
    ]);
    for endpoint in [
        "https://127.0.0.1:9/storage/v1/",
        "https://127.0.0.1:9/bigquery/v2/",
    ] {
        common::loopback::check(endpoint).expect("loopback");
    }
    let settings = labform_gcp::settings::resolve(&config, &ctx).expect("settings");
    assert!(
        matches!(settings.storage.auth, Auth::Token(_)),
        "the token is in use, so the check below means something"
    );
    assert_clean("settings", &format!("{settings:?}"));
    assert_clean("auth", &format!("{:?}", settings.bigquery.auth));
    let gcs = GcsClient::new(settings.storage.clone(), settings.timeout).expect("gcs client");
    assert_clean("the storage client", &format!("{gcs:?}"));
    let bq = BqClient::new(&settings.bigquery, settings.timeout)
        .await
        .expect("bigquery client");
    assert_clean("the bigquery client", &format!("{bq:?}"));

    // A service-account key: its checked JSON holds the key, the credentials built from it
    // must not show it.
    let (json, source) =
        credentials::read_credentials_value(&key_json(), Source::Config, |p: &str| {
            std::path::PathBuf::from(p)
        })
        .expect("a well-formed key");
    assert!(json["private_key"]
        .as_str()
        .unwrap_or_default()
        .contains(KEY_CANARY));
    // Built lazily: the key is parsed when a token is first needed, never here.
    let creds = credentials::build(json, &source).expect("credentials from a key");
    {
        let auth = Auth::Google(creds);
        assert_clean("google credentials", &format!("{auth:?}"));
        let endpoint = labform_gcp::settings::Endpoint {
            base: "https://127.0.0.1:9/bigquery/v2/".to_string(),
            auth,
        };
        assert_clean("an endpoint", &format!("{endpoint:?}"));
        let bq = BqClient::new(&endpoint, settings.timeout)
            .await
            .expect("bigquery client");
        assert_clean("the bigquery client", &format!("{bq:?}"));
    }
    let mut key_config = config.clone();
    key_config.set("access_token", Value::Null);
    key_config.set("credentials", Value::from(key_json()));
    match labform_gcp::settings::resolve(&key_config, &ctx) {
        Ok(s) => assert_clean("settings from a key", &format!("{s:?}")),
        Err(e) => assert_clean("the error about a key", &format!("{e:?} {e}")),
    }
}
