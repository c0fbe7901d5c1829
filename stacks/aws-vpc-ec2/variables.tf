variable "region" {
  description = "AWS region"
  type        = string
  default     = "us-east-1"
}

variable "project" {
  description = "Name prefix and tag for everything in the stack"
  type        = string
  default     = "lab"
}

variable "vpc_cidr" {
  description = "Address range of the VPC"
  type        = string
  default     = "10.0.0.0/16"
}

variable "public_subnet_cidr" {
  description = "Address range of the public subnet (inside the VPC's)"
  type        = string
  default     = "10.0.1.0/24"
}

variable "ssh_cidr" {
  description = "Who may SSH in, e.g. your own address as a.b.c.d/32"
  type        = string
}

variable "instance_type" {
  description = "EC2 instance type"
  type        = string
  default     = "t3.micro"
}
