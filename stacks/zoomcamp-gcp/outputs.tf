output "bucket_url" {
  value = google_storage_bucket.data_lake.url
}

output "bucket_name" {
  value = google_storage_bucket.data_lake.name
}

output "dataset_id" {
  value = google_bigquery_dataset.warehouse.id
}
