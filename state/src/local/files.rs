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
        parent(&self.state)
    }

    /// Replaces the state file with `bytes` so that a crash at any moment leaves either the old
    /// or the new version in place: write a temporary file and sync it, keep the current
    /// version as the backup (a hard link, so the state file never goes missing), rename the
    /// temporary file over the state, sync the directory.
    pub fn replace_state(&self, bytes: &[u8]) -> Result<(), StateError> {
        // Made afresh, never reused: a leftover's wider permissions would carry over.
        remove_if_exists(&self.tmp)?;
        write_synced(&self.tmp, bytes, true)?;
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

/// Replaces `path` with `bytes`, owner-only whatever the file it replaces allowed: written to a
/// new temporary file beside it and synced, renamed over it, the directory synced. A crash at
/// any moment leaves the old file or the new one, never a part of one.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), StateError> {
    let tmp = sibling(path, &format!(".{}.tmp", uuid::Uuid::new_v4().simple()));
    let written = write_synced(&tmp, bytes, true)
        .and_then(|()| fs::rename(&tmp, path).map_err(|e| StateError::io("rename to", path, e)));
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written?;
    sync_dir(parent(path))
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
///
/// Each directory made is created on its own and its parent synced, and a new `.labform` is
/// synced once its `.gitignore` is in: a state file synced inside a directory whose own entry
/// a crash loses is lost with it.
pub(crate) fn ensure_dir(dir: &Path) -> Result<(), StateError> {
    let mut missing = Vec::new();
    let mut at = dir;
    while !at.is_dir() {
        missing.push(at);
        at = parent(at);
    }
    for new in missing.iter().rev() {
        match fs::create_dir(new) {
            Ok(()) => {}
            // Another run made it meanwhile: it syncs it, and so do we below.
            Err(e) if e.kind() == ErrorKind::AlreadyExists && new.is_dir() => {}
            Err(e) => return Err(StateError::io("create directory", new, e)),
        }
        sync_dir(parent(new))?;
    }
    if !missing.is_empty() && dir.file_name().is_some_and(|n| n == ".labform") {
        let ignore = dir.join(".gitignore");
        write_synced(
            &ignore,
            b"# labform's recorded state: never commit it\n*\n",
            false,
        )?;
        sync_dir(dir)?;
    }
    Ok(())
}

/// The directory holding `path` ("." for a bare name).
fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
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

/// Opens `path` for writing without truncating it, created owner-only if missing.
pub(crate) fn open_private(path: &Path) -> Result<File, StateError> {
    let mut options = OpenOptions::new();
    options.create(true).truncate(false).write(true);
    owner_only(&mut options);
    options
        .open(path)
        .map_err(|e| StateError::io("open", path, e))
}

pub(crate) fn owner_only(options: &mut OpenOptions) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = options;
}

#[cfg(test)]
thread_local! {
    /// Every directory `sync_dir` synced on this thread, for tests.
    static SYNCED: std::cell::RefCell<Vec<PathBuf>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Makes renames, creations and removals in `dir` durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<(), StateError> {
    #[cfg(test)]
    SYNCED.with(|s| s.borrow_mut().push(dir.to_path_buf()));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn synced() -> Vec<PathBuf> {
        SYNCED.with(|s| std::mem::take(&mut *s.borrow_mut()))
    }

    #[test]
    fn every_directory_made_is_synced_in_its_parent_and_labform_itself_once_filled() {
        let root = tempfile::tempdir().expect("tempdir");
        let stack = root.path().join("course").join("week1");
        let labform = stack.join(".labform");
        synced();
        ensure_dir(&labform).expect("ensure_dir");
        assert_eq!(
            synced(),
            [
                root.path().to_path_buf(),
                root.path().join("course"),
                stack.clone(),
                labform.clone()
            ]
        );
        assert!(labform.join(".gitignore").is_file());
        ensure_dir(&labform).expect("again");
        assert_eq!(
            synced(),
            Vec::<PathBuf>::new(),
            "nothing new, nothing synced"
        );
        assert_eq!(parent(Path::new("state.json")), Path::new("."));
    }
}
