//! Finding the main packages of a module: `.` when the root is one, else those directly under
//! `cmd/`.

use crate::project::ProjectFiles;

/// `.` when the root is a main package, else the main packages directly under `cmd/`.
pub(super) fn main_packages(files: &ProjectFiles) -> Vec<String> {
    main_packages_in(files, "")
}

/// The same for the folder `dir` (context-relative; `""` is the root): `./dir` when it is a main
/// package, else the main packages directly under `dir/cmd/`.
pub(super) fn main_packages_in(files: &ProjectFiles, dir: &str) -> Vec<String> {
    if is_main_package(files, dir) {
        return vec![normalize_package(dir)];
    }
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    files
        .list(&format!("{prefix}cmd"))
        .into_iter()
        .filter(|d| is_main_package(files, &format!("{prefix}cmd/{d}")))
        .map(|d| format!("./{prefix}cmd/{d}"))
        .collect()
}

/// The non-test Go files of the package in `dir` (context-relative; `""` is the root).
pub(super) fn go_files(files: &ProjectFiles, dir: &str) -> Vec<String> {
    files
        .list(dir)
        .into_iter()
        .filter(|name| name.ends_with(".go") && !name.ends_with("_test.go"))
        .map(|name| {
            if dir.is_empty() {
                name
            } else {
                format!("{dir}/{name}")
            }
        })
        .collect()
}

fn is_main_package(files: &ProjectFiles, dir: &str) -> bool {
    go_files(files, dir).iter().any(|path| {
        files
            .read(path)
            .is_some_and(|text| text.lines().any(|l| l.trim() == "package main"))
    })
}

/// `cmd/api/` -> `./cmd/api`, as `go build` wants a package path.
pub(super) fn normalize_package(main: &str) -> String {
    let trimmed = main.trim_end_matches('/');
    if trimmed == "." || trimmed.is_empty() {
        ".".to_string()
    } else if trimmed.starts_with("./") {
        trimmed.to_string()
    } else {
        format!("./{trimmed}")
    }
}

/// The package's folder relative to the context (`./cmd/api` -> `cmd/api`, `.` -> ``).
pub(super) fn package_dir(main: &str) -> &str {
    main.trim_start_matches("./").trim_start_matches('.')
}

/// The program's name: the main package's folder, else the module's last path element that is
/// not a major-version suffix (`example.com/tool/v2` -> `tool`), else `app`.
pub(super) fn default_binary(main: &str, module: Option<&str>) -> String {
    let from_main = main
        .trim_start_matches("./")
        .rsplit('/')
        .next()
        .unwrap_or("");
    if !from_main.is_empty() && from_main != "." {
        return from_main.to_string();
    }
    module
        .and_then(|m| {
            m.rsplit('/')
                .find(|seg| !seg.starts_with('v') || seg[1..].parse::<u32>().is_err())
        })
        .unwrap_or("app")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_paths_and_names() {
        assert_eq!(normalize_package("cmd/api/"), "./cmd/api");
        assert_eq!(normalize_package("."), ".");
        assert_eq!(package_dir("./cmd/api"), "cmd/api");
        assert_eq!(package_dir("."), "");
        assert_eq!(default_binary("./cmd/api", Some("x.com/y")), "api");
        assert_eq!(default_binary(".", Some("example.com/tool/v2")), "tool");
        assert_eq!(default_binary(".", None), "app");
    }
}
