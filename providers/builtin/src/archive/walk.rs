//! The files `source_dir` contributes, in the order hashicorp/archive adds them: Go's
//! `filepath.Walk` (depth first, names sorted bytewise), `excludes` matched on the path relative
//! to `source_dir`, symbolic links followed (a linked directory is walked under the link's
//! name unless `exclude_symlink_directories`).
//!
//! One quirk is kept for identical archives: when `exclude_symlink_directories` skips a linked
//! directory, Go's walk also skips the entries after it in the same directory.

use std::fs::{self, Metadata};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::glob;

/// A file to add: its name in the archive, where to read it, and its permission bits.
pub struct Found {
    pub name: String,
    pub path: PathBuf,
    pub mode: u32,
}

pub struct Options<'a> {
    pub excludes: &'a [String],
    pub exclude_symlink_directories: bool,
}

/// What a visit tells the walk: go on, or skip the rest of the current directory (Go's SkipDir).
#[derive(PartialEq)]
enum Flow {
    Continue,
    SkipDir,
}

/// Every file under `dir`, in archive order.
pub fn files(dir: &Path, opts: &Options) -> Result<Vec<Found>, String> {
    let mut found = Vec::new();
    walk_root(dir, "", opts, &mut found)?;
    Ok(found)
}

/// `filepath.Walk(root, ...)`: a SkipDir from the root ends the walk quietly.
fn walk_root(root: &Path, base: &str, opts: &Options, out: &mut Vec<Found>) -> Result<(), String> {
    let info = fs::symlink_metadata(root).map_err(|e| walk_error(root, e))?;
    let mut walk = Walk {
        root,
        base,
        opts,
        out,
    };
    walk.walk(root, &info).map(|_| ())
}

/// One walk from `root`: names in the archive start with `base`; what is found goes to `out`.
struct Walk<'a> {
    root: &'a Path,
    base: &'a str,
    opts: &'a Options<'a>,
    out: &'a mut Vec<Found>,
}

impl Walk<'_> {
    fn walk(&mut self, path: &Path, info: &Metadata) -> Result<Flow, String> {
        if !info.is_dir() {
            return self.visit(path, info);
        }
        let mut names: Vec<_> = fs::read_dir(path)
            .map_err(|e| walk_error(path, e))?
            .map(|entry| entry.map(|e| e.file_name()))
            .collect::<Result<_, _>>()
            .map_err(|e| walk_error(path, e))?;
        names.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        if self.visit(path, info)? == Flow::SkipDir {
            return Ok(Flow::SkipDir);
        }
        for name in names {
            let child = path.join(&name);
            let child_info = fs::symlink_metadata(&child).map_err(|e| walk_error(&child, e))?;
            let flow = self.walk(&child, &child_info)?;
            // A SkipDir from a file (not a directory) ends this directory too, as in Go.
            if flow == Flow::SkipDir && !child_info.is_dir() {
                return Ok(Flow::SkipDir);
            }
        }
        Ok(Flow::Continue)
    }

    fn visit(&mut self, path: &Path, info: &Metadata) -> Result<Flow, String> {
        let relative = path.strip_prefix(self.root).unwrap_or(path);
        let name = join(self.base, &relative.to_string_lossy());
        let mut excluded = false;
        for pattern in self.opts.excludes.iter().filter(|p| !p.is_empty()) {
            if glob::path_match(pattern, &name)
                .map_err(|e| format!("error checking excludes matches: `{pattern}`: {e}"))?
            {
                excluded = true;
                break;
            }
        }
        if info.is_dir() {
            return Ok(if excluded {
                Flow::SkipDir
            } else {
                Flow::Continue
            });
        }
        if excluded {
            return Ok(Flow::Continue);
        }
        let mut mode = info.permissions().mode();
        if info.file_type().is_symlink() {
            let real = fs::canonicalize(path).map_err(|e| walk_error(path, e))?;
            let real_info = fs::metadata(&real).map_err(|e| walk_error(&real, e))?;
            if real_info.is_dir() {
                if self.opts.exclude_symlink_directories {
                    return Ok(Flow::SkipDir);
                }
                walk_root(&real, &name, self.opts, self.out)?;
                return Ok(Flow::Continue);
            }
            mode = real_info.permissions().mode();
        }
        self.out.push(Found {
            name,
            path: path.to_path_buf(),
            mode: mode & 0o7777,
        });
        Ok(Flow::Continue)
    }
}

/// Go's `filepath.Join(base, rel)` for the cases the walk produces.
fn join(base: &str, relative: &str) -> String {
    let relative = if relative.is_empty() { "." } else { relative };
    match (base, relative) {
        ("", rel) => rel.to_string(),
        (base, ".") => base.to_string(),
        (base, rel) => format!("{base}/{rel}"),
    }
}

fn walk_error(path: &Path, e: std::io::Error) -> String {
    format!(
        "error encountered during file walk: `{}`: {e}",
        path.display()
    )
}
