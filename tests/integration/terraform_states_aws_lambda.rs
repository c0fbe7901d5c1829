//! Terraform-shaped states of the AWS lambda types (issue 13): written by the helper that takes them.
