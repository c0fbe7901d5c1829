# Glue: the role it assumes, a JDBC connection to the source, a crawler over the lake, the job.
data "aws_iam_policy_document" "glue_assume" {
  statement {
    sid     = "AllowGlueToAssumeRole"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["glue.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "glue_access" {
  statement {
    sid     = "DataLake"
    actions = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:DeleteObject"]
    resources = [
      aws_s3_bucket.data_lake.arn,
      "${aws_s3_bucket.data_lake.arn}/*",
      aws_s3_bucket.scripts.arn,
      "${aws_s3_bucket.scripts.arn}/*",
    ]
  }
}

resource "aws_iam_role" "glue" {
  name               = "${var.project}-glue-role"
  assume_role_policy = data.aws_iam_policy_document.glue_assume.json
}

resource "aws_iam_role_policy" "glue_access" {
  name   = "${var.project}-glue-access"
  role   = aws_iam_role.glue.id
  policy = data.aws_iam_policy_document.glue_access.json
}

resource "aws_iam_role_policy_attachment" "glue_service" {
  role       = aws_iam_role.glue.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
}

resource "aws_glue_connection" "rds" {
  name = "${var.project}-rds-connection"
  connection_properties = {
    JDBC_CONNECTION_URL = "jdbc:mysql://${aws_db_instance.source.address}:${aws_db_instance.source.port}/${aws_db_instance.source.db_name}"
    USERNAME            = var.db_username
    PASSWORD            = var.db_password
  }
  physical_connection_requirements {
    availability_zone      = data.aws_subnet.private_a.availability_zone
    security_group_id_list = [data.aws_security_group.db.id]
    subnet_id              = data.aws_subnet.private_a.id
  }
}

resource "aws_glue_crawler" "lake" {
  name          = "${var.project}-lake-crawler"
  database_name = aws_glue_catalog_database.lake.name
  role          = aws_iam_role.glue.arn
  table_prefix  = "raw_"
  s3_target {
    path = "s3://${aws_s3_bucket.data_lake.id}/gold/"
  }
  schema_change_policy {
    delete_behavior = "LOG"
    update_behavior = "UPDATE_IN_DATABASE"
  }
}

resource "aws_glue_job" "etl" {
  name              = "${var.project}-etl-job"
  role_arn          = aws_iam_role.glue.arn
  glue_version      = "4.0"
  worker_type       = "G.1X"
  number_of_workers = 2
  timeout           = 5
  connections       = [aws_glue_connection.rds.name]
  command {
    name            = "glueetl"
    script_location = "s3://${aws_s3_bucket.scripts.id}/${aws_s3_object.glue_job_script.key}"
    python_version  = "3"
  }
  default_arguments = {
    "--enable-job-insights" = "true"
    "--job-language"        = "python"
    "--glue_connection"     = aws_glue_connection.rds.name
    "--target_path"         = "s3://${aws_s3_bucket.data_lake.id}/gold"
  }
}
