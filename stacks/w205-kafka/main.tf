# W205 (Fundamentals of Data Engineering): Zookeeper, one Kafka broker and a client container on
# one network, as the course's docker-compose.yml runs them.

terraform {
  required_providers {
    docker = {
      source  = "kreuzwerker/docker"
      version = ">= 3.0.0"
    }
  }
}

provider "docker" {}

resource "docker_network" "w205" {
  name = var.network_name
}

resource "docker_volume" "w205" {
  name = var.workspace_volume
}

resource "docker_image" "zookeeper" {
  name         = var.zookeeper_image
  keep_locally = true
}

resource "docker_image" "kafka" {
  name         = var.kafka_image
  keep_locally = true
}

resource "docker_image" "client" {
  name         = var.client_image
  keep_locally = true
}

resource "docker_container" "zookeeper" {
  name  = "${var.name_prefix}zookeeper"
  image = docker_image.zookeeper.image_id

  env = [
    "ZOOKEEPER_CLIENT_PORT=32181",
    "ZOOKEEPER_TICK_TIME=2000",
  ]

  networks_advanced {
    name    = docker_network.w205.name
    aliases = ["zookeeper"]
  }
}

resource "docker_container" "kafka" {
  name  = "${var.name_prefix}kafka"
  image = docker_image.kafka.image_id

  env = [
    "KAFKA_BROKER_ID=1",
    "KAFKA_ZOOKEEPER_CONNECT=zookeeper:32181",
    "KAFKA_LISTENERS=PLAINTEXT://0.0.0.0:29092,PLAINTEXT_HOST://0.0.0.0:9092",
    "KAFKA_ADVERTISED_LISTENERS=PLAINTEXT://kafka:29092,PLAINTEXT_HOST://127.0.0.1:${var.kafka_host_port}",
    "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP=PLAINTEXT:PLAINTEXT,PLAINTEXT_HOST:PLAINTEXT",
    "KAFKA_INTER_BROKER_LISTENER_NAME=PLAINTEXT",
    "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR=1",
  ]

  # Inside the network: kafka:29092. From the host: 127.0.0.1:<kafka_host_port>.
  ports {
    internal = 9092
    external = var.kafka_host_port
    ip       = "127.0.0.1"
  }

  networks_advanced {
    name    = docker_network.w205.name
    aliases = ["kafka"]
  }

  depends_on = [docker_container.zookeeper]
}

# The course's `mids` container: a shell with the Kafka tools, kept alive like compose's
# `stdin_open` + `tty`; work in it with `docker exec -it mids bash`.
resource "docker_container" "client" {
  name       = "${var.name_prefix}mids"
  image      = docker_image.client.image_id
  tty        = true
  stdin_open = true

  volumes {
    volume_name    = docker_volume.w205.name
    container_path = "/w205"
  }

  networks_advanced {
    name    = docker_network.w205.name
    aliases = ["mids"]
  }

  depends_on = [docker_container.kafka]
}
