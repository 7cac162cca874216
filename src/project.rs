//! Read-only access to the app's files in the build context, for presets to detect what the app
//! is (its lock files, versions, entry points). Paths are relative to the context root.

use std::path::{Path, PathBuf};

/// Files larger than this are not read for detection.
const MAX_READ: u64 = crate::limits::MAX_PROJECT_FILE_BYTES as u64;

/// The build context on disk.
#[derive(Debug, Clone)]
pub struct ProjectFiles {
    root: PathBuf,
}

impl ProjectFiles {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        ProjectFiles { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, rel: &str) -> PathBuf {
        let rel = rel.trim_start_matches("./");
        if rel.is_empty() || rel == "." {
            self.root.clone()
        } else {
            self.root.join(rel)
        }
    }

    pub fn is_file(&self, rel: &str) -> bool {
        self.path(rel).is_file()
    }

    pub fn is_dir(&self, rel: &str) -> bool {
        self.path(rel).is_dir()
    }

    /// The text of a file, if it exists, is UTF-8 and not too large to be a config file.
    /// The size is checked first and at most one byte past the limit is read (a file growing
    /// meanwhile is not read without end).
    pub fn read(&self, rel: &str) -> Option<String> {
        let path = self.path(rel);
        let meta = std::fs::metadata(&path).ok()?;
        if !meta.is_file() || meta.len() > MAX_READ {
            return None;
        }
        let file = std::fs::File::open(path).ok()?;
        let (bytes, longer) = crate::limits::read_at_most(file, MAX_READ as usize).ok()?;
        if longer {
            return None;
        }
        String::from_utf8(bytes).ok()
    }

    /// Names of the entries of a folder, sorted (so detection is deterministic).
    pub fn list(&self, rel: &str) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.path(rel))
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .filter_map(|e| e.file_name().into_string().ok())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }
}
