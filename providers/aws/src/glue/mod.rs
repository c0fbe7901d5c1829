//! AWS Glue: catalog databases and tables, connections.

mod api;
pub mod catalog_table;
pub mod connection;
pub mod crawler;
pub mod database;
pub mod job;
mod named;
mod table_storage;
