# Laid out as the DeepLearning.AI Data Engineering labs are: state in a bucket made before the
# lab (partial backend configuration, completed by `init -backend-config`), a VPC and subnet
# made outside the stack (read through data sources), and the lab's resources in two local
# modules.
terraform {
  required_version = ">= 1.5"

  backend "s3" {
    key          = "de-c1w2/terraform.tfstate"
    region       = "us-east-1"
    encrypt      = true
    use_lockfile = true
  }

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0"
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

module "data_lake" {
  source = "./modules/data_lake"

  project    = var.project
  account_id = data.aws_caller_identity.current.account_id
  sample     = "${path.root}/data/ratings.csv"
}

module "access" {
  source = "./modules/access"

  project        = var.project
  vpc_id         = data.aws_vpc.lab.id
  vpc_cidr_block = data.aws_vpc.lab.cidr_block
  subnet_az      = data.aws_subnet.private_a.availability_zone
  bucket_arn     = module.data_lake.bucket_arn
}
