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
    let mut out: Vec<String> = roots
        .iter()
        .flat_map(|root| files.walk(root, MAX_DEPTH))
        .filter(|f| f.ends_with(".java"))
        .collect();
    out.truncate(MAX_FILES);
    out.sort();
    out
}
