//! Whether [`super::poetry_lock`]'s program installs the app's `poetry.lock` exactly, decided at
//! compile time from the lock itself: `Err` carries the reason the dependency step keeps
//! `poetry export` (in the tools venv) instead, for the plan's `detected` lines. The program
//! makes the same checks at build time, so a lock that changes after the Dockerfile is written
//! fails the build loudly rather than installing something else. Reads the lock as text (at most
//! [`crate::limits::MAX_PROJECT_FILE_BYTES`], as every app file); never panics.

use crate::presets::python::manifest::normalize;
use crate::presets::python::version::{minor_number, satisfies};

/// The only lock-version the program reads: the one with `groups` and `markers` per package,
/// which Poetry 2 writes.
pub(super) const LOCK_VERSION: &str = "2.1";
/// The oldest Python with `tomllib` in its standard library.
const TOMLLIB_MINOR: u32 = 11;
/// The hash algorithms `poetry export` keeps (pip's `--require-hashes` knows them).
const HASHES: &[&str] = &["sha256", "sha384", "sha512"];

/// `Ok` when the program reads `lock` (the text of `poetry.lock`, `None` when it could not be
/// read) exactly for each of `selections` (group lists) on Python `minor`.
pub(super) fn check(
    lock: Option<&str>,
    minor: &str,
    selections: &[Vec<String>],
) -> Result<(), String> {
    let number = minor_number(minor).unwrap_or(0);
    if number < TOMLLIB_MINOR {
        return Err(format!(
            "Python {minor} has no `tomllib` to read poetry.lock without Poetry (3.{TOMLLIB_MINOR} has)"
        ));
    }
    let text = lock.ok_or("poetry.lock cannot be read (too large, or not UTF-8)")?;
    let doc: toml::Table = toml::from_str(text)
        .map_err(|e| format!("poetry.lock is not valid TOML ({})", e.message().trim()))?;
    let metadata = doc.get("metadata").and_then(|m| m.as_table());
    let version = metadata
        .and_then(|m| m.get("lock-version"))
        .and_then(|v| v.as_str());
    if version != Some(LOCK_VERSION) {
        return Err(format!(
            "poetry.lock's lock-version is {}, and only {LOCK_VERSION} (Poetry 2's) has the groups and markers to read it without Poetry",
            version.map_or("missing".to_string(), |v| format!("`{v}`"))
        ));
    }
    let python = metadata
        .and_then(|m| m.get("python-versions"))
        .and_then(|v| v.as_str())
        .unwrap_or("*");
    if python.trim() != "*" && satisfies(python, minor) != Some(true) {
        return Err(format!(
            "Python {minor} is outside poetry.lock's python-versions `{python}`, which `poetry export` writes into every marker"
        ));
    }
    let packages = match doc.get("package") {
        None => return Ok(()),
        Some(p) => p
            .as_array()
            .ok_or("poetry.lock's `package` is not a list")?,
    };
    for (i, package) in packages.iter().enumerate() {
        let package = package
            .as_table()
            .ok_or_else(|| format!("poetry.lock's package {} is not a table", i + 1))?;
        for groups in selections {
            check_package(package, groups)?;
        }
    }
    Ok(())
}

/// One package, for one selection of groups.
fn check_package(package: &toml::Table, selected: &[String]) -> Result<(), String> {
    let name = package.get("name").and_then(|v| v.as_str());
    let version = package.get("version").and_then(|v| v.as_str());
    let (Some(name), Some(_)) = (name, version) else {
        return Err("a package of poetry.lock has no name or version".into());
    };
    let groups = package
        .get("groups")
        .and_then(|v| v.as_array())
        .ok_or_else(|| format!("package `{name}` of poetry.lock has no `groups`"))?;
    if let Some(source) = package.get("source") {
        let kind = source
            .get("type")
            .and_then(|v| v.as_str())
            .unwrap_or("another");
        return Err(format!(
            "package `{name}` comes from a {kind} source, not PyPI"
        ));
    }
    let markers = selected_markers(package, groups, selected, name)?;
    if markers.is_empty() {
        return Ok(());
    }
    if !markers.iter().any(Option::is_none) {
        let kinds: Vec<Option<bool>> = markers.iter().flatten().map(|m| extra_only(m)).collect();
        if kinds.iter().all(|k| *k == Some(true)) {
            return Ok(()); // left out: it is only for an extra
        }
        if !kinds.iter().all(|k| *k == Some(false)) {
            return Err(format!(
                "package `{name}` has markers on extras that only Poetry evaluates"
            ));
        }
    }
    check_hashes(package, name)
}

/// The package's markers for the selected groups it is in (`None`: everywhere); empty when it
/// is in none of them.
fn selected_markers(
    package: &toml::Table,
    groups: &[toml::Value],
    selected: &[String],
    name: &str,
) -> Result<Vec<Option<String>>, String> {
    let markers = package.get("markers");
    let mut out = Vec::new();
    for group in groups {
        let group = group.as_str().ok_or_else(|| {
            format!("package `{name}` of poetry.lock has a group that is not a string")
        })?;
        if !selected.iter().any(|s| normalize(s) == normalize(group)) {
            continue;
        }
        let marker = match markers {
            None => None,
            Some(toml::Value::String(m)) => Some(m.clone()),
            Some(toml::Value::Table(t)) => match t.get(group) {
                None => None,
                Some(toml::Value::String(m)) => Some(m.clone()),
                Some(_) => {
                    return Err(format!(
                        "package `{name}` has a marker that is not a string"
                    ))
                }
            },
            Some(_) => {
                return Err(format!(
                    "package `{name}` has markers that are neither a string nor a table"
                ))
            }
        };
        out.push(marker.filter(|m| m != "*"));
    }
    Ok(out)
}

/// `Some(true)`: the marker holds only with an extra, and none is installed (every `or` part
/// has an `extra == "..."` clause); `Some(false)`: it names no extra; `None`: it cannot tell
/// (parentheses, `extra !=`, the word anywhere else). The program's `extra_only`, the same rule.
pub(super) fn extra_only(marker: &str) -> Option<bool> {
    if !marker.contains("extra") {
        return Some(false);
    }
    if marker.contains('(') {
        return None;
    }
    let gated = marker.split(" or ").all(|part| {
        part.split(" and ").any(|atom| {
            atom.trim()
                .strip_prefix("extra == \"")
                .and_then(|rest| rest.strip_suffix('"'))
                .is_some_and(|value| !value.contains('"'))
        })
    });
    gated.then_some(true)
}

/// At least one hash `poetry export` keeps, and none it would fail to read.
fn check_hashes(package: &toml::Table, name: &str) -> Result<(), String> {
    let files = package.get("files").and_then(|v| v.as_array());
    let mut kept = 0;
    for file in files.into_iter().flatten() {
        let hash = file
            .get("hash")
            .and_then(|h| h.as_str())
            .ok_or_else(|| format!("package `{name}` has a file without a hash"))?;
        let parts: Vec<&str> = hash.split(':').collect();
        match parts.as_slice() {
            [_] => kept += 1,
            [algo, _] if HASHES.contains(algo) => kept += 1,
            [_, _] => {}
            _ => {
                return Err(format!(
                    "package `{name}` has a hash Poetry cannot read: `{hash}`"
                ))
            }
        }
    }
    if kept == 0 {
        return Err(format!(
            "package `{name}` has no file hashes, which pip's `--require-hashes` needs"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "[metadata]\nlock-version = \"2.1\"\npython-versions = \">=3.11\"\n";

    fn package(extra: &str) -> String {
        format!(
            "[[package]]\nname = \"flask\"\nversion = \"3.1.0\"\ngroups = [\"main\"]\n\
             files = [{{file = \"f.whl\", hash = \"sha256:aa\"}}]\n{extra}\n"
        )
    }

    fn main_only(lock: &str) -> Result<(), String> {
        check(Some(lock), "3.13", &[vec!["main".into()]])
    }

    #[test]
    fn reads_a_plain_lock() {
        assert_eq!(main_only(&format!("{}{HEAD}", package(""))), Ok(()));
        // A dev group's package without hashes does not matter to main alone.
        let dev =
            "[[package]]\nname = \"pytest\"\nversion = \"8\"\ngroups = [\"dev\"]\nfiles = []\n";
        let lock = format!("{}{dev}{HEAD}", package(""));
        assert_eq!(main_only(&lock), Ok(()));
        let both = check(Some(&lock), "3.13", &[vec!["main".into(), "dev".into()]]);
        assert_eq!(
            both,
            Err("package `pytest` has no file hashes, which pip's `--require-hashes` needs".into())
        );
        // An optional package only for an extra is left out: no hashes needed.
        let optional = "[[package]]\nname = \"pdfkit\"\nversion = \"1\"\ngroups = [\"main\"]\n\
                        markers = \"python_version < \\\"3.14\\\" and extra == \\\"pdf\\\"\"\nfiles = []\n";
        assert_eq!(main_only(&format!("{optional}{HEAD}")), Ok(()));
        assert_eq!(main_only(HEAD), Ok(()));
    }

    #[test]
    fn falls_back_without_tomllib() {
        let e = check(Some(HEAD), "3.10", &[]).unwrap_err();
        assert_eq!(
            e,
            "Python 3.10 has no `tomllib` to read poetry.lock without Poetry (3.11 has)"
        );
    }

    #[test]
    fn falls_back_on_an_unreadable_lock() {
        assert_eq!(
            check(None, "3.13", &[]),
            Err("poetry.lock cannot be read (too large, or not UTF-8)".into())
        );
        let e = main_only("[metadata\n").unwrap_err();
        assert!(e.starts_with("poetry.lock is not valid TOML ("), "{e}");
        assert_eq!(
            main_only("package = 1\n[metadata]\nlock-version = \"2.1\"\n"),
            Err("poetry.lock's `package` is not a list".into())
        );
        assert_eq!(
            main_only(&format!("[[package]]\nname = \"x\"\n{HEAD}")),
            Err("a package of poetry.lock has no name or version".into())
        );
        assert_eq!(
            main_only(&format!(
                "[[package]]\nname = \"x\"\nversion = \"1\"\n{HEAD}"
            )),
            Err("package `x` of poetry.lock has no `groups`".into())
        );
    }

    #[test]
    fn falls_back_on_other_lock_versions() {
        for (version, shown) in [("1.1", "`1.1`"), ("2.0", "`2.0`"), ("2.2", "`2.2`")] {
            let lock = HEAD.replace("\"2.1\"", &format!("\"{version}\""));
            assert_eq!(
                main_only(&lock),
                Err(format!("poetry.lock's lock-version is {shown}, and only 2.1 (Poetry 2's) has the groups and markers to read it without Poetry"))
            );
        }
        let e = main_only("# This file is automatically @generated by Poetry 2.5.1\n").unwrap_err();
        assert!(
            e.starts_with("poetry.lock's lock-version is missing,"),
            "{e}"
        );
    }

    #[test]
    fn falls_back_outside_the_locks_python() {
        let e = check(Some(HEAD), "3.10", &[]).unwrap_err();
        assert!(e.contains("tomllib"), "{e}");
        let lock = HEAD.replace(">=3.11", ">=3.11,<3.13");
        assert_eq!(
            main_only(&lock),
            Err("Python 3.13 is outside poetry.lock's python-versions `>=3.11,<3.13`, which `poetry export` writes into every marker".into())
        );
        assert_eq!(main_only(&HEAD.replace(">=3.11", "*")), Ok(()));
        assert_eq!(main_only(&HEAD.replace(">=3.11", "^3.12")), Ok(()));
    }

    #[test]
    fn falls_back_on_a_source_other_than_pypi() {
        for kind in ["git", "directory", "file", "url", "legacy"] {
            let lock = format!(
                "{}[package.source]\ntype = \"{kind}\"\nurl = \"x\"\n{HEAD}",
                package("")
            );
            assert_eq!(
                main_only(&lock),
                Err(format!(
                    "package `flask` comes from a {kind} source, not PyPI"
                ))
            );
        }
    }

    #[test]
    fn falls_back_on_markers_on_extras_it_cannot_evaluate() {
        let unreadable = [
            "markers = \"extra != \\\"pdf\\\"\"",
            "markers = \"(extra == \\\"a\\\" or extra == \\\"b\\\") and python_version < \\\"3.14\\\"\"",
            "markers = \"sys_platform == \\\"linux\\\" or extra == \\\"pdf\\\"\"",
            "groups = [\"main\", \"dev\"]\nmarkers = {main = \"extra == \\\"pdf\\\"\", dev = \"sys_platform == \\\"linux\\\"\"}",
        ];
        for markers in unreadable {
            let lock = format!("{}{HEAD}", package(markers)).replace(
                "groups = [\"main\"]\nfiles = [{file = \"f.whl\", hash = \"sha256:aa\"}]\ngroups",
                "files = [{file = \"f.whl\", hash = \"sha256:aa\"}]\ngroups",
            );
            let both = check(Some(&lock), "3.13", &[vec!["main".into(), "dev".into()]]);
            assert_eq!(
                both,
                Err("package `flask` has markers on extras that only Poetry evaluates".into()),
                "{markers}"
            );
        }
        let table = "markers = {main = \"sys_platform == \\\"linux\\\"\"}";
        assert_eq!(main_only(&format!("{}{HEAD}", package(table))), Ok(()));
    }

    #[test]
    fn extra_only_markers() {
        assert_eq!(extra_only("sys_platform == \"win32\""), Some(false));
        assert_eq!(extra_only("extra == \"pdf\""), Some(true));
        assert_eq!(
            extra_only("extra == \"a\" or python_version < \"3.12\" and extra == \"b\""),
            Some(true)
        );
        assert_eq!(extra_only("extra != \"pdf\""), None);
        assert_eq!(extra_only("(extra == \"pdf\")"), None);
        assert_eq!(extra_only("platform_release == \"extra\""), None);
    }

    #[test]
    fn falls_back_on_hashes_pip_cannot_check() {
        let md5 = package("").replace("sha256:aa", "md5:aa");
        assert_eq!(
            main_only(&format!("{md5}{HEAD}")),
            Err("package `flask` has no file hashes, which pip's `--require-hashes` needs".into())
        );
        let odd = package("").replace("sha256:aa", "sha256:a:b");
        assert_eq!(
            main_only(&format!("{odd}{HEAD}")),
            Err("package `flask` has a hash Poetry cannot read: `sha256:a:b`".into())
        );
        let bare = package("").replace("sha256:aa", "aa");
        assert_eq!(main_only(&format!("{bare}{HEAD}")), Ok(()));
    }
}
