//! `[frontend]` built with Node: [`NodeFrontend`] is the registry's
//! [`FrontendBuilder`](crate::presets::FrontendBuilder). Its settings (the frontend's
//! package.json, Node line, package manager, build script and output folder), then its one
//! stage: install from the lock file, run the build script; the output is copied into the final
//! image. For `stagegen init`, it finds a frontend beside a backend of another kind.

use crate::ir::{Base, Copy, Run, Stage};
use crate::presets::node::codes;
use crate::presets::node::manifest::Manifest;
use crate::presets::node::package_manager::{self, join, Deps, PackageManager};
use crate::presets::node::version::{self, NodeVersion};
use crate::presets::node::{inside, start, INFO, NODE_IMAGE};
use crate::presets::{
    Blame, FoundFrontend, FrontendBuilder, FrontendPlan, FrontendRequest, PresetError, PresetInfo,
    FRONTEND_STAGE,
};
use crate::project::ProjectFiles;

/// Where the frontend is built inside its stage.
const FRONTEND_DIR: &str = "/frontend";
/// Output folders of well-known tools, by the dependency that marks them; else `dist` (Vite,
/// webpack, Parcel, esbuild scripts).
const OUTPUT_BY_DEPENDENCY: &[(&str, &str)] = &[("react-scripts", "build")];
const DEFAULT_OUTPUT: &str = "dist";
/// Folders where a frontend lives beside a backend, in the order they are looked at.
const FRONTEND_DIRS: &[&str] = &["web", "frontend", "client", "ui", "app"];
/// Where `stagegen init` puts a detected frontend's output in the final image: the backend's
/// `/app` (every preset's workdir) plus `static`, the usual name; the written file says to check.
const FRONTEND_TO: &str = "/app/static";

/// The `[frontend]` builder.
pub(crate) struct NodeFrontend;

impl FrontendBuilder for NodeFrontend {
    fn plan(&self, req: &FrontendRequest<'_>) -> Result<FrontendPlan, Vec<PresetError>> {
        let f = settings(req)?;
        Ok(FrontendPlan {
            stage: stage(&f, req),
            copy: Copy::from_stage(
                FRONTEND_STAGE,
                &[&format!("{FRONTEND_DIR}/{}", f.output)],
                req.to.to_string(),
            ),
            ignore: vec!["**/node_modules".to_string(), join(&f.dir, &f.output)],
            detected: vec![detected(&f)],
        })
    }

    /// A Node app builds its frontend itself (a workspace package, or its own build script).
    fn find(&self, preset: &PresetInfo, files: &ProjectFiles) -> Option<FoundFrontend> {
        if preset.name == INFO.name {
            return None;
        }
        frontend_dir(files)
    }
}

/// What the frontend's files say.
struct FrontendSettings {
    /// Its folder in the context (`""` at the root).
    dir: String,
    manifest: Manifest,
    node: NodeVersion,
    pm: PackageManager,
    /// What the install reads: package.json, the lock file, the tool's configuration.
    install_inputs: Vec<String>,
    script: String,
    output: String,
}

/// The frontend's settings, or every error at once; each blames a `[frontend]` key.
fn settings(req: &FrontendRequest<'_>) -> Result<FrontendSettings, Vec<PresetError>> {
    let files = req.files;
    let dir = start::clean(req.dir);
    let dir = if dir == "." { String::new() } else { dir };
    let manifest_path = join(&dir, "package.json");
    let manifest = read_manifest(files, &manifest_path)?;
    let mut errors = Vec::new();
    let node = version::resolve(
        &dir,
        req.version,
        files.read(&join(&dir, ".nvmrc")).as_deref(),
        files.read(&join(&dir, ".node-version")).as_deref(),
        None,
        manifest.engines_node.as_deref(),
    );
    let pm = package_manager::detect(req.package_manager, &manifest, files, &dir);
    let script = req.build.unwrap_or("build").to_string();
    if manifest.script(&script).is_none() {
        errors.push(no_build_script(
            &manifest_path,
            &script,
            req.build.is_some(),
        ));
    }
    let output = output(req, &manifest, &mut errors);
    match (node, pm) {
        (Ok(node), Ok(pm)) if errors.is_empty() => Ok(FrontendSettings {
            install_inputs: std::iter::once(manifest_path)
                .chain(pm.install_inputs(files, &dir, &manifest))
                .collect(),
            dir,
            manifest,
            node,
            pm,
            script,
            output,
        }),
        (node, pm) => {
            errors.extend(node.err());
            errors.extend(pm.err());
            Err(errors.into_iter().map(in_frontend).collect())
        }
    }
}

fn read_manifest(files: &ProjectFiles, manifest_path: &str) -> Result<Manifest, Vec<PresetError>> {
    let Some(text) = files.read(manifest_path) else {
        return Err(vec![PresetError::new(
            codes::FRONTEND_NO_PACKAGE_JSON,
            Blame::Knob("dir"),
            format!("no `{manifest_path}`: `dir` must be the folder of the frontend's package.json"),
        )
        .help("write the folder of the frontend app, relative to the build context, e.g. `dir = \"web\"`")]);
    };
    Manifest::parse(&text).map_err(|e| {
        vec![PresetError::new(
            codes::FRONTEND_INVALID_PACKAGE_JSON,
            Blame::Knob("dir"),
            format!("`{manifest_path}` is not valid JSON: {e}"),
        )
        .help("fix the file: `npm pkg get name` shows what npm makes of it")]
    })
}

fn no_build_script(manifest_path: &str, script: &str, named: bool) -> PresetError {
    PresetError::new(
        codes::FRONTEND_NO_BUILD_SCRIPT,
        Blame::Knob(if named { "build" } else { "dir" }),
        format!("`{manifest_path}` has no `{script}` script to build the frontend"),
    )
    .help("add a `build` script that writes the static files (e.g. `vite build`), or name yours with `build = \"...\"`")
}

/// The folder the build writes: `output`, else the one its tool writes, else `dist`.
fn output(req: &FrontendRequest<'_>, manifest: &Manifest, errors: &mut Vec<PresetError>) -> String {
    let output = match req.output {
        Some(o) => start::clean(o),
        None => OUTPUT_BY_DEPENDENCY
            .iter()
            .find(|(dep, _)| manifest.all_dependencies().any(|d| d == dep))
            .map(|(_, o)| o.to_string())
            .unwrap_or_else(|| DEFAULT_OUTPUT.to_string()),
    };
    if !inside(&output) {
        errors.push(
            PresetError::new(
                codes::FRONTEND_OUTPUT_OUTSIDE,
                Blame::KnobValue("output"),
                format!("`{output}` is not a folder inside the frontend"),
            )
            .label("not inside `dir`")
            .help("write the folder the build writes, relative to `dir`, e.g. `\"dist\"`"),
        );
    }
    output
}

/// The shared Node detection speaks of `[preset]`; here the knobs live in `[frontend]`.
fn in_frontend(mut e: PresetError) -> PresetError {
    e.help = e
        .help
        .take()
        .map(|h| h.replace("`[preset]`", "`[frontend]`").into_boxed_str());
    e
}

fn detected(f: &FrontendSettings) -> String {
    format!(
        "frontend {}: node {}{}, {}, output {}/",
        if f.dir.is_empty() { "." } else { &f.dir },
        f.node.major,
        f.node
            .source
            .as_ref()
            .map(|s| format!(" ({s})"))
            .unwrap_or_default(),
        f.pm.detected,
        f.output
    )
}

/// The `frontend` stage: the package manager, the folder, a frozen install (when there are
/// dependencies), the build script.
fn stage(f: &FrontendSettings, req: &FrontendRequest<'_>) -> Stage {
    let pm = &f.pm;
    let mut stage = Stage::new(
        FRONTEND_STAGE,
        format!(
            "build the frontend ({}) with Node; its output goes to {}",
            if f.dir.is_empty() { "." } else { &f.dir },
            req.to
        ),
        Base::Image(format!("{NODE_IMAGE}:{}", f.node.major)),
    )
    .workdir(FRONTEND_DIR);
    for (k, v) in pm.env() {
        stage = stage.env(k, v);
    }
    if let Some(cmd) = pm.tool_install() {
        let mut run = Run::shell(cmd);
        run.mounts.push(pm.tool_cache());
        stage = stage.step(run);
    }
    // The naive order: copy the folder, then install; the optimizer moves the install ahead,
    // keyed on the manifest and the lock file only.
    let folder = if f.dir.is_empty() {
        ".".to_string()
    } else {
        format!("{}/", f.dir)
    };
    stage = stage.step(Copy::context([folder], "./"));
    if !f.manifest.has_no_dependencies() {
        let mut install =
            Run::shell(pm.install(Deps::All, None, f.node.major)).inputs(f.install_inputs.clone());
        install.mounts = pm.cache_mounts();
        stage = stage.step(install);
    }
    stage.step(Run::shell(pm.run_script(&f.script, None)))
}

/// A frontend beside a backend of another kind: the first of `web/`, `frontend/`, `client/`,
/// `ui/`, `app/` with a package.json that has a `build` script, and where its output goes.
fn frontend_dir(files: &ProjectFiles) -> Option<FoundFrontend> {
    FRONTEND_DIRS
        .iter()
        .find(|dir| {
            files
                .read(&format!("{dir}/package.json"))
                .and_then(|t| Manifest::parse(&t).ok())
                .is_some_and(|m| m.script("build").is_some())
        })
        .map(|d| FoundFrontend {
            dir: d.to_string(),
            to: FRONTEND_TO.to_string(),
            note: format!(
                "a frontend in {d}/ (package.json with a `build` script): built with Node, its output copied to {FRONTEND_TO}"
            ),
        })
}
