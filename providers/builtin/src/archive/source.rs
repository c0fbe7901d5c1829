//! What goes into the archive: the checks hashicorp/archive makes on its source arguments, and the
//! entries each kind of source gives.

use std::collections::BTreeMap;
use std::path::Path;

use labform_sdk::{ProviderError, Result, Value};

use super::walk::{self, Options};
use super::zip::Entry;

/// The source arguments; exactly one kind may be used.
const KINDS: [&str; 4] = [
    "source",
    "source_content_filename",
    "source_file",
    "source_dir",
];

/// Pairs hashicorp/archive declares in conflict.
const CONFLICTS: [(&str, &str); 9] = [
    ("source_file", "source_dir"),
    ("source_file", "source_content"),
    ("source_file", "source_content_filename"),
    ("source_dir", "source_content"),
    ("source_dir", "source_content_filename"),
    ("excludes", "source_file"),
    ("excludes", "source_content"),
    ("excludes", "source_content_filename"),
    ("source", "source_content"),
];

fn is_set(config: &Value, name: &str) -> bool {
    match config.get(name) {
        Value::List(items) => !items.is_empty(),
        Value::Null => false,
        _ => true,
    }
}

/// Checks the arguments before any file is read.
pub fn validate(config: &Value) -> Result<()> {
    match config.get("type") {
        Value::String(t) if t == "zip" => {}
        Value::String(t) if t == "tar.gz" => {
            return Err(ProviderError::unsupported(
                "`type = \"tar.gz\"` is not implemented by labform yet; only `zip` is",
            ))
        }
        Value::String(t) => {
            return Err(
                ProviderError::invalid(format!("archive type not supported: `{t}`"))
                    .with_hint("use `type = \"zip\"`"),
            )
        }
        _ => {}
    }
    let mut conflicts: Vec<(&str, &str)> = CONFLICTS.to_vec();
    for other in ["source_file", "source_dir", "source_content_filename"] {
        conflicts.push(("source", other));
    }
    for (a, b) in conflicts {
        if is_set(config, a) && is_set(config, b) {
            return Err(ProviderError::invalid(format!(
                "`{a}` cannot be used with `{b}`"
            )));
        }
    }
    if !KINDS
        .iter()
        .any(|k| is_set(config, k) || config.get(k).is_unknown())
    {
        return Err(ProviderError::invalid(format!(
            "`archive_file` needs one of `{}`",
            KINDS.join("`, `")
        ))
        .with_hint("`source_content` goes with `source_content_filename`"));
    }
    if let Some(mode) = config.str_attr("output_file_mode") {
        file_mode(mode)?;
    }
    Ok(())
}

/// `output_file_mode` as Go's `strconv.ParseUint(s, 0, 32)` reads it (`"0644"` is octal, `"644"`
/// decimal), reduced to the permission bits a zip entry carries.
pub fn file_mode(text: &str) -> Result<u32> {
    let bad = || {
        ProviderError::invalid(format!("error parsing output_file_mode value: `{text}`"))
            .with_hint("write it as octal with a leading zero, such as `\"0644\"`")
    };
    let (digits, radix) = match text.get(..2) {
        Some("0x") | Some("0X") => (&text[2..], 16),
        Some("0o") | Some("0O") => (&text[2..], 8),
        Some("0b") | Some("0B") => (&text[2..], 2),
        _ if text.len() > 1 && text.starts_with('0') => (&text[1..], 8),
        _ => (text, 10),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(bad());
    }
    let mode = u32::from_str_radix(digits, radix).map_err(|_| bad())?;
    // Go's file-type bits (directory, link, pipe, socket, device) would make a non-file entry.
    const GO_TYPE_BITS: u32 =
        (1 << 31) | (1 << 27) | (1 << 26) | (1 << 25) | (1 << 24) | (1 << 21) | (1 << 19);
    if mode & GO_TYPE_BITS != 0 {
        return Err(ProviderError::unsupported(format!(
            "`output_file_mode` `{text}` sets a file-type bit; only permission bits are supported"
        )));
    }
    let mut unix = mode & 0o777;
    for (go_bit, unix_bit) in [(1 << 23, 0o4000), (1 << 22, 0o2000), (1 << 20, 0o1000)] {
        if mode & go_bit != 0 {
            unix |= unix_bit;
        }
    }
    Ok(unix)
}

/// The entries, read from the sources; relative paths start at `base` (the stack directory).
pub fn entries(config: &Value, base: &Path) -> Result<Vec<Entry>> {
    let mode_override = config
        .str_attr("output_file_mode")
        .map(file_mode)
        .transpose()?;
    if let Some(dir) = config.str_attr("source_dir") {
        let path = base.join(dir);
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => {
                return Err(source_error(format!(
                    "could not archive directory that is a file: `{dir}`"
                )))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(source_error(format!(
                    "could not archive missing directory: `{dir}`"
                )))
            }
            Err(e) => {
                return Err(source_error(format!(
                    "cannot read `source_dir` `{dir}`: {e}"
                )))
            }
        }
        let excludes = config.string_list_attr("excludes");
        let opts = Options {
            excludes: &excludes,
            exclude_symlink_directories: config.bool_attr("exclude_symlink_directories", false),
        };
        let found = walk::files(&path, &opts)
            .map_err(|e| source_error(format!("error archiving directory: {e}")))?;
        if found.is_empty() {
            return Err(source_error(format!(
                "error archiving directory `{dir}`: archive has not been created as it would be empty"
            ))
            .with_hint("check `excludes`: every file of the directory is excluded"));
        }
        return found
            .into_iter()
            .map(|f| {
                let data = std::fs::read(&f.path).map_err(|e| {
                    source_error(format!(
                        "error reading file for archival: `{}`: {e}",
                        f.path.display()
                    ))
                })?;
                Ok(Entry {
                    name: f.name,
                    data,
                    mode: Some(mode_override.unwrap_or(f.mode)),
                })
            })
            .collect();
    }
    if let Some(file) = config.str_attr("source_file") {
        let path = base.join(file);
        let meta = std::fs::metadata(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                source_error(format!("could not archive missing file: `{file}`")).with_hint(
                    "relative paths start at the stack directory; `${path.module}/...` is clearest",
                )
            }
            _ => source_error(format!("cannot read `source_file` `{file}`: {e}")),
        })?;
        let data = std::fs::read(&path)
            .map_err(|e| source_error(format!("cannot read `source_file` `{file}`: {e}")))?;
        use std::os::unix::fs::PermissionsExt;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| file.to_string());
        let mode = mode_override.unwrap_or(meta.permissions().mode() & 0o7777);
        return Ok(vec![Entry {
            name,
            data,
            mode: Some(mode),
        }]);
    }
    if let Some(name) = config.str_attr("source_content_filename") {
        let content = config.str_attr("source_content").unwrap_or_default();
        return Ok(vec![Entry {
            name: name.to_string(),
            data: content.as_bytes().to_vec(),
            mode: None,
        }]);
    }
    // `source` blocks: one entry per file name, sorted (a repeated name keeps its last content).
    let mut files = BTreeMap::new();
    for block in config.list_attr("source") {
        let name = block.str_attr("filename").unwrap_or_default().to_string();
        let content = block
            .str_attr("content")
            .unwrap_or_default()
            .as_bytes()
            .to_vec();
        files.insert(name, content);
    }
    Ok(files
        .into_iter()
        .map(|(name, data)| Entry {
            name,
            data,
            mode: None,
        })
        .collect())
}

fn source_error(message: String) -> ProviderError {
    ProviderError::invalid(message)
}
