//! `stacks/dlai-lab`, the DeepLearning.AI labs' resources (RDS source, Glue connection, crawler
//! and job over an S3 lake, IAM roles, Kinesis into Firehose through a Lambda transformation),
//! through the binary against moto; every object read back with boto3 as a separate client.

use serde_json::Value as Json;

use crate::aws_stacks::boto3;
use crate::common::copy_stack;

const PASSWORD: &str = "lab-Secret-9731";

#[test]
fn dlai_lab_applies_reads_back_plans_clean_and_destroys_leaving_nothing() {
    let s = copy_stack("dlai-lab");
    let id = s.name().to_lowercase();
    let project = format!("dl{}", &id[id.len().saturating_sub(8)..]);
    // What the lab account has before the lab: a VPC, two private subnets, the database's group.
    let made = boto3(
        "ec2 = aws('ec2')\n\
         vpc = ec2.create_vpc(CidrBlock='10.30.0.0/16')['Vpc']['VpcId']\n\
         a = ec2.create_subnet(VpcId=vpc, CidrBlock='10.30.1.0/24', AvailabilityZone='us-east-1a')['Subnet']['SubnetId']\n\
         b = ec2.create_subnet(VpcId=vpc, CidrBlock='10.30.2.0/24', AvailabilityZone='us-east-1b')['Subnet']['SubnetId']\n\
         sg = ec2.create_security_group(GroupName='lab-db', Description='db', VpcId=vpc)['GroupId']\n\
         print(json.dumps({'vpc': vpc, 'a': a, 'b': b, 'sg': sg}))",
    );
    let vars = [
        format!("project={project}"),
        format!("vpc_id={}", made["vpc"].as_str().unwrap()),
        format!("private_subnet_a_id={}", made["a"].as_str().unwrap()),
        format!("private_subnet_b_id={}", made["b"].as_str().unwrap()),
        format!("db_sg_id={}", made["sg"].as_str().unwrap()),
        format!("db_password={PASSWORD}"),
    ];
    let with_vars = |cmd: &[&str]| {
        let mut a: Vec<&str> = cmd.to_vec();
        for v in &vars {
            a.extend(["-var", v.as_str()]);
        }
        s.run(&a)
    };

    with_vars(&["apply", "-auto-approve"])
        .ok()
        .stdout_has("aws_db_instance.source: Creation complete")
        .nowhere(PASSWORD);
    crate::provider_schema::assert_state_matches_provider_schemas(&s.state());

    let seen = boto3(&format!(
        "P = '{project}'\n\
         rds = aws('rds'); glue = aws('glue'); lam = aws('lambda'); fh = aws('firehose'); kin = aws('kinesis'); iam = aws('iam')\n\
         db = rds.describe_db_instances(DBInstanceIdentifier=P + '-rds')['DBInstances'][0]\n\
         conn = glue.get_connection(Name=P + '-rds-connection')['Connection']\n\
         crawler = glue.get_crawler(Name=P + '-lake-crawler')['Crawler']\n\
         job = glue.get_job(JobName=P + '-etl-job')['Job']\n\
         fn = lam.get_function(FunctionName=P + '-transform')['Configuration']\n\
         policy = json.loads(lam.get_policy(FunctionName=P + '-transform')['Policy'])\n\
         stream = fh.describe_delivery_stream(DeliveryStreamName=P + '-to-lake')['DeliveryStreamDescription']\n\
         kinesis = kin.describe_stream_summary(StreamName=P + '-events')['StreamDescriptionSummary']\n\
         attached = iam.list_attached_role_policies(RoleName=P + '-glue-role')['AttachedPolicies']\n\
         print(json.dumps({{'db': {{'status': db['DBInstanceStatus'], 'engine': db['Engine'], 'class': db['DBInstanceClass'], 'address': db['Endpoint']['Address'], 'port': db['Endpoint']['Port'], 'group': db['DBSubnetGroup']['DBSubnetGroupName'], 'tags': db.get('TagList', [])}},\n\
           'url': conn['ConnectionProperties']['JDBC_CONNECTION_URL'], 'subnet': conn['PhysicalConnectionRequirements']['SubnetId'],\n\
           'crawler_db': crawler['DatabaseName'], 'crawler_path': crawler['Targets']['S3Targets'][0]['Path'],\n\
           'job_script': job['Command']['ScriptLocation'], 'job_conn': job.get('Connections', {{}}).get('Connections', []), 'job_args': job['DefaultArguments'],\n\
           'fn_state': fn['State'], 'fn_handler': fn['Handler'], 'fn_env': fn['Environment']['Variables'],\n\
           'principal': policy['Statement'][0]['Principal'],\n\
           'fh_status': stream['DeliveryStreamStatus'], 'fh_source': stream['Source']['KinesisStreamSourceDescription']['KinesisStreamARN'],\n\
           'kinesis_arn': kinesis['StreamARN'], 'attached': [p['PolicyArn'] for p in attached]}}, default=str))"
    ));
    assert_eq!(seen["db"]["status"], "available", "{seen}");
    assert_eq!(seen["db"]["engine"], "mysql");
    assert_eq!(seen["db"]["class"], "db.t3.micro");
    assert_eq!(seen["db"]["group"], format!("{project}-source"));
    assert!(
        seen["db"]["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["Key"] == "labform-stack" && t["Value"] == s.name()),
        "the database carries no stack mark: {seen}"
    );
    let address = seen["db"]["address"].as_str().unwrap();
    assert_eq!(
        seen["url"],
        format!(
            "jdbc:mysql://{address}:{}/classicmodels",
            seen["db"]["port"]
        ),
        "{seen}"
    );
    assert_eq!(seen["subnet"], made["a"]);
    assert_eq!(
        seen["crawler_db"],
        format!("{project}_lake").replace('-', "_")
    );
    assert!(seen["crawler_path"].as_str().unwrap().ends_with("/gold/"));
    assert!(seen["job_script"]
        .as_str()
        .unwrap()
        .ends_with("/glue_job.py"));
    assert_eq!(
        seen["job_conn"],
        Json::from(vec![format!("{project}-rds-connection")])
    );
    assert_eq!(seen["job_args"]["--job-language"], "python");
    assert_eq!(seen["fn_state"], "Active");
    assert_eq!(seen["fn_handler"], "transform.lambda_handler");
    assert_eq!(seen["fn_env"]["TARGET_PREFIX"], "events");
    assert_eq!(seen["principal"]["Service"], "s3.amazonaws.com");
    assert_eq!(seen["fh_status"], "ACTIVE");
    assert_eq!(seen["fh_source"], seen["kinesis_arn"]);
    assert!(
        seen["attached"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"),
        "{seen}"
    );

    // The second run changes nothing (the zip, its hash and every rendered policy are stable),
    // and the password shows nowhere.
    with_vars(&["plan", "-detailed-exitcode"])
        .code(0)
        .nowhere(PASSWORD);
    // `output` lists a sensitive output as `terraform output` does.
    let listed = s.run(&["output"]);
    listed.ok().nowhere(PASSWORD);
    assert!(
        listed
            .stdout
            .lines()
            .any(|l| l.starts_with("db_password ") && l.ends_with("= <sensitive>")),
        "{}",
        listed.stdout
    );

    with_vars(&["destroy", "-auto-approve"])
        .ok()
        .stdout_has("Verified: nothing of stack");
    let left = boto3(&format!(
        "P = '{project}'\n\
         rds = aws('rds'); glue = aws('glue'); lam = aws('lambda'); fh = aws('firehose'); kin = aws('kinesis')\n\
         left = [d['DBInstanceIdentifier'] for d in rds.describe_db_instances()['DBInstances'] if d['DBInstanceIdentifier'].startswith(P)]\n\
         left += [g['DBSubnetGroupName'] for g in rds.describe_db_subnet_groups()['DBSubnetGroups'] if g['DBSubnetGroupName'].startswith(P)]\n\
         left += [c['Name'] for c in glue.get_connections()['ConnectionList'] if c['Name'].startswith(P)]\n\
         left += [c['Name'] for c in glue.get_crawlers()['Crawlers'] if c['Name'].startswith(P)]\n\
         left += [j['Name'] for j in glue.get_jobs()['Jobs'] if j['Name'].startswith(P)]\n\
         left += [f['FunctionName'] for f in lam.list_functions()['Functions'] if f['FunctionName'].startswith(P)]\n\
         left += [n for n in fh.list_delivery_streams()['DeliveryStreamNames'] if n.startswith(P)]\n\
         left += [n for n in kin.list_streams()['StreamNames'] if n.startswith(P)]\n\
         print(json.dumps(left))"
    ));
    assert_eq!(left, Json::Array(vec![]), "left after destroy: {left}");
}
