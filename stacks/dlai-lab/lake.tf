# The data lake and the bucket holding the Glue job's script.
resource "aws_s3_bucket" "data_lake" {
  bucket_prefix = "${var.project}-lake-"
  force_destroy = true
}

resource "aws_s3_bucket" "scripts" {
  bucket_prefix = "${var.project}-scripts-"
  force_destroy = true
}

resource "aws_s3_object" "glue_job_script" {
  bucket = aws_s3_bucket.scripts.id
  key    = "glue_job.py"
  source = "${path.module}/assets/glue_job.py"
  etag   = filemd5("${path.module}/assets/glue_job.py")
}

resource "aws_glue_catalog_database" "lake" {
  name        = replace("${var.project}_lake", "-", "_")
  description = "Tables of ${aws_s3_bucket.data_lake.id}"
}
