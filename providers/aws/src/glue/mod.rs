//! AWS Glue: catalog databases and tables, connections.

mod api;
pub mod catalog_table;
pub mod connection;
pub mod database;
mod table_storage;
