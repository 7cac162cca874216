//! The checks on an image's files and config, as pure functions over its file list (from
//! `docker export`, so they work on images without a shell) and its inspect data: forbidden
//! programs, forbidden and required paths, package manager caches, the user, the healthcheck
//! command.
//!
//! Imports `tar`.

use std::io::Read;

use regex::Regex;

use crate::tar::{Archive, Kind};

/// The image's file list: paths without a leading `./` or `/`; folders end with `/`.
pub fn list_files(export: impl Read) -> std::io::Result<Vec<String>> {
    let mut archive = Archive::new(export);
    let mut files = Vec::new();
    while let Some(entry) = archive.next()? {
        let mut path = entry
            .path
            .trim_start_matches("./")
            .trim_start_matches('/')
            .to_string();
        if path.is_empty() {
            continue;
        }
        if entry.kind == Kind::Dir && !path.ends_with('/') {
            path.push('/');
        }
        files.push(path);
    }
    std::io::copy(&mut archive.into_inner(), &mut std::io::sink())?;
    Ok(files)
}

/// Files that make `program` present: `bin/<p>` or `sbin/<p>` anywhere, also versioned or
/// prefixed (`gcc-12`, `x86_64-linux-gnu-gcc`); for `go`, the toolchain tree `usr/local/go/`.
pub fn program_hits<'a>(files: &'a [String], program: &str) -> Vec<&'a str> {
    let pattern = format!(r"(^|/)s?bin/(.*-)?{}(-[0-9.]+)?$", regex::escape(program));
    let Ok(re) = Regex::new(&pattern) else {
        return Vec::new();
    };
    let mut hits: Vec<&str> = files
        .iter()
        .map(String::as_str)
        .filter(|f| re.is_match(f))
        .collect();
    if program == "go" {
        hits.extend(
            files
                .iter()
                .map(String::as_str)
                .filter(|f| f.starts_with("usr/local/go/") && !f.ends_with('/'))
                .take(3),
        );
    }
    hits
}

/// Files (not folders: npm leaves the empty scope folders of the dev dependencies it omits)
/// under `prefix`.
pub fn files_under<'a>(files: &'a [String], prefix: &str) -> Vec<&'a str> {
    files
        .iter()
        .map(String::as_str)
        .filter(|f| !f.ends_with('/') && f.starts_with(prefix))
        .collect()
}

/// Package manager caches an image should not ship: the folders npm, Yarn, pnpm, Bun, pip,
/// uv, Poetry, Pipenv, Go, Maven and Gradle fill while they install, in any home folder. A
/// build keeps them in cache mounts or removes them.
pub const CACHE_DIRS: &[(&str, &str)] = &[
    ("npm", "/.npm/_cacache/"),
    ("Yarn", "/.cache/yarn/"),
    ("Yarn", "/.yarn/berry/cache/"),
    ("Yarn", "/share/.cache/yarn/"),
    ("pnpm", "/.local/share/pnpm/store/"),
    ("pnpm", "/.pnpm-store/"),
    ("Bun", "/.bun/install/cache/"),
    ("pip", "/.cache/pip/"),
    ("uv", "/.cache/uv/"),
    ("Poetry", "/.cache/pypoetry/cache/"),
    ("Poetry", "/.cache/pypoetry/artifacts/"),
    ("Pipenv", "/.cache/pipenv/"),
    ("Go", "/.cache/go-build/"),
    ("Go", "/pkg/mod/cache/download/"),
    ("Maven", "/.m2/repository/"),
    ("Gradle", "/.gradle/caches/"),
];

/// The caches found: (tool, the first files under it).
pub fn cache_hits(files: &[String]) -> Vec<(&'static str, Vec<&str>)> {
    let mut out = Vec::new();
    for &(tool, dir) in CACHE_DIRS {
        let hits: Vec<&str> = files
            .iter()
            .map(String::as_str)
            .filter(|f| !f.ends_with('/') && (f.contains(dir) || f.starts_with(&dir[1..])))
            .take(3)
            .collect();
        if !hits.is_empty() {
            out.push((tool, hits));
        }
    }
    out
}

/// Whether a `Config.User` runs as root: empty, `root` or uid 0 (with any group).
pub fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or_default();
    matches!(name, "" | "root" | "0")
}

/// The command `docker exec` runs for a healthcheck's `Test` (`["CMD", ...]` or
/// `["CMD-SHELL", "..."]`); `None` for `NONE` or nothing.
pub fn healthcheck_command(test: &[String]) -> Option<Vec<String>> {
    match test.first().map(String::as_str) {
        Some("CMD") if test.len() > 1 => Some(test[1..].to_vec()),
        Some("CMD-SHELL") if test.len() == 2 => {
            Some(vec!["/bin/sh".into(), "-c".into(), test[1].clone()])
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tar::tests::Builder;

    fn files(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn lists_an_export_without_dot_slash() {
        let tar = Builder::new()
            .dir("./")
            .dir("./usr")
            .file("./usr/bin/env", b"x")
            .symlink("bin", "usr/bin")
            .finish();
        assert_eq!(
            list_files(&tar[..]).unwrap(),
            ["usr/", "usr/bin/env", "bin"]
        );
    }

    #[test]
    fn programs_versioned_prefixed_and_in_sbin() {
        let list = files(&[
            "usr/bin/gcc-12",
            "usr/bin/x86_64-linux-gnu-gcc",
            "usr/sbin/ldconfig",
            "usr/lib/gcc/x86_64-linux-gnu/12/cc1",
            "bin/sh",
            "usr/bin/shasum",
            "app/bin/ld",
        ]);
        assert_eq!(
            program_hits(&list, "gcc"),
            ["usr/bin/gcc-12", "usr/bin/x86_64-linux-gnu-gcc"]
        );
        assert_eq!(program_hits(&list, "sh"), ["bin/sh"]);
        assert_eq!(program_hits(&list, "ld"), ["app/bin/ld"]);
        assert!(program_hits(&list, "ldconfig2").is_empty());
        // a regex character in a program name is literal
        assert!(program_hits(&list, "g.c").is_empty());
    }

    #[test]
    fn the_go_toolchain_tree_is_go() {
        let list = files(&["usr/local/go/", "usr/local/go/pkg/tool/linux_amd64/compile"]);
        assert_eq!(
            program_hits(&list, "go"),
            ["usr/local/go/pkg/tool/linux_amd64/compile"]
        );
    }

    #[test]
    fn paths_count_files_not_folders() {
        let list = files(&[
            "app/node_modules/@types/",
            "app/node_modules/typescript/package.json",
        ]);
        assert!(files_under(&list, "app/node_modules/@types/").is_empty());
        assert_eq!(
            files_under(&list, "app/node_modules/typescript/"),
            ["app/node_modules/typescript/package.json"]
        );
    }

    #[test]
    fn caches_in_any_home() {
        let list = files(&[
            "root/.npm/_cacache/index-v5/00/ab",
            "home/app/.cache/pip/http/x",
            "root/.npm/_logs/debug.log",
            "go/pkg/mod/cache/download/golang.org/x/@v/list",
            ".cache/uv/sdists/x",
            "app/node_modules/pip-cache/index.js",
        ]);
        let tools: Vec<&str> = cache_hits(&list).into_iter().map(|(t, _)| t).collect();
        assert_eq!(tools, ["npm", "pip", "uv", "Go"]);
    }

    #[test]
    fn root_users() {
        for u in ["", "root", "0", "0:0", "root:staff"] {
            assert!(is_root(u), "{u}");
        }
        for u in ["65532:65532", "nonroot", "node", "1000"] {
            assert!(!is_root(u), "{u}");
        }
    }

    #[test]
    fn healthcheck_forms() {
        let cmd = files(&["CMD", "/app/server", "-healthcheck"]);
        assert_eq!(
            healthcheck_command(&cmd).unwrap(),
            ["/app/server", "-healthcheck"]
        );
        let shell = files(&["CMD-SHELL", "curl -f localhost || exit 1"]);
        assert_eq!(
            healthcheck_command(&shell).unwrap(),
            ["/bin/sh", "-c", "curl -f localhost || exit 1"]
        );
        assert!(healthcheck_command(&files(&["NONE"])).is_none());
        assert!(healthcheck_command(&[]).is_none());
    }
}
