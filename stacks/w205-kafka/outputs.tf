output "bootstrap_servers_in_network" {
  description = "Kafka address for containers on the network"
  value       = "kafka:29092"
}

output "bootstrap_servers_from_host" {
  description = "Kafka address from the host"
  value       = "127.0.0.1:${var.kafka_host_port}"
}

output "client_shell" {
  description = "Open a shell in the client container"
  value       = "docker exec -it ${docker_container.client.name} bash"
}
