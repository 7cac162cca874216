//! The Bun preset: an app that runs on Bun (`bun index.ts`, `bun run start`, a default-exported
//! `fetch` server such as Hono's), installed by Bun from `bun.lock` (or the binary `bun.lockb`),
//! onto an `oven/bun` slim or distroless image that holds the app and its production
//! dependencies, run by `bun` as a non-root user, with no Node in the image.
//!
//! A Bun app has Node's marker, `package.json`: the preset [refines](Refinement) the Node
//! preset, and init takes an app for Bun's when [`start::runs_on_bun`] says why (its start
//! script runs bun; or, with no start script, its dev script or Bun's type package). A Node app
//! that only installs with Bun stays the Node preset's (its `Tool::Bun`).
//!
//! It shares package.json parsing ([`manifest`](crate::presets::node::manifest)) and Bun's
//! install commands ([`package_manager`](crate::presets::node::package_manager)) with the Node
//! preset. Stages: `build` (every dependency, the sources, the `build` script), `prod-deps`
//! (`bun install --production`), `test`, `dev`, `runtime`. [`settings`] works out what to build
//! (the same step for `stagegen dockerfile` and `stagegen init`); [`version`] the image tag;
//! [`start`] the command; [`stages`] and [`runtime`] write one function per stage.

mod codes;
mod distroless;
mod explain;
mod options;
mod procfile;
mod runtime;
mod settings;
mod stages;
mod start;
mod version;

pub(super) use options::TomlBunOptions;

use crate::presets::{Context, Preset, PresetError, PresetInfo, PresetPlan, Refinement};
use settings::BunSettings;

/// The official images.
pub(crate) const BUN_IMAGE: &str = "oven/bun";
/// Where the app lives in every stage.
pub(crate) const APP_DIR: &str = "/app";
/// Build output folder when nothing names one.
pub(crate) const DEFAULT_OUTPUT: &str = "dist";
/// `.dockerignore` patterns: installed packages (a host `node_modules` would bring dev
/// dependencies and another platform's binaries), logs, local environment files.
const IGNORE: &[&str] = &[
    "**/node_modules",
    "**/npm-debug.log*",
    "**/.env",
    "**/.env.*",
    "**/coverage",
];

pub(super) struct Bun;

static INFO: PresetInfo = PresetInfo {
    name: "bun",
    aliases: &["bunjs", "bun.js", "bun.sh", "oven"],
    summary: "Bun apps: installed by bun from bun.lock, run by bun on an oven/bun image (no Node)",
    stage_names: &["build", "prod-deps", "test", "dev", "runtime"],
    runtime_stage: "runtime",
    stage_edges: &[
        ("test", "build"),
        ("dev", "build"),
        ("runtime", "build"),
        ("runtime", "prod-deps"),
    ],
    markers: &["package.json"],
    lone_marker: None,
    refines: Some(Refinement {
        of: "node",
        what: "a package.json whose app runs on bun",
        find: start::runs_on_bun,
    }),
    codes: codes::ALL,
    explain: explain::text,
};

impl Preset for Bun {
    type Options = TomlBunOptions;
    type Settings = BunSettings;

    fn info(&self) -> &'static PresetInfo {
        &INFO
    }

    fn settings(
        &self,
        options: &TomlBunOptions,
        cx: &Context<'_>,
    ) -> Result<BunSettings, Vec<PresetError>> {
        settings::settings(options, cx)
    }

    fn stages(&self, s: &BunSettings, cx: &Context<'_>) -> PresetPlan {
        let mut all = vec![stages::build(s, cx)];
        if s.has_prod_deps {
            all.push(stages::prod_deps(s, cx));
        }
        if s.test.is_some() {
            all.push(stages::test(s));
        }
        if cx.common.dev.unwrap_or(true) {
            all.push(stages::dev(s));
        }
        all.push(runtime::runtime(s, cx));
        PresetPlan {
            stages: all,
            app_stages: vec!["runtime", "dev"],
            ignore: stages::ignore(s),
            detected: s.detected.clone(),
        }
    }

    fn ports(&self, s: &BunSettings, _cx: &Context<'_>) -> Vec<(u16, String)> {
        s.ports.clone()
    }
}
