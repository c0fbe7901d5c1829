//! The rewrites `terraform fmt` makes beyond whitespace.

use super::{check, unchanged};

#[test]
fn labels_are_quoted() {
    check(
        "resource aws_instance web {\n}\n",
        "resource \"aws_instance\" \"web\" {\n}\n",
    );
    check(
        "variable instance_type {\n\n}\n",
        "variable \"instance_type\" {\n\n}\n",
    );
    check("beep boop {}\n", "beep \"boop\" {}\n");
    unchanged("provider \"\" {\n}\n");
}

#[test]
fn comments_among_labels_are_dropped_as_terraform_does() {
    check(
        "resource \"foo_instance\" /* ... */ \"baz\" {\n}\n",
        "resource \"foo_instance\" \"baz\" {\n}\n",
    );
    check("locals /* kept */ {\n}\n", "locals /* kept */ {\n}\n");
}

#[test]
fn label_escapes_are_canonical() {
    check("thing \"a\\u0041\" {}\n", "thing \"aA\" {}\n");
    unchanged("thing \"a\\\"b\" \"$${x}\" {}\n");
}

#[test]
fn lone_interpolation_is_unwrapped() {
    check(
        "resource \"x\" \"y\" {\n  name = \"${var.name}\"\n}\n",
        "resource \"x\" \"y\" {\n  name = var.name\n}\n",
    );
    check("a = \"${ f(\"${x}\") }\"\n", "a = f(\"${x}\")\n");
    check("a = \"${~x~}\"\n", "a = x\n");
}

#[test]
fn interpolation_with_other_text_is_kept() {
    unchanged("a = \"${var.name}-2\"\n");
    unchanged("a = \"${var.a}${var.b}\"\n");
    unchanged("a = \"%{if x}y%{endif}\"\n");
    unchanged("a = <<EOF\n${x}\nEOF\n");
    // Only attribute values are unwrapped, not values inside them.
    unchanged("a = { b = \"${x}\" }\n");
    unchanged("a = [\"${x}\"]\n");
}

#[test]
fn multi_line_interpolation_gets_parentheses() {
    check(
        "locals {\n  wrapped = \"${var.a == null ? 1 :\n    var.b == null ? 2 :\n  3}\"\n}\n",
        "locals {\n  wrapped = (var.a == null ? 1 :\n    var.b == null ? 2 :\n  3)\n}\n",
    );
    check(
        "locals {\n  w = \"${(var.a == null ? 1 :\n  3)}\"\n}\n",
        "locals {\n  w = (var.a == null ? 1 :\n  3)\n}\n",
    );
    check("a = \"${\nhello\n}\"\n", "a = hello\n");
}

#[test]
fn legacy_variable_types_are_modernised() {
    check(
        "variable \"a\" {\n  type = list\n}\nvariable \"b\" {\n  type = \"map\"\n}\nvariable \"c\" {\n  type = \"string\"\n}\nvariable \"d\" {\n  type = set\n}\nvariable \"e\" {\n  type = \"list\"\n}\nvariable \"f\" {\n  type = map\n}\n",
        "variable \"a\" {\n  type = list(any)\n}\nvariable \"b\" {\n  type = map(string)\n}\nvariable \"c\" {\n  type = string\n}\nvariable \"d\" {\n  type = set(any)\n}\nvariable \"e\" {\n  type = list(string)\n}\nvariable \"f\" {\n  type = map(any)\n}\n",
    );
    unchanged("variable \"g\" {\n  type = list(\n    object({\n      foo = bool\n    })\n  )\n}\n");
    // Only a top-level `variable` block's own `type`.
    unchanged("resource \"x\" \"y\" {\n  type = \"string\"\n}\n");
    unchanged("variable \"h\" {\n  validation {\n    type = \"list\"\n  }\n}\n");
    check(
        "variable \"i\" {\n  type = \"${string}\"\n}\n",
        "variable \"i\" {\n  type = \"${string}\"\n}\n",
    );
}

#[test]
fn a_whole_messy_file() {
    let input = concat!(
        "# Lab stack\n",
        "\n",
        "terraform {\n",
        "required_providers {\n",
        "docker = { source = \"kreuzwerker/docker\" }\n",
        "aws = {\n",
        "            source = \"hashicorp/aws\"\n",
        "     version = \">= 5.0\"\n",
        "}\n",
        "}\n",
        "}\n",
        "\n",
        "variable prefix {\n",
        "  type = \"string\"\n",
        "  default = \"lab\" # used everywhere\n",
        "}\n",
        "\n",
        "resource aws_s3_bucket raw {\n",
        "    bucket = \"${var.prefix}\"\n",
        "    tags = {\n",
        "        Name = \"raw-${var.prefix}\"\n",
        "        Stage     = \"raw\"\n",
        "    }\n",
        "  count = length( var.names )\n",
        "}\n",
        "\n",
        "  output \"url\" {\n",
        "value = \"s3://${aws_s3_bucket.raw[0].bucket}/data\"\n",
        "description=<<-EOT\n",
        "    Where the raw data lands.\n",
        "    EOT\n",
        "}\n",
    );
    let want = concat!(
        "# Lab stack\n",
        "\n",
        "terraform {\n",
        "  required_providers {\n",
        "    docker = { source = \"kreuzwerker/docker\" }\n",
        "    aws = {\n",
        "      source  = \"hashicorp/aws\"\n",
        "      version = \">= 5.0\"\n",
        "    }\n",
        "  }\n",
        "}\n",
        "\n",
        "variable \"prefix\" {\n",
        "  type    = string\n",
        "  default = \"lab\" # used everywhere\n",
        "}\n",
        "\n",
        "resource \"aws_s3_bucket\" \"raw\" {\n",
        "  bucket = var.prefix\n",
        "  tags = {\n",
        "    Name  = \"raw-${var.prefix}\"\n",
        "    Stage = \"raw\"\n",
        "  }\n",
        "  count = length(var.names)\n",
        "}\n",
        "\n",
        "output \"url\" {\n",
        "  value       = \"s3://${aws_s3_bucket.raw[0].bucket}/data\"\n",
        "  description = <<-EOT\n",
        "    Where the raw data lands.\n",
        "    EOT\n",
        "}\n",
    );
    check(input, want);
}

#[test]
fn labels_terraform_cannot_read_back_are_kept() {
    // `terraform fmt` drops these labels (its label reader splits them at `$`/`%`).
    unchanged("thing \"a$b\" \"100%\" {}\n");
    check("thing a \"c$d\" {}\n", "thing \"a\" \"c$d\" {}\n");
}
