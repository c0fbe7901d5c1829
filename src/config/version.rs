//! Version constraints in `required_version` and `required_providers`, read as constraints on the
//! Terraform language and provider schemas labform implements (never on labform's own version).

use crate::diag::{Diagnostic, Diagnostics};

use super::model::Stack;

/// The Terraform language version labform's stack handling is compatible with.
pub const TERRAFORM_COMPAT: &str = "1.15.0";

/// The provider schema versions labform implements, by provider local name.
pub const PROVIDER_COMPAT: &[(&str, &str)] = &[
    ("aws", "6.58.0"),
    ("google", "7.45.0"),
    ("docker", "4.5.0"),
    ("random", "3.7.2"),
    ("local", "2.5.3"),
    ("time", "0.13.1"),
    ("tls", "4.2.1"),
    ("archive", "2.8.0"),
    ("terraform", "1.15.0"),
];

/// Checks the stack's version constraints: an unmet `required_version` is an error; an unmet
/// provider version is a warning, since the schemas rarely differ for what course stacks use.
pub fn check_versions(stack: &Stack) -> Diagnostics {
    let mut diags = Diagnostics::new();
    if let Some((constraint, at)) = &stack.terraform.required_version {
        match matches(constraint, TERRAFORM_COMPAT) {
            Ok(true) => {}
            Ok(false) => diags.push(
                Diagnostic::error(format!(
                    "this stack requires Terraform `{constraint}`; labform implements the Terraform {TERRAFORM_COMPAT} language"
                ))
                .at(at.clone())
                .hint("relax `required_version` if the stack does not need newer language features"),
            ),
            Err(msg) => diags.push(Diagnostic::error(format!("invalid `required_version`: {msg}")).at(at.clone())),
        }
    }
    for (name, req) in &stack.terraform.required_providers {
        let Some(constraint) = &req.version else {
            continue;
        };
        let Some((_, implemented)) = PROVIDER_COMPAT.iter().find(|(n, _)| n == name) else {
            continue;
        };
        match matches(constraint, implemented) {
            Ok(true) => {}
            Ok(false) => diags.push(
                Diagnostic::warning(format!(
                    "the stack asks for provider `{name}` version `{constraint}`; labform implements its {implemented} schema"
                ))
                .at(req.location.clone())
                .detail("the stack runs unchanged; attributes that differ between the two versions may behave as in the newer one"),
            ),
            Err(msg) => diags.push(Diagnostic::error(format!("invalid version constraint for `{name}`: {msg}")).at(req.location.clone())),
        }
    }
    diags
}

/// Whether `version` satisfies a constraint like `>= 1.2, < 2.0` or `~> 5.6`.
pub fn matches(constraint: &str, version: &str) -> Result<bool, String> {
    let v = parse(version)?;
    for part in constraint.split(',') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let (op, rest) = split_op(part);
        let (want, precision) = parse_partial(rest.trim())?;
        let ok = match op {
            "=" | "" => v == want,
            "!=" => v != want,
            ">" => v > want,
            ">=" => v >= want,
            "<" => v < want,
            "<=" => v <= want,
            "~>" => {
                // `~> 1.2` allows 1.x >= 1.2; `~> 1.2.3` allows 1.2.x >= 1.2.3.
                let upper_index = precision.saturating_sub(2).min(2);
                let mut upper = want;
                upper[upper_index] += 1;
                for x in upper.iter_mut().skip(upper_index + 1) {
                    *x = 0;
                }
                v >= want && (precision == 1 || v < upper)
            }
            other => return Err(format!("unknown operator `{other}`")),
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

fn split_op(s: &str) -> (&str, &str) {
    for op in ["~>", ">=", "<=", "!=", ">", "<", "="] {
        if let Some(rest) = s.strip_prefix(op) {
            return (op, rest);
        }
    }
    ("", s)
}

fn parse(v: &str) -> Result<[u64; 3], String> {
    parse_partial(v).map(|(v, _)| v)
}

/// Parses `1`, `1.2` or `1.2.3` (a `v` prefix and a `-pre` suffix are ignored); returns how many
/// parts were written.
fn parse_partial(v: &str) -> Result<([u64; 3], usize), String> {
    let core = v.trim().trim_start_matches('v');
    let core = core.split(['-', '+']).next().unwrap_or(core);
    let mut out = [0u64; 3];
    let parts: Vec<&str> = core.split('.').collect();
    if parts.is_empty() || parts.len() > 3 {
        return Err(format!("`{v}` is not a version like `1.2.3`"));
    }
    for (i, p) in parts.iter().enumerate() {
        out[i] = p
            .parse()
            .map_err(|_| format!("`{v}` is not a version like `1.2.3`"))?;
    }
    Ok((out, parts.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraints_behave_like_terraform() {
        assert_eq!(matches(">= 1.0", "1.15.0"), Ok(true));
        assert_eq!(matches("~> 1.3", "1.15.0"), Ok(true));
        assert_eq!(matches("~> 1.3.0", "1.15.0"), Ok(false));
        assert_eq!(matches("~> 5.6", "6.58.0"), Ok(false));
        assert_eq!(matches("5.6.0", "5.6.0"), Ok(true));
        assert_eq!(matches(">= 1.2, < 2.0", "1.15.0"), Ok(true));
        assert!(matches(">= banana", "1.0.0").is_err());
    }
}
