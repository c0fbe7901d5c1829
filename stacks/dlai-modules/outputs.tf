output "data_lake_bucket" {
  value = module.data_lake.bucket
}

output "sample_key" {
  value = module.data_lake.sample_key
}

output "glue_database" {
  value = module.data_lake.glue_database
}

output "db_security_group_id" {
  value = module.access.db_security_group_id
}

output "glue_role_arn" {
  value = module.access.glue_role_arn
}

output "lab_vpc_cidr" {
  value = data.aws_vpc.lab.cidr_block
}
