//! Path functions (`abspath`, `basename`, `dirname`, `pathexpand`) with Go's `path/filepath`
//! semantics, and the resolution of the paths that file functions are given.

use std::path::{Path, PathBuf};

use labform_sdk::Value;

use super::spec::{f, p, str_at, Func, S};
use super::{FnResult, FunctionContext, FunctionError};

pub(crate) const FUNCS: &[Func] = &[
    f("abspath", &[p("path", S)], abspath),
    f("basename", &[p("path", S)], basename),
    f("dirname", &[p("path", S)], dirname),
    f("pathexpand", &[p("path", S)], pathexpand),
];

/// Go's `filepath.Clean`: the shortest lexically equivalent path.
pub(crate) fn clean(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                _ if rooted => {}
                _ => parts.push(".."),
            },
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// `~` and `~/...` expanded to the home directory (user-specific `~name` is an error).
pub(crate) fn expand_home(path: &str) -> Result<String, String> {
    let Some(rest) = path.strip_prefix('~') else {
        return Ok(path.to_string());
    };
    if !rest.is_empty() && !rest.starts_with('/') {
        return Err("cannot expand user-specific home dir".to_string());
    }
    let home =
        std::env::var("HOME").map_err(|_| "cannot expand `~`: `HOME` is not set".to_string())?;
    Ok(clean(&format!("{home}/{rest}")))
}

/// The path a file function reads: home-expanded, joined to the stack directory when relative.
pub(crate) fn resolve(
    ctx: &FunctionContext,
    path: &str,
    arg: usize,
) -> Result<PathBuf, FunctionError> {
    let expanded = expand_home(path).map_err(|e| FunctionError::arg(arg, e))?;
    let full = if Path::new(&expanded).is_absolute() {
        PathBuf::from(clean(&expanded))
    } else {
        ctx.base_dir.join(clean(&expanded))
    };
    Ok(full)
}

fn abspath(a: &[Value], ctx: &FunctionContext) -> FnResult {
    let path = str_at(a, 0)?;
    // Terraform's `abspath` is absolute even when the stack directory was given relatively.
    let base = std::path::absolute(ctx.base_dir).unwrap_or_else(|_| ctx.base_dir.to_path_buf());
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{}/{path}", base.to_string_lossy())
    };
    Ok(Value::String(clean(&joined)))
}

fn basename(a: &[Value], _: &FunctionContext) -> FnResult {
    let path = str_at(a, 0)?;
    if path.is_empty() {
        return Ok(Value::String(".".to_string()));
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return Ok(Value::String("/".to_string()));
    }
    let base = trimmed.rsplit('/').next().unwrap_or(trimmed);
    Ok(Value::String(base.to_string()))
}

fn dirname(a: &[Value], _: &FunctionContext) -> FnResult {
    let path = str_at(a, 0)?;
    let dir = match path.rfind('/') {
        Some(i) => &path[..i + 1],
        None => "",
    };
    Ok(Value::String(clean(dir)))
}

fn pathexpand(a: &[Value], _: &FunctionContext) -> FnResult {
    expand_home(str_at(a, 0)?)
        .map(Value::String)
        .map_err(|e| FunctionError::arg(0, e))
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::clean;

    #[test]
    fn clean_matches_go() {
        assert_eq!(clean(""), ".");
        assert_eq!(clean("a/b/../c"), "a/c");
        assert_eq!(clean("/../a//b/"), "/a/b");
        assert_eq!(clean("../../a"), "../../a");
        assert_eq!(clean("a/.."), ".");
        assert_eq!(clean("/"), "/");
    }

    #[test]
    fn path_functions_match_the_docs() {
        assert_eq!(
            call_ok("basename", vec![s("foo/bar/baz.txt")]),
            s("baz.txt")
        );
        assert_eq!(call_ok("basename", vec![s("foo/bar/")]), s("bar"));
        assert_eq!(call_ok("basename", vec![s("/")]), s("/"));
        assert_eq!(call_ok("basename", vec![s("")]), s("."));
        assert_eq!(call_ok("dirname", vec![s("foo/bar/baz.txt")]), s("foo/bar"));
        assert_eq!(call_ok("dirname", vec![s("foo")]), s("."));
        assert_eq!(call_ok("dirname", vec![s("/foo")]), s("/"));
        assert_eq!(call_ok("dirname", vec![s("")]), s("."));
        let dir = std::path::Path::new("/stack/dir");
        assert_eq!(
            call_in(dir, "abspath", vec![s("files/../a.txt")]).unwrap(),
            s("/stack/dir/a.txt")
        );
        assert_eq!(
            call_in(dir, "abspath", vec![s("/etc/x")]).unwrap(),
            s("/etc/x")
        );
        let home = std::env::var("HOME").unwrap_or_default();
        assert_eq!(
            call_ok("pathexpand", vec![s("~/.ssh/id_rsa")]),
            s(&format!("{}/.ssh/id_rsa", clean(&home)))
        );
        assert_eq!(
            call_ok("pathexpand", vec![s("/etc/resolv.conf")]),
            s("/etc/resolv.conf")
        );
        assert!(try_call("pathexpand", vec![s("~bob/x")]).is_err());
    }
}
