output "bucket_url" {
  value = google_storage_bucket.data_lake.url
}

output "dataset_id" {
  value = google_bigquery_dataset.warehouse.id
}

output "external_table_id" {
  value = google_bigquery_table.external_yellow_tripdata.id
}

output "external_table_source" {
  value = google_bigquery_table.external_yellow_tripdata.external_data_configuration[0].source_uris[0]
}
