variable "zookeeper_image" {
  description = "Zookeeper image"
  type        = string
  default     = "confluentinc/cp-zookeeper:latest"
}

variable "kafka_image" {
  description = "Kafka broker image"
  type        = string
  default     = "confluentinc/cp-kafka:latest"
}

variable "client_image" {
  description = "Client image with the course's tools (kafkacat, python)"
  type        = string
  default     = "midsw205/base:latest"
}

variable "kafka_host_port" {
  description = "Host port for the broker, published on 127.0.0.1"
  type        = number
  default     = 9092
}

variable "network_name" {
  description = "Docker network the three containers join"
  type        = string
  default     = "w205"
}

variable "workspace_volume" {
  description = "Named volume mounted at /w205 in the client container"
  type        = string
  default     = "w205-workspace"
}

variable "name_prefix" {
  description = "Prefix of the container names (zookeeper, kafka, mids)"
  type        = string
  default     = ""
}
