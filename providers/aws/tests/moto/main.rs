//! Integration tests of the AWS provider against moto's server, verified with boto3.

// A test crate: its helpers may unwrap too (a failed unwrap is a failed test).
#![allow(clippy::unwrap_used)]

mod adoption;
mod adoption_s3;
mod common;
mod data;
mod firehose;
mod glue;
mod glue_connection;
mod glue_jobs;
mod glue_table;
mod iam;
mod iam_policy;
mod iam_profile;
mod iam_role_policy;
mod instance;
mod interrupted;
mod kinesis;
mod lambda;
mod network;
mod provider;
mod rds;
mod redshift;
mod s3;
mod s3_settings;
mod security;
mod sweep;
