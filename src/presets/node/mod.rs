//! The Node preset: an npm, pnpm or Yarn app (or one package of a workspace) installed from its
//! lock file, built with its `build` script, onto a slim or distroless Node image that holds
//! only the build output and the production dependencies, run by `node` as a non-root user.
//!
//! Stages: `build` (every dependency, installed in a layer keyed on the manifests and the lock
//! file, then the `build` script), `prod-deps` (a second frozen install with dev dependencies
//! left out), `test` (the `test` script), `dev` (the build stage running the `dev` script),
//! `runtime`. [`frontend`] builds `[frontend]` for the other presets.
//!
//! [`options`] holds its knobs and [`checks`] their value checks; [`settings`] works out what to
//! build (the same step for `stagegen dockerfile` and `stagegen init`), with [`app`] deciding
//! which package is the app; [`stages`], [`install`] and [`runtime`] write one function per
//! stage. One concept per file: [`manifest`] (package.json), [`version`] (the Node line),
//! [`package_manager`] (which tool, its commands), [`start`] (the start command),
//! [`workspace`] (monorepos), [`ports`] (where the app listens, for init), [`procfile`] (the
//! Procfile's command as the start).

mod app;
mod checks;
mod codes;
mod distroless;
mod explain;
mod framework;
mod frontend;
mod install;
pub(super) mod manifest;
mod native;
mod npm_lock;
mod nx;
mod options;
pub(super) mod package_manager;
mod ports;
pub(super) mod procfile;
pub(super) mod runtime;
mod script;
mod settings;
mod site;
pub(super) mod spawns;
mod stages;
mod start;
pub(super) mod version;
mod workspace;

pub(super) use frontend::NodeFrontend;
pub(super) use options::TomlNodeOptions;

use crate::presets::common::per_target_line;
use crate::presets::{Context, Preset, PresetError, PresetInfo, PresetPlan};
use settings::NodeSettings;

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

pub(super) struct Node;

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
    // The `[frontend]` builder's codes (SG73x) are among them: it is part of this preset.
    lone_marker: None,
    refines: None,
    codes: codes::ALL,
    explain: explain::text,
};

impl Preset for Node {
    type Options = TomlNodeOptions;
    type Settings = NodeSettings;

    fn info(&self) -> &'static PresetInfo {
        &INFO
    }

    fn check_options(&self, options: &TomlNodeOptions) -> Vec<PresetError> {
        checks::check(options)
    }

    fn settings(
        &self,
        options: &TomlNodeOptions,
        cx: &Context<'_>,
    ) -> Result<NodeSettings, Vec<PresetError>> {
        settings::settings(options, cx)
    }

    fn stages(&self, s: &NodeSettings, cx: &Context<'_>) -> PresetPlan {
        let mut all = vec![stages::build(s, cx)];
        if s.has_prod_deps {
            all.push(stages::prod_deps(s, cx));
        }
        if s.test_script.is_some() {
            all.push(stages::test(s));
        }
        if cx.common.dev.unwrap_or(true) {
            all.push(stages::dev(s));
        }
        all.push(runtime::runtime(s));
        PresetPlan {
            stages: all,
            app_stages: vec!["runtime", "dev"],
            ignore: stages::ignore(s),
            detected: s
                .detected
                .iter()
                .cloned()
                .chain(per_target_line(cx.platforms, "native addons (node-gyp)"))
                .collect(),
        }
    }

    fn ports(&self, s: &NodeSettings, cx: &Context<'_>) -> Vec<(u16, String)> {
        ports::ports(s, cx.files)
    }
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
