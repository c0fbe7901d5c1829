# Streaming (course 1 week 4): a Kinesis stream delivered into the lake by Firehose, each batch
# transformed by a Lambda function.
resource "aws_kinesis_stream" "events" {
  name             = "${var.project}-events"
  shard_count      = 1
  retention_period = 24
}

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "lambda" {
  name               = "${var.project}-transform-role"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

resource "aws_iam_role_policy_attachment" "lambda_logs" {
  role       = aws_iam_role.lambda.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

data "archive_file" "transform" {
  type        = "zip"
  source_file = "${path.module}/assets/transform.py"
  output_path = "${path.module}/build/transform.zip"
}

resource "aws_lambda_function" "transform" {
  function_name    = "${var.project}-transform"
  role             = aws_iam_role.lambda.arn
  handler          = "transform.lambda_handler"
  runtime          = "python3.12"
  filename         = data.archive_file.transform.output_path
  source_code_hash = data.archive_file.transform.output_base64sha256
  timeout          = 60
  memory_size      = 128
  environment {
    variables = {
      TARGET_PREFIX = "events"
    }
  }
}

data "aws_iam_policy_document" "firehose_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["firehose.amazonaws.com"]
    }
  }
}

data "aws_iam_policy_document" "firehose_access" {
  statement {
    actions   = ["kinesis:DescribeStream", "kinesis:GetShardIterator", "kinesis:GetRecords"]
    resources = [aws_kinesis_stream.events.arn]
  }
  statement {
    actions   = ["s3:PutObject", "s3:GetBucketLocation", "s3:ListBucket"]
    resources = [aws_s3_bucket.data_lake.arn, "${aws_s3_bucket.data_lake.arn}/*"]
  }
  statement {
    actions   = ["lambda:InvokeFunction", "lambda:GetFunctionConfiguration"]
    resources = ["${aws_lambda_function.transform.arn}:*"]
  }
}

resource "aws_iam_role" "firehose" {
  name               = "${var.project}-firehose-role"
  assume_role_policy = data.aws_iam_policy_document.firehose_assume.json
}

resource "aws_iam_role_policy" "firehose_access" {
  name   = "${var.project}-firehose-access"
  role   = aws_iam_role.firehose.id
  policy = data.aws_iam_policy_document.firehose_access.json
}

resource "aws_kinesis_firehose_delivery_stream" "to_lake" {
  name        = "${var.project}-to-lake"
  destination = "extended_s3"

  kinesis_source_configuration {
    kinesis_stream_arn = aws_kinesis_stream.events.arn
    role_arn           = aws_iam_role.firehose.arn
  }

  extended_s3_configuration {
    role_arn            = aws_iam_role.firehose.arn
    bucket_arn          = aws_s3_bucket.data_lake.arn
    prefix              = "events/"
    error_output_prefix = "errors/"
    buffering_size      = 64
    buffering_interval  = 60

    processing_configuration {
      enabled = true
      processors {
        type = "Lambda"
        parameters {
          parameter_name  = "LambdaArn"
          parameter_value = "${aws_lambda_function.transform.arn}:$LATEST"
        }
      }
    }

    cloudwatch_logging_options {
      enabled         = true
      log_group_name  = "/aws/kinesisfirehose/${var.project}-to-lake"
      log_stream_name = "DestinationDelivery"
    }
  }
}

# The lake's bucket may invoke the function (the lab wires S3 events to it later).
resource "aws_lambda_permission" "from_lake" {
  statement_id   = "AllowInvokeFromDataLake"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.transform.function_name
  principal      = "s3.amazonaws.com"
  source_arn     = aws_s3_bucket.data_lake.arn
  source_account = local.account_id
}
