output "instance_id" {
  description = "ID of the EC2 instance"
  value       = aws_instance.web.id
}

output "instance_public_ip" {
  description = "Public IP address of the EC2 instance"
  value       = aws_instance.web.public_ip
}

output "instance_public_dns" {
  description = "Public DNS name of the EC2 instance"
  value       = aws_instance.web.public_dns
}

output "ami_id" {
  description = "The AMI the instance runs"
  value       = data.aws_ami.amazon_linux.id
}

output "vpc_id" {
  description = "ID of the VPC"
  value       = aws_vpc.main.id
}

output "ssh_command" {
  description = "How to log in (with the key of your choice added to the instance)"
  value       = "ssh ec2-user@${aws_instance.web.public_ip}"
}
