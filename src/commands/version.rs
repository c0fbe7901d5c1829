//! `labform version`.

use serde_json::json;

use crate::cli::VersionArgs;
use crate::config::version::{PROVIDER_COMPAT, TERRAFORM_COMPAT};
use crate::diag::Diagnostics;
use crate::ui;

pub fn run(args: VersionArgs) -> Result<u8, Diagnostics> {
    let version = env!("CARGO_PKG_VERSION");
    if args.json {
        let providers: serde_json::Map<String, serde_json::Value> = PROVIDER_COMPAT
            .iter()
            .map(|(n, v)| (n.to_string(), json!(v)))
            .collect();
        ui::out(&json!({ "labform_version": version, "terraform_version": TERRAFORM_COMPAT, "provider_selections": providers }).to_string());
        return Ok(0);
    }
    let mut s = format!("labform v{version}\ncompatible with the Terraform {TERRAFORM_COMPAT} language\nbuilt-in providers (schema versions):\n");
    let built_in = super::common::registry();
    for (n, v) in PROVIDER_COMPAT
        .iter()
        .filter(|(n, _)| built_in.provider(n).is_some())
    {
        s.push_str(&format!("  + {n} v{v}\n"));
    }
    ui::out(&s);
    Ok(0)
}
