//! Integration tests: the real `labform` binary on stacks written to temporary directories.
//! One test binary (faster to build than one per file); one module per area.
#![recursion_limit = "256"]
// A test crate: its helpers may unwrap too (a failed unwrap is a failed test).
#![allow(clippy::unwrap_used)]

mod campaign;
mod common;

mod apply;
#[cfg(feature = "aws")]
mod aws_stacks;
#[cfg(feature = "s3-backend")]
mod backends;
#[cfg(feature = "gcs-backend")]
mod backends_gcs;
mod cli;
mod cli_conditions;
mod cli_console;
mod cli_import;
mod cli_refresh;
mod cli_state_edits;
#[cfg(feature = "docker")]
mod compose;
#[cfg(feature = "docker")]
mod compose_semantics;
mod cost;
#[cfg(feature = "aws")]
mod dlai_lab;
#[cfg(all(feature = "aws", feature = "s3-backend"))]
mod dlai_modules;
#[cfg(feature = "docker")]
mod docker_import;
#[cfg(feature = "docker")]
mod docker_stacks;
mod errors;
#[cfg(feature = "docker")]
mod expiry_docker;
#[cfg(feature = "gcp")]
mod gcp_stacks;
mod generate_config;
mod import_blocks;
mod interrupts;
#[cfg(feature = "aws")]
mod kill_aws;
#[cfg(feature = "docker")]
mod kill_docker;
#[cfg(feature = "gcp")]
mod kill_gcp;
#[cfg(feature = "aws")]
mod lambda_archive;
mod lifecycle;
mod lock_race;
mod locking;
mod modules;
mod no_panic;
mod oracle_console;
#[cfg(any(feature = "aws", feature = "docker", feature = "gcp"))]
mod orphans;
mod provider_schema;
mod saved_plan;
mod secrets;
mod signals;
mod stacks;
mod state_files;
#[cfg(feature = "aws")]
mod teardown_aws;
#[cfg(feature = "docker")]
mod teardown_docker;
#[cfg(feature = "gcp")]
mod teardown_gcp;
mod terraform_oracle;
#[cfg(feature = "aws")]
mod terraform_states_aws;
#[cfg(feature = "aws")]
mod terraform_states_aws_ec2;
#[cfg(feature = "aws")]
mod terraform_states_aws_glue;
#[cfg(feature = "aws")]
mod terraform_states_aws_iam;
#[cfg(feature = "aws")]
mod terraform_states_aws_lambda;
#[cfg(feature = "aws")]
mod terraform_states_aws_rds;
mod terraform_states_builtin;
#[cfg(feature = "docker")]
mod terraform_states_docker;
#[cfg(feature = "gcp")]
mod terraform_states_gcp;
mod tls_archive;
mod variables;
mod workspaces;
