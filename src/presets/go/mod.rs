//! The Go preset: a module (`go.mod`, optionally `vendor/`) built into a static binary with the
//! `golang` image, onto a distroless static image that runs it as a non-root user. A go.work
//! workspace (a root with `go.work` and no `go.mod`) is built from the root ([`workspace`]); a
//! main package at the root with neither (GOPATH-style) in GOPATH mode.
//!
//! [`options`] holds its knobs, [`settings`] works out what to build (the same step for
//! `stagegen dockerfile` and `stagegen init`), [`stages`] writes one function per stage;
//! [`gomod`] and [`packages`] read the module; [`cross`] cross-compiles for `platforms`.

mod checks;
mod codes;
mod cross;
mod explain;
mod gomod;
mod options;
mod packages;
mod ports;
mod procfile;
mod settings;
mod stages;
mod workspace;

pub(super) use options::TomlGoOptions;

use crate::presets::{Context, LoneMarker, Preset, PresetError, PresetInfo, PresetPlan};
use settings::GoSettings;

/// Go version when neither the spec nor `go.mod` names one.
const DEFAULT_VERSION: &str = "1.23";
/// `PORT` in the image for a Procfile `web` process that reads it, when its source names none.
const DEFAULT_PORT: u16 = 8080;
/// Builder image, by Go version.
const BUILDER_IMAGE: &str = "golang";
/// Runtime images by flavour, for a static binary (cgo off) and a dynamic one (cgo on).
const DISTROLESS_STATIC: &str = "gcr.io/distroless/static-debian12:nonroot";
const DISTROLESS_BASE: &str = "gcr.io/distroless/base-debian12:nonroot";
const SLIM: &str = "debian:bookworm-slim";
const ALPINE: &str = "alpine:3.20";
/// Module and build caches of the official golang image.
const MOD_CACHE: &str = "/go/pkg/mod";
const BUILD_CACHE: &str = "/root/.cache/go-build";
/// CA bundle of the builder, copied onto bases that lack one (scratch, slim).
const CA_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

static INFO: PresetInfo = PresetInfo {
    name: "go",
    aliases: &["golang"],
    summary: "Go modules: a static binary on a distroless image",
    stage_names: &["build", "test", "dev", "runtime"],
    runtime_stage: "runtime",
    stage_edges: &[("test", "build"), ("runtime", "build")],
    markers: &["go.mod", "go.work"],
    lone_marker: Some(LoneMarker {
        what: "a `package main` at the root",
        find: lone_main,
    }),
    refines: None,
    codes: codes::ALL,
    explain: explain::text,
};

pub(super) struct Go;

/// A main package at the root with neither go.mod nor go.work (a GOPATH-style program): its
/// first Go file.
fn lone_main(files: &crate::project::ProjectFiles) -> Option<String> {
    if packages::main_packages(files) != ["."] {
        return None;
    }
    packages::go_files(files, "").into_iter().next()
}

impl Preset for Go {
    type Options = TomlGoOptions;
    type Settings = GoSettings;

    fn info(&self) -> &'static PresetInfo {
        &INFO
    }

    fn check_options(&self, options: &TomlGoOptions) -> Vec<PresetError> {
        checks::check(options)
    }

    fn settings(
        &self,
        options: &TomlGoOptions,
        cx: &Context<'_>,
    ) -> Result<GoSettings, Vec<PresetError>> {
        settings::settings(options, cx)
    }

    fn stages(&self, s: &GoSettings, cx: &Context<'_>) -> PresetPlan {
        let mut all = vec![stages::build(s, cx)];
        if cx.common.test.unwrap_or(true) {
            all.push(stages::test(s, cx));
        }
        if cx.common.dev.unwrap_or(true) {
            all.push(stages::dev(s, cx));
        }
        all.push(stages::runtime(s, cx));
        PresetPlan {
            stages: all,
            app_stages: vec!["runtime", "dev"],
            ignore: vec!["*.test".into(), "*.out".into()],
            detected: s
                .detected
                .iter()
                .cloned()
                .chain(cross::note(s, cx.platforms))
                .collect(),
        }
    }

    /// The ports the main package's files listen on; when they name none, the default of a
    /// framework's address-less run call (Gin's `r.Run()`: 8080).
    fn ports(&self, s: &GoSettings, cx: &Context<'_>) -> Vec<(u16, String)> {
        if let Some(port) = s.port_env {
            return vec![(
                port,
                "`PORT`, which the Procfile's `web` process reads".into(),
            )];
        }
        let mut found = crate::presets::Detection::default();
        let files = packages::go_files(cx.files, packages::package_dir(&s.main));
        for file in &files {
            found.ports_from(cx.files, file);
        }
        if found.ports.is_empty() {
            let default = files.iter().find_map(|file| {
                let port = ports::default_port(&cx.files.read(file)?)?;
                Some((port, format!("{file}, the default of Gin's `Run()`")))
            });
            found.ports.extend(default);
        }
        found.ports
    }
}
