variable "project" {
  type        = string
  description = "Prefix of every name the lab makes (IAM names, the database, the streams)."
  default     = "de-c1w2"
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "vpc_id" {
  type        = string
  description = "The lab account's VPC, made before the lab."
}

variable "private_subnet_a_id" {
  type        = string
  description = "A private subnet of that VPC, made before the lab."
}

variable "private_subnet_b_id" {
  type        = string
  description = "A second private subnet, in another availability zone (RDS wants two)."
}

variable "db_sg_id" {
  type        = string
  description = "The database security group, made before the lab."
}

variable "db_username" {
  type    = string
  default = "admin"
}

variable "db_password" {
  type        = string
  description = "The source database's master password."
  sensitive   = true
}
