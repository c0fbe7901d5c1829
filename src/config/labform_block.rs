//! The top-level `labform { }` block: labform's own settings for a stack, which Terraform does
//! not have (`ttl`, the stack's expiry). Anything else in it is an error naming what it takes.

use std::sync::Arc;

use hcl_edit::structure::{Body, Structure};
use hcl_edit::Span;

use super::blocks::loc;
use super::literal::literal_string;
use super::model::Stack;
use crate::diag::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::engine::expiry::parse_ttl;
use crate::suggest::did_you_mean;

const KEYS: &[&str] = &["ttl"];

pub(super) fn load_labform(
    stack: &mut Stack,
    file: &Arc<SourceFile>,
    body: Body,
    location: Option<Location>,
    diags: &mut Diagnostics,
) {
    if stack.labform.declared {
        diags.push(
            Diagnostic::error("duplicate `labform` block")
                .at(location)
                .hint("a stack has one `labform` block: merge the two"),
        );
        return;
    }
    stack.labform.declared = true;
    for structure in body.into_iter() {
        match structure {
            Structure::Attribute(attr) if attr.key.as_str() == "ttl" => {
                let at = loc(file, attr.value.span());
                match literal_string(&attr.value).map(|t| (parse_ttl(&t), t)) {
                    Some((Ok(ttl), _)) => stack.labform.ttl = Some((ttl, at)),
                    Some((Err(e), _)) => diags.push(
                        Diagnostic::error(e)
                            .at(at)
                            .hint("write `ttl = \"8h\"` (units: h, m, s), or `ttl = \"none\"`"),
                    ),
                    None => diags.push(
                        Diagnostic::error("`ttl` in the `labform` block must be a literal string")
                            .at(at)
                            .hint("write `ttl = \"8h\"`; variables cannot set it (use `-ttl` or `LABFORM_TTL`)"),
                    ),
                }
            }
            Structure::Attribute(attr) => {
                let key = attr.key.as_str();
                diags.push(
                    Diagnostic::error(format!(
                        "unsupported attribute `{key}` in the `labform` block"
                    ))
                    .at(loc(file, attr.key.span()))
                    .maybe_hint(did_you_mean(key, KEYS.iter().copied(), |s| s.to_string()))
                    .detail(format!("the `labform` block takes: {}", KEYS.join(", "))),
                );
            }
            Structure::Block(b) => diags.push(
                Diagnostic::error(format!(
                    "unsupported block `{}` in the `labform` block",
                    b.ident.as_str()
                ))
                .at(loc(file, b.ident.span()))
                .detail(format!("the `labform` block takes: {}", KEYS.join(", "))),
            ),
        }
    }
}
