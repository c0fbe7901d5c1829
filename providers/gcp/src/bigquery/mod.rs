//! BigQuery: datasets and tables through the official `google-cloud-bigquery-v2` client.

#[cfg(test)]
mod body_checks;
pub mod client;
pub mod dataset;
pub mod dataset_body;
pub mod schema_json;
pub mod send;
pub mod table;
pub mod table_body;
