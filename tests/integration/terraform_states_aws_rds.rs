//! Terraform-shaped states of the AWS rds types (issue 13): written by the helper that takes them.
