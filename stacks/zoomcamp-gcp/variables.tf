variable "credentials" {
  description = "Path to the service-account key JSON; null uses GOOGLE_APPLICATION_CREDENTIALS or gcloud's application-default login"
  type        = string
  default     = null
}

variable "project" {
  description = "Your GCP project ID (not its name); null uses GOOGLE_PROJECT"
  type        = string
  default     = null
}

variable "region" {
  description = "Region"
  type        = string
  default     = "us-central1"
}

variable "location" {
  description = "Location of the bucket and the dataset"
  type        = string
  default     = "US"
}

variable "gcs_bucket_name" {
  description = "Bucket name: globally unique, so prefix it with your project ID"
  type        = string
}

variable "gcs_storage_class" {
  description = "Bucket storage class"
  type        = string
  default     = "STANDARD"
}

variable "bq_dataset_name" {
  description = "BigQuery dataset ID (letters, digits and underscores)"
  type        = string
  default     = "demo_dataset"
}
