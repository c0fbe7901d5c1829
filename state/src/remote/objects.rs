//! The few object-store calls a remote state needs (S3 and GCS both offer them): read with a
//! version, conditional create and replace, delete, list.

use crate::error::StateError;

/// An object as read: its bytes and the version a conditional write can name (an S3 ETag, a
/// GCS generation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Object {
    pub bytes: Vec<u8>,
    pub version: String,
}

/// When a write may happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Condition<'a> {
    /// Only if no object has the key (`If-None-Match: *`, `ifGenerationMatch=0`).
    Absent,
    /// Only if the object is still this version (`If-Match`, `ifGenerationMatch=N`).
    Matches(&'a str),
}

/// A bucket (and its settings) seen as keys and bytes. Every call is blocking; implementations
/// run their own async client where they need one.
pub trait ObjectStore: Send + Sync + 'static {
    /// The object's full name for messages: `s3://bucket/key`, `gs://bucket/key`.
    fn name(&self, key: &str) -> String;

    /// The object at `key`, `None` if there is none.
    ///
    /// Errors: [`StateError::Remote`] for anything but "not found" (credentials, network, a
    /// missing bucket).
    fn get(&self, key: &str) -> Result<Option<Object>, StateError>;

    /// Writes `bytes` at `key` under `condition`; `Ok(Some(version))` once written, `Ok(None)`
    /// when the condition did not hold (nothing written).
    fn put(
        &self,
        key: &str,
        bytes: &[u8],
        condition: Condition<'_>,
    ) -> Result<Option<String>, StateError>;

    /// Removes `key`; an object already gone is fine.
    fn delete(&self, key: &str) -> Result<(), StateError>;

    /// Every key that starts with `prefix`, sorted.
    fn list(&self, prefix: &str) -> Result<Vec<String>, StateError>;

    /// Checks that the bucket is there and the credentials work (`init`); says what it found.
    fn check(&self) -> Result<String, StateError>;
}
