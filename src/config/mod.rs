//! What the user wrote: the `Toml*` types of `build.toml`, format version 1.
//!
//! These types are the single source of the published JSON schema (`schemas/build.schema.json`):
//! their doc comments are written for users and become the schema's descriptions. Nothing here
//! knows about presets' internals, the IR or any output format. May import: serde, schemars, and
//! `presets` for the `[preset]` table, whose knobs each preset declares in its own folder.

mod blame;
mod document;
mod frontend;
pub mod layers;
pub mod overrides;
pub mod provenance;
mod stage;
mod workspace;

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

/// `[preset]`: the union of the presets' option types, each in its preset's folder.
pub use crate::presets::TomlPreset;
pub use blame::preset_diagnostics;
pub use document::{pointer_join, Document, Place};
pub use frontend::TomlFrontend;
pub use stage::{
    TomlHealthcheck, TomlImageSettings, TomlOciLabel, TomlPort, TomlRuntime, TomlStage, TomlStep,
};
pub use workspace::{TomlWorkspace, TomlWorkspaceFile, WORKSPACE_FILE};

/// The format versions this stagegen understands.
pub const SUPPORTED_VERSIONS: &[u32] = &[1];

/// A stagegen build spec (`build.toml`): how to turn the app beside it into a container image.
///
/// Name a language `preset` for the common case, add `stage`s of your own where you need more, or
/// write every stage yourself without a preset.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "stagegen build.toml")]
pub struct TomlBuild {
    /// Format version of this file. Write `version = 1`.
    #[schemars(example = 1)]
    pub version: u32,
    /// In a workspace: this app's name, for `stagegen dockerfile -p NAME`, its generated
    /// Dockerfile's name and its bake target. Default: the name of the folder that holds it.
    pub name: Option<String>,
    /// In a workspace: templates (paths relative to this file) whose keys this file builds on,
    /// merged in order, each over the workspace's defaults and under this file. A template is a
    /// minijinja template of a `build.toml`, rendered with `member.name`, `member.path`, `preset`
    /// and `vars`.
    pub extends: Option<TomlExtends>,
    /// The build context: the folder whose files the build may copy, relative to this file.
    /// Default: the folder that holds this file.
    pub context: Option<String>,
    /// The stage that `docker build` builds when no `--target` is given. Default: the preset's
    /// `runtime` stage, else the last stage you wrote.
    pub target: Option<String>,
    /// A language preset that writes the build, test, dev and runtime stages for you.
    #[schemars(example = serde_json::json!({"name": "go"}))]
    pub preset: Option<TomlPreset>,
    /// Settings of the final image the preset makes (its `runtime` stage).
    pub runtime: Option<TomlRuntime>,
    /// A frontend built with Node whose output is copied into the final image.
    pub frontend: Option<TomlFrontend>,
    /// Build arguments and their default values, set with `docker build --build-arg NAME=value`.
    /// A stage sees an argument only if it lists it in its `args`; the preset's build stage sees
    /// them all.
    #[serde(default)]
    pub args: IndexMap<String, String>,
    /// Build secrets, by id, given with `docker build --secret id=ID,src=FILE`. A secret is
    /// mounted only into the `run` steps that name it, and never lands in a layer, an ARG or an
    /// ENV.
    #[serde(default)]
    pub secrets: IndexMap<String, TomlSecret>,
    /// Stages of your own, in order. With a preset they add to the stages it makes; a stage may
    /// start from or copy from a preset stage (`build`, `runtime`, ...).
    #[serde(default)]
    pub stage: Vec<TomlStage>,
    /// Extra patterns for the generated `.dockerignore`, in its syntax (`!` re-includes).
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Levels for warnings, by code or name: `allow` (not reported), `warn` (the default) or
    /// `deny` (an error: the command fails), e.g. `{ root-user = "deny" }`. Only warnings take
    /// a level; `stagegen explain CODE` says what one means. A level here wins over
    /// `--deny warnings`.
    #[serde(default)]
    #[schemars(example = serde_json::json!({"SG401": "deny"}))]
    pub lints: IndexMap<String, TomlLintLevel>,
    /// The names `stagegen bake` and `stagegen compose` give the built image, e.g.
    /// `["registry.example.com/api:1.4.0"]`; in a workspace often a default with a pattern,
    /// `"registry.example.com/{{ member.name }}:{{ vars.version }}"`.
    #[serde(default)]
    pub tags: Vec<String>,
    /// The platforms the image is built for, e.g. `["linux/amd64", "linux/arm64"]` (`os/arch` or
    /// `os/arch/variant`); `--platform` on the command line wins. The plan, `stagegen bake` and
    /// `stagegen build` carry them; presets that can build on the builder's platform do so (Go
    /// cross-compiles with cgo off, a Java jar is the same everywhere), the others build once
    /// per target platform. Default: the builder's own.
    #[serde(default)]
    pub platforms: Vec<String>,
    /// Build caches `stagegen bake` reads from, in buildx's syntax, e.g.
    /// `["type=registry,ref=registry.example.com/api:cache"]` or `["type=gha"]`; every target
    /// of the member (its image, `test`, `dev`) reads them. In a workspace often a default with
    /// a pattern, `"type=registry,ref=registry.example.com/{{ member.name }}:cache"`.
    #[serde(default)]
    pub cache_from: Vec<String>,
    /// Where `stagegen bake` exports the image's build cache, in buildx's syntax, e.g.
    /// `["type=registry,ref=registry.example.com/api:cache,mode=max"]` or
    /// `["type=gha,mode=max"]` (`mode=max` keeps every stage's layers, not only the image's);
    /// only the image's target writes it.
    #[serde(default)]
    pub cache_to: Vec<String>,
}

/// What a warning does: `allow`, `warn` or `deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TomlLintLevel {
    /// Not reported.
    Allow,
    /// Reported; the command goes on (the default).
    Warn,
    /// Reported as an error: the command fails, nothing is written.
    Deny,
}

/// `extends`: one template or several, in order.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum TomlExtends {
    /// One template, e.g. `"../../templates/service.toml"`.
    One(String),
    /// Several, merged in order.
    Many(Vec<String>),
}

/// A build secret.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlSecret {
    /// Where the secret file appears inside a `run` step (absolute). Default:
    /// `/run/secrets/<id>`.
    pub target: Option<String>,
    /// Fail the build when the secret is not given. Default: false.
    #[serde(default)]
    pub required: bool,
}
