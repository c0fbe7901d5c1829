# Data Engineering Zoomcamp, module 1: Postgres and pgAdmin on one Docker network, the database
# in a named volume. pgAdmin starts only once Postgres answers pg_isready.

terraform {
  required_providers {
    docker = {
      source  = "kreuzwerker/docker"
      version = ">= 3.0.0"
    }
  }
}

provider "docker" {}

resource "docker_network" "pg" {
  name = var.network_name
}

resource "docker_volume" "pgdata" {
  name = var.volume_name
}

resource "docker_image" "postgres" {
  name         = var.postgres_image
  keep_locally = true
}

resource "docker_image" "pgadmin" {
  count        = var.pgadmin_enabled ? 1 : 0
  name         = var.pgadmin_image
  keep_locally = true
}

resource "docker_container" "postgres" {
  name    = var.postgres_container_name
  image   = docker_image.postgres.image_id
  restart = "unless-stopped"

  env = [
    "POSTGRES_USER=${var.postgres_user}",
    "POSTGRES_PASSWORD=${var.postgres_password}",
    "POSTGRES_DB=${var.postgres_db}",
  ]

  ports {
    internal = 5432
    external = var.postgres_port
    ip       = "127.0.0.1"
  }

  volumes {
    volume_name    = docker_volume.pgdata.name
    container_path = "/var/lib/postgresql/data"
  }

  networks_advanced {
    name    = docker_network.pg.name
    aliases = ["pgdatabase"]
  }

  # Over TCP, so the temporary server the image runs during initdb does not count as ready.
  healthcheck {
    test         = ["CMD-SHELL", "pg_isready -h 127.0.0.1 -U ${var.postgres_user} -d ${var.postgres_db}"]
    interval     = "2s"
    timeout      = "5s"
    retries      = 30
    start_period = "5s"
  }

  # Apply returns (and pgAdmin starts) only once the database is healthy.
  wait         = true
  wait_timeout = 120
}

resource "docker_container" "pgadmin" {
  count   = var.pgadmin_enabled ? 1 : 0
  name    = var.pgadmin_container_name
  image   = docker_image.pgadmin[0].image_id
  restart = "unless-stopped"

  env = [
    "PGADMIN_DEFAULT_EMAIL=${var.pgadmin_email}",
    "PGADMIN_DEFAULT_PASSWORD=${var.pgadmin_password}",
  ]

  ports {
    internal = 80
    external = var.pgadmin_port
    ip       = "127.0.0.1"
  }

  networks_advanced {
    name = docker_network.pg.name
  }

  depends_on = [docker_container.postgres]
}
