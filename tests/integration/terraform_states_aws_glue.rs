//! A directory that Terraform with hashicorp/aws managed for the Glue part of a course stack (a
//! JDBC connection, a crawler over S3, an ETL job, a catalog table in a database made beside
//! them (the database's own takeover is in `terraform_states_aws`)): the objects
//! made by another client (boto3, against moto), and the `terraform.tfstate` the provider's read
//! functions would have written for them. labform reads it in place, plans no change against
//! the API, and destroys the objects.

use serde_json::json;

use crate::aws_stacks::boto3;
use crate::common::Stack;
use crate::provider_schema::{take_over, terraform_state};

#[test]
fn a_terraform_state_of_glue_objects_plans_no_change_and_destroys() {
    let s = Stack::new();
    let id = s.name().to_lowercase();
    let db = format!("{}_glue", id.replace('-', "_"));
    let (conn, crawler, job) = (
        format!("{id}-rds"),
        format!("{id}-crawler"),
        format!("{id}-etl"),
    );
    let made = boto3(&format!(
        r#"glue = aws('glue'); iam = aws('iam')
account = aws('sts').get_caller_identity()['Account']
trust = {{'Version': '2012-10-17', 'Statement': [{{'Effect': 'Allow', 'Principal': {{'Service': 'glue.amazonaws.com'}}, 'Action': 'sts:AssumeRole'}}]}}
role = iam.create_role(RoleName='{id}-glue', AssumeRolePolicyDocument=json.dumps(trust))['Role']['Arn']
glue.create_database(DatabaseInput={{'Name': '{db}'}})
glue.create_connection(ConnectionInput={{'Name': '{conn}', 'ConnectionType': 'JDBC',
    'ConnectionProperties': {{'JDBC_CONNECTION_URL': 'jdbc:mysql://db.example:3306/shop', 'USERNAME': 'admin', 'PASSWORD': 'pa55word'}},
    'PhysicalConnectionRequirements': {{'AvailabilityZone': 'us-east-1a', 'SubnetId': 'subnet-0a1b2c3d', 'SecurityGroupIdList': ['sg-0a1b2c3d']}}}},
    Tags={{'course': 'de'}})
glue.create_crawler(Name='{crawler}', Role=role, DatabaseName='{db}', TablePrefix='raw_',
    Targets={{'S3Targets': [{{'Path': 's3://{id}-lake/gold/'}}]}},
    SchemaChangePolicy={{'DeleteBehavior': 'LOG', 'UpdateBehavior': 'UPDATE_IN_DATABASE'}}, Tags={{'course': 'de'}})
glue.create_job(Name='{job}', Role=role, GlueVersion='4.0', WorkerType='G.1X', NumberOfWorkers=2, Timeout=5,
    Connections={{'Connections': ['{conn}']}},
    Command={{'Name': 'glueetl', 'ScriptLocation': 's3://{id}-scripts/glue_job.py', 'PythonVersion': '3'}},
    DefaultArguments={{'--job-language': 'python', '--glue_connection': '{conn}'}}, Tags={{'course': 'de'}})
glue.create_table(DatabaseName='{db}', TableInput={{'Name': 'orders', 'TableType': 'EXTERNAL_TABLE',
    'Parameters': {{'classification': 'csv'}},
    'PartitionKeys': [{{'Name': 'dt', 'Type': 'string'}}],
    'StorageDescriptor': {{'Location': 's3://{id}-lake/raw/orders/',
        'InputFormat': 'org.apache.hadoop.mapred.TextInputFormat',
        'OutputFormat': 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
        'Columns': [{{'Name': 'order_id', 'Type': 'int'}}, {{'Name': 'amount', 'Type': 'double', 'Comment': 'in USD'}}],
        'SerdeInfo': {{'SerializationLibrary': 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe', 'Parameters': {{'field.delim': ','}}}}}}}})
j = glue.get_job(JobName='{job}')['Job']
c = glue.get_crawler(Name='{crawler}')['Crawler']
print(json.dumps({{'account': account, 'role': role, 'execution_class': j.get('ExecutionClass', ''),
    'max_capacity': j.get('MaxCapacity', 0), 'max_concurrent_runs': j.get('ExecutionProperty', {{}}).get('MaxConcurrentRuns', 0),
    'crawler_role': c['Role']}}))"#
    ));
    let account = made["account"].as_str().expect("account");
    let role = made["role"].as_str().expect("role");
    let region = "us-east-1";
    let arn = |path: &str| format!("arn:aws:glue:{region}:{account}:{path}");
    let course = json!({"course": "de"});
    let column = |name: &str, ty: &str, comment: Option<&str>| json!({"name": name, "type": ty, "comment": comment, "parameters": null});
    let mut state = terraform_state(&[
        (
            "aws_glue_catalog_table",
            "orders",
            json!({
                "id": format!("{account}:{db}:orders"), "name": "orders", "database_name": db,
                "catalog_id": account, "arn": arn(&format!("table/{db}/orders")),
                "description": "", "owner": "", "retention": 0, "region": region,
                "table_type": "EXTERNAL_TABLE", "parameters": {"classification": "csv"},
                "view_expanded_text": "", "view_original_text": "",
                "partition_keys": [column("dt", "string", None)],
                "partition_index": [],
                "storage_descriptor": [{
                    "additional_locations": [], "bucket_columns": [], "compressed": false,
                    "input_format": "org.apache.hadoop.mapred.TextInputFormat",
                    "location": format!("s3://{id}-lake/raw/orders/"), "number_of_buckets": 0,
                    "output_format": "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
                    "parameters": {}, "stored_as_sub_directories": false,
                    "columns": [column("order_id", "int", None), column("amount", "double", Some("in USD"))],
                    "ser_de_info": [{"name": null, "parameters": {"field.delim": ","},
                        "serialization_library": "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"}],
                    "schema_reference": [], "skewed_info": [], "sort_columns": []
                }]
            }),
        ),
        (
            "aws_glue_connection",
            "rds",
            json!({
                "id": format!("{account}:{conn}"), "name": conn, "catalog_id": account,
                "arn": arn(&format!("connection/{conn}")), "region": region,
                "connection_type": "JDBC", "description": "", "match_criteria": [],
                "athena_properties": {},
                "connection_properties": {
                    "JDBC_CONNECTION_URL": "jdbc:mysql://db.example:3306/shop",
                    "USERNAME": "admin", "PASSWORD": "pa55word"
                },
                "physical_connection_requirements": [{
                    "availability_zone": "us-east-1a", "subnet_id": "subnet-0a1b2c3d",
                    "security_group_id_list": ["sg-0a1b2c3d"]
                }],
                "tags": course, "tags_all": course
            }),
        ),
        (
            "aws_glue_crawler",
            "lake",
            json!({
                "id": crawler, "name": crawler, "arn": arn(&format!("crawler/{crawler}")),
                "database_name": db, "role": made["crawler_role"], "region": region,
                "classifiers": [], "configuration": "", "description": "", "schedule": "",
                "security_configuration": "", "table_prefix": "raw_",
                "s3_target": [{
                    "path": format!("s3://{id}-lake/gold/"), "exclusions": [],
                    "connection_name": "", "sample_size": null,
                    "event_queue_arn": "", "dlq_event_queue_arn": ""
                }],
                "schema_change_policy": [{"delete_behavior": "LOG", "update_behavior": "UPDATE_IN_DATABASE"}],
                "tags": course, "tags_all": course
            }),
        ),
        (
            "aws_glue_job",
            "etl",
            json!({
                "id": job, "name": job, "arn": arn(&format!("job/{job}")), "region": region,
                "role_arn": role, "description": "", "glue_version": "4.0",
                "worker_type": "G.1X", "number_of_workers": 2, "timeout": 5,
                "max_capacity": made["max_capacity"], "max_retries": 0,
                "execution_class": made["execution_class"], "job_mode": "",
                "job_run_queuing_enabled": false, "maintenance_window": "",
                "security_configuration": "", "connections": [conn],
                "default_arguments": {"--job-language": "python", "--glue_connection": conn},
                "non_overridable_arguments": {},
                "command": [{"name": "glueetl", "script_location": format!("s3://{id}-scripts/glue_job.py"),
                    "python_version": "3", "runtime": ""}],
                "execution_property": [{"max_concurrent_runs": made["max_concurrent_runs"]}],
                "notification_property": [], "source_control_details": [],
                "tags": course, "tags_all": course
            }),
        ),
    ]);
    // Terraform records the paths of sensitive attributes: the connection's properties.
    state["resources"][1]["instances"][0]["sensitive_attributes"] =
        json!([[{"type": "get_attr", "value": "connection_properties"}]]);
    take_over(
        &s,
        &state,
        &format!(
            r#"
provider "aws" {{
  region = "{region}"
}}
resource "aws_glue_catalog_table" "orders" {{
  name          = "orders"
  database_name = "{db}"
  table_type    = "EXTERNAL_TABLE"
  parameters    = {{ classification = "csv" }}
  partition_keys {{
    name = "dt"
    type = "string"
  }}
  storage_descriptor {{
    location      = "s3://{id}-lake/raw/orders/"
    input_format  = "org.apache.hadoop.mapred.TextInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
    columns {{
      name = "order_id"
      type = "int"
    }}
    columns {{
      name    = "amount"
      type    = "double"
      comment = "in USD"
    }}
    ser_de_info {{
      serialization_library = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
      parameters            = {{ "field.delim" = "," }}
    }}
  }}
}}
resource "aws_glue_connection" "rds" {{
  name = "{conn}"
  connection_properties = {{
    JDBC_CONNECTION_URL = "jdbc:mysql://db.example:3306/shop"
    USERNAME            = "admin"
    PASSWORD            = "pa55word"
  }}
  physical_connection_requirements {{
    availability_zone      = "us-east-1a"
    security_group_id_list = ["sg-0a1b2c3d"]
    subnet_id              = "subnet-0a1b2c3d"
  }}
  tags = {{ course = "de" }}
}}
resource "aws_glue_crawler" "lake" {{
  name          = "{crawler}"
  database_name = "{db}"
  role          = "{role}"
  table_prefix  = "raw_"
  s3_target {{
    path = "s3://{id}-lake/gold/"
  }}
  schema_change_policy {{
    delete_behavior = "LOG"
    update_behavior = "UPDATE_IN_DATABASE"
  }}
  tags = {{ course = "de" }}
}}
resource "aws_glue_job" "etl" {{
  name              = "{job}"
  role_arn          = "{role}"
  glue_version      = "4.0"
  worker_type       = "G.1X"
  number_of_workers = 2
  timeout           = 5
  connections       = [aws_glue_connection.rds.name]
  command {{
    name            = "glueetl"
    script_location = "s3://{id}-scripts/glue_job.py"
    python_version  = "3"
  }}
  default_arguments = {{
    "--job-language"    = "python"
    "--glue_connection" = aws_glue_connection.rds.name
  }}
  tags = {{ course = "de" }}
}}
"#
        ),
        4,
    );
    let left = boto3(&format!(
        "glue = aws('glue')\n\
         def gone(call):\n    try:\n        call()\n        return False\n    except glue.exceptions.EntityNotFoundException:\n        return True\n\
         print(json.dumps({{'connection': gone(lambda: glue.get_connection(Name='{conn}')),\n\
           'crawler': gone(lambda: glue.get_crawler(Name='{crawler}')),\n\
           'job': gone(lambda: glue.get_job(JobName='{job}')),\n\
           'table': gone(lambda: glue.get_table(DatabaseName='{db}', Name='orders'))}}))\n\
         glue.delete_database(Name='{db}')\n\
         aws('iam').delete_role(RoleName='{id}-glue')"
    ));
    assert_eq!(
        left,
        json!({"connection": true, "crawler": true, "job": true, "table": true})
    );
}
