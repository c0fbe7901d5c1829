# Benchmark stack: one network and 10 busybox containers, the same as docker-compose.yml.

terraform {
  required_providers {
    docker = {
      source = "kreuzwerker/docker"
    }
  }
}

provider "docker" {}

variable "image" {
  type    = string
  default = "labform-test/busybox"
}

resource "docker_network" "bench" {
  name = "labform-bench"
}

resource "docker_container" "worker" {
  count   = 10
  name    = "labform-bench-worker-${count.index + 1}"
  image   = var.image
  command = ["sleep", "3600"]
  init    = true

  networks_advanced {
    name = docker_network.bench.name
  }
}
