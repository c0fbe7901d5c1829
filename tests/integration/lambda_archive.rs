//! A Lambda function packaged by the built-in `archive_file`, through the binary against moto:
//! the zip's bytes and hash are stable, so the second run plans no change (no replacement).

use crate::aws_stacks::boto3;
use crate::common::Stack;

#[test]
fn archive_file_and_lambda_function_plan_clean_on_the_second_run() {
    let s = Stack::new();
    let name = format!("lf-{}", s.name().to_lowercase());
    s.file(
        "src/handler.py",
        "def handler(event, context):\n    return event\n",
    );
    s.file(
        "main.tf",
        &format!(
            r#"
provider "aws" {{
  region = "us-east-1"
}}

data "archive_file" "code" {{
  type        = "zip"
  source_file = "${{path.module}}/src/handler.py"
  output_path = "${{path.module}}/build/handler.zip"
}}

resource "aws_iam_role" "fn" {{
  name = "{name}"
  assume_role_policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = "sts:AssumeRole", Principal = {{ Service = "lambda.amazonaws.com" }} }}]
  }})
}}

resource "aws_lambda_function" "fn" {{
  function_name    = "{name}"
  role             = aws_iam_role.fn.arn
  handler          = "handler.handler"
  runtime          = "python3.12"
  filename         = data.archive_file.code.output_path
  source_code_hash = data.archive_file.code.output_base64sha256
  environment {{
    variables = {{ STAGE = "lab" }}
  }}
}}

output "code_sha256" {{
  value = aws_lambda_function.fn.code_sha256
}}
"#
        ),
    );
    s.run(&["apply", "-auto-approve"]).ok();
    let got = boto3(&format!(
        "c = aws('lambda').get_function(FunctionName='{name}')['Configuration']\nprint(json.dumps({{'sha': c['CodeSha256'], 'stage': c['Environment']['Variables']['STAGE']}}))"
    ));
    assert_eq!(got["stage"], "lab", "{got}");
    s.run(&["output", "-raw", "code_sha256"])
        .ok()
        .stdout_has(got["sha"].as_str().unwrap_or("?"));

    // The zip is made again with the same bytes: nothing to change.
    s.run(&["plan", "-detailed-exitcode"]).code(0);

    // A changed source is new code, updated in place.
    s.file(
        "src/handler.py",
        "def handler(event, context):\n    return 2\n",
    );
    s.run(&["apply", "-auto-approve"])
        .ok()
        .stdout_has("0 added, 1 changed, 0 destroyed");
    let after = boto3(&format!(
        "print(json.dumps(aws('lambda').get_function(FunctionName='{name}')['Configuration']['CodeSha256']))"
    ));
    assert_ne!(after, got["sha"], "the new code was not uploaded");

    s.run(&["destroy", "-auto-approve"]).ok();
    let left = boto3(&format!(
        "print(json.dumps([f['FunctionName'] for f in aws('lambda').list_functions()['Functions'] if f['FunctionName'] == '{name}']))"
    ));
    assert_eq!(left, serde_json::json!([]));
}
