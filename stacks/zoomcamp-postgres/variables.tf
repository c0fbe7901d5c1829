variable "postgres_image" {
  description = "Postgres image (the course uses postgres:13)"
  type        = string
  default     = "postgres:13"
}

variable "pgadmin_image" {
  description = "pgAdmin image"
  type        = string
  default     = "dpage/pgadmin4"
}

variable "pgadmin_enabled" {
  description = "Run pgAdmin next to Postgres"
  type        = bool
  default     = true
}

variable "postgres_user" {
  description = "Database superuser (POSTGRES_USER)"
  type        = string
  default     = "root"
}

variable "postgres_password" {
  description = "Password of postgres_user (POSTGRES_PASSWORD); the course uses root, change it for anything shared"
  type        = string
  default     = "root"
  sensitive   = true
}

variable "postgres_db" {
  description = "Database created at first start (POSTGRES_DB)"
  type        = string
  default     = "ny_taxi"
}

variable "postgres_port" {
  description = "Host port for Postgres, published on 127.0.0.1"
  type        = number
  default     = 5432
}

variable "pgadmin_port" {
  description = "Host port for pgAdmin's web UI, published on 127.0.0.1"
  type        = number
  default     = 8080
}

variable "pgadmin_email" {
  description = "pgAdmin login (PGADMIN_DEFAULT_EMAIL)"
  type        = string
  default     = "admin@admin.com"
}

variable "pgadmin_password" {
  description = "pgAdmin password (PGADMIN_DEFAULT_PASSWORD)"
  type        = string
  default     = "root"
  sensitive   = true
}

variable "network_name" {
  description = "Docker network both containers join"
  type        = string
  default     = "pg-network"
}

variable "volume_name" {
  description = "Named volume that holds the database files"
  type        = string
  default     = "ny_taxi_postgres_data"
}

variable "postgres_container_name" {
  description = "Name of the Postgres container (pgAdmin reaches it as host `pgdatabase`)"
  type        = string
  default     = "pg-database"
}

variable "pgadmin_container_name" {
  description = "Name of the pgAdmin container"
  type        = string
  default     = "pgadmin"
}
