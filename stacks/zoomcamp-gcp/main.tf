# Week 1 of the Data Engineering Zoomcamp: a Cloud Storage data lake and a BigQuery dataset.

terraform {
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = ">= 5.6.0"
    }
  }
}

provider "google" {
  # A path to the service-account key JSON (or null: GOOGLE_APPLICATION_CREDENTIALS,
  # GOOGLE_CREDENTIALS or `gcloud auth application-default login` are used).
  credentials = var.credentials
  project     = var.project
  region      = var.region
}

resource "google_storage_bucket" "data_lake" {
  name          = var.gcs_bucket_name
  location      = var.location
  storage_class = var.gcs_storage_class

  # Destroy deletes every object (and every old version) first.
  force_destroy               = true
  uniform_bucket_level_access = true

  versioning {
    enabled = true
  }

  lifecycle_rule {
    condition {
      age = 30
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      age = 1
    }
    action {
      type = "AbortIncompleteMultipartUpload"
    }
  }

  labels = {
    course = "de-zoomcamp"
  }
}

resource "google_bigquery_dataset" "warehouse" {
  dataset_id = var.bq_dataset_name
  location   = var.location

  # Week 3 creates tables in this dataset with SQL: destroy deletes them too.
  delete_contents_on_destroy = true

  labels = {
    course = "de-zoomcamp"
  }
}
