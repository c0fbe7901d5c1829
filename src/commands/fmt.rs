//! `labform fmt`: rewrites `*.tf` / `*.tfvars` in canonical style; `-check` for CI (exit 3).

use std::path::{Path, PathBuf};

use crate::cli::FmtArgs;
use crate::diag::{Diagnostic, Diagnostics};
use crate::ui;

fn wanted(p: &Path) -> bool {
    let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    !n.starts_with('.') && (n.ends_with(".tf") || n.ends_with(".tfvars"))
}

fn collect(path: &Path, recursive: bool, out: &mut Vec<PathBuf>) {
    if path.is_file() {
        out.push(path.to_path_buf());
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        let hidden = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if p.is_dir() && recursive && !hidden {
            collect(&p, recursive, out);
        } else if p.is_file() && wanted(&p) {
            out.push(p);
        }
    }
}

pub fn run(args: FmtArgs) -> Result<u8, Diagnostics> {
    let roots = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut files = Vec::new();
    for r in &roots {
        if !r.exists() {
            return Err(
                Diagnostic::error(format!("no file or directory `{}`", r.display())).into(),
            );
        }
        collect(r, args.recursive, &mut files);
    }
    let write = args.write.unwrap_or(!args.check) && !args.check;
    let list = args.list.unwrap_or(true);
    let mut diags = Diagnostics::new();
    let mut changed = 0;
    for f in files {
        let text = match std::fs::read_to_string(&f) {
            Ok(t) => t,
            Err(e) => {
                diags.push(Diagnostic::error(format!(
                    "cannot read `{}`: {e}",
                    f.display()
                )));
                continue;
            }
        };
        match crate::fmt::format_source(&text) {
            Ok(formatted) if formatted != text => {
                changed += 1;
                if list {
                    ui::out(&f.display().to_string());
                }
                if args.diff {
                    ui::out(&simple_diff(&text, &formatted));
                }
                if write {
                    if let Err(e) = std::fs::write(&f, formatted) {
                        diags.push(Diagnostic::error(format!(
                            "cannot write `{}`: {e}",
                            f.display()
                        )));
                    }
                }
            }
            Ok(_) => {}
            Err(e) => diags.push(
                Diagnostic::error(format!(
                    "{}:{}:{}: {}",
                    f.display(),
                    e.line,
                    e.column,
                    e.message
                ))
                .hint("fix the syntax error; the file was not changed"),
            ),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(if args.check && changed > 0 { 3 } else { 0 })
}

fn simple_diff(a: &str, b: &str) -> String {
    let mut s = String::new();
    for (x, y) in a.lines().zip(b.lines()) {
        if x != y {
            s.push_str(&format!("-{x}\n+{y}\n"));
        }
    }
    s
}
