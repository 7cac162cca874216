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
    ///
    /// Each part of `rel` is looked at (`lstat`) from the root down: with no symlink among them
    /// the path is the root's own, and it is inside. Only a path through a symlink is resolved
    /// whole and checked against the real root; resolving every path (realpath reads every
    /// folder of the absolute path) was most of the system time of a workspace of 1,000
    /// members (issue 15).
    fn path(&self, rel: &str) -> Option<PathBuf> {
        let parts = lexical(rel)?;
        let mut path = self.root.clone();
        for (i, part) in parts.iter().enumerate() {
            path.push(part);
            // Not there: nothing to read.
            let meta = path.symlink_metadata().ok()?;
            if meta.file_type().is_symlink() {
                for rest in &parts[i + 1..] {
                    path.push(rest);
                }
                return self.resolved_inside(path);
            }
        }
        Some(path)
    }

    /// `path` (through a symlink) when what it leads to is inside the root.
    fn resolved_inside(&self, path: PathBuf) -> Option<PathBuf> {
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

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    /// A context with a file, a folder, links that stay inside and links that lead out.
    fn context() -> (tempfile::TempDir, tempfile::TempDir) {
        let ctx = tempfile::tempdir().expect("tempdir");
        let out = tempfile::tempdir().expect("tempdir");
        let c = ctx.path();
        std::fs::create_dir_all(c.join("src/inner")).expect("mkdir");
        std::fs::write(c.join("src/inner/main.go"), "package main\n").expect("write");
        std::fs::write(out.path().join("secret"), "x\n").expect("write");
        symlink("src", c.join("code")).expect("link");
        symlink("inner/main.go", c.join("src/main.go")).expect("link");
        symlink(out.path(), c.join("away")).expect("link");
        symlink(out.path().join("secret"), c.join("src/secret")).expect("link");
        symlink("missing", c.join("dangling")).expect("link");
        (ctx, out)
    }

    #[test]
    fn a_path_with_no_link_on_the_way_is_inside() {
        let (ctx, _out) = context();
        let files = ProjectFiles::new(ctx.path());
        assert!(files.is_file("src/inner/main.go"));
        assert!(files.is_dir("src/inner"));
        assert!(
            files.is_file("src/x/../inner/main.go"),
            "`..` is read lexically"
        );
        assert!(!files.is_file("src/inner/none.go"));
        assert!(!files.is_file("../secret"));
    }

    #[test]
    fn a_link_is_followed_only_when_it_stays_inside() {
        let (ctx, _out) = context();
        let files = ProjectFiles::new(ctx.path());
        assert!(files.is_file("code/inner/main.go"), "a folder link inside");
        assert!(files.is_file("src/main.go"), "a file link inside");
        assert_eq!(files.read("src/main.go").as_deref(), Some("package main\n"));
        assert!(!files.is_file("away/secret"), "a folder link out");
        assert!(!files.is_dir("away"));
        assert!(!files.is_file("src/secret"), "a file link out");
        assert!(files.read("src/secret").is_none());
        assert!(!files.is_file("dangling"));
    }

    #[test]
    fn a_context_reached_through_a_link_is_still_its_own() {
        let (ctx, _out) = context();
        let via = tempfile::tempdir().expect("tempdir");
        symlink(ctx.path(), via.path().join("ctx")).expect("link");
        let files = ProjectFiles::new(via.path().join("ctx"));
        assert!(files.is_file("src/inner/main.go"));
        assert!(files.is_file("code/inner/main.go"));
        assert!(!files.is_file("away/secret"));
    }
}
