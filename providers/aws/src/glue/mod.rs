//! AWS Glue: catalog databases and tables.

mod api;
pub mod catalog_table;
pub mod database;
mod table_storage;
