# The lab's data lake: a bucket named from a prefix (S3 adds a unique suffix), versioned and
# private, holding the sample dataset, with a Glue catalog database over it.
variable "project" {
  type = string
}

variable "account_id" {
  type = string
}

variable "sample" {
  type        = string
  description = "Path of the sample CSV file uploaded under raw/."
}

resource "aws_s3_bucket" "data_lake" {
  bucket_prefix = "${var.project}-${var.account_id}-"
  force_destroy = true
}

resource "aws_s3_bucket_versioning" "data_lake" {
  bucket = aws_s3_bucket.data_lake.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_public_access_block" "data_lake" {
  bucket = aws_s3_bucket.data_lake.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_object" "sample" {
  bucket = aws_s3_bucket.data_lake.id
  key    = "raw/ratings/ratings.csv"
  source = var.sample
  etag   = filemd5(var.sample)
}

resource "aws_glue_catalog_database" "analytics" {
  name         = replace("${var.project}_analytics", "-", "_")
  location_uri = "s3://${aws_s3_bucket.data_lake.id}/curated/"
}

output "bucket" {
  value = aws_s3_bucket.data_lake.id
}

output "bucket_arn" {
  value = aws_s3_bucket.data_lake.arn
}

output "sample_key" {
  value = aws_s3_object.sample.key
}

output "glue_database" {
  value = aws_glue_catalog_database.analytics.name
}
