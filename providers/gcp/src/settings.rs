//! The `provider "google"` block: its schema, and the settings resolved from it and the
//! environment (project, region, endpoints, credentials).

use std::collections::BTreeMap;

use labform_sdk::{
    Attribute, BlockSchema, PlannedChange, ProviderContext, ProviderError, Result, Type, Value,
};

use crate::credentials::{self, Auth};
use crate::{labels, names};

const PROJECT_ENVS: [&str; 4] = [
    "GOOGLE_PROJECT",
    "GOOGLE_CLOUD_PROJECT",
    "GCLOUD_PROJECT",
    "CLOUDSDK_CORE_PROJECT",
];
const REGION_ENVS: [&str; 3] = ["GOOGLE_REGION", "GCLOUD_REGION", "CLOUDSDK_COMPUTE_REGION"];
const ZONE_ENVS: [&str; 3] = ["GOOGLE_ZONE", "GCLOUD_ZONE", "CLOUDSDK_COMPUTE_ZONE"];

pub const STORAGE_DEFAULT: &str = "https://storage.googleapis.com/storage/v1/";
pub const BIGQUERY_DEFAULT: &str = "https://bigquery.googleapis.com/bigquery/v2/";

/// The schema of the provider block (the attributes labform implements).
pub fn schema() -> BlockSchema {
    let s = || Attribute::optional(Type::String);
    BlockSchema::new()
        .attrs(&["project", "region", "zone", "credentials"], s())
        .attr(
            "access_token",
            Attribute::optional(Type::String).sensitive(),
        )
        .attr(
            "default_labels",
            Attribute::optional(Type::map(Type::String)),
        )
        .attrs(
            &[
                "request_timeout",
                "storage_custom_endpoint",
                "big_query_custom_endpoint",
            ],
            s(),
        )
}

/// One API's endpoint and how to authorise calls to it.
#[derive(Clone, Debug)]
pub struct Endpoint {
    /// Base URL ending in `/`: `https://storage.googleapis.com/storage/v1/`.
    pub base: String,
    pub auth: Auth,
}

/// What every resource needs to talk to Google.
#[derive(Clone, Debug)]
pub struct Settings {
    pub project: Option<String>,
    pub region: Option<String>,
    pub zone: Option<String>,
    pub storage: Endpoint,
    pub bigquery: Endpoint,
    /// `default_labels` plus labform's mark: merged into every label-bearing resource.
    pub base_labels: BTreeMap<String, String>,
    pub mark: BTreeMap<String, String>,
    pub timeout: std::time::Duration,
    pub stack_dir: std::path::PathBuf,
}

impl Settings {
    /// A path from configuration, relative to the stack directory (`~/` expanded).
    pub fn resolve_path(&self, path: &str) -> std::path::PathBuf {
        let p = std::path::PathBuf::from(expand_home(path));
        if p.is_absolute() {
            p
        } else {
            self.stack_dir.join(p)
        }
    }

    /// The project of a resource: its own `project`, else the provider's.
    pub fn project_for(&self, value: &Value, what: &str) -> Result<String> {
        if let Some(p) = value.str_attr("project").filter(|p| !p.is_empty()) {
            return Ok(p.to_string());
        }
        self.project.clone().ok_or_else(|| {
            ProviderError::invalid(format!("no project is set for {what}")).with_hint(
                "set `project = \"<your-project-id>\"` in the provider block (or on the resource), or export `GOOGLE_PROJECT`",
            )
        })
    }

    /// The provider's project, for a sweep: `what` (plural) names the objects looked for.
    pub fn sweep_project(&self, what: &str) -> Result<String> {
        self.project.clone().ok_or_else(|| {
            ProviderError::invalid(format!("no project is set to look for leftover {what} in"))
                .with_hint("set `project` in the provider block or export `GOOGLE_PROJECT`")
        })
    }

    /// The plan of a resource with `project` and labels: the provider's project stands in for
    /// an unset one (so the plan shows it), and [`labels::plan_with_labels`] adds the
    /// provider's `default_labels` and the stack's mark.
    pub fn plan_labelled(
        &self,
        schema: &BlockSchema,
        prior: Option<&Value>,
        mut config: Value,
    ) -> Result<PlannedChange> {
        if config.get("project").is_null() {
            if let Some(p) = &self.project {
                config.set("project", Value::from(p.clone()));
            }
        }
        labels::plan_with_labels(schema, prior, &config, &self.base_labels, &self.mark)
    }
}

fn first_env(names: &[&str]) -> Option<String> {
    names
        .iter()
        .find_map(|n| std::env::var(n).ok().filter(|v| !v.is_empty()))
}

fn attr(config: &Value, name: &str) -> Option<String> {
    config
        .str_attr(name)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Resolves the settings; credentials are read (and checked) even when emulators make them
/// unnecessary, so their errors show up early.
pub fn resolve(config: &Value, ctx: &ProviderContext) -> Result<Settings> {
    let project = attr(config, "project").or_else(|| first_env(&PROJECT_ENVS));
    if let Some(p) = &project {
        names::check_project_id(p)?;
    }
    let region = attr(config, "region")
        .map(|r| r.rsplit('/').next().unwrap_or(&r).to_string())
        .or_else(|| first_env(&REGION_ENVS));
    let zone = attr(config, "zone").or_else(|| first_env(&ZONE_ENVS));

    let storage_base = endpoint(
        config,
        "storage_custom_endpoint",
        "GOOGLE_STORAGE_CUSTOM_ENDPOINT",
        "STORAGE_EMULATOR_HOST",
        "storage/v1/",
        STORAGE_DEFAULT,
    )?;
    let bigquery_base = endpoint(
        config,
        "big_query_custom_endpoint",
        "GOOGLE_BIG_QUERY_CUSTOM_ENDPOINT",
        "BIGQUERY_EMULATOR_HOST",
        "bigquery/v2/",
        BIGQUERY_DEFAULT,
    )?;

    let needs_credentials = !is_emulator(&storage_base) || !is_emulator(&bigquery_base);
    let configured = attr(config, "credentials");
    let token = attr(config, "access_token");
    if configured.is_some() && token.is_some() {
        return Err(
            ProviderError::invalid("`credentials` and `access_token` cannot both be set")
                .with_hint("keep one of them in the provider block"),
        );
    }
    let resolve_path = |p: &str| ctx.resolve_path(&expand_home(p));
    let any_emulator = is_emulator(&storage_base) || is_emulator(&bigquery_base);
    let auth = if needs_credentials {
        match credentials::resolve(configured.as_deref(), token.as_deref(), resolve_path) {
            Ok(auth) => auth,
            // With one API on an emulator, a stack may never touch the other: fail only when
            // it does. A configured key that is broken still fails now.
            Err(e) if any_emulator && configured.is_none() => Auth::Unavailable(e),
            Err(e) => return Err(e),
        }
    } else {
        // Emulators take no credentials, but a configured key is still checked.
        if let Some(raw) = &configured {
            credentials::read_credentials_value(raw, credentials::Source::Config, resolve_path)?;
        }
        Auth::Anonymous
    };
    let for_endpoint = |base: &str| {
        if is_emulator(base) {
            Auth::Anonymous
        } else {
            auth.clone()
        }
    };

    let mark: BTreeMap<String, String> = ctx
        .mark()
        .into_iter()
        .map(|(k, v)| (k, names::label_value(&v)))
        .collect();
    let defaults = config.string_map_attr("default_labels");
    names::check_labels(defaults.iter())?;
    let timeout = match attr(config, "request_timeout") {
        Some(t) => parse_duration(&t)?,
        None => std::time::Duration::from_secs(120),
    };
    Ok(Settings {
        project,
        region,
        zone,
        storage: Endpoint {
            auth: for_endpoint(&storage_base),
            base: storage_base,
        },
        bigquery: Endpoint {
            auth: for_endpoint(&bigquery_base),
            base: bigquery_base,
        },
        base_labels: defaults,
        mark,
        timeout,
        stack_dir: ctx.stack_dir.clone(),
    })
}

/// An endpoint on plain http is a local emulator: it gets no credentials.
pub fn is_emulator(base: &str) -> bool {
    base.starts_with("http://")
}

fn expand_home(p: &str) -> String {
    match (p.strip_prefix("~/"), std::env::var("HOME")) {
        (Some(rest), Ok(home)) => format!("{home}/{rest}"),
        _ => p.to_string(),
    }
}

fn endpoint(
    config: &Value,
    attr_name: &str,
    env: &str,
    emulator_env: &str,
    path: &str,
    default: &str,
) -> Result<String> {
    if let Some(custom) = attr(config, attr_name).or_else(|| first_env(&[env])) {
        // Terraform's rule: the URL ends with `/<segment>/`.
        let ok = custom.ends_with('/')
            && custom
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .is_some_and(|s| !s.is_empty() && !s.contains(':'));
        if !ok {
            return Err(ProviderError::invalid(format!(
                "`{attr_name}` is `{custom}`, which does not end with a path segment and `/`"
            ))
            .with_hint(format!(
                "write the full base URL, like `http://127.0.0.1:9023/{path}`"
            )));
        }
        return Ok(custom);
    }
    if let Some(host) = first_env(&[emulator_env]) {
        let host = if host.contains("://") {
            host
        } else {
            format!("http://{host}")
        };
        return Ok(format!("{}/{path}", host.trim_end_matches('/')));
    }
    Ok(default.to_string())
}

/// `request_timeout` is a Go duration, as in hashicorp/google.
fn parse_duration(text: &str) -> Result<std::time::Duration> {
    labform_sdk::go_duration(text).map_err(|e| {
        ProviderError::invalid(format!("`request_timeout`: {e}"))
            .with_hint("write it like `60s` or `2m`")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_validate_like_terraform() {
        let cfg = Value::from_pairs([(
            "storage_custom_endpoint",
            Value::from("http://127.0.0.1:1/storage/v1/"),
        )]);
        assert_eq!(
            endpoint(
                &cfg,
                "storage_custom_endpoint",
                "X_UNSET_1",
                "X_UNSET_2",
                "storage/v1/",
                STORAGE_DEFAULT
            )
            .unwrap(),
            "http://127.0.0.1:1/storage/v1/"
        );
        let bad =
            Value::from_pairs([("storage_custom_endpoint", Value::from("http://127.0.0.1:1"))]);
        assert!(endpoint(
            &bad,
            "storage_custom_endpoint",
            "X_UNSET_1",
            "X_UNSET_2",
            "storage/v1/",
            STORAGE_DEFAULT
        )
        .is_err());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("2m").unwrap().as_secs(), 120);
        assert!(parse_duration("soon").is_err());
    }
}
