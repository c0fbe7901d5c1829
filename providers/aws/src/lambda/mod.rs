//! AWS Lambda: functions and the permissions of their resource policy.

pub mod function;
mod function_api;
mod function_checks;
mod function_value;
pub mod permission;
