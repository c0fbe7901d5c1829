variable "project" {
  type        = string
  description = "Prefix of every name the lab makes."
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
