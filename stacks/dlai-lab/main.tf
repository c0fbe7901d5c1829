# The shape of the DeepLearning.AI Data Engineering labs (course 1 weeks 2 and 4): a MySQL source
# database in RDS, a Glue connection, crawler and ETL job that move its data into an S3 data
# lake, and a Kinesis stream delivered to the lake by Firehose through a Lambda transformation.
# The VPC, its subnets and the database security group exist before the lab.
terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = ">= 2.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      project = var.project
    }
  }
}

data "aws_caller_identity" "current" {}

data "aws_vpc" "lab" {
  id = var.vpc_id
}

data "aws_subnet" "private_a" {
  id = var.private_subnet_a_id
}

data "aws_subnet" "private_b" {
  id = var.private_subnet_b_id
}

data "aws_security_group" "db" {
  id = var.db_sg_id
}

locals {
  account_id = data.aws_caller_identity.current.account_id
}
