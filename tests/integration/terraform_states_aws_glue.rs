//! Terraform-shaped states of the AWS glue types (issue 13): written by the helper that takes them.
