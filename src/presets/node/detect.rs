//! What `stagegen init` writes for a Node app: the facts the preset reads again at every build
//! (Node line, package manager, start command, build) as notes, the one knob it cannot find by
//! itself (which package of a workspace is the app), and the ports the sources listen on.
//! [`frontend_dir`] finds a frontend beside another kind of app, for `[frontend]`.

use crate::presets::node::manifest::Manifest;
use crate::presets::node::package_manager::{self, join};
use crate::presets::node::workspace::{self, Member};
use crate::presets::node::{start, version, DEFAULT_OUTPUT};
use crate::presets::{Detection, KnobValue, PresetError};
use crate::project::ProjectFiles;

/// Folders where a frontend lives beside a backend, in the order they are looked at.
const FRONTEND_DIRS: &[&str] = &["web", "frontend", "client", "ui", "app"];
/// Where `stagegen init` puts a detected frontend's output in the final image: the backend's
/// `/app` (every preset's workdir) plus `static`, the usual name; the written file says to check.
const FRONTEND_TO: &str = "/app/static";
/// Source files whose extensions are read for ports.
const SOURCE_EXTENSIONS: &[&str] = &[".js", ".mjs", ".cjs", ".ts", ".mts"];

/// Detect the Node app at the root of `files`.
pub fn detect(files: &ProjectFiles) -> Result<Detection, PresetError> {
    let Some(text) = files.read("package.json") else {
        return Err(crate::presets::legacy(None, "no `package.json`").help("run `npm init` first"));
    };
    let root = Manifest::parse(&text).map_err(|e| {
        crate::presets::legacy(None, format!("`package.json` is not valid JSON: {e}"))
    })?;
    let mut d = Detection::default();
    let node = version::resolve(
        "",
        None,
        files.read(".nvmrc").as_deref(),
        files.read(".node-version").as_deref(),
        root.engines_node.as_deref(),
    )?;
    d.note(match &node.source {
        Some(s) => format!(
            "Node {}: builder node:{0}, runtime node:{0}-slim ({s})",
            node.major
        ),
        None => format!(
            "Node {}: builder node:{0}, runtime node:{0}-slim (the default line)",
            node.major
        ),
    });
    let pm = package_manager::detect(None, &root, files, "")
        .map_err(|e| e.help("pass `--package-manager npm` (or `pnpm`, `yarn`)"))?;
    d.note(pm.detected.clone());

    // A workspace root is not the app: one of its packages is.
    let patterns = workspace::patterns(&root, files);
    let (dir, app): (String, Manifest) = if patterns.is_empty() {
        (String::new(), root)
    } else {
        let members = workspace::members(&patterns, files);
        let apps = workspace_apps(&members);
        match apps.as_slice() {
            [one] => {
                d.knob(
                    "workspace",
                    KnobValue::Text(one.dir.clone()),
                    "the only package of the workspace that is an app",
                );
                (one.dir.clone(), one.manifest.clone())
            }
            _ => {
                let names: Vec<String> = members.iter().map(|m| format!("`{}`", m.dir)).collect();
                return Err(crate::presets::legacy(
                    Some("workspace"),
                    "a workspace: which of its packages is the app?",
                )
                .help(format!(
                    "init cannot choose: write a build.toml with `workspace = \"<folder>\"` in `[preset]`; the packages are {}",
                    names.join(", ")
                )));
            }
        }
    };

    let build = app.script("build").is_some();
    let (out_dir, root_dir) = files
        .read(&join(&dir, "tsconfig.json"))
        .map(|t| start::tsconfig_dirs(&t))
        .unwrap_or((None, None));
    let out_dir = out_dir.unwrap_or_else(|| DEFAULT_OUTPUT.to_string());
    let entry = start::infer(
        None,
        &app,
        files,
        &dir,
        &out_dir,
        root_dir.as_deref(),
        build,
    )
    .map_err(|e| e.help("pass the command with `--start node dist/server.js`"))?;
    d.note(format!(
        "start: {} ({})",
        entry.words.join(" "),
        entry.source
    ));
    d.note(if build {
        format!(
            "build: the `build` script, into {out_dir}/; dev dependencies stay out of the image"
        )
    } else {
        "no build script: the sources run as they are, with production dependencies only"
            .to_string()
    });
    if app.script("test").is_some() {
        d.note("tests: the `test` script (docker build --target test)");
    }
    // Where the app listens: its own folder, `src/`, and the folder of the start file (for
    // an app without a build, where the sources run as they are).
    let mut folders = vec![dir.clone(), join(&dir, "src")];
    if let Some(entry_dir) = entry
        .words
        .iter()
        .find(|w| SOURCE_EXTENSIONS.iter().any(|e| w.ends_with(e)))
        .and_then(|file| file.rsplit_once('/'))
        .map(|(folder, _)| join(&dir, folder))
    {
        if !folders.contains(&entry_dir) {
            folders.push(entry_dir);
        }
    }
    for folder in folders {
        for name in files.list(&folder) {
            if !SOURCE_EXTENSIONS.iter().any(|e| name.ends_with(e)) || name.contains(".test.") {
                continue;
            }
            let rel = join(&folder, &name);
            d.ports_from(files, &rel);
        }
    }
    Ok(d)
}

/// The packages of a workspace that are apps: no other package uses them, and they say how
/// they start (a `start` script or `main`).
fn workspace_apps(members: &[Member]) -> Vec<&Member> {
    members
        .iter()
        .filter(|m| {
            !members
                .iter()
                .any(|o| o.manifest.all_dependencies().any(|d| *d == m.name))
        })
        .filter(|m| m.manifest.script("start").is_some() || m.manifest.main.is_some())
        .collect()
}

/// A frontend beside a backend of another kind: the first of `web/`, `frontend/`, `client/`,
/// `ui/`, `app/` with a package.json that has a `build` script, and where its output goes:
/// `(dir, to)`.
pub fn frontend_dir(files: &ProjectFiles) -> Option<(String, String)> {
    FRONTEND_DIRS
        .iter()
        .find(|dir| {
            files
                .read(&format!("{dir}/package.json"))
                .and_then(|t| Manifest::parse(&t).ok())
                .is_some_and(|m| m.script("build").is_some())
        })
        .map(|d| (d.to_string(), FRONTEND_TO.to_string()))
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
        let apps: Vec<&str> = workspace_apps(&members)
            .iter()
            .map(|m| m.name.as_str())
            .collect();
        assert_eq!(apps, ["api"]);
    }
}
