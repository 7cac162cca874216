//! The Node preset: an npm, pnpm or Yarn app (or one package of a workspace) installed from its
//! lock file, built with its `build` script, onto a slim or distroless Node image that holds
//! only the build output and the production dependencies, run by `node` as a non-root user.
//!
//! Stages: `build` (every dependency, installed in a layer keyed on the manifests and the lock
//! file, then the `build` script), `prod-deps` (a second frozen install with dev dependencies
//! left out), `test` (the `test` script), `dev` (the build stage running the `dev` script),
//! `runtime`. [`frontend`] makes the `frontend` stage of `[frontend]`.
//!
//! One concept per file: [`manifest`] (package.json), [`version`] (the Node line),
//! [`package_manager`] (which tool, its commands), [`start`] (the start command),
//! [`workspace`] (monorepos), [`frontend`].

mod frontend;
mod manifest;
mod package_manager;
mod start;
mod version;
mod workspace;

pub use frontend::{frontend, FrontendPlan, FrontendRequest, FRONTEND_STAGE};

use crate::ir::{Base, Copy, Mount, Run, Stage};
use crate::presets::{Preset, PresetError, PresetPlan, PresetRequest};
use crate::project::ProjectFiles;
use manifest::Manifest;
use package_manager::{join, Deps, PackageManager};
use workspace::{Member, Workspace};

/// Builder image (`node:<major>`: the full image, with the compilers native modules need).
pub(crate) const NODE_IMAGE: &str = "node";
/// Runtime images by flavour: `node:<major>-slim`, `node:<major>-alpine` (builder too, for
/// musl-built native modules), `gcr.io/distroless/nodejs<major>-debian12:nonroot`.
const SLIM_SUFFIX: &str = "-slim";
const ALPINE_SUFFIX: &str = "-alpine";
const DISTROLESS_PREFIX: &str = "gcr.io/distroless/nodejs";
const DISTROLESS_SUFFIX: &str = "-debian12:nonroot";
/// Node lines with a distroless image.
const DISTROLESS_MAJORS: &[u32] = &[18, 20, 22, 24];
/// `node` in the distroless image (not on PATH).
const DISTROLESS_NODE: &str = "/nodejs/bin/node";
/// The `node` user of the official images, and distroless's `nonroot`: numeric, so the image
/// needs no passwd lookup.
const NODE_USER: &str = "1000:1000";
const NONROOT_USER: &str = "65532:65532";
/// The package managers the official images ship besides node; the slim and Alpine runtimes
/// drop them (the app runs with node alone, and each is an attack surface).
const PACKAGE_MANAGERS: &str = "rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-v*";
/// Where the app lives in every stage.
const APP_DIR: &str = "/app";
/// Build output folder when nothing names one.
const DEFAULT_OUTPUT: &str = "dist";
/// Root files of a workspace that package builds read (`extends` in a package's tsconfig).
const WORKSPACE_ROOT_CONFIG: &[&str] = &["tsconfig.", "babel.config.", ".babelrc", ".swcrc"];
/// `.dockerignore` patterns: installed packages (rebuilt in the image; a copied host
/// `node_modules` would also bring dev dependencies), logs, local environment files.
const IGNORE: &[&str] = &[
    "**/node_modules",
    "**/npm-debug.log*",
    "**/yarn-debug.log*",
    "**/yarn-error.log*",
    "**/.pnpm-debug.log*",
    "**/.env",
    "**/.env.*",
    "**/coverage",
];
const BERRY_IGNORE: &[&str] = &[
    ".yarn/cache",
    ".yarn/unplugged",
    ".yarn/install-state.gz",
    ".pnp.*",
];

pub struct Node;

impl Preset for Node {
    fn name(&self) -> &'static str {
        "node"
    }

    fn options(&self) -> &'static [&'static str] {
        &[
            "version",
            "package-manager",
            "start",
            "build",
            "output",
            "workspace",
            "test",
            "dev",
            "secrets",
            "build-env",
        ]
    }

    fn stage_names(&self) -> &'static [&'static str] {
        &["build", "prod-deps", "test", "dev", "runtime"]
    }

    fn stage_edges(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("test", "build"),
            ("dev", "build"),
            ("runtime", "build"),
            ("runtime", "prod-deps"),
        ]
    }

    fn plan(&self, request: &PresetRequest<'_>) -> Result<PresetPlan, Vec<PresetError>> {
        let opts = request.options;
        let files = request.files;
        let mut detected = Vec::new();
        let root = read_manifest(files, "", None)?;

        let mut errors = Vec::new();
        let node = version::resolve(
            opts.version.as_deref(),
            files.read(".nvmrc").as_deref(),
            files.read(".node-version").as_deref(),
            root.engines_node.as_deref(),
        );
        let pm = package_manager::detect(opts.package_manager.as_deref(), &root, files, "");
        let ws = opts
            .workspace
            .as_deref()
            .map(|w| workspace::resolve(w, &root, files))
            .transpose();
        let (node, pm, ws) = match (node, pm, ws) {
            (Ok(n), Ok(p), Ok(w)) => (n, p, w),
            (n, p, w) => {
                errors.extend(n.err());
                errors.extend(p.err());
                errors.extend(w.err());
                return Err(errors);
            }
        };
        match &node.source {
            Some(s) => detected.push(format!("node {} ({s})", node.major)),
            None if opts.version.is_none() => detected.push(format!(
                "node {} (the default: no .nvmrc, .node-version or engines.node)",
                node.major
            )),
            None => {}
        }
        detected.push(pm.detected.clone());

        // The package that is built: the app, or one workspace package.
        let (app_dir, app): (String, &Manifest) = match &ws {
            Some(w) => {
                detected.push(format!(
                    "workspace package {} ({}){}",
                    w.target.name,
                    w.target.dir,
                    if w.uses.is_empty() {
                        String::new()
                    } else {
                        format!(
                            ", using {}",
                            w.uses
                                .iter()
                                .map(|m| m.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }
                ));
                (w.target.dir.clone(), &w.target.manifest)
            }
            None => (String::new(), &root),
        };

        let build_script = match &opts.build {
            Some(s) if app.script(s).is_some() => Some(s.clone()),
            Some(s) => {
                errors.push(
                    PresetError::new(Some("build"), format!("package.json has no `{s}` script"))
                        .help(script_help(app)),
                );
                None
            }
            None => app.script("build").map(|_| "build".to_string()),
        };
        let test_script = match opts.test {
            Some(false) => None,
            Some(true) if app.script("test").is_none() => {
                errors.push(
                    PresetError::new(
                        Some("test"),
                        "`test = true` but package.json has no `test` script",
                    )
                    .help("add a `test` script to package.json, or remove `test`"),
                );
                None
            }
            _ => app.script("test").map(|_| "test".to_string()),
        };

        let tsconfig = files
            .read(&join(&app_dir, "tsconfig.json"))
            .map(|t| start::tsconfig_dirs(&t))
            .unwrap_or((None, None));
        let out_dir = opts
            .output
            .as_deref()
            .map(start::clean)
            .or(tsconfig.0.clone())
            .unwrap_or_else(|| DEFAULT_OUTPUT.to_string());
        if !inside(&out_dir) {
            errors.push(
                PresetError::new(
                    Some("output"),
                    format!("`{out_dir}` is not a folder inside the app"),
                )
                .help("write the folder the build writes, relative to the app, e.g. `\"dist\"`"),
            );
        }
        let entry = start::infer(
            opts.start.as_deref(),
            app,
            files,
            &app_dir,
            &out_dir,
            tsconfig.1.as_deref(),
            build_script.is_some(),
        );
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                errors.push(e);
                return Err(errors);
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        detected.push(format!(
            "start: {} ({})",
            entry.words.join(" "),
            entry.source
        ));
        // Only the build output reaches the image when the entry lies inside it; else the
        // sources too (a server.js serving a built `dist/`).
        let output_only = build_script.is_some()
            && entry
                .file
                .as_deref()
                .is_some_and(|f| f.starts_with(&format!("{out_dir}/")));
        match &build_script {
            Some(s) => detected.push(format!(
                "build: the `{s}` script, output {out_dir}/{}",
                if output_only { "" } else { " and the sources" }
            )),
            None => detected.push("no build script: the sources run as they are".to_string()),
        }

        let flavour = Flavour::of(request.base, node.major)?;
        let builder = format!("{NODE_IMAGE}:{}{}", node.major, flavour.builder_suffix());
        let ctx = Ctx {
            files,
            opts_secrets: &opts.secrets,
            pm: &pm,
            major: node.major,
            builder: builder.clone(),
        };

        let mut stages = Vec::new();
        let mut build = ctx.install_stage(
            "build",
            &describe_build(&build_script, root.has_no_dependencies() && ws.is_none()),
            Deps::All,
            &root,
            ws.as_ref(),
            true,
        );
        build.args = request.args.clone();
        for (k, v) in &opts.build_env {
            build = build.env(k.clone(), v.clone());
        }
        if let Some(w) = &ws {
            for m in &w.uses {
                if m.manifest.script("build").is_some() {
                    build = build.step(Run::shell(pm.run_script("build", Some((&m.dir, &m.name)))));
                }
            }
        }
        if let Some(s) = &build_script {
            let target = ws
                .as_ref()
                .map(|w| (w.target.dir.as_str(), w.target.name.as_str()));
            build = build.step(Run::shell(pm.run_script(s, target)));
        }
        stages.push(build);

        let has_prod_deps = match &ws {
            Some(w) => !w.target.manifest.dependencies.is_empty() || !root.dependencies.is_empty(),
            None => !root.dependencies.is_empty(),
        };
        if has_prod_deps {
            stages.push(ctx.install_stage(
                "prod-deps",
                "production dependencies only, from the lock file (dev dependencies left out)",
                Deps::Production,
                &root,
                ws.as_ref(),
                false,
            ));
        } else {
            detected
                .push("no production dependencies: the image holds no node_modules".to_string());
        }

        if let Some(t) = &test_script {
            let mut test = Stage::new(
                "test",
                "run the tests: docker build --target test",
                Base::Stage("build".into()),
            )
            .env("CI", "true");
            if !app_dir.is_empty() {
                test = test.workdir(format!("{APP_DIR}/{app_dir}"));
            }
            stages.push(test.step(Run::shell(pm.run_script(t, None))));
        }
        if opts.dev.unwrap_or(true) {
            let mut dev = Stage::new(
                "dev",
                "every dependency and the sources, running the app in development mode",
                Base::Stage("build".into()),
            );
            if !app_dir.is_empty() {
                dev = dev.workdir(format!("{APP_DIR}/{app_dir}"));
            }
            dev.image.cmd = Some(match app.script("dev") {
                Some(_) => vec![pm.tool.command().to_string(), "run".into(), "dev".into()],
                None => entry.words.clone(),
            });
            stages.push(dev);
        }

        stages.push(runtime_stage(
            &ctx,
            &flavour,
            &entry.words,
            RuntimeLayout {
                app_dir: &app_dir,
                out_dir: &out_dir,
                has_build: build_script.is_some(),
                output_only,
                has_prod_deps,
                workspace: ws.as_ref(),
            },
        ));

        let mut ignore: Vec<String> = IGNORE.iter().map(|s| s.to_string()).collect();
        if build_script.is_some() {
            // The build writes it: a stale local copy must not reach the build or the image.
            ignore.push(join(&app_dir, &out_dir));
        }
        if pm.tool == package_manager::Tool::YarnBerry {
            ignore.extend(BERRY_IGNORE.iter().map(|s| s.to_string()));
        }
        Ok(PresetPlan {
            stages,
            app_stages: vec!["runtime", "dev"],
            ignore,
            detected,
        })
    }
}

fn describe_build(script: &Option<String>, no_deps: bool) -> String {
    let deps = if no_deps {
        "the sources (no dependencies to install)"
    } else {
        "every dependency from the lock file, then the sources"
    };
    match script {
        Some(s) => format!("{deps}, built with the `{s}` script"),
        None => deps.to_string(),
    }
}

fn script_help(m: &Manifest) -> String {
    if m.scripts.is_empty() {
        "package.json has no scripts".to_string()
    } else {
        format!(
            "its scripts are {}",
            m.scripts
                .keys()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// Read and parse `package.json` of the folder `dir`; `option` is the knob to blame.
fn read_manifest(
    files: &ProjectFiles,
    dir: &str,
    option: Option<&'static str>,
) -> Result<Manifest, Vec<PresetError>> {
    let path = join(dir, "package.json");
    let Some(text) = files.read(&path) else {
        return Err(vec![PresetError::new(
            option,
            format!("no `{path}` in the build context `{}`", files.root().display()),
        )
        .help("the node preset builds npm, pnpm and Yarn apps: run `npm init`, or point `context` at the app's folder")]);
    };
    Manifest::parse(&text).map_err(|e| {
        vec![
            PresetError::new(option, format!("`{path}` is not valid JSON: {e}"))
                .help("fix the file: `npm pkg get name` shows what npm makes of it"),
        ]
    })
}

/// What the preset knows while it writes stages.
struct Ctx<'a> {
    files: &'a ProjectFiles,
    opts_secrets: &'a [String],
    pm: &'a PackageManager,
    major: u32,
    builder: String,
}

impl Ctx<'_> {
    /// A stage on the builder image that installs dependencies from the lock file. With
    /// `sources`, the app's files follow (the naive order: copy, then install; the optimizer
    /// moves the install ahead, keyed on its inputs). A workspace copies only what its package
    /// needs.
    fn install_stage(
        &self,
        name: &str,
        description: &str,
        deps: Deps,
        root: &Manifest,
        ws: Option<&Workspace>,
        sources: bool,
    ) -> Stage {
        let pm = self.pm;
        let mut stage =
            Stage::new(name, description, Base::Image(self.builder.clone())).workdir(APP_DIR);
        for (k, v) in pm.env() {
            stage = stage.env(k, v);
        }
        if let Some(cmd) = pm.tool_install() {
            stage = stage.step(Run {
                commands: vec![crate::ir::Command::Shell(cmd)],
                mounts: vec![pm.tool_cache()],
                inputs: Vec::new(),
            });
        }
        let mut inputs = vec!["package.json".to_string()];
        if let Some(w) = ws {
            for m in w.uses.iter().chain(std::iter::once(&w.target)) {
                inputs.push(format!("{}/package.json", m.dir));
            }
        }
        inputs.extend(pm.install_inputs(self.files, "", root));
        let needs_install = !root.has_no_dependencies()
            || ws.is_some_and(|w| !w.target.manifest.has_no_dependencies());
        let target = ws.map(|w| (w.target.dir.as_str(), w.target.name.as_str()));
        let mut install = Run::shell(pm.install(deps, target, self.major)).inputs(inputs.clone());
        install.mounts = pm.cache_mounts();
        for id in self.opts_secrets {
            install.mounts.push(Mount::Secret {
                id: id.clone(),
                target: None,
                required: false,
            });
        }
        if deps == Deps::Production {
            if let Some(w) = ws {
                // Every package's node_modules is copied into the image: make sure each exists.
                let dirs: Vec<String> = runtime_members(w)
                    .iter()
                    .map(|m| format!("{}/node_modules", m.dir))
                    .collect();
                install.commands.push(crate::ir::Command::Shell(format!(
                    "mkdir -p {}",
                    dirs.join(" ")
                )));
            }
        }
        match (sources, ws) {
            (true, None) => {
                stage = stage.step(Copy::context(["."], "."));
                if needs_install {
                    stage = stage.step(install);
                }
            }
            (_, _) => {
                if needs_install {
                    for c in grouped_copies(&inputs) {
                        stage = stage.step(c);
                    }
                    stage = stage.step(install);
                }
                if let (true, Some(w)) = (sources, ws) {
                    for f in self.files.list("") {
                        if WORKSPACE_ROOT_CONFIG.iter().any(|p| f.starts_with(p))
                            && self.files.is_file(&f)
                        {
                            stage = stage.step(Copy::context([f.clone()], "./"));
                        }
                    }
                    for m in w.uses.iter().chain(std::iter::once(&w.target)) {
                        stage = stage.step(Copy::context(
                            [format!("{}/", m.dir)],
                            format!("./{}/", m.dir),
                        ));
                    }
                }
            }
        }
        stage
    }
}

/// Copies of `paths` into the same folders under the workdir, one COPY per folder (a
/// multi-source COPY flattens folders).
fn grouped_copies(paths: &[String]) -> Vec<Copy> {
    let mut by_dir: Vec<(String, Vec<String>)> = Vec::new();
    for p in paths {
        let dir = p
            .rsplit_once('/')
            .map(|(d, _)| d.to_string())
            .unwrap_or_default();
        match by_dir.iter_mut().find(|(d, _)| *d == dir) {
            Some((_, v)) => v.push(p.clone()),
            None => by_dir.push((dir, vec![p.clone()])),
        }
    }
    by_dir
        .into_iter()
        .map(|(dir, v)| {
            Copy::context(
                v,
                if dir.is_empty() {
                    "./".to_string()
                } else {
                    format!("./{dir}/")
                },
            )
        })
        .collect()
}

/// The workspace packages in the image: the ones the target needs at run time, then itself.
fn runtime_members(w: &Workspace) -> Vec<&Member> {
    w.uses
        .iter()
        .filter(|m| w.runtime_uses.contains(&m.name))
        .chain(std::iter::once(&w.target))
        .collect()
}

/// The final image's base and how it runs `node`.
enum Flavour {
    Slim,
    Alpine,
    Distroless(String),
    Image(String),
}

impl Flavour {
    fn of(base: Option<&str>, major: u32) -> Result<Flavour, Vec<PresetError>> {
        Ok(match base.unwrap_or("slim") {
            "slim" => Flavour::Slim,
            "alpine" => Flavour::Alpine,
            "distroless" => {
                if !DISTROLESS_MAJORS.contains(&major) {
                    return Err(vec![PresetError::new(
                        Some("version"),
                        format!("there is no distroless image for Node {major}"),
                    )
                    .help(format!(
                        "distroless has Node {}; choose one of them, or `base = \"slim\"` in `[runtime]`",
                        DISTROLESS_MAJORS.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
                    ))]);
                }
                Flavour::Distroless(format!("{DISTROLESS_PREFIX}{major}{DISTROLESS_SUFFIX}"))
            }
            "scratch" => {
                return Err(vec![PresetError::new(
                    None,
                    "a Node app cannot run on `scratch`: it needs the Node runtime",
                )
                .help(
                    "use `base = \"slim\"` or `base = \"distroless\"` in `[runtime]`",
                )])
            }
            image if image.starts_with(DISTROLESS_PREFIX) => Flavour::Distroless(image.to_string()),
            image => Flavour::Image(image.to_string()),
        })
    }

    fn builder_suffix(&self) -> &'static str {
        match self {
            Flavour::Alpine => ALPINE_SUFFIX,
            _ => "",
        }
    }
}

/// What the runtime stage copies.
struct RuntimeLayout<'a> {
    app_dir: &'a str,
    out_dir: &'a str,
    has_build: bool,
    output_only: bool,
    has_prod_deps: bool,
    workspace: Option<&'a Workspace>,
}

fn runtime_stage(
    ctx: &Ctx<'_>,
    flavour: &Flavour,
    start: &[String],
    l: RuntimeLayout<'_>,
) -> Stage {
    let (image, user) = match flavour {
        Flavour::Slim => (
            format!("{NODE_IMAGE}:{}{SLIM_SUFFIX}", ctx.major),
            NODE_USER,
        ),
        Flavour::Alpine => (
            format!("{NODE_IMAGE}:{}{ALPINE_SUFFIX}", ctx.major),
            NODE_USER,
        ),
        Flavour::Distroless(image) => (image.clone(), NONROOT_USER),
        Flavour::Image(image) => (image.clone(), NODE_USER),
    };
    let workdir = if l.app_dir.is_empty() {
        APP_DIR.to_string()
    } else {
        format!("{APP_DIR}/{}", l.app_dir)
    };
    let mut rt = Stage::new(
        "runtime",
        "the final image: production dependencies and the app, run by node as a non-root user",
        Base::Image(image),
    )
    .workdir(workdir)
    .env("NODE_ENV", "production");
    let official = match flavour {
        Flavour::Slim | Flavour::Alpine => true,
        Flavour::Image(image) => image.starts_with(&format!("{NODE_IMAGE}:")),
        Flavour::Distroless(_) => false,
    };
    if official {
        rt = rt.step(Run::shell(PACKAGE_MANAGERS));
    }
    let abs = |rel: &str| {
        if rel.is_empty() {
            format!("{APP_DIR}/")
        } else {
            format!("{APP_DIR}/{rel}")
        }
    };
    match l.workspace {
        None => {
            if l.has_prod_deps {
                rt = rt.step(Copy::from_stage(
                    "prod-deps",
                    &[&abs("node_modules")],
                    "./node_modules",
                ));
            }
            if l.output_only {
                rt = rt.step(Copy::context(["package.json"], "./"));
            } else {
                rt = rt.step(Copy::context(["."], "./"));
            }
            if l.has_build {
                rt = rt.step(Copy::from_stage(
                    "build",
                    &[&abs(l.out_dir)],
                    format!("./{}", l.out_dir),
                ));
            }
        }
        Some(w) => {
            if l.has_prod_deps {
                rt = rt.step(Copy::from_stage(
                    "prod-deps",
                    &[&abs("node_modules")],
                    abs("node_modules"),
                ));
                for m in runtime_members(w) {
                    let nm = format!("{}/node_modules", m.dir);
                    rt = rt.step(Copy::from_stage("prod-deps", &[&abs(&nm)], abs(&nm)));
                }
            }
            for m in runtime_members(w) {
                let is_target = m.name == w.target.name;
                let (built, only_out, out) = if is_target {
                    (l.has_build, l.output_only, l.out_dir.to_string())
                } else {
                    let out = member_output(ctx.files, m);
                    (
                        m.manifest.script("build").is_some(),
                        m.manifest.script("build").is_some(),
                        out,
                    )
                };
                let dir = format!("{}/", m.dir);
                if only_out {
                    rt = rt.step(Copy::context(
                        [format!("{}/package.json", m.dir)],
                        abs(&dir),
                    ));
                } else {
                    rt = rt.step(Copy::context([dir.clone()], abs(&dir)));
                }
                if built {
                    let o = format!("{}/{out}", m.dir);
                    rt = rt.step(Copy::from_stage("build", &[&abs(&o)], abs(&o)));
                }
            }
        }
    }
    match flavour {
        Flavour::Distroless(_) => {
            rt.image.user = Some(NONROOT_USER.to_string());
            if start.first().map(String::as_str) == Some("node") {
                rt.image.entrypoint = Some(vec![DISTROLESS_NODE.to_string()]);
                rt.image.cmd = Some(start[1..].to_vec());
            } else {
                rt.image.entrypoint = Some(start.to_vec());
            }
        }
        _ => {
            rt.image.user = Some(user.to_string());
            rt.image.cmd = Some(start.to_vec());
        }
    }
    rt
}

/// Where a workspace dependency's build writes: its tsconfig `outDir`, else the folder of its
/// `main`, else `dist`.
fn member_output(files: &ProjectFiles, m: &Member) -> String {
    if let Some(t) = files.read(&format!("{}/tsconfig.json", m.dir)) {
        if let (Some(out), _) = start::tsconfig_dirs(&t) {
            return out;
        }
    }
    m.manifest
        .main
        .as_deref()
        .map(start::clean)
        .and_then(|main| main.split_once('/').map(|(d, _)| d.to_string()))
        .unwrap_or_else(|| DEFAULT_OUTPUT.to_string())
}

/// A relative path that stays inside its folder (no `..`, not absolute, not empty).
pub(crate) fn inside(path: &str) -> bool {
    !path.is_empty()
        && path != "."
        && !path.starts_with('/')
        && !path.split('/').any(|p| p == "..")
        && !path.contains(['\\', '$'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_keep_folders() {
        let copies = grouped_copies(&[
            "package.json".into(),
            "yarn.lock".into(),
            "packages/api/package.json".into(),
            ".yarn/releases/yarn-4.5.0.cjs".into(),
        ]);
        let got: Vec<(Vec<String>, String)> =
            copies.into_iter().map(|c| (c.paths, c.dest)).collect();
        assert_eq!(
            got[0],
            (vec!["package.json".into(), "yarn.lock".into()], "./".into())
        );
        assert_eq!(got[1].1, "./packages/api/");
        assert_eq!(got[2].1, "./.yarn/releases/");
    }

    #[test]
    fn output_folders_stay_inside() {
        assert!(inside("dist"));
        assert!(inside("build/server"));
        assert!(!inside("../dist"));
        assert!(!inside("/dist"));
        assert!(!inside("."));
        assert!(!inside("$OUT"));
    }

    #[test]
    fn flavours() {
        assert!(matches!(Flavour::of(None, 22), Ok(Flavour::Slim)));
        assert!(
            matches!(Flavour::of(Some("distroless"), 20), Ok(Flavour::Distroless(i)) if i == "gcr.io/distroless/nodejs20-debian12:nonroot")
        );
        assert!(Flavour::of(Some("distroless"), 16).is_err());
        assert!(Flavour::of(Some("scratch"), 22).is_err());
        assert!(matches!(
            Flavour::of(Some("gcr.io/distroless/nodejs22-debian12"), 22),
            Ok(Flavour::Distroless(_))
        ));
        assert_eq!(Flavour::Alpine.builder_suffix(), "-alpine");
    }
}
