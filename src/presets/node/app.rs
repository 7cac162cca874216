//! Which package of a workspace is the app, when the `workspace` knob does not say. The root is
//! the app when it says how it starts (a `start` script or `main` whose file is there, or will
//! be built); else the app is the one package that no other package uses and that says how it
//! starts, which `stagegen init` writes as the `workspace` knob. Any other workspace is
//! ambiguous, and the error names the knob that settles it.

use crate::presets::node::codes;
use crate::presets::node::manifest::Manifest;
use crate::presets::node::nx;
use crate::presets::node::start::Entry;
use crate::presets::node::workspace::{self, Member};
use crate::presets::{Blame, KnobValue, PresetError};
use crate::project::ProjectFiles;

/// The error that asks which package to build, when `root` is a workspace root that does not
/// start by itself. `entry` is how the root would start, and `built` the root's build output
/// when it has a build script.
pub(super) fn workspace_question(
    root: &Manifest,
    files: &ProjectFiles,
    entry: Option<&Entry>,
    built: Option<&str>,
) -> Option<PresetError> {
    let patterns = workspace::patterns(root, files);
    if patterns.is_empty() || entry.is_some_and(|e| starts(e, files, built)) {
        return None;
    }
    let members = workspace::members(&patterns, files);
    Some(match workspace_apps(&members, files).as_slice() {
        [one] => only_app(one),
        apps => which_package(&members, apps),
    })
}

/// Whether the root's start command runs a file that is there (or that its build writes).
fn starts(entry: &Entry, files: &ProjectFiles, built: Option<&str>) -> bool {
    entry.file.as_deref().is_none_or(|file| {
        files.is_file(file) || built.is_some_and(|out| file.starts_with(&format!("{out}/")))
    })
}

/// The packages of a workspace that are apps: no other package uses them, and they say how
/// they start (a `start` script or `main`, or an Nx app's build and serve targets).
pub(super) fn workspace_apps<'m>(members: &'m [Member], files: &ProjectFiles) -> Vec<&'m Member> {
    members
        .iter()
        .filter(|m| {
            !members
                .iter()
                .any(|o| o.manifest.all_dependencies().any(|d| *d == m.name))
        })
        .filter(|m| {
            m.manifest.script("start").is_some()
                || m.manifest.main.is_some()
                || nx::app(files, m).is_some()
        })
        .collect()
}

fn only_app(app: &Member) -> PresetError {
    PresetError::new(
        codes::WHICH_WORKSPACE_PACKAGE,
        Blame::Table,
        format!(
            "the workspace root is not an app, and `{}` is its only package that is one",
            app.dir
        ),
    )
    .help(format!(
        "build it with `workspace = \"{}\"` in `[preset]`",
        app.dir
    ))
    .choice(
        "workspace",
        KnobValue::Text(app.dir.clone()),
        "the only package of the workspace that is an app",
    )
}

fn which_package(members: &[Member], apps: &[&Member]) -> PresetError {
    let listed = |dirs: Vec<&str>| {
        dirs.iter()
            .map(|d| format!("`{d}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let packages = if apps.is_empty() {
        format!(
            "the packages are {}",
            listed(members.iter().map(|m| m.dir.as_str()).collect())
        )
    } else {
        format!(
            "the packages that start are {}",
            listed(apps.iter().map(|m| m.dir.as_str()).collect())
        )
    };
    PresetError::new(
        codes::WHICH_WORKSPACE_PACKAGE,
        Blame::Table,
        "a workspace: which of its packages is the app?",
    )
    .help(format!(
        "the root does not say how it starts: choose the package with `workspace = \"<folder>\"` in `[preset]` (`stagegen init --workspace <folder>`); {packages}"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(name: &str, deps: &[&str], main: Option<&str>) -> Member {
        Member {
            dir: format!("packages/{name}"),
            name: name.to_string(),
            manifest: Manifest {
                dependencies: deps.iter().map(|d| d.to_string()).collect(),
                main: main.map(str::to_string),
                ..Manifest::default()
            },
        }
    }

    #[test]
    fn the_app_of_a_workspace_is_used_by_no_other_package() {
        let members = vec![
            member("api", &["shared"], Some("dist/server.js")),
            member("shared", &[], Some("dist/index.js")),
            member("web", &[], None),
        ];
        let dir = tempfile::tempdir().expect("tempdir");
        let files = ProjectFiles::new(dir.path());
        let apps: Vec<&str> = workspace_apps(&members, &files)
            .iter()
            .map(|m| m.name.as_str())
            .collect();
        assert_eq!(apps, ["api"]);
    }

    #[test]
    fn a_workspace_root_is_the_app_when_its_start_file_is_there_or_built() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("server.js"), "").expect("write");
        let files = ProjectFiles::new(dir.path());
        let entry = |file: &str| Entry {
            words: vec!["node".into(), file.into()],
            file: Some(file.into()),
            source: String::new(),
            ..Entry::default()
        };
        assert!(starts(&entry("server.js"), &files, None));
        // npm init writes `"main": "index.js"` whether or not the file exists.
        assert!(!starts(&entry("index.js"), &files, None));
        assert!(starts(&entry("dist/index.js"), &files, Some("dist")));
        assert!(!starts(&entry("dist/index.js"), &files, None));
    }

    #[test]
    fn one_app_is_a_choice_and_several_are_a_question() {
        let members = vec![
            member("a", &[], Some("a.js")),
            member("b", &[], Some("b.js")),
        ];
        let e = only_app(&members[0]);
        assert_eq!(
            e.choice.map(|c| (c.knob, c.value)),
            Some(("workspace", KnobValue::Text("packages/a".into())))
        );
        let apps: Vec<&Member> = members.iter().collect();
        let e = which_package(&members, &apps);
        assert!(e.choice.is_none());
        assert!(e
            .help
            .as_deref()
            .is_some_and(|h| h.contains("`workspace = ") && h.contains("`packages/b`")));
    }
}
