//! A bounded walk over an app's own source files, for what a preset reads in them (whether the
//! code runs a shell at run time): the files a filter takes in the app's folder and a few folders
//! down, leaving out the folders the preset names (installed packages, build output, tests) and
//! links; at most [`MAX_FILES`] files, each read only when it is small. Breadth first within a
//! folder, so the app's top-level files come first.

use crate::project::ProjectFiles;

/// How far down, how many files, and how large a file is read.
const MAX_DEPTH: usize = 4;
const MAX_FILES: usize = 400;
const MAX_BYTES: u64 = 256 * 1024;

/// What to read: which files, which folders to leave out.
pub struct Sources<'a> {
    pub is_source: fn(&str) -> bool,
    pub skipped: &'a [&'a str],
}

impl Sources<'_> {
    /// The first source file under `dir` in which `find` finds something, and what it found.
    pub fn first<T>(
        &self,
        files: &ProjectFiles,
        dir: &str,
        find: impl Fn(&str) -> Option<T>,
    ) -> Option<(String, T)> {
        let mut budget = MAX_FILES;
        let mut todo = vec![(dir.to_string(), 0)];
        while let Some((folder, depth)) = todo.pop() {
            let mut below = Vec::new();
            for name in files.list(&folder) {
                let path = join(&folder, &name);
                if files.is_dir(&path) {
                    if depth < MAX_DEPTH
                        && !self.skipped.contains(&name.as_str())
                        && !files.is_symlink(&path)
                    {
                        below.push(path);
                    }
                    continue;
                }
                if !(self.is_source)(&name) {
                    continue;
                }
                if budget == 0 {
                    return None;
                }
                budget -= 1;
                if let Some(found) = read_small(files, &path).as_deref().and_then(&find) {
                    return Some((path, found));
                }
            }
            todo.extend(below.into_iter().rev().map(|p| (p, depth + 1)));
        }
        None
    }
}

/// `folder/name`, or `name` at the context root.
fn join(folder: &str, name: &str) -> String {
    let folder = folder.trim_matches('/');
    if folder.is_empty() || folder == "." {
        name.to_string()
    } else {
        format!("{folder}/{name}")
    }
}

fn read_small(files: &ProjectFiles, path: &str) -> Option<String> {
    let len = std::fs::metadata(files.root().join(path)).ok()?.len();
    (len <= MAX_BYTES).then(|| files.read(path)).flatten()
}
