output "bucket_name" {
  description = "Name of the data lake bucket"
  value       = aws_s3_bucket.data_lake.bucket
}

output "bucket_arn" {
  description = "ARN of the data lake bucket"
  value       = aws_s3_bucket.data_lake.arn
}

output "glue_database_name" {
  description = "Name of the Glue catalog database"
  value       = aws_glue_catalog_database.data_lake.name
}

output "glue_database_location" {
  description = "Where the database's tables live"
  value       = aws_glue_catalog_database.data_lake.location_uri
}
