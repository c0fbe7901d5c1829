//! Terraform-shaped states of the AWS iam types (issue 13): written by the helper that takes them.
