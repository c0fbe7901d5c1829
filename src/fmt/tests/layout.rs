//! Indentation, spaces between tokens and alignment of `=`.

use super::{check, unchanged};

#[test]
fn one_space_around_equals() {
    check("a=1\n", "a = 1\n");
    check("a    =     \"x\"\n", "a = \"x\"\n");
}

#[test]
fn consecutive_attributes_align_their_equals() {
    check(
        "a = 1\nbungle = 2\nxy = \"z\"\n",
        "a      = 1\nbungle = 2\nxy     = \"z\"\n",
    );
    // Over-padded groups shrink back to the longest name.
    check("a         = 1\nbb   = 2\n", "a  = 1\nbb = 2\n");
}

#[test]
fn blank_line_breaks_the_group() {
    unchanged("a = 1\n\nbungle = 2\n");
    check("a    = 1\n\nbungle = 2\n", "a = 1\n\nbungle = 2\n");
}

#[test]
fn comment_line_breaks_the_group() {
    check(
        "a = 1\n# about b\nbungle = 2\n",
        "a = 1\n# about b\nbungle = 2\n",
    );
}

#[test]
fn block_and_multi_line_value_break_the_group() {
    check(
        "a = 1\nbb = {\nc = 1\ndddd = 2\n}\neee = 3\nf = 4\nnested {}\ngg = 5\n",
        "a = 1\nbb = {\n  c    = 1\n  dddd = 2\n}\neee = 3\nf   = 4\nnested {}\ngg = 5\n",
    );
    check(
        "x = 1\nlong_name = [\n\"a\",\n]\n",
        "x = 1\nlong_name = [\n  \"a\",\n]\n",
    );
}

#[test]
fn one_line_object_value_aligns_with_neighbours() {
    check("a = { b = 1 }\ncc = 2\n", "a  = { b = 1 }\ncc = 2\n");
    check("a = {b=1, c=\"x\"}\n", "a = { b = 1, c = \"x\" }\n");
    check("a = {}\nb = { }\n", "a = {}\nb = {}\n");
}

#[test]
fn object_keys_align_inside_multi_line_objects() {
    check(
        "tags = {\nName = \"web\"\nEnvironment = \"dev\"\n\"quoted key\" = 1\n}\n",
        "tags = {\n  Name         = \"web\"\n  Environment  = \"dev\"\n  \"quoted key\" = 1\n}\n",
    );
}

#[test]
fn nested_blocks_indent_two_spaces_per_level() {
    check(
        "terraform {\nrequired_providers {\naws = {\nsource = \"hashicorp/aws\"\nversion = \"~> 5.0\"\n}\n}\n}\n",
        "terraform {\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \"~> 5.0\"\n    }\n  }\n}\n",
    );
    check(
        "      resource \"a\" \"b\" {\n        x = 1\n          }\n",
        "resource \"a\" \"b\" {\n  x = 1\n}\n",
    );
}

#[test]
fn one_line_blocks() {
    check("b{}\n", "b {}\n");
    check("b {a = 1}\n", "b { a = 1 }\n");
    check(
        "dynamic \"x\" {\ncontent {}\n}\n",
        "dynamic \"x\" {\n  content {}\n}\n",
    );
}

#[test]
fn lists_spanning_lines() {
    check(
        "a = [\n\"x\",\n  \"y\",\n      \"z\"\n]\n",
        "a = [\n  \"x\",\n  \"y\",\n  \"z\"\n]\n",
    );
    check(
        "a = [[\n1\n]]\nb = [\n[\n2\n]\n]\n",
        "a = [[\n  1\n]]\nb = [\n  [\n    2\n  ]\n]\n",
    );
    check(
        "a = [{\nx = 1\n}, {\nx = 2\n}]\n",
        "a = [{\n  x = 1\n  }, {\n  x = 2\n}]\n",
    );
    check(
        "a = [ 1,2 , 3 ]\nb = [ [ ] ]\n",
        "a = [1, 2, 3]\nb = [[]]\n",
    );
}

#[test]
fn function_calls_and_operators() {
    check("x = foo(1, -2,a*b, b,c)\n", "x = foo(1, -2, a * b, b, c)\n");
    check("x = ( a+-2 )\n", "x = (a + -2)\n");
    check("x = (-2+1)\n", "x = (-2 + 1)\n");
    check("x = 1 - 2\ny = a-b\n", "x = 1 - 2\ny = a-b\n");
    check("x = ! true\n", "x = !true\n");
    check("x = a&&b||c\n", "x = a && b || c\n");
    check(
        "x = a==b\ny = a!=b\nz = a>=b\n",
        "x = a == b\ny = a != b\nz = a >= b\n",
    );
    check("x = concat(a,b...)\n", "x = concat(a, b...)\n");
    check(
        "x = foo(\n1,\n- 2,\na*b,\n)\n",
        "x = foo(\n  1,\n  -2,\n  a * b,\n)\n",
    );
}

#[test]
fn traversals_and_splats() {
    check("x = b.c\ny = b [c]\n", "x = b.c\ny = b[c]\n");
    check("x = b()[c]\n", "x = b()[c]\n");
    check("x = [\"hello\"] [0]\n", "x = [\"hello\"][0]\n");
    check(
        "x = a[*].b\ny = a.*.b\nz = a.0.b\n",
        "x = a[*].b\ny = a.*.b\nz = a.0.b\n",
    );
}

#[test]
fn conditionals_and_for_expressions() {
    check("x = a?b:c\n", "x = a ? b : c\n");
    check("x = [for x in y : x]\n", "x = [for x in y : x]\n");
    check("x = [for x in [y]: x]\n", "x = [for x in [y] : x]\n");
    check(
        "x = {for k,v in m: k=>v if v!=null}\n",
        "x = { for k, v in m : k => v if v != null }\n",
    );
    check(
        "x = {for k, v in m : k => v...}\n",
        "x = { for k, v in m : k => v... }\n",
    );
}

#[test]
fn provider_functions() {
    check(
        "x = provider :: aws :: arn_parse(y)\n",
        "x = provider::aws::arn_parse(y)\n",
    );
}

#[test]
fn multi_line_conditional_keeps_its_line_breaks() {
    check("x = (\na\n? b\n: c\n)\n", "x = (\n  a\n  ? b\n  : c\n)\n");
}

#[test]
fn unicode_names_align_by_grapheme() {
    check(
        "𝒜 = 1 # foo\nbungle = \"🇬🇧\" # baz\nzebra = \"striped\" # baz\n",
        "𝒜      = 1         # foo\nbungle = \"🇬🇧\"       # baz\nzebra  = \"striped\" # baz\n",
    );
    check(
        "m = {\n\"ключ\" = 1\n\"k\" = 2\n}\n",
        "m = {\n  \"ключ\" = 1\n  \"k\"    = 2\n}\n",
    );
}

#[test]
fn canonical_file_is_byte_identical() {
    unchanged(
        "resource \"aws_s3_bucket\" \"data\" {\n  bucket        = \"course-data\"\n  force_destroy = true\n\n  tags = {\n    Name = \"data\"\n    Team = \"de\"\n  }\n\n  lifecycle {\n    prevent_destroy = false\n  }\n}\n",
    );
}
