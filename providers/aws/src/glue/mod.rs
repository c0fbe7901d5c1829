//! AWS Glue: catalog databases.

pub mod database;
