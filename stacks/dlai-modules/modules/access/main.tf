# Who may reach what: the database's security group inside the lab VPC, and the role Glue jobs
# assume to read the data lake.
variable "project" {
  type = string
}

variable "vpc_id" {
  type = string
}

variable "vpc_cidr_block" {
  type = string
}

variable "subnet_az" {
  type = string
}

variable "bucket_arn" {
  type = string
}

resource "aws_security_group" "db" {
  name        = "${var.project}-db"
  description = "Postgres reachable from inside the lab VPC (${var.subnet_az})"
  vpc_id      = var.vpc_id

  ingress {
    description = "Postgres from the VPC"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr_block]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_iam_role" "glue" {
  name = "${var.project}-glue-role"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "glue.amazonaws.com" }
    }]
  })
  description = "Lets Glue read ${var.bucket_arn}"
}

output "db_security_group_id" {
  value = aws_security_group.db.id
}

output "glue_role_arn" {
  value = aws_iam_role.glue.arn
}
