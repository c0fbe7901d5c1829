output "postgres_url" {
  description = "Connection string from the host (password left out)"
  value       = "postgresql://${var.postgres_user}@127.0.0.1:${var.postgres_port}/${var.postgres_db}"
}

output "psql_command" {
  description = "Connect with psql from the host"
  value       = "psql -h 127.0.0.1 -p ${var.postgres_port} -U ${var.postgres_user} -d ${var.postgres_db}"
}

output "pgadmin_url" {
  description = "pgAdmin in the browser; register the server with host `pgdatabase`, port 5432"
  value       = var.pgadmin_enabled ? "http://127.0.0.1:${var.pgadmin_port}" : null
}

output "network" {
  description = "Network to pass to `docker run --network` for the ingestion container"
  value       = docker_network.pg.name
}
