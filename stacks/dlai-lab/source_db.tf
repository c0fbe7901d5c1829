# The source database the ETL job reads: MySQL in the lab VPC's private subnets.
resource "aws_db_subnet_group" "source" {
  name       = "${var.project}-source"
  subnet_ids = [data.aws_subnet.private_a.id, data.aws_subnet.private_b.id]
}

resource "aws_db_instance" "source" {
  identifier             = "${var.project}-rds"
  engine                 = "mysql"
  engine_version         = "8.0"
  instance_class         = "db.t3.micro"
  allocated_storage      = 20
  db_name                = "classicmodels"
  username               = var.db_username
  password               = var.db_password
  port                   = 3306
  db_subnet_group_name   = aws_db_subnet_group.source.name
  vpc_security_group_ids = [data.aws_security_group.db.id]
  publicly_accessible    = false
  skip_final_snapshot    = true
}
