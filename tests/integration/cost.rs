//! Estimated costs through the binary: the plan's `Cost:` line and `labform_cost` in
//! `plan -json`, and `labform status`, checked against the numbers of the checked-in price table
//! (read here from the file, not repeated) and, for what exists, against the objects themselves.

use serde_json::Value as Json;

use crate::common::Stack;

/// The price table as checked in.
fn prices() -> Json {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/cost/prices.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("prices.json")).expect("JSON")
}

fn num(j: &Json) -> f64 {
    j.as_f64()
        .unwrap_or_else(|| panic!("not a number in the price table: {j}"))
}

fn dollars(x: f64) -> String {
    format!("${x:.2}")
}

#[track_caller]
fn close(actual: &Json, expected: f64) {
    let a = actual
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {actual}"));
    assert!(
        (a - expected).abs() < 1e-5,
        "{a} is not the expected {expected}"
    );
}

fn object<'a>(status: &'a Json, addr: &str) -> &'a Json {
    status["objects"]
        .as_array()
        .expect("objects")
        .iter()
        .find(|o| o["address"] == addr)
        .unwrap_or_else(|| panic!("{addr} missing from status: {status}"))
}

/// A state written by hand (as another tool or an older labform would leave it): database
/// classes of both engines that labform's `aws_db_instance` will create, and a type the table
/// has no price for.
fn db_state(classes: &[(&str, &str)]) -> String {
    let instances: Vec<Json> = classes
        .iter()
        .map(|(engine, class)| {
            serde_json::json!({
                "index_key": format!("{engine}-{class}"),
                "schema_version": 0,
                "attributes": {
                    "id": format!("{engine}-{class}"),
                    "engine": engine,
                    "instance_class": class,
                    "allocated_storage": 20,
                    "multi_az": false,
                },
                "created_at": "2026-01-02T03:04:05Z",
            })
        })
        .collect();
    let provider = "provider[\"registry.terraform.io/hashicorp/aws\"]";
    serde_json::json!({
        "version": 4, "terraform_version": "1.9.0", "serial": 1, "lineage": "cost-test", "outputs": {},
        "resources": [
            {"mode": "managed", "type": "aws_db_instance", "name": "db", "provider": provider, "instances": instances},
            {"mode": "managed", "type": "aws_glue_job", "name": "etl", "provider": provider,
             "instances": [{"schema_version": 0, "attributes": {"id": "etl", "name": "etl"}}]}
        ]
    })
    .to_string()
}

#[test]
fn status_prices_every_database_class_from_the_table_and_says_what_has_no_price() {
    let classes = [
        ("postgres", "db.t3.micro"),
        ("postgres", "db.t3.small"),
        ("postgres", "db.t3.medium"),
        ("postgres", "db.t3.large"),
        ("postgres", "db.t4g.micro"),
        ("postgres", "db.t4g.small"),
        ("postgres", "db.t4g.medium"),
        ("postgres", "db.t4g.large"),
        ("mysql", "db.t3.micro"),
        ("mysql", "db.t3.small"),
        ("mysql", "db.t3.medium"),
        ("mysql", "db.t3.large"),
        ("mysql", "db.t4g.micro"),
        ("mysql", "db.t4g.small"),
        ("mysql", "db.t4g.medium"),
        ("mysql", "db.t4g.large"),
    ];
    let s = Stack::new();
    s.file("recorded.tfstate", &db_state(&classes));
    let table = prices();
    let rds = &table["types"]["aws_db_instance"];
    let storage =
        20.0 * num(&rds["storage"]["per_gb_month"]["gp2"]) / num(&table["hours_per_month"]);

    let out = s.run(&["status", "-json", "-state", "recorded.tfstate"]);
    out.ok();
    let status: Json = serde_json::from_str(&out.stdout).expect("status -json is JSON");
    let mut total = 0.0;
    for (engine, class) in classes {
        let hourly = num(&rds["hourly"]["prices"][format!("{engine}/{class}")]) + storage;
        let o = object(
            &status,
            &format!("aws_db_instance.db[\"{engine}-{class}\"]"),
        );
        close(&o["per_hour"], hourly);
        close(&o["per_day"], hourly * 24.0);
        assert_eq!(o["created_at"], "2026-01-02T03:04:05Z");
        assert_eq!(o["no_price_known"], serde_json::json!([]), "{o}");
        total += hourly;
    }
    close(&status["total"]["per_hour"], total);
    assert_eq!(
        status["no_price_known"],
        serde_json::json!(["aws_glue_job.etl"])
    );
    assert_eq!(status["estimate"], true);

    s.run(&["status", "-state", "recorded.tfstate"])
        .ok()
        .stdout_has("RDS postgres db.t4g.micro, storage gp2 20 GB")
        .stdout_has("RDS mysql db.t3.large, storage gp2 20 GB")
        .stdout_has("2026-01-02 03:04 UTC")
        .stdout_has("No price known: aws_glue_job.etl (no price known for `aws_glue_job`)")
        .stdout_has(&format!(
            "Total: {}/hour, {}/day",
            dollars(total),
            dollars(total * 24.0)
        ))
        .stdout_has("plus 1 object with no price known")
        .stdout_has("Estimates from labform's price table")
        .stdout_has("not a bill");
}

#[test]
fn status_of_a_stack_with_nothing_recorded_says_nothing_is_up() {
    let s = Stack::with("resource \"terraform_data\" \"t\" {}\n");
    s.run(&["status"])
        .ok()
        .stdout_has("is up: its state records no objects");
    s.run(&["apply", "-auto-approve"]).ok().nowhere("Cost:");
    let out = s.run(&["status", "-json"]);
    out.ok();
    let status: Json = serde_json::from_str(&out.stdout).expect("JSON");
    let o = object(&status, "terraform_data.t");
    assert_eq!(o["kind"], "none");
    close(&o["per_hour"], 0.0);
    // The create time is recorded in state by the apply, and status reads it from there.
    let recorded = s.state()["resources"][0]["instances"][0]["created_at"].clone();
    assert!(
        recorded.as_str().is_some_and(|t| t.ends_with('Z')),
        "{recorded}"
    );
    assert_eq!(o["created_at"], recorded);
}

#[cfg(feature = "aws")]
mod aws {
    use std::process::Command;

    use super::*;
    use crate::common::harness_env as env;

    fn stack(bucket: &str, instance_type: &str) -> String {
        format!(
            r#"
data "aws_ami" "al2" {{
  most_recent = true
  owners      = ["amazon"]
  filter {{
    name   = "name"
    values = ["amzn2-ami-hvm-*-x86_64-gp2"]
  }}
}}

resource "aws_instance" "i" {{
  ami           = data.aws_ami.al2.id
  instance_type = "{instance_type}"
}}

resource "aws_s3_bucket" "b" {{
  bucket        = "{bucket}"
  force_destroy = true
}}

resource "aws_db_instance" "db" {{
  identifier          = "{bucket}-db"
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  allocated_storage   = 20
  username            = "lab"
  password            = "Cost-test-pw-1"
  skip_final_snapshot = true
}}
"#
        )
    }

    /// The instance as boto3 sees it: its type and whether it has a public address.
    fn described(id: &str) -> Json {
        let script = format!(
            "import boto3, json, os\nec2 = boto3.client('ec2', endpoint_url=os.environ['AWS_ENDPOINT_URL'], region_name='us-east-1')\ni = ec2.describe_instances(InstanceIds=['{id}'])['Reservations'][0]['Instances'][0]\nprint(json.dumps({{'type': i['InstanceType'], 'public': bool(i.get('PublicIpAddress'))}}))"
        );
        let out = Command::new(env("LABFORM_TEST_PYTHON"))
            .args(["-c", &script])
            .output()
            .expect("python");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("JSON")
    }

    #[test]
    fn plan_and_status_show_the_cost_of_an_instance_a_database_and_a_bucket() {
        let s = Stack::new();
        let bucket = format!("{}-cost", s.name().to_lowercase());
        s.file("main.tf", &stack(&bucket, "t3.micro"));
        let table = prices();
        let ec2 = &table["types"]["aws_instance"];
        let hours = num(&table["hours_per_month"]);
        let t3_micro = num(&ec2["hourly"]["prices"]["t3.micro"]);
        let t3_small = num(&ec2["hourly"]["prices"]["t3.small"]);
        let root = 8.0 * num(&ec2["storage"]["per_gb_month"]["gp2"]) / hours;
        let rds = &table["types"]["aws_db_instance"];
        let db = num(&rds["hourly"]["prices"]["postgres/db.t3.micro"])
            + 20.0 * num(&rds["storage"]["per_gb_month"]["gp2"]) / hours;
        let planned = t3_micro + root + db;

        s.run(&["plan"])
            .ok()
            .stdout_has("Plan: 3 to add, 0 to change, 0 to destroy.")
            .stdout_has(&format!(
                "Cost: +{}/day (RDS postgres db.t3.micro 24h, storage gp2 20 GB 24h, EC2 t3.micro 24h, EBS gp2 8 GB 24h, S3 bucket: storage billed by use)",
                dollars(planned * 24.0)
            ))
            .stdout_has(&format!(
                "The stack after this change: {}/day",
                dollars(planned * 24.0)
            ))
            .stdout_has("aws_s3_bucket.b: storage billed by use ($0.023/GB-month, STANDARD)")
            .stdout_has("May be free: AWS free tier: 750 hours a month of t2.micro or t3.micro")
            .stdout_has("May be free: AWS free tier: 750 hours a month of a Single-AZ db.t2.micro, db.t3.micro or db.t4g.micro")
            .stdout_has("not a bill");

        let out = s.run(&["plan", "-json"]);
        out.ok();
        let plan: Json = serde_json::from_str(&out.stdout).expect("plan -json is JSON");
        // Terraform's shape stays; labform's estimate rides in its own key.
        assert_eq!(plan["resource_changes"].as_array().map(Vec::len), Some(3));
        assert_eq!(plan["summary"]["add"], 3);
        let cost = &plan["labform_cost"];
        close(&cost["per_day"]["before"], 0.0);
        close(&cost["per_day"]["after"], planned * 24.0);
        close(&cost["per_day"]["difference"], planned * 24.0);
        close(&cost["per_hour"]["after"], planned);
        let added: Vec<&str> = cost["added"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|i| i["address"].as_str())
            .collect();
        assert_eq!(
            added,
            ["aws_db_instance.db", "aws_instance.i", "aws_s3_bucket.b"]
        );
        assert_eq!(cost["estimate"], true);

        let started = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        s.run(&["apply", "-auto-approve"]).ok();
        let finished = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);

        // What status bills for the instance follows what the instance is, as boto3 sees it.
        let id = s.state()["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["type"] == "aws_instance")
            .and_then(|r| r["instances"][0]["attributes"]["id"].as_str())
            .expect("instance id in state")
            .to_string();
        let seen = described(&id);
        assert_eq!(seen["type"], "t3.micro");
        let ip = if seen["public"] == true {
            num(&ec2["addons"][0]["per_hour"])
        } else {
            0.0
        };
        let out = s.run(&["status", "-json"]);
        out.ok();
        let status: Json = serde_json::from_str(&out.stdout).expect("status -json is JSON");
        let i = object(&status, "aws_instance.i");
        close(&i["per_hour"], t3_micro + root + ip);
        let created = i["created_at"].as_str().expect("created_at");
        assert!(
            started.as_str() <= created && created <= finished.as_str(),
            "{created} not within the apply ({started} .. {finished})"
        );
        let b = object(&status, "aws_s3_bucket.b");
        close(&b["per_hour"], 0.0);
        assert_eq!(
            b["billed_by_use"],
            serde_json::json!(["storage billed by use ($0.023/GB-month, STANDARD)"])
        );
        close(&object(&status, "aws_db_instance.db")["per_hour"], db);
        close(&status["total"]["per_hour"], t3_micro + root + ip + db);
        s.run(&["status"])
            .ok()
            .stdout_has("aws_instance.i")
            .stdout_has("EC2 t3.micro, EBS gp2 8 GB")
            .stdout_has("RDS postgres db.t3.micro, storage gp2 20 GB")
            .stdout_has("S3 bucket: storage billed by use")
            .stdout_has(&format!(
                "Total: ${:.4}/hour, {}/day.",
                t3_micro + root + ip + db,
                dollars((t3_micro + root + ip + db) * 24.0)
            ));

        // A bigger instance: the difference, and what it replaces.
        s.file("main.tf", &stack(&bucket, "t3.small"));
        s.run(&["plan"]).ok().stdout_has(&format!(
            "Cost: +{}/day (EC2 t3.small 24h, no more: EC2 t3.micro)",
            dollars((t3_small - t3_micro) * 24.0)
        ));

        s.run(&["destroy", "-auto-approve"])
            .ok()
            .stdout_has(&format!(
                "Cost: -{}/day (no more: ",
                dollars((t3_micro + root + ip + db) * 24.0)
            ))
            .stdout_has("The stack after this change: $0.00/day");
        s.run(&["status"])
            .ok()
            .stdout_has("is up: its state records no objects");
    }

    #[test]
    fn an_instance_type_missing_from_the_table_has_no_price_known() {
        let s = Stack::new();
        let bucket = format!("{}-np", s.name().to_lowercase());
        s.file("main.tf", &stack(&bucket, "m7i.large"));
        s.run(&["plan"])
            .ok()
            .stdout_has("No price known: aws_instance.i (no price known for EC2 `m7i.large`)")
            .stdout_has("Cost: +");
        let out = s.run(&["plan", "-json"]);
        out.ok();
        let plan: Json = serde_json::from_str(&out.stdout).expect("JSON");
        assert_eq!(
            plan["labform_cost"]["no_price_known"],
            serde_json::json!(["aws_instance.i"])
        );
    }

    /// The stack id a stack's state records.
    fn stack_id(s: &Stack, dir: &str) -> String {
        let state: Json =
            serde_json::from_str(&s.read(&format!("{dir}/.labform/state.json"))).expect("state");
        state["labform"]["stack_id"]
            .as_str()
            .expect("stack id in state")
            .to_string()
    }

    #[test]
    fn status_all_finds_every_stack_by_mark_with_its_cost_and_the_totals() {
        let (a, b) = (Stack::new(), Stack::new());
        let dir = "terraform";
        let base = a.name().to_lowercase();
        let (bucket_a, bucket_b) = (format!("{base}-all-a"), format!("{base}-all-b"));
        a.file(&format!("{dir}/main.tf"), &stack(&bucket_a, "t3.micro"));
        b.file(&format!("{dir}/main.tf"), &stack(&bucket_b, "t3.small"));
        let started = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        a.run(&["apply", "-auto-approve", dir]).ok();
        b.run(&["apply", "-auto-approve", dir]).ok();
        let (id_a, id_b) = (stack_id(&a, dir), stack_id(&b, dir));
        // An instructor's directory: only the account to look in.
        a.file(
            "admin/main.tf",
            "provider \"aws\" {\n  region = \"us-east-1\"\n}\n",
        );
        let ec2 = &prices()["types"]["aws_instance"];

        let out = a.run(&["status", "-all", "-json", "admin"]);
        out.ok();
        let all: Json = serde_json::from_str(&out.stdout).expect("status -all -json is JSON");
        let stacks = all["stacks"].as_array().expect("stacks");
        let of = |id: &str| {
            stacks
                .iter()
                .find(|st| st["stack_id"] == id)
                .unwrap_or_else(|| panic!("stack {id} missing from status -all: {all}"))
        };
        for (s, id, bucket, instance_type) in [
            (&a, &id_a, &bucket_a, "t3.micro"),
            (&b, &id_b, &bucket_b, "t3.small"),
        ] {
            let listed = of(id);
            assert_eq!(listed["stack"], dir);
            let objects = listed["objects"].as_array().expect("objects");
            let mut types: Vec<&str> = objects.iter().filter_map(|o| o["type"].as_str()).collect();
            types.sort_unstable();
            assert_eq!(
                types,
                ["aws_db_instance", "aws_instance", "aws_s3_bucket"],
                "{listed}"
            );
            let instance = objects
                .iter()
                .find(|o| o["type"] == "aws_instance")
                .unwrap();
            assert!(
                num(&instance["per_hour"]) >= num(&ec2["hourly"]["prices"][instance_type]),
                "{instance}"
            );
            let bucket_object = objects
                .iter()
                .find(|o| o["type"] == "aws_s3_bucket")
                .unwrap();
            assert_eq!(bucket_object["address"], format!("aws_s3_bucket.{bucket}"));
            let db = objects
                .iter()
                .find(|o| o["type"] == "aws_db_instance")
                .unwrap();
            assert_eq!(db["address"], format!("aws_db_instance.{bucket}-db"));
            // Since when: the clouds' own times, not a state's.
            for o in objects {
                let made = o["created_at"].as_str().unwrap_or_else(|| panic!("{o}"));
                assert!(
                    made >= &started[..16],
                    "{made} before the apply at {started}"
                );
            }
            // Priced from what the cloud says, it costs what its own state says.
            let here = s.run(&["status", "-json", dir]);
            here.ok();
            let by_state: Json = serde_json::from_str(&here.stdout).expect("JSON");
            close(
                &listed["total"]["per_hour"],
                num(&by_state["total"]["per_hour"]),
            );
        }
        let sum: f64 = stacks.iter().map(|st| num(&st["total"]["per_hour"])).sum();
        close(&all["total"]["per_hour"], sum);
        let count: usize = stacks
            .iter()
            .map(|st| st["objects"].as_array().map_or(0, Vec::len))
            .sum();
        assert_eq!(all["total"]["objects"], count);
        assert_eq!(all["estimate"], true);

        a.run(&["status", "-all", "admin"])
            .ok()
            .stdout_has(&format!(
                "Stack `terraform` (id {id_a}): 3 objects found by mark."
            ))
            .stdout_has(&format!(
                "Stack `terraform` (id {id_b}): 3 objects found by mark."
            ))
            .stdout_has(&format!("aws_s3_bucket.{bucket_a}"))
            .stdout_has("All stacks: ")
            .stdout_has("not a bill");

        a.run(&["destroy", "-auto-approve", dir]).ok();
        let out = a.run(&["status", "-all", "-json", "admin"]);
        out.ok();
        let after: Json = serde_json::from_str(&out.stdout).expect("JSON");
        let ids: Vec<&str> = after["stacks"]
            .as_array()
            .expect("stacks")
            .iter()
            .filter_map(|st| st["stack_id"].as_str())
            .collect();
        assert!(!ids.contains(&id_a.as_str()), "a destroyed stack is listed");
        assert!(ids.contains(&id_b.as_str()), "{after}");
        b.run(&["destroy", "-auto-approve", dir]).ok();
    }
}
