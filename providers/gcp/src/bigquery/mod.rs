//! BigQuery: datasets and tables through the official `google-cloud-bigquery-v2` client.

pub mod client;
pub mod dataset;
pub mod dataset_body;
pub mod schema_json;
pub mod send;
#[cfg(test)]
mod sent;
pub mod table;
pub mod table_body;
