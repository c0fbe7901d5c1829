variable "region" {
  description = "AWS region for the bucket and the Glue database"
  type        = string
  default     = "us-east-1"
}

variable "project" {
  description = "Project name, added as a tag to everything"
  type        = string
  default     = "data-lake"
}

variable "bucket_name" {
  description = "Name of the data lake bucket (globally unique across all AWS accounts)"
  type        = string
}

variable "glue_database_name" {
  description = "Name of the Glue catalog database (lower case)"
  type        = string
  default     = "data_lake"
}

variable "raw_transition_days" {
  description = "Days before objects under raw/ move to STANDARD_IA"
  type        = number
  default     = 30
}

variable "raw_expiration_days" {
  description = "Days before objects under raw/ expire"
  type        = number
  default     = 365
}

variable "force_destroy" {
  description = "Let destroy delete the bucket together with every object version in it"
  type        = bool
  default     = true
}
