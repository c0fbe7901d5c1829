//! File mechanics of the local store: the sibling files' names, durable writes, atomic replace
//! with a backup of the previous version.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use crate::error::StateError;

/// The files kept next to a local state file.
#[derive(Clone, Debug)]
pub(crate) struct Paths {
    pub state: PathBuf,
    pub journal: PathBuf,
    pub backup: PathBuf,
    pub lock: PathBuf,
    tmp: PathBuf,
    backup_tmp: PathBuf,
}

impl Paths {
    pub fn new(state: PathBuf) -> Self {
        Paths {
            journal: sibling(&state, ".journal"),
            backup: sibling(&state, ".backup"),
            lock: sibling(&state, ".lock"),
            tmp: sibling(&state, ".tmp"),
            backup_tmp: sibling(&state, ".backup.tmp"),
            state,
        }
    }

    /// The directory holding the state ("." for a bare file name).
    pub fn dir(&self) -> &Path {
        match self.state.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        }
    }

    /// Replaces the state file with `bytes` so that a crash at any moment leaves either the old
    /// or the new version in place: write a temporary file and sync it, keep the current
    /// version as the backup (a hard link, so the state file never goes missing), rename the
    /// temporary file over the state, sync the directory.
    pub fn replace_state(&self, bytes: &[u8]) -> Result<(), StateError> {
        write_synced(&self.tmp, bytes, false)?;
        if self.state.exists() {
            remove_if_exists(&self.backup_tmp)?;
            if fs::hard_link(&self.state, &self.backup_tmp).is_err() {
                // Filesystems without hard links: copy instead.
                fs::copy(&self.state, &self.backup_tmp)
                    .map_err(|e| StateError::io("copy the state to", &self.backup_tmp, e))?;
                File::open(&self.backup_tmp)
                    .and_then(|f| f.sync_all())
                    .map_err(|e| StateError::io("sync", &self.backup_tmp, e))?;
            }
            fs::rename(&self.backup_tmp, &self.backup)
                .map_err(|e| StateError::io("rename to", &self.backup, e))?;
        }
        fs::rename(&self.tmp, &self.state)
            .map_err(|e| StateError::io("rename to", &self.state, e))?;
        sync_dir(self.dir())
    }
}

/// `path` with `suffix` added to its file name: `state.json` -> `state.json.lock`.
pub(crate) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "state.json".into());
    name.push(suffix);
    path.with_file_name(name)
}

/// Creates `dir` (and its parents) if missing. A new `.labform` directory gets a `.gitignore`
/// so that state, which may hold secrets, is never committed by accident.
pub(crate) fn ensure_dir(dir: &Path) -> Result<(), StateError> {
    if dir.is_dir() {
        return Ok(());
    }
    fs::create_dir_all(dir).map_err(|e| StateError::io("create directory", dir, e))?;
    if dir.file_name().is_some_and(|n| n == ".labform") {
        let ignore = dir.join(".gitignore");
        write_synced(
            &ignore,
            b"# labform's recorded state: never commit it\n*\n",
            false,
        )?;
    }
    Ok(())
}

/// Writes `bytes` to `path` (created or truncated; owner-only, as state may hold secrets) and
/// syncs it. With `exclusive`, fails with `AlreadyExists` kept as the error kind.
pub(crate) fn write_synced(path: &Path, bytes: &[u8], exclusive: bool) -> Result<(), StateError> {
    let mut options = OpenOptions::new();
    options.write(true);
    if exclusive {
        options.create_new(true);
    } else {
        options.create(true).truncate(true);
    }
    owner_only(&mut options);
    let mut file = options
        .open(path)
        .map_err(|e| StateError::io("create", path, e))?;
    file.write_all(bytes)
        .and_then(|_| file.sync_all())
        .map_err(|e| StateError::io("write", path, e))
}

/// Opens `path` for writing, created empty (truncated) and owner-only.
pub(crate) fn create_truncated(path: &Path) -> Result<File, StateError> {
    let mut options = OpenOptions::new();
    options.create(true).truncate(true).write(true);
    owner_only(&mut options);
    let file = options
        .open(path)
        .map_err(|e| StateError::io("create", path, e))?;
    Ok(file)
}

fn owner_only(options: &mut OpenOptions) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = options;
}

/// Makes renames, creations and removals in `dir` durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<(), StateError> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| StateError::io("sync directory", dir, e))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Removes `path`; a file already gone is fine.
pub(crate) fn remove_if_exists(path: &Path) -> Result<(), StateError> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != ErrorKind::NotFound => Err(StateError::io("remove", path, e)),
        _ => Ok(()),
    }
}

/// Reads `path`; `None` when it does not exist.
pub(crate) fn read_if_exists(path: &Path) -> Result<Option<Vec<u8>>, StateError> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StateError::io("read", path, e)),
    }
}
