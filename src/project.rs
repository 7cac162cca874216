//! Read-only access to the app's files in the build context, for presets to detect what the app
//! is (its lock files, versions, entry points). Paths are relative to the context root.
//!
//! Confinement is a property of this layer, so every preset has it: a path that leaves the
//! context (absolute, `..` past the root, or through a symlink that leads out of it) names no
//! file here, as a user-written `copy` of it would be refused (SG207); [`ProjectFiles::walk`]
//! never descends through a symlinked folder (a link to `..` would loop), and stops at
//! [`MAX_WALK_ENTRIES`](crate::limits::MAX_WALK_ENTRIES) entries. Files are read only up to
//! [`MAX_PROJECT_FILE_BYTES`](crate::limits::MAX_PROJECT_FILE_BYTES), checked before reading.

use std::path::{Path, PathBuf};

use crate::limits::{read_at_most, MAX_PROJECT_FILE_BYTES, MAX_WALK_ENTRIES};

/// The build context on disk.
#[derive(Debug, Clone)]
pub struct ProjectFiles {
    root: PathBuf,
    /// The root with every symlink resolved: what a path must stay under.
    real_root: PathBuf,
}

impl ProjectFiles {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        let real_root = root.canonicalize().unwrap_or_else(|_| root.clone());
        ProjectFiles { root, real_root }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether `rel` stays inside the context, read as a path in a `COPY`: relative, and no
    /// `..` that climbs above the root. (Symlinks are checked where the path is used.)
    pub fn is_inside(rel: &str) -> bool {
        lexical(rel).is_some()
    }

    /// Where `rel` is on disk, when it is inside the context: relative, no `..` past the root,
    /// and, where it exists, no symlink on the way that leads out of the root.
    fn path(&self, rel: &str) -> Option<PathBuf> {
        let parts = lexical(rel)?;
        let path = parts.iter().fold(self.root.clone(), |p, s| p.join(s));
        if parts.is_empty() {
            return Some(path);
        }
        match path.canonicalize() {
            Ok(real) if real.starts_with(&self.real_root) => Some(path),
            Ok(_) => None,
            // Not there (or a dangling link): nothing to read either way.
            Err(_) => None,
        }
    }

    pub fn is_file(&self, rel: &str) -> bool {
        self.path(rel).is_some_and(|p| p.is_file())
    }

    pub fn is_dir(&self, rel: &str) -> bool {
        self.path(rel).is_some_and(|p| p.is_dir())
    }

    /// Whether `rel` is itself a symlink (inside the context or not).
    pub fn is_symlink(&self, rel: &str) -> bool {
        lexical(rel).is_some_and(|parts| {
            parts
                .iter()
                .fold(self.root.clone(), |p, s| p.join(s))
                .symlink_metadata()
                .is_ok_and(|m| m.file_type().is_symlink())
        })
    }

    /// The text of a file, if it exists, is UTF-8 and not too large to be a config file.
    /// The size is checked first and at most one byte past the limit is read (a file growing
    /// meanwhile is not read without end).
    pub fn read(&self, rel: &str) -> Option<String> {
        let path = self.path(rel)?;
        let meta = std::fs::metadata(&path).ok()?;
        if !meta.is_file() || meta.len() > MAX_PROJECT_FILE_BYTES as u64 {
            return None;
        }
        let file = std::fs::File::open(path).ok()?;
        let (bytes, longer) = read_at_most(file, MAX_PROJECT_FILE_BYTES).ok()?;
        if longer {
            return None;
        }
        String::from_utf8(bytes).ok()
    }

    /// Why a file that is there cannot be read by [`ProjectFiles::read`], which then says
    /// nothing: a folder, larger than the limit, not UTF-8, a link out of the context, or the
    /// system's error. `None` when it reads, or when nothing is at `rel`.
    pub fn unreadable(&self, rel: &str) -> Option<String> {
        let parts = lexical(rel)?;
        let raw = parts.iter().fold(self.root.clone(), |p, s| p.join(s));
        raw.symlink_metadata().ok()?;
        let Some(path) = self.path(rel) else {
            return Some("it is a link that leads outside the build context".to_string());
        };
        let meta = match std::fs::metadata(&path) {
            Ok(meta) => meta,
            Err(e) => return Some(format!("it is a link to nothing ({})", e.kind())),
        };
        if meta.is_dir() {
            return Some("it is a folder".to_string());
        }
        if !meta.is_file() {
            return Some("it is not a regular file".to_string());
        }
        if meta.len() > MAX_PROJECT_FILE_BYTES as u64 {
            return Some(format!(
                "it is larger than {MAX_PROJECT_FILE_BYTES} bytes, the limit for an app file"
            ));
        }
        match std::fs::read(&path) {
            Ok(bytes) if std::str::from_utf8(&bytes).is_err() => {
                Some("it is not UTF-8 text".to_string())
            }
            Ok(_) => None,
            Err(e) => Some(format!("{}", e.kind())),
        }
    }

    /// Names of the entries of a folder, sorted (so detection is deterministic).
    pub fn list(&self, rel: &str) -> Vec<String> {
        let Some(dir) = self.path(rel) else {
            return Vec::new();
        };
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .take(MAX_WALK_ENTRIES)
                    .filter_map(|e| e.file_name().into_string().ok())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    /// Every file under the folder `rel` (context-relative paths), sorted, depth-first, at
    /// most `max_depth` folders down. Symlinked folders are not entered (a link to `..` loops;
    /// one out of the context is not in it), symlinked files only when they lead to a file in
    /// the context; at most [`MAX_WALK_ENTRIES`] entries are looked at in all.
    pub fn walk(&self, rel: &str, max_depth: usize) -> Vec<String> {
        let mut out = Vec::new();
        let mut budget = MAX_WALK_ENTRIES;
        // Folders to look at, the last one first: pushed in reverse so the output is sorted.
        let mut todo: Vec<(String, usize)> = vec![(rel.trim_end_matches('/').to_string(), 0)];
        while let Some((dir, depth)) = todo.pop() {
            if self.is_symlink(&dir) && dir != rel.trim_end_matches('/') {
                continue;
            }
            let mut below = Vec::new();
            for name in self.list(&dir) {
                if budget == 0 {
                    return out;
                }
                budget -= 1;
                let p = if dir.is_empty() {
                    name
                } else {
                    format!("{dir}/{name}")
                };
                if self.is_file(&p) {
                    out.push(p);
                } else if depth < max_depth && !self.is_symlink(&p) && self.is_dir(&p) {
                    below.push(p);
                }
            }
            todo.extend(below.into_iter().rev().map(|p| (p, depth + 1)));
        }
        out
    }
}

/// The parts of `rel` with `.` and `..` taken out, or `None` when it is absolute or climbs
/// above the root.
fn lexical(rel: &str) -> Option<Vec<&str>> {
    if rel.starts_with('/') {
        return None;
    }
    let mut parts = Vec::new();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts)
}
