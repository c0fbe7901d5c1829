//! Compose files as labform stacks: a directory's `compose.yaml` (or `-f` files) read, merged
//! and interpolated, then written as docker provider configuration text that the stack loads
//! like one more `.tf` file (and `labform convert` prints).

mod dotenv;
mod emit;
mod interpolate;
mod merge;
mod mounts;
mod ports;
mod project;
mod runtime;
mod service;
mod values;
pub(crate) mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics, Location, SourceFile};

/// The file names Compose looks for, in its order of preference.
pub const DEFAULT_FILES: &[&str] = &[
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
];

/// What the command line resolved: the files named with `-f`, the profiles enabled with
/// `--profile`, and the process environment (the engine never reads it itself).
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub files: Vec<PathBuf>,
    pub profiles: Vec<String>,
    pub env: BTreeMap<String, String>,
}

/// A Compose project turned into configuration text.
#[derive(Debug)]
pub struct Converted {
    /// The docker provider configuration, formatted.
    pub text: String,
    /// Where its blocks came from in the Compose files (errors are shown there).
    pub origins: crate::diag::Origins,
    /// The compose files read, in merge order.
    pub files: Vec<PathBuf>,
    pub project: String,
    pub warnings: Diagnostics,
}

/// The compose files of `dir`: the `-f` files when given, else the first default file found
/// plus its `.override` file. Empty when there are none.
pub fn files(dir: &Path, settings: &Settings) -> Vec<PathBuf> {
    if !settings.files.is_empty() {
        return settings.files.iter().map(|f| dir.join(f)).collect();
    }
    let Some(main) = DEFAULT_FILES
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
    else {
        return Vec::new();
    };
    let mut out = vec![main.clone()];
    let name = main
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some((stem, ext)) = name.rsplit_once('.') {
        let over = dir.join(format!("{stem}.override.{ext}"));
        if over.is_file() {
            out.push(over);
        }
    }
    out
}

/// Reads the project in `dir`; `Ok(None)` when there is no compose file (and no `-f`).
pub fn load(dir: &Path, settings: &Settings) -> Result<Option<Converted>, Diagnostics> {
    let paths = files(dir, settings);
    if paths.is_empty() {
        return Ok(None);
    }
    let project_dir = paths[0]
        .parent()
        .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()))
        .unwrap_or_else(|| dir.to_path_buf());
    let paths: Vec<PathBuf> = paths
        .iter()
        .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()))
        .collect();
    let mut diags = Diagnostics::new();

    // Variables: the process environment wins over the `.env` beside the files.
    let mut vars = BTreeMap::new();
    let env_path = project_dir.join(".env");
    if let Ok(text) = std::fs::read_to_string(&env_path) {
        let file = SourceFile::new(env_path.clone(), ".env".into(), text);
        let lookup = |k: &str| settings.env.get(k).cloned();
        match dotenv::parse(&file.text, &lookup) {
            Ok(entries) => {
                for e in entries {
                    if let Some(v) = e.value {
                        vars.insert(e.key, v);
                    }
                }
            }
            Err((span, d)) => return Err(d.at(Location::new(&file, Some(span))).into()),
        }
    }
    vars.extend(settings.env.iter().map(|(k, v)| (k.clone(), v.clone())));
    let lookup = |k: &str| vars.get(k).cloned();

    let mut merged: Option<yaml::Node> = None;
    for path in &paths {
        let display = path
            .strip_prefix(dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf()))
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| path.display().to_string());
        let text = std::fs::read_to_string(path).map_err(|e| {
            Diagnostic::error(format!("cannot read `{}`: {e}", path.display()))
                .hint("`-f` takes a compose file's path, relative to the stack directory")
        })?;
        let file = SourceFile::new(path.clone(), display, text);
        let node = yaml::parse(&file)?;
        if node.entries().is_none() {
            return Err(node
                .error(format!(
                    "a compose file must be a mapping, found {}",
                    node.describe()
                ))
                .hint("start with `services:`")
                .into());
        }
        merged = Some(match merged {
            None => node,
            Some(base) => merge::merge(base, node, "")?,
        });
    }
    let Some(root) = merged else { return Ok(None) };

    let ctx = values::Ctx {
        env: &lookup,
        dir: &project_dir,
    };
    let env_name = vars.get("COMPOSE_PROJECT_NAME").filter(|n| !n.is_empty());
    let name = match env_name {
        Some(n) => project::normalize_name(n),
        None => project::normalize_name(
            &project_dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        ),
    };
    let mut profiles = settings.profiles.clone();
    if let Some(p) = vars.get("COMPOSE_PROFILES") {
        profiles.extend(
            p.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
        );
    }
    let project = project::read(
        &ctx,
        &root,
        &name,
        env_name.is_some(),
        &profiles,
        &mut diags,
    );
    if project.name.is_empty() {
        diags.push(Diagnostic::error("the project has no usable name").hint(
            "set `name:` in the compose file or COMPOSE_PROJECT_NAME; names hold lower-case letters, digits, `_` and `-`",
        ));
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let origin = emit::Origin {
        dir: &project_dir,
        files: &paths,
        home: settings.env.get("HOME").map(String::as_str),
    };
    let generated = emit::emit(&project, &origin)?;
    Ok(Some(Converted {
        text: generated.text,
        origins: generated.origins,
        files: paths,
        project: project.name,
        warnings: diags,
    }))
}

#[cfg(test)]
mod tests;
