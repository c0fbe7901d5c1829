//! Strings, templates, heredocs and comments: their contents are never touched.

use super::{check, unchanged};

#[test]
fn interpolation_padding_is_removed() {
    check("a=\"hello ${ name }\"\n", "a = \"hello ${name}\"\n");
    check("a=\"hello ${~ name ~}\"\n", "a = \"hello ${~name~}\"\n");
    check(
        "a = \"${b}${c}${ d } ${e}\"\n",
        "a = \"${b}${c}${d} ${e}\"\n",
    );
    check(
        "a = \"x-${ upper( var.name ) }-y\"\n",
        "a = \"x-${upper(var.name)}-y\"\n",
    );
}

#[test]
fn template_directives() {
    check(
        "a = \"%{ if var.on }yes%{ else }no%{ endif }\"\n",
        "a = \"%{if var.on}yes%{else}no%{endif}\"\n",
    );
    check(
        "a = \"%{ for x in xs }${ x },%{ endfor }\"\n",
        "a = \"%{for x in xs}${x},%{endfor}\"\n",
    );
}

#[test]
fn string_contents_are_never_touched() {
    unchanged("a = \"  spaced   out  \"\n");
    unchanged("a = \"tab\\there \\\"quoted\\\" \\\\ \\u00e9\"\n");
    unchanged("a = \"$${not_interpolated} %%{not_a_directive}\"\n");
    unchanged("a = \"x = 1 # not a comment\"\n");
    check("a = \"a  =  b\"   # c\n", "a = \"a  =  b\" # c\n");
}

#[test]
fn heredoc_bodies_are_not_reindented() {
    check(
        "foo {\nbar = <<EOT\n   Foo bar baz  \n\tindented with tab\nEOT\n}\n",
        "foo {\n  bar = <<EOT\n   Foo bar baz  \n\tindented with tab\nEOT\n}\n",
    );
    check(
        "foo {\n      bar = <<-EOT\n        Foo bar baz\n          deeper\n        EOT\n}\n",
        "foo {\n  bar = <<-EOT\n        Foo bar baz\n          deeper\n        EOT\n}\n",
    );
}

#[test]
fn heredoc_interpolations_are_tightened_but_text_kept() {
    check(
        "x = <<-EOT\n  ${a}${b}${ c } ${d}\n  %{ if e }yes%{ endif }\n  EOT\n",
        "x = <<-EOT\n  ${a}${b}${c} ${d}\n  %{if e}yes%{endif}\n  EOT\n",
    );
    check(
        "x = <<-EOT\n  ${{ k = v }}\nEOT\n",
        "x = <<-EOT\n  ${ { k = v } }\nEOT\n",
    );
}

#[test]
fn heredocs_in_a_row_and_among_attributes() {
    // A heredoc is one line to the layout: its attribute aligns with its neighbours.
    check(
        "foo {\nbar = <<EOT\nA\nEOT\nbaz = <<EOT\nB\nEOT\nqux = 1\nquux = 2\n}\n",
        "foo {\n  bar  = <<EOT\nA\nEOT\n  baz  = <<EOT\nB\nEOT\n  qux  = 1\n  quux = 2\n}\n",
    );
}

#[test]
fn heredoc_looking_text_inside_heredoc() {
    unchanged("x = <<EOF\nnot = <<INNER\nEOFX\n  text EOF is not alone\nEOF\ny = 1\n");
}

#[test]
fn heredoc_in_a_function_call() {
    check(
        "x = jsonencode(yamldecode(<<EOF\na: 1\nEOF\n))\n",
        "x = jsonencode(yamldecode(<<EOF\na: 1\nEOF\n))\n",
    );
}

#[test]
fn comments_are_kept_byte_for_byte() {
    unchanged(
        "# hash comment   with  spaces   \n// slash comment\n/* block\n     comment */\na = 1\n",
    );
    check(
        "  # indented comment\nb {\n# inside\n      // also inside\n}\n",
        "# indented comment\nb {\n  # inside\n  // also inside\n}\n",
    );
    check(
        "b {\n    /* multi\n         line */\n}\n",
        "b {\n  /* multi\n         line */\n}\n",
    );
}

#[test]
fn trailing_comments_align() {
    check(
        "a = 1 # foo\nbungle = \"bonce\" # baz\nzebra = \"striped\" // qux\n",
        "a      = 1         # foo\nbungle = \"bonce\"   # baz\nzebra  = \"striped\" // qux\n",
    );
    check(
        "foo {} # here we go\na = 1 # foo\n",
        "foo {} # here we go\na = 1  # foo\n",
    );
    check(
        "a=\"apple\"# foo\nbungle=(# woo parens\n\"bonce\"\n)# baz\nzebra=\"striped\"# baz\n",
        "a = \"apple\" # foo\nbungle = (  # woo parens\n  \"bonce\"\n)                 # baz\nzebra = \"striped\" # baz\n",
    );
}

#[test]
fn inline_block_comment_between_tokens() {
    check("a = /* why */ 1\nbb = 2\n", "a  = /* why */ 1\nbb = 2\n");
}

#[test]
fn comment_inside_multi_line_values() {
    check(
        "foo = [\n# first\n\"a\", # trailing\n\"bb\", # more\n]\n",
        "foo = [\n  # first\n  \"a\",  # trailing\n  \"bb\", # more\n]\n",
    );
}
