//! Amazon Kinesis Data Streams.

pub mod stream;
mod stream_api;
