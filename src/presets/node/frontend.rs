//! `[frontend]`: a frontend built with Node in a stage of its own, whose static output is
//! copied into the final image of whatever else the file builds (a preset's runtime or a stage
//! of your own). The resolver calls [`frontend`]; the Node knowledge stays here.

use crate::ir::{Base, Copy, Run, Stage};
use crate::presets::node::manifest::Manifest;
use crate::presets::node::package_manager::{self, join, Deps};
use crate::presets::node::{inside, version, NODE_IMAGE};
use crate::presets::PresetError;
use crate::project::ProjectFiles;

/// The stage `[frontend]` makes.
pub const FRONTEND_STAGE: &str = "frontend";
/// Where the frontend is built inside its stage.
const FRONTEND_DIR: &str = "/frontend";
/// Output folders of well-known tools, by the dependency that marks them; else `dist` (Vite,
/// webpack, Parcel, esbuild scripts).
const OUTPUT_BY_DEPENDENCY: &[(&str, &str)] = &[("react-scripts", "build")];
const DEFAULT_OUTPUT: &str = "dist";

/// What `[frontend]` says.
pub struct FrontendRequest<'a> {
    /// The frontend's folder in the build context (`web`).
    pub dir: &'a str,
    /// Where its output goes in the final image (absolute).
    pub to: &'a str,
    pub output: Option<&'a str>,
    pub build: Option<&'a str>,
    pub version: Option<&'a str>,
    pub package_manager: Option<&'a str>,
    pub files: &'a ProjectFiles,
}

/// What the resolver adds: the stage, the copy for the final image, ignore patterns, and what
/// was detected.
#[derive(Debug)]
pub struct FrontendPlan {
    pub stage: Stage,
    pub copy: Copy,
    pub ignore: Vec<String>,
    pub detected: Vec<String>,
}

/// Plan the `frontend` stage. Errors name the `[frontend]` key to blame.
pub fn frontend(req: &FrontendRequest<'_>) -> Result<FrontendPlan, Vec<PresetError>> {
    let files = req.files;
    let dir = crate::presets::node::start::clean(req.dir);
    let dir = if dir == "." { String::new() } else { dir };
    let manifest_path = join(&dir, "package.json");
    let Some(text) = files.read(&manifest_path) else {
        return Err(vec![crate::presets::legacy(
            Some("dir"),
            format!("no `{manifest_path}`: `dir` must be the folder of the frontend's package.json"),
        )
        .help("write the folder of the frontend app, relative to the build context, e.g. `dir = \"web\"`")]);
    };
    let manifest = Manifest::parse(&text).map_err(|e| {
        vec![crate::presets::legacy(
            Some("dir"),
            format!("`{manifest_path}` is not valid JSON: {e}"),
        )]
    })?;
    let mut errors = Vec::new();
    let node = version::resolve(
        &dir,
        req.version,
        files.read(&join(&dir, ".nvmrc")).as_deref(),
        files.read(&join(&dir, ".node-version")).as_deref(),
        manifest.engines_node.as_deref(),
    );
    let pm = package_manager::detect(req.package_manager, &manifest, files, &dir);
    let script = req.build.unwrap_or("build");
    if manifest.script(script).is_none() {
        errors.push(
            crate::presets::legacy(
                Some(if req.build.is_some() { "build" } else { "dir" }),
                format!("`{manifest_path}` has no `{script}` script to build the frontend"),
            )
            .help("add a `build` script that writes the static files (e.g. `vite build`), or name yours with `build = \"...\"`"),
        );
    }
    let output = match req.output {
        Some(o) => crate::presets::node::start::clean(o),
        None => OUTPUT_BY_DEPENDENCY
            .iter()
            .find(|(dep, _)| manifest.all_dependencies().any(|d| d == dep))
            .map(|(_, o)| o.to_string())
            .unwrap_or_else(|| DEFAULT_OUTPUT.to_string()),
    };
    if !inside(&output) {
        errors.push(
            crate::presets::legacy(
                Some("output"),
                format!("`{output}` is not a folder inside the frontend"),
            )
            .help("write the folder the build writes, relative to `dir`, e.g. `\"dist\"`"),
        );
    }
    let (node, pm) = match (node, pm) {
        (Ok(n), Ok(p)) if errors.is_empty() => (n, p),
        (n, p) => {
            errors.extend(n.err());
            errors.extend(p.err());
            // The shared detection speaks of `[preset]`; here the knobs live in `[frontend]`.
            for e in &mut errors {
                e.help = e
                    .help
                    .take()
                    .map(|h| h.replace("`[preset]`", "`[frontend]`").into_boxed_str());
            }
            return Err(errors);
        }
    };

    let detected = vec![format!(
        "frontend {}: node {}{}, {}, output {output}/",
        if dir.is_empty() { "." } else { &dir },
        node.major,
        node.source.map(|s| format!(" ({s})")).unwrap_or_default(),
        pm.detected
    )];

    let mut stage = Stage::new(
        FRONTEND_STAGE,
        format!(
            "build the frontend ({}) with Node; its output goes to {}",
            if dir.is_empty() { "." } else { &dir },
            req.to
        ),
        Base::Image(format!("{NODE_IMAGE}:{}", node.major)),
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
    let folder = if dir.is_empty() {
        ".".to_string()
    } else {
        format!("{dir}/")
    };
    stage = stage.step(Copy::context([folder], "./"));
    if !manifest.has_no_dependencies() {
        let mut inputs = vec![manifest_path.clone()];
        inputs.extend(pm.install_inputs(files, &dir, &manifest));
        let mut install = Run::shell(pm.install(Deps::All, None, node.major)).inputs(inputs);
        install.mounts = pm.cache_mounts();
        stage = stage.step(install);
    }
    stage = stage.step(Run::shell(pm.run_script(script, None)));

    let copy = Copy::from_stage(
        FRONTEND_STAGE,
        &[&format!("{FRONTEND_DIR}/{output}")],
        req.to.to_string(),
    );
    Ok(FrontendPlan {
        stage,
        copy,
        ignore: vec!["**/node_modules".to_string(), join(&dir, &output)],
        detected,
    })
}
