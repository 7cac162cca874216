//! The globs of `[workspace] members` and `exclude`: `/`-separated folder paths where `*` and `?`
//! match within one folder name and `**` any number of folders. Expansion walks only the folders
//! a pattern can reach, in sorted order, and never into hidden folders or `node_modules`
//! through a wildcard. Imports nothing from the crate.

use std::path::Path;

/// Folders under `root` (relative, `/`-separated, `.` for the root itself) that `pattern`
/// matches, sorted, without duplicates.
pub(super) fn expand(root: &Path, pattern: &str) -> Vec<String> {
    let segments: Vec<&str> = segments(pattern);
    let mut found = Vec::new();
    walk(root, "", &segments, &mut found);
    found.sort();
    found.dedup();
    found
}

/// Whether the folder `path` (relative, `/`-separated) matches `pattern`.
pub(super) fn matches(pattern: &str, path: &str) -> bool {
    let pattern = segments(pattern);
    let path: Vec<&str> = segments(path);
    match_segments(&pattern, &path)
}

/// A pattern's (or a path's) folder names, without empty and `.` parts.
fn segments(text: &str) -> Vec<&str> {
    text.split('/')
        .filter(|s| !s.is_empty() && *s != ".")
        .collect()
}

fn join(base: &str, name: &str) -> String {
    if base.is_empty() {
        name.to_string()
    } else {
        format!("{base}/{name}")
    }
}

fn walk(root: &Path, rel: &str, segments: &[&str], found: &mut Vec<String>) {
    let Some((first, rest)) = segments.split_first() else {
        found.push(if rel.is_empty() {
            ".".to_string()
        } else {
            rel.to_string()
        });
        return;
    };
    let here = if rel.is_empty() {
        root.to_path_buf()
    } else {
        root.join(rel)
    };
    if *first == "**" {
        walk(root, rel, rest, found);
        for name in subfolders(&here) {
            if walkable(&name) {
                walk(root, &join(rel, &name), segments, found);
            }
        }
    } else if !has_wildcard(first) {
        if here.join(first).is_dir() {
            walk(root, &join(rel, first), rest, found);
        }
    } else {
        for name in subfolders(&here) {
            if walkable(&name) && wildmatch(first, &name) {
                walk(root, &join(rel, &name), rest, found);
            }
        }
    }
}

/// Hidden folders and installed dependencies are reached only by name, never by a wildcard.
fn walkable(name: &str) -> bool {
    !name.starts_with('.') && name != "node_modules"
}

fn has_wildcard(segment: &str) -> bool {
    segment.contains(['*', '?', '['])
}

fn subfolders(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.path().is_dir())
                .filter_map(|e| e.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn match_segments(pattern: &[&str], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((&"**", rest)) => (0..=path.len()).any(|i| match_segments(rest, &path[i..])),
        Some((first, rest)) => match path.split_first() {
            Some((name, path_rest)) => wildmatch(first, name) && match_segments(rest, path_rest),
            None => false,
        },
    }
}

/// `*` (any run of characters) and `?` (one character) within one name.
fn wildmatch(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ni));
                pi += 1;
            }
            Some(&c) if c == '?' || c == n[ni] => {
                pi += 1;
                ni += 1;
            }
            _ => match star {
                Some((sp, sn)) => {
                    pi = sp + 1;
                    ni = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_within_one_name() {
        assert!(wildmatch("*", "api"));
        assert!(wildmatch("a*i", "api"));
        assert!(wildmatch("a?i", "api"));
        assert!(!wildmatch("a?i", "apii"));
        assert!(wildmatch("*-svc", "billing-svc"));
        assert!(!wildmatch("*-svc", "billing"));
    }

    #[test]
    fn double_star_matches_any_depth() {
        assert!(matches("services/**", "services/a/b"));
        assert!(matches("**/api", "api"));
        assert!(matches("**/api", "x/y/api"));
        assert!(!matches("services/*", "services/a/b"));
        assert!(matches("./web", "web"));
    }

    #[test]
    fn expansion_walks_folders_in_order() {
        let dir = tempfile::tempdir().expect("tempdir");
        for d in [
            "services/b",
            "services/a",
            "services/.hidden",
            "web",
            "node_modules/x",
        ] {
            std::fs::create_dir_all(dir.path().join(d)).expect("mkdir");
        }
        assert_eq!(
            expand(dir.path(), "services/*"),
            ["services/a", "services/b"]
        );
        assert_eq!(expand(dir.path(), "web"), ["web"]);
        assert_eq!(expand(dir.path(), "."), ["."]);
        assert!(expand(dir.path(), "nope/*").is_empty());
        assert!(expand(dir.path(), "**")
            .iter()
            .all(|p| !p.contains("node_modules")));
    }
}
