//! The static preset: a site that is only files (an `index.html` and what it links), with no
//! build step, served by an unprivileged nginx on 8080 (the web server stage of
//! [`common::static_site`](crate::presets::common::site_stage), which the Node preset also uses
//! for a build script's static output). One stage, `runtime`: the server's configuration, then
//! the site's files.
//!
//! [`options`] holds its knobs; [`settings`] works out what to serve (the same step for
//! `stagegen dockerfile` and `stagegen init`). init takes a folder for a static site when it has
//! an `index.html` at its root and no marker file of another preset (a `package.json` with a
//! `build` script is the Node preset's).

mod codes;
mod explain;
mod options;
mod settings;

pub(super) use options::TomlStaticOptions;

use crate::ir::Copy;
use crate::presets::common::{site_stage, Site, SITE_ROOT};
use crate::presets::{Context, LoneMarker, Preset, PresetError, PresetInfo, PresetPlan};
use crate::project::ProjectFiles;
use settings::StaticSettings;

/// `.dockerignore` patterns: files of the folder that are not the site's (the repository,
/// notes for its readers, local environment files, installed packages).
const IGNORE: &[&str] = &[
    "**/node_modules",
    "**/.env",
    "**/.env.*",
    "README.md",
    "LICENSE",
    "Dockerfile",
    "docker-compose.yml",
    "compose.yaml",
];

pub(super) struct Static;

static INFO: PresetInfo = PresetInfo {
    name: "static",
    aliases: &["html", "site", "nginx", "web"],
    summary:
        "a static site (HTML, CSS, JS, no build step): its files served by an unprivileged nginx",
    stage_names: &["runtime"],
    runtime_stage: "runtime",
    stage_edges: &[],
    markers: &[],
    lone_marker: Some(LoneMarker {
        what: "an `index.html` at the root",
        find: lone_index,
    }),
    refines: None,
    codes: codes::ALL,
    explain: explain::text,
};

fn lone_index(files: &ProjectFiles) -> Option<String> {
    files
        .is_file("index.html")
        .then(|| "index.html".to_string())
}

impl Preset for Static {
    type Options = TomlStaticOptions;
    type Settings = StaticSettings;

    fn info(&self) -> &'static PresetInfo {
        &INFO
    }

    fn settings(
        &self,
        options: &TomlStaticOptions,
        cx: &Context<'_>,
    ) -> Result<StaticSettings, Vec<PresetError>> {
        settings::settings(options, cx)
    }

    fn stages(&self, s: &StaticSettings, _cx: &Context<'_>) -> PresetPlan {
        let from = if s.root.is_empty() {
            ".".to_string()
        } else {
            format!("{}/", s.root)
        };
        let site = Site {
            image: s.image.clone(),
            files: Copy::context([from], format!("{SITE_ROOT}/")),
            fallback: s.fallback,
            hashed: Vec::new(),
        };
        PresetPlan {
            stages: vec![site_stage(
                "runtime",
                "the final image: the site's files, served by nginx as a non-root user",
                &site,
            )],
            app_stages: vec!["runtime"],
            ignore: IGNORE
                .iter()
                .map(|s| s.to_string())
                .chain(s.procfile.then(|| "Procfile".to_string()))
                .collect(),
            detected: s.detected.clone(),
        }
    }
}
