//! A uv workspace's member manifests (`[tool.uv.workspace] members`, less `exclude`): with
//! them, `uv sync --locked --no-install-workspace` can check the lock and install the
//! dependencies before any source is copied, so a source change reinstalls nothing. Only what
//! can be known from the manifests alone: a member with `[project] dynamic` metadata (a build
//! backend computes it from the sources) or a pattern this reader does not expand leaves the
//! sync unkeyed. Imports the preset's manifest reader and the project's files.

use std::collections::BTreeSet;

use super::manifest::{Pyproject, Uv};
use crate::project::ProjectFiles;

/// At most this many members are listed as inputs; more leave the sync unkeyed (one `COPY`
/// per manifest would outweigh what it saves).
const MAX_MEMBERS: usize = 100;

/// The members' `pyproject.toml` paths (context-relative, sorted), or why the sync cannot be
/// keyed on them.
pub(super) fn member_manifests(uv: &Uv, files: &ProjectFiles) -> Result<Vec<String>, String> {
    let members = folders(&uv.members, files)?;
    let excluded = folders(&uv.exclude, files)?;
    let mut out = Vec::new();
    for dir in members.difference(&excluded) {
        let manifest = format!("{dir}/pyproject.toml");
        let Some(text) = files.read(&manifest) else {
            continue;
        };
        let member = Pyproject::parse(&text).map_err(|_| format!("`{manifest}` does not parse"))?;
        if member.dynamic_any {
            return Err(format!(
                "`{manifest}` has `dynamic` metadata, which uv computes from the member's sources"
            ));
        }
        out.push(manifest);
    }
    if out.len() > MAX_MEMBERS {
        return Err(format!("the workspace has more than {MAX_MEMBERS} members"));
    }
    Ok(out)
}

/// The folders the patterns name: a literal folder, or `parent/*` for its subfolders.
fn folders(patterns: &[String], files: &ProjectFiles) -> Result<BTreeSet<String>, String> {
    let mut out = BTreeSet::new();
    for pattern in patterns {
        let p = pattern.trim_start_matches("./").trim_end_matches('/');
        if let Some(parent) = p.strip_suffix("/*") {
            if !is_literal(parent) {
                return Err(format!(
                    "the member pattern `{pattern}` has a wildcard before its last folder"
                ));
            }
            out.extend(
                files
                    .list(parent)
                    .into_iter()
                    .map(|d| format!("{parent}/{d}")),
            );
        } else if is_literal(p) && !p.is_empty() {
            out.insert(p.to_string());
        } else {
            return Err(format!(
                "the member pattern `{pattern}` is not a folder or `folder/*`"
            ));
        }
    }
    Ok(out)
}

fn is_literal(path: &str) -> bool {
    !path.contains(['*', '?', '[', '{']) && ProjectFiles::is_inside(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(files: &[(&str, &str)]) -> (tempfile::TempDir, ProjectFiles) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let files = ProjectFiles::new(dir.path());
        (dir, files)
    }

    fn uv(members: &[&str], exclude: &[&str]) -> Uv {
        Uv {
            workspace: true,
            members: members.iter().map(|s| s.to_string()).collect(),
            exclude: exclude.iter().map(|s| s.to_string()).collect(),
            ..Uv::default()
        }
    }

    const STATIC: &str = "[project]\nname = \"x\"\nversion = \"1\"\n";

    #[test]
    fn globs_and_literals_less_the_excluded() {
        let (_d, files) = project(&[
            ("packages/a/pyproject.toml", STATIC),
            ("packages/b/pyproject.toml", STATIC),
            ("packages/old/pyproject.toml", STATIC),
            ("packages/notes/README.md", "no manifest"),
            ("services/worker/pyproject.toml", STATIC),
        ]);
        let got = member_manifests(
            &uv(&["packages/*", "./services/worker/"], &["packages/old"]),
            &files,
        );
        assert_eq!(
            got.unwrap(),
            [
                "packages/a/pyproject.toml",
                "packages/b/pyproject.toml",
                "services/worker/pyproject.toml"
            ]
        );
    }

    #[test]
    fn dynamic_metadata_and_deep_globs_leave_it_unkeyed() {
        let (_d, files) = project(&[(
            "packages/a/pyproject.toml",
            "[project]\nname = \"a\"\ndynamic = [\"version\"]\n",
        )]);
        let err = member_manifests(&uv(&["packages/*"], &[]), &files).unwrap_err();
        assert_eq!(
            err,
            "`packages/a/pyproject.toml` has `dynamic` metadata, which uv computes from the member's sources"
        );
        let err = member_manifests(&uv(&["libs/*/py"], &[]), &files).unwrap_err();
        assert_eq!(
            err,
            "the member pattern `libs/*/py` is not a folder or `folder/*`"
        );
        let err = member_manifests(&uv(&["**/*"], &[]), &files).unwrap_err();
        assert_eq!(
            err,
            "the member pattern `**/*` has a wildcard before its last folder"
        );
        let err = member_manifests(&uv(&["../outside"], &[]), &files).unwrap_err();
        assert_eq!(
            err,
            "the member pattern `../outside` is not a folder or `folder/*`"
        );
    }
}
