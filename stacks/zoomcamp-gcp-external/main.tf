# Week 1 + 3 of the Data Engineering Zoomcamp: the data lake, the warehouse, and an external
# BigQuery table over the parquet files in the lake.

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

# A small sample of the yellow taxi data, so the external table has a file to read (BigQuery
# infers an external table's schema from the files when it is created).
resource "google_storage_bucket_object" "sample_trips" {
  bucket       = google_storage_bucket.data_lake.name
  name         = "${var.parquet_prefix}yellow_tripdata_sample.parquet"
  source       = "${path.module}/data/yellow_tripdata_sample.parquet"
  content_type = "application/octet-stream"
}

resource "google_bigquery_table" "external_yellow_tripdata" {
  dataset_id = google_bigquery_dataset.warehouse.dataset_id
  table_id   = var.external_table_name

  external_data_configuration {
    autodetect    = true
    source_format = "PARQUET"
    source_uris   = ["gs://${google_storage_bucket.data_lake.name}/${var.parquet_prefix}*.parquet"]
  }

  # A lab table: destroy may delete it.
  deletion_protection = false

  labels = {
    course = "de-zoomcamp"
  }

  depends_on = [google_storage_bucket_object.sample_trips]
}
