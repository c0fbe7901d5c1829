//! A service's `volumes:` in short (`SOURCE:TARGET[:MODE]`) and long syntax: named volumes,
//! anonymous volumes, bind mounts (absolute, relative to the project, `~`) and tmpfs.

use super::values::{check_keys, Ctx};
use super::yaml::{Kind, Node};
use crate::diag::{Diagnostic, Diagnostics};

#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// A volume declared under the top-level `volumes:` (its key there).
    Named(String),
    /// A volume Docker creates for this container alone.
    Anonymous,
    /// A host path as written: absolute, `~/...` or relative to the project directory.
    Bind(String),
    Tmpfs(Option<i64>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Mount {
    pub source: Source,
    pub target: String,
    pub read_only: bool,
}

const LONG_KEYS: &[&str] = &["type", "source", "target", "read_only", "bind", "tmpfs"];
const LONG_UNSUPPORTED: &[&str] = &["volume", "consistency", "image"];

/// Reads the list; `node_of` lets the caller find where a named volume was written.
pub fn parse(ctx: &Ctx, n: &Node, diags: &mut Diagnostics) -> Vec<(Mount, Node)> {
    let Some(items) = n.items() else {
        diags.push(n.error(format!("`volumes` takes a list, found {}", n.describe())));
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in items {
        let parsed = match &item.kind {
            Kind::Map(_) => long(ctx, item, diags),
            _ => ctx
                .str(item)
                .and_then(|s| short(&s).map_err(|d| d.at(item.location()))),
        };
        match parsed {
            Ok(m) => out.push((m, item.clone())),
            Err(d) => diags.push(d),
        }
    }
    out
}

fn is_path(s: &str) -> bool {
    s.starts_with('/') || s.starts_with('.') || s.starts_with('~')
}

pub fn short(spec: &str) -> Result<Mount, Diagnostic> {
    let parts: Vec<&str> = spec.split(':').collect();
    let (source, target, mode) = match parts.as_slice() {
        [t] => (None, *t, ""),
        [s, t] => (Some(*s), *t, ""),
        [s, t, m] => (Some(*s), *t, *m),
        _ => {
            return Err(Diagnostic::error(format!("invalid volume `{spec}`"))
                .hint("write `SOURCE:TARGET[:ro]`, or use the long syntax"))
        }
    };
    let mut read_only = false;
    for m in mode.split(',').filter(|m| !m.is_empty()) {
        match m {
            "ro" => read_only = true,
            "rw" => read_only = false,
            other => {
                return Err(Diagnostic::error(format!(
                    "volume mode `{other}` in `{spec}` is not supported by labform yet"
                ))
                .hint("use `ro` or `rw`"))
            }
        }
    }
    if !target.starts_with('/') {
        return Err(Diagnostic::error(format!(
            "invalid volume `{spec}`: the container path `{target}` must be absolute"
        )));
    }
    let source = match source {
        None => Source::Anonymous,
        Some(s) if is_path(s) => Source::Bind(s.to_string()),
        Some("") => {
            return Err(Diagnostic::error(format!(
                "invalid volume `{spec}`: empty source"
            )))
        }
        Some(s) => Source::Named(s.to_string()),
    };
    Ok(Mount {
        source,
        target: target.to_string(),
        read_only,
    })
}

fn long(ctx: &Ctx, n: &Node, diags: &mut Diagnostics) -> Result<Mount, Diagnostic> {
    check_keys(n, "a volume mount", LONG_KEYS, LONG_UNSUPPORTED, diags);
    let need = |key: &str| {
        n.get(key)
            .ok_or_else(|| n.error(format!("a volume in long syntax needs `{key}`")))
    };
    let kind_node = need("type")?;
    let kind = ctx.str(kind_node)?;
    let target = ctx.str(need("target")?)?;
    let read_only = n
        .get("read_only")
        .map(|r| ctx.bool(r))
        .transpose()?
        .unwrap_or(false);
    let source = n
        .get("source")
        .filter(|s| !s.is_null())
        .map(|s| ctx.str(s))
        .transpose()?;
    if let Some(bind) = n.get("bind") {
        check_keys(
            bind,
            "`bind`",
            &["create_host_path"],
            &["propagation", "selinux"],
            diags,
        );
        if let Some(c) = bind.get("create_host_path") {
            if !ctx.bool(c)? {
                diags.push(c.error("`create_host_path: false` is not supported by labform yet")
                    .hint("labform's bind mounts create a missing host directory, as the short syntax does"));
            }
        }
    }
    let mut tmpfs_size = None;
    if let Some(t) = n.get("tmpfs") {
        check_keys(t, "`tmpfs`", &["size"], &["mode"], diags);
        tmpfs_size = t.get("size").map(|s| ctx.bytes(s)).transpose()?;
    }
    let source = match (kind.as_str(), source) {
        ("volume", Some(s)) => Source::Named(s),
        ("volume", None) => Source::Anonymous,
        ("bind", Some(s)) => Source::Bind(s),
        ("bind", None) => return Err(n.error("a bind mount needs `source`, the host path")),
        ("tmpfs", _) => Source::Tmpfs(tmpfs_size),
        (other, _) => {
            return Err(kind_node
                .error(format!(
                    "volume type `{other}` is not supported by labform yet"
                ))
                .hint("use `volume`, `bind` or `tmpfs`"))
        }
    };
    Ok(Mount {
        source,
        target,
        read_only,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_syntax_kinds() {
        let m = short("pgdata:/var/lib/postgresql/data").unwrap();
        assert_eq!(m.source, Source::Named("pgdata".into()));
        let m = short("./data:/data:ro").unwrap();
        assert_eq!(m.source, Source::Bind("./data".into()));
        assert!(m.read_only);
        assert_eq!(
            short("~/w205:/w205").unwrap().source,
            Source::Bind("~/w205".into())
        );
        assert_eq!(short("/cache").unwrap().source, Source::Anonymous);
        assert!(short("data:/x:z").is_err());
        assert!(short("data:relative").is_err());
    }
}
