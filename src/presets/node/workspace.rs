//! Monorepo workspaces (npm and Yarn `workspaces`, pnpm's `pnpm-workspace.yaml`): the packages of
//! the workspace, and for the one package the `workspace` knob names, the workspace packages it
//! uses. Only their `package.json` files key the install layer, and only their files reach
//! the image.

use std::collections::BTreeSet;

use crate::limits::MAX_WORKSPACE_MEMBERS;
use crate::presets::node::codes;
use crate::presets::node::manifest::Manifest;
use crate::presets::node::start::clean;
use crate::presets::{Blame, PresetError};
use crate::project::ProjectFiles;

/// One package of the workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Member {
    /// Its folder, relative to the workspace root (`packages/api`).
    pub dir: String,
    /// Its package name (`@acme/api`).
    pub name: String,
    pub manifest: Manifest,
}

/// The package to build and the workspace packages it uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Workspace {
    pub target: Member,
    /// Workspace packages the target uses (dev ones included), dependencies first.
    pub uses: Vec<Member>,
    /// The ones it needs at run time (through `dependencies` only), in the same order.
    pub runtime_uses: Vec<String>,
}

/// The member globs of the workspace at the context root: `workspaces` in package.json, else
/// `packages:` in `pnpm-workspace.yaml`.
pub(super) fn patterns(root: &Manifest, files: &ProjectFiles) -> Vec<String> {
    if !root.workspaces.is_empty() {
        return root.workspaces.clone();
    }
    let Some(yaml) = files.read("pnpm-workspace.yaml") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut in_packages = false;
    for line in yaml.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if !line.starts_with([' ', '-']) {
            in_packages = trimmed.starts_with("packages:");
            continue;
        }
        if in_packages {
            if let Some(item) = trimmed.strip_prefix('-') {
                let item = item.split(" #").next().unwrap_or("").trim();
                out.push(item.trim_matches(['"', '\'']).to_string());
            }
        }
    }
    out
}

/// The folders the patterns name (`packages/*`, `apps/api`; `!` excludes), sorted, and whether
/// they are more than [`MAX_WORKSPACE_MEMBERS`]: then only the first that many are kept (and
/// [`check`] reports it). Linear (n·log n) in the patterns and the folders they list; patterns
/// outside the context name no folder (the file layer confines them).
fn folders(patterns: &[String], files: &ProjectFiles) -> (Vec<String>, bool) {
    let mut dirs: BTreeSet<String> = BTreeSet::new();
    let mut excluded: BTreeSet<String> = BTreeSet::new();
    let unique: BTreeSet<&String> = patterns.iter().collect();
    for pattern in unique {
        let (negated, p) = match pattern.strip_prefix('!') {
            Some(p) => (true, p),
            None => (false, pattern.as_str()),
        };
        let p = clean(p);
        let found: Vec<String> =
            if let Some(parent) = p.strip_suffix("/**").or_else(|| p.strip_suffix("/*")) {
                files
                    .list(parent)
                    .into_iter()
                    .map(|d| format!("{parent}/{d}"))
                    .collect()
            } else {
                vec![p.clone()]
            };
        if negated {
            excluded.extend(found);
        } else {
            dirs.extend(found);
        }
        // Far more than the limit: stop listing (what is kept is reported as too many anyway).
        if dirs.len() > 2 * MAX_WORKSPACE_MEMBERS + excluded.len() {
            break;
        }
    }
    let mut kept: Vec<String> = dirs.into_iter().filter(|d| !excluded.contains(d)).collect();
    let over = kept.len() > MAX_WORKSPACE_MEMBERS;
    kept.truncate(MAX_WORKSPACE_MEMBERS);
    (kept, over)
}

/// The members the patterns name, sorted by folder: the folders with a readable package.json.
pub(super) fn members(patterns: &[String], files: &ProjectFiles) -> Vec<Member> {
    folders(patterns, files)
        .0
        .into_iter()
        .filter_map(|dir| {
            let manifest = Manifest::parse(&files.read(&format!("{dir}/package.json"))?).ok()?;
            let name = manifest.name.clone().unwrap_or_else(|| dir.clone());
            Some(Member {
                dir,
                name,
                manifest,
            })
        })
        .collect()
}

/// What is wrong with the workspace at the context root as a whole: member patterns that leave
/// the build context (`../shared/*`, `/srv/app`: a `COPY` cannot reach them, and `check` said
/// ok while the Dockerfile copied `../shared`), and more package folders than the limit.
pub(super) fn check(root: &Manifest, files: &ProjectFiles) -> Vec<PresetError> {
    let patterns = patterns(root, files);
    let source = if root.workspaces.is_empty() {
        "pnpm-workspace.yaml"
    } else {
        "package.json"
    };
    let mut errors = Vec::new();
    let outside: Vec<String> = patterns
        .iter()
        .filter(|p| !ProjectFiles::is_inside(&clean(p.strip_prefix('!').unwrap_or(p))))
        .map(|p| format!("`{p}`"))
        .collect();
    if !outside.is_empty() {
        errors.push(
            PresetError::new(
                codes::WORKSPACE_OUTSIDE_CONTEXT,
                Blame::Table,
                format!(
                    "`{source}` names workspace packages outside the build context: {}",
                    outside.join(", ")
                ),
            )
            .help("the build context must hold the whole workspace: move the packages into it, or set `context` in build.toml to the folder that holds them all"),
        );
    }
    if folders(&patterns, files).1 {
        errors.push(
            PresetError::new(
                codes::WORKSPACE_TOO_LARGE,
                Blame::Table,
                format!(
                    "`{source}` names more than {MAX_WORKSPACE_MEMBERS} workspace package folders"
                ),
            )
            .help("stagegen builds workspaces of up to that many packages: build a part of the monorepo as a context of its own"),
        );
    }
    errors
}

/// Resolve the `workspace` knob against the workspace at the context root.
pub(super) fn resolve(
    knob: &str,
    root: &Manifest,
    files: &ProjectFiles,
) -> Result<Workspace, PresetError> {
    let wanted = clean(knob);
    let patterns = patterns(root, files);
    if patterns.is_empty() {
        return Err(PresetError::new(
            codes::NOT_A_WORKSPACE,
            Blame::Knob("workspace"),
            "`workspace` is set but the app is not a workspace: package.json has no `workspaces` and there is no `pnpm-workspace.yaml`",
        )
        .help("declare the workspace packages (`\"workspaces\": [\"packages/*\"]`), or remove `workspace`"));
    }
    let all = members(&patterns, files);
    let Some(target) = all
        .iter()
        .find(|m| m.dir == wanted || m.name == wanted)
        .cloned()
    else {
        let known: Vec<String> = all.iter().map(|m| format!("`{}`", m.dir)).collect();
        return Err(PresetError::new(
            codes::UNKNOWN_WORKSPACE_PACKAGE,
            Blame::KnobValue("workspace"),
            format!("`{knob}` is not a package of the workspace"),
        )
        .label("no such folder or package name")
        .help(if known.is_empty() {
            "the workspace patterns match no folder with a package.json".to_string()
        } else {
            format!("the workspace packages are {}", known.join(", "))
        }));
    };
    let uses = closure(&target, &all, true);
    let runtime_uses = closure(&target, &all, false)
        .into_iter()
        .map(|m| m.name)
        .collect();
    Ok(Workspace {
        target,
        uses,
        runtime_uses,
    })
}

/// The members `from` depends on, transitively, dependencies before their dependents.
fn closure(from: &Member, all: &[Member], dev: bool) -> Vec<Member> {
    fn visit(m: &Member, all: &[Member], dev: bool, seen: &mut Vec<String>, out: &mut Vec<Member>) {
        let names: Vec<&String> = if dev {
            m.manifest.all_dependencies().collect()
        } else {
            m.manifest.dependencies.iter().collect()
        };
        for name in names {
            if seen.contains(name) {
                continue;
            }
            if let Some(dep) = all.iter().find(|x| &x.name == name) {
                seen.push(name.clone());
                // A member's own dev dependencies are not installed for its dependents.
                visit(dep, all, false, seen, out);
                out.push(dep.clone());
            }
        }
    }
    let mut seen = vec![from.name.clone()];
    let mut out = Vec::new();
    visit(from, all, dev, &mut seen, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(name: &str, deps: &[&str], dev: &[&str]) -> Member {
        Member {
            dir: format!("packages/{name}"),
            name: name.to_string(),
            manifest: Manifest {
                dependencies: deps.iter().map(|d| d.to_string()).collect(),
                dev_dependencies: dev.iter().map(|d| d.to_string()).collect(),
                ..Manifest::default()
            },
        }
    }

    #[test]
    fn closure_puts_dependencies_first() {
        let all = vec![
            member("api", &["core", "express"], &["testkit"]),
            member("core", &["util"], &["testkit"]),
            member("util", &[], &[]),
            member("testkit", &["util"], &[]),
            member("web", &[], &[]),
        ];
        let names = |v: Vec<Member>| v.into_iter().map(|m| m.name).collect::<Vec<_>>();
        assert_eq!(
            names(closure(&all[0], &all, true)),
            ["util", "core", "testkit"]
        );
        assert_eq!(names(closure(&all[0], &all, false)), ["util", "core"]);
    }
}
