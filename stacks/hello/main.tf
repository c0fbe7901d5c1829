# A stack that runs anywhere: no cloud, no Docker. It shows variables, locals, count,
# for_each, outputs and a file written by labform.

terraform {
  required_version = ">= 1.0"
}

variable "course" {
  description = "Name used in the generated files"
  type        = string
  default     = "data-engineering-zoomcamp"
}

variable "weeks" {
  description = "One note file per week"
  type        = number
  default     = 3
}

locals {
  labels = {
    course = var.course
    owner  = "student"
  }
}

resource "random_id" "suffix" {
  byte_length = 4
}

resource "terraform_data" "settings" {
  input = merge(local.labels, { suffix = random_id.suffix.hex })
}

resource "local_file" "week" {
  count    = var.weeks
  filename = "${path.module}/out/week-${count.index + 1}.md"
  content  = "# ${var.course}, week ${count.index + 1}\n\nbucket: ${var.course}-${random_id.suffix.hex}\n"
}

output "bucket_name" {
  description = "A globally unique name to use for your bucket"
  value       = "${var.course}-${random_id.suffix.hex}"
}

output "files" {
  value = local_file.week[*].filename
}
