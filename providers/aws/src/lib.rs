//! The AWS provider (`hashicorp/aws` names): S3 buckets and their settings, objects, VPC
//! networking, EC2 instances and key pairs, Glue catalog databases, IAM roles, policies and
//! instance profiles, Kinesis streams, and the data sources course stacks read.

mod adopt;
mod arn_tags;
mod client;
mod config;
mod data;
mod database;
mod ec2;
mod errors;
mod final_snapshot;
mod firehose;
mod glue;
mod iam;
mod kinesis;
mod lambda;
mod names;
mod paging;
mod provider;
mod rds;
mod redshift;
mod retry;
mod s3;
mod schema_util;
mod subnet_group;
mod subnet_group_calls;
mod tags;
mod terraform_schema;
mod unfinished;

pub use provider::AwsProvider;

/// The provider the engine registers under the local name `aws`.
pub fn provider() -> Box<dyn labform_sdk::Provider> {
    Box::new(AwsProvider)
}
