//! Cloud Storage: buckets and objects over the JSON API.

pub mod bucket;
pub mod bucket_body;
pub mod bucket_schema;
pub mod client;
pub mod object;
