//! Language presets: all knowledge of a language lives here, one folder per language behind the
//! [`Preset`] trait, listed once in [`registry`].
//!
//! A preset works in two steps. **Settings**: its typed options (its part of the `[preset]`
//! table) and the app's files become a typed value, or every error at once. **Stages**: small
//! functions, one per stage, turn the settings into IR stages. `stagegen init` runs the same
//! settings step (so init and `stagegen dockerfile` cannot disagree): an error that carries a
//! [`Choice`] is an ambiguity init settles by writing that knob.
//!
//! Shared stage builders (test and dev stages, secret mounts, build environment, the non-root
//! user, the runtime flavour) live in [`common`]. `[frontend]` is built behind its own small
//! interface, [`FrontendBuilder`], which the registry names.
//!
//! May import: ir, project, diagnostics (the `Code` type). Nothing here knows the config types;
//! the config imports [`TomlPreset`] from here.

pub mod common;
mod detect;
mod dynamic;
mod error;
mod frontend;
pub mod registry;
mod table;
mod unreadable;

mod bun;
mod go;
mod java;
mod node;
mod python;
mod r#static;

use schemars::JsonSchema;
use serde::de::DeserializeOwned;

use crate::diagnostics::Code;
use crate::ir::Stage;
use crate::project::ProjectFiles;

pub use common::TomlCommonOptions;
pub use detect::{ports_in_source, DetectedKnob, Detection, KnobValue};
pub use dynamic::{AnyOptions, DynPreset};
pub use error::{Blame, Choice, PresetError};
pub use frontend::{FoundFrontend, FrontendBuilder, FrontendPlan, FrontendRequest, FRONTEND_STAGE};
pub use table::TomlPreset;

/// What a preset is, apart from how it builds.
#[derive(Debug)]
pub struct PresetInfo {
    /// The name written in `[preset] name`.
    pub name: &'static str,
    /// Other names users write for it (`golang`), for "did you mean".
    pub aliases: &'static [&'static str],
    /// One sentence for the schema and `--help`.
    pub summary: &'static str,
    /// The stages it may make, by name.
    pub stage_names: &'static [&'static str],
    /// The stage that is the final image.
    pub runtime_stage: &'static str,
    /// Which stage each stage is made from (`test` from `build`), for cycle checks.
    pub stage_edges: &'static [(&'static str, &'static str)],
    /// Files whose presence at the app's root says "this is an app of mine" (`go.mod`).
    pub markers: &'static [&'static str],
    /// For a folder with no marker: what still makes it an app of this preset (a lone `bot.py`
    /// with a `__main__` block).
    pub lone_marker: Option<LoneMarker>,
    /// For a preset whose apps are a kind of another preset's (a Bun app has Node's
    /// `package.json`): what tells them apart. init then takes such an app for this preset
    /// alone, and any other app with the markers for the other one.
    pub refines: Option<Refinement>,
    /// The diagnostic codes of its errors.
    pub codes: &'static [Code],
    /// The `stagegen explain` text of each of its codes (`None` for an id not among them).
    pub explain: fn(&str) -> Option<&'static str>,
}

/// What makes an app with another preset's markers one of this preset's.
#[derive(Debug, Clone, Copy)]
pub struct Refinement {
    /// The preset whose markers the app has (`node`).
    pub of: &'static str,
    /// For init's "looked for" line: `a package.json whose app runs on bun`.
    pub what: &'static str,
    /// Why the app is this preset's (`the `start` script runs bun`), read from its files.
    pub find: fn(&ProjectFiles) -> Option<String>,
}

/// An app with no marker file that a preset still recognises.
#[derive(Debug, Clone, Copy)]
pub struct LoneMarker {
    /// For init's "looked for" line: `a script with a `__main__` block`.
    pub what: &'static str,
    /// The file that makes the folder such an app, found by reading a bounded number of files.
    pub find: fn(&ProjectFiles) -> Option<String>,
}

/// What a preset is given besides its own options.
pub struct Context<'a> {
    /// The build context.
    pub files: &'a ProjectFiles,
    /// The knobs every preset takes.
    pub common: &'a TomlCommonOptions,
    /// `[runtime] base`: a flavour (`distroless`, `slim`, `scratch`, `alpine`) or an image.
    pub base: Option<&'a str>,
    /// Names of the declared build arguments (the build stage sees them all).
    pub args: &'a [String],
    /// The platforms the image is built for (`platforms`, `--platform`); empty: the builder's
    /// own. With some, a preset that can cross-compile runs its build stage on the builder's
    /// platform ([`crate::ir::StagePlatform::Build`]).
    pub platforms: &'a [String],
    /// The folder of build.toml inside a larger build context (`services/worker` for
    /// `context = "../.."`); `None` when build.toml sits at the context's root. A runtime that
    /// would copy the app's sources copies this folder only: the rest of the context is there
    /// for the build (a workspace's shared packages), not for the image.
    pub app_dir: Option<&'a str>,
    /// What the user's `[runtime]` asks of the final image besides the start command (a
    /// health check, a command of its own, `run` steps): a default image without a shell
    /// reads it.
    pub runtime: &'a common::RuntimeNeeds,
}

/// What a preset makes.
#[derive(Debug, Clone)]
pub struct PresetPlan {
    /// Stages in order; the runtime stage is named [`PresetInfo::runtime_stage`].
    pub stages: Vec<Stage>,
    /// Stages that run the app (runtime, dev): `[runtime]` ports and env apply to them.
    pub app_stages: Vec<&'static str>,
    /// `.dockerignore` patterns this language needs.
    pub ignore: Vec<String>,
    /// What the preset detected and from which file, one line each (`go version 1.22 (go.mod)`);
    /// `stagegen init` writes the same lines as comments.
    pub detected: Vec<String>,
}

/// A language preset.
pub trait Preset: Sync + 'static {
    /// Its own `[preset]` knobs (kebab-case, unknown keys denied). Doc comments become the
    /// schema's descriptions.
    type Options: DeserializeOwned + JsonSchema + std::fmt::Debug + Send + Sync + 'static;
    /// What the settings step works out from the options and the app's files.
    type Settings;

    fn info(&self) -> &'static PresetInfo;
    /// Problems of the options alone (values a Dockerfile cannot hold), found while validating
    /// `build.toml`, so they are reported with every other mistake of the file at once.
    fn check_options(&self, _options: &Self::Options) -> Vec<PresetError> {
        Vec::new()
    }
    /// Options + the app's files -> settings, or every error at once.
    fn settings(
        &self,
        options: &Self::Options,
        cx: &Context<'_>,
    ) -> Result<Self::Settings, Vec<PresetError>>;
    /// Settings -> stages.
    fn stages(&self, settings: &Self::Settings, cx: &Context<'_>) -> PresetPlan;
    /// The ports the app listens on, with the file each was read from, for `stagegen init`.
    fn ports(&self, _settings: &Self::Settings, _cx: &Context<'_>) -> Vec<(u16, String)> {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_found() {
        let names = registry::names();
        for (i, name) in names.iter().enumerate() {
            assert!(!names[..i].contains(name), "`{name}` twice");
            assert_eq!(registry::find(name).map(|p| p.info().name), Some(*name));
        }
    }

    #[test]
    fn every_preset_makes_its_runtime_stage() {
        for p in registry::all() {
            let info = p.info();
            assert!(
                info.stage_names.contains(&info.runtime_stage),
                "{}: runtime stage `{}` is not among its stages",
                info.name,
                info.runtime_stage
            );
            for (a, b) in info.stage_edges {
                assert!(info.stage_names.contains(a) && info.stage_names.contains(b));
            }
        }
    }
}
