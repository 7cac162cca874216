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
//! [`workspace`] (monorepos), [`install`] (the install stages), [`runtime`] (the final image),
//! [`frontend`], [`detect`] (`stagegen init`).

mod detect;
mod frontend;
mod install;
mod manifest;
mod options;
mod package_manager;
mod runtime;
mod start;
mod version;
mod workspace;

pub use detect::frontend_dir;
pub use frontend::{frontend, FrontendPlan, FrontendRequest, FRONTEND_STAGE};

use crate::ir::{Base, Run, Stage};
pub use options::TomlNodeOptions;

use crate::presets::{
    Context, Detection, Preset, PresetError, PresetInfo, PresetPlan, PresetRequest,
};
use crate::project::ProjectFiles;
use install::Ctx;
use manifest::Manifest;
use package_manager::{join, Deps};
use runtime::{runtime_stage, Flavour, RuntimeLayout};

/// Builder image (`node:<major>`: the full image, with the compilers native modules need).
pub(crate) const NODE_IMAGE: &str = "node";
/// Where the app lives in every stage.
pub(crate) const APP_DIR: &str = "/app";
/// Build output folder when nothing names one.
pub(crate) const DEFAULT_OUTPUT: &str = "dist";
/// Root files of a workspace that package builds read (`extends` in a package's tsconfig).
pub(crate) const WORKSPACE_ROOT_CONFIG: &[&str] =
    &["tsconfig.", "babel.config.", ".babelrc", ".swcrc"];
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

static INFO: PresetInfo = PresetInfo {
    name: "node",
    aliases: &[
        "nodejs",
        "node.js",
        "js",
        "javascript",
        "ts",
        "typescript",
        "npm",
    ],
    summary: "Node.js apps (npm, Yarn, pnpm): the build output and production dependencies",
    stage_names: &["build", "prod-deps", "test", "dev", "runtime"],
    runtime_stage: "runtime",
    stage_edges: &[
        ("test", "build"),
        ("dev", "build"),
        ("runtime", "build"),
        ("runtime", "prod-deps"),
    ],
    markers: &["package.json"],
    codes: &[],
};

impl Preset for Node {
    type Options = TomlNodeOptions;
    /// Transitional: `plan` still does the settings and the stages in one go.
    type Settings = PresetPlan;

    fn info(&self) -> &'static PresetInfo {
        &INFO
    }

    fn settings(
        &self,
        options: &TomlNodeOptions,
        cx: &Context<'_>,
    ) -> Result<PresetPlan, Vec<PresetError>> {
        let unsupported = crate::presets::common::packages_not_supported("node", cx.common);
        if !unsupported.is_empty() {
            return Err(unsupported);
        }
        self.plan(&PresetRequest::new(options, cx))
    }

    fn stages(&self, plan: &PresetPlan, _cx: &Context<'_>) -> PresetPlan {
        plan.clone()
    }

    fn legacy_detect(
        &self,
        files: &ProjectFiles,
        package_manager: Option<&str>,
    ) -> Option<Result<Detection, PresetError>> {
        Some(self.detect(files, package_manager))
    }
}

impl Node {
    fn detect(
        &self,
        files: &ProjectFiles,
        _package_manager: Option<&str>,
    ) -> Result<Detection, PresetError> {
        detect::detect(files)
    }

    fn plan(
        &self,
        request: &PresetRequest<'_, TomlNodeOptions>,
    ) -> Result<PresetPlan, Vec<PresetError>> {
        let opts = request.options;
        let files = request.files;
        let mut detected = Vec::new();
        let root = read_manifest(files, "", None)?;

        let mut errors = Vec::new();
        let node = version::resolve(
            "",
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
        detected.push(match &node.source {
            Some(s) => format!("node {} ({s})", node.major),
            None if opts.version.is_some() => format!("node {} (the `version` knob)", node.major),
            None => format!(
                "node {} (the default: no .nvmrc, .node-version or engines.node)",
                node.major
            ),
        });
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
                    crate::presets::legacy(
                        Some("build"),
                        format!("package.json has no `{s}` script"),
                    )
                    .help(script_help(app)),
                );
                None
            }
            None => app.script("build").map(|_| "build".to_string()),
        };
        let test_script = match request.common.test {
            Some(false) => None,
            Some(true) if app.script("test").is_none() => {
                errors.push(
                    crate::presets::legacy(
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
                crate::presets::legacy(
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
            opts_secrets: &request.common.secrets,
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
        for (k, v) in &request.common.build_env {
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
        if request.common.dev.unwrap_or(true) {
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
        return Err(vec![crate::presets::legacy(
            option,
            format!("no `{path}` in the build context `{}`", files.root().display()),
        )
        .help("the node preset builds npm, pnpm and Yarn apps: run `npm init`, or point `context` at the app's folder")]);
    };
    Manifest::parse(&text).map_err(|e| {
        vec![
            crate::presets::legacy(option, format!("`{path}` is not valid JSON: {e}"))
                .help("fix the file: `npm pkg get name` shows what npm makes of it"),
        ]
    })
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
    fn output_folders_stay_inside() {
        assert!(inside("dist"));
        assert!(inside("build/server"));
        assert!(!inside("../dist"));
        assert!(!inside("/dist"));
        assert!(!inside("."));
        assert!(!inside("$OUT"));
    }
}
