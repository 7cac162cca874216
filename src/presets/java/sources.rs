//! The app's Java sources, for `stagegen init` to find the ports the app listens on.

use crate::project::ProjectFiles;

/// How deep below a source root, and how many files, are read at most.
const MAX_DEPTH: usize = 10;
const MAX_FILES: usize = 500;

/// The `.java` files of the project's main source sets (`src/main/java` of the root and of the
/// modules one level down), sorted; at most a few hundred, for port detection.
pub(super) fn java_sources(files: &ProjectFiles) -> Vec<String> {
    let mut roots = vec!["src/main/java".to_string()];
    for d in files.list("") {
        if files.is_dir(&format!("{d}/src/main/java")) {
            roots.push(format!("{d}/src/main/java"));
        }
    }
    let mut out = Vec::new();
    let mut todo: Vec<(String, usize)> = roots.into_iter().map(|r| (r, 0)).collect();
    while let Some((dir, depth)) = todo.pop() {
        for name in files.list(&dir) {
            let rel = format!("{dir}/{name}");
            if name.ends_with(".java") && files.is_file(&rel) {
                out.push(rel);
            } else if depth < MAX_DEPTH && files.is_dir(&rel) {
                todo.push((rel, depth + 1));
            }
            if out.len() >= MAX_FILES {
                break;
            }
        }
    }
    out.sort();
    out
}
