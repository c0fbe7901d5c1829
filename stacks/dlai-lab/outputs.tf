output "data_lake_bucket" {
  value = aws_s3_bucket.data_lake.id
}

output "db_endpoint" {
  description = "host:port of the source database"
  value       = aws_db_instance.source.endpoint
}

output "db_password" {
  value     = var.db_password
  sensitive = true
}

output "glue_job" {
  value = aws_glue_job.etl.name
}

output "crawler" {
  value = aws_glue_crawler.lake.name
}

output "stream_arn" {
  value = aws_kinesis_stream.events.arn
}

output "firehose" {
  value = aws_kinesis_firehose_delivery_stream.to_lake.name
}

output "transform_function_arn" {
  value = aws_lambda_function.transform.arn
}
