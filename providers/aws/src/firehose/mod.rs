//! Amazon Data Firehose (Kinesis Data Firehose).

pub mod delivery_stream;
mod delivery_stream_api;
mod extended_s3;
