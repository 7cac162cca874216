//! Nx monorepos (an `nx.json` at the workspace root): which workspace packages are apps, and
//! how one builds and starts. An Nx project declares its targets in its package.json (`nx.targets`)
//! or its `project.json` (`targets`); an app is a project with a `build` target and a `serve`
//! target (or `projectType: "application"`): libraries and e2e test projects have no `serve`.
//! The app is built with Nx itself (`nx build <project>`, which builds the libraries it depends
//! on first, through `dependsOn: ["^build"]`), into the build target's `outputPath`, and runs
//! as `node <outputPath>/<main>.js`. Nx's Node generators bind `process.env.HOST ??
//! 'localhost'`: the image sets `HOST=0.0.0.0`.

use serde_json::Value;

use crate::presets::node::package_manager::join;
use crate::presets::node::start::Entry;
use crate::presets::node::workspace::Member;
use crate::project::ProjectFiles;

/// Root files an Nx build reads besides the manifests: its configuration and the files its
/// plugins load to work out targets (the root jest preset and eslint config the projects'
/// configs import).
pub(super) const ROOT_CONFIG: &[&str] = &[
    "nx.json",
    "jest.preset.",
    "jest.config.",
    "eslint.config.",
    ".eslintrc",
];

/// An Nx app's build, worked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NxApp {
    /// The Nx project name (the package name for a package.json project).
    pub project: String,
    /// The build output, relative to the package.
    pub output: String,
    /// How it starts.
    pub entry: Entry,
}

/// Whether the context root is an Nx workspace.
pub(super) fn is_nx(files: &ProjectFiles) -> bool {
    files.is_file("nx.json")
}

/// The targets of the Nx project at `m`, and its `projectType`.
fn targets(
    files: &ProjectFiles,
    m: &Member,
) -> Option<(serde_json::Map<String, Value>, Option<String>, String)> {
    if let Some(v) = files
        .read(&join(&m.dir, "project.json"))
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
    {
        let name = v
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or(&m.name)
            .to_string();
        let kind = v
            .get("projectType")
            .and_then(Value::as_str)
            .map(str::to_string);
        let t = v
            .get("targets")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        return Some((t, kind, name));
    }
    let v: Value = serde_json::from_str(&files.read(&join(&m.dir, "package.json"))?).ok()?;
    let nx = v.get("nx")?;
    let kind = nx
        .get("projectType")
        .and_then(Value::as_str)
        .map(str::to_string);
    let name = nx
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or(&m.name)
        .to_string();
    let t = nx
        .get("targets")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    Some((t, kind, name))
}

/// The app `m` builds, when it is an Nx app: a `build` target with an `outputPath` and a
/// `main`, and a `serve` target or `projectType: "application"`.
pub(super) fn app(files: &ProjectFiles, m: &Member) -> Option<NxApp> {
    if !is_nx(files) {
        return None;
    }
    let (targets, kind, project) = targets(files, m)?;
    let serves = targets.contains_key("serve") || kind.as_deref() == Some("application");
    let options = targets.get("build")?.get("options")?;
    if !serves {
        return None;
    }
    let text = |k: &str| {
        options
            .get(k)
            .and_then(Value::as_str)
            .map(|p| p.replace("{projectRoot}/", &format!("{}/", m.dir)))
            .map(|p| p.replace("{workspaceRoot}/", ""))
    };
    let prefix = format!("{}/", m.dir);
    let output = text("outputPath")?
        .trim_start_matches("./")
        .strip_prefix(&prefix)?
        .trim_end_matches('/')
        .to_string();
    let main = text("main")?;
    let stem = main
        .rsplit('/')
        .next()?
        .rsplit_once('.')
        .map(|(s, _)| s)?
        .to_string();
    let file = format!("{output}/{stem}.js");
    let entry = Entry {
        words: vec!["node".to_string(), file.clone()],
        file: Some(file),
        env: vec![("HOST".to_string(), "0.0.0.0".to_string())],
        source: format!(
            "the Nx project `{project}`: its build target writes {output}/ from {main}; Nx's Node apps listen on `HOST` (0.0.0.0)"
        ),
        ..Entry::default()
    };
    Some(NxApp {
        project,
        output,
        entry,
    })
}

/// The build: Nx from the installed workspace, without its sync generators (the build context
/// holds only the app and the libraries it uses, so the root tsconfig's references to the other
/// projects are stale on purpose, and Nx would refuse to run).
pub(super) fn build_command(project: &str) -> String {
    format!(
        "node_modules/.bin/nx build {} --skip-sync",
        crate::shell::shell_quote(project)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::presets::node::manifest::Manifest;

    fn member(dir: &str, name: &str) -> Member {
        Member {
            dir: dir.to_string(),
            name: name.to_string(),
            manifest: Manifest::default(),
        }
    }

    const API: &str = r#"{"name":"@ws/api","nx":{"targets":{
        "build":{"executor":"@nx/esbuild:esbuild","options":{"outputPath":"apps/api/dist","main":"apps/api/src/main.ts"}},
        "serve":{"executor":"@nx/js:node"}}}}"#;
    const E2E: &str = r#"{"name":"@ws/api-e2e","nx":{"targets":{"e2e":{}}}}"#;

    #[test]
    fn an_app_has_build_and_serve_targets() {
        let dir = tempfile::tempdir().expect("tempdir");
        for (d, text) in [("apps/api", API), ("apps/api-e2e", E2E)] {
            std::fs::create_dir_all(dir.path().join(d)).expect("mkdir");
            std::fs::write(dir.path().join(d).join("package.json"), text).expect("write");
        }
        let files = ProjectFiles::new(dir.path());
        assert_eq!(
            app(&files, &member("apps/api", "@ws/api")),
            None,
            "no nx.json"
        );
        std::fs::write(dir.path().join("nx.json"), "{}").expect("write");
        let files = ProjectFiles::new(dir.path());
        let api = app(&files, &member("apps/api", "@ws/api")).expect("an app");
        assert_eq!(api.project, "@ws/api");
        assert_eq!(api.output, "dist");
        assert_eq!(api.entry.words, ["node", "dist/main.js"]);
        assert_eq!(api.entry.env, [("HOST".to_string(), "0.0.0.0".to_string())]);
        assert_eq!(app(&files, &member("apps/api-e2e", "@ws/api-e2e")), None);
        assert_eq!(
            build_command("@ws/api"),
            "node_modules/.bin/nx build @ws/api --skip-sync"
        );
    }
}
