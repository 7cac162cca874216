//! Language presets: all knowledge of a language lives here, one file per language behind the
//! [`Preset`] trait. A preset reads the app's files and the `[preset]` knobs and writes IR stages.
//! May import: config (the preset knobs), ir, project.

mod detect;
mod go;
mod java;
pub mod node;
mod python;

use crate::config::{TomlPreset, TomlPresetName};
use crate::ir::Stage;
use crate::project::ProjectFiles;

pub use detect::{ports_in_source, DetectedKnob, Detection, KnobValue};

/// What a preset is given.
pub struct PresetRequest<'a> {
    pub options: &'a TomlPreset,
    /// `[runtime] base`: a flavour (`distroless`, `slim`, `scratch`, `alpine`) or an image.
    pub base: Option<&'a str>,
    pub files: &'a ProjectFiles,
    /// Names of the declared build arguments (the build stage sees them all).
    pub args: Vec<String>,
}

/// What a preset makes.
#[derive(Debug)]
pub struct PresetPlan {
    /// Stages in order; the runtime stage is named [`Preset::runtime_stage`].
    pub stages: Vec<Stage>,
    /// Stages that run the app (runtime, dev): `[runtime]` ports and env apply to them.
    pub app_stages: Vec<&'static str>,
    /// `.dockerignore` patterns this language needs.
    pub ignore: Vec<String>,
    /// What the preset detected and from which file, one line each (`go version 1.22 (go.mod)`).
    pub detected: Vec<String>,
}

/// A problem a preset found in the app or its knobs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresetError {
    /// The `[preset]` knob to point at (`main`), or `None` for the `[preset]` table itself.
    pub option: Option<&'static str>,
    pub message: String,
    pub help: Option<String>,
}

impl PresetError {
    pub fn new(option: Option<&'static str>, message: impl Into<String>) -> Self {
        PresetError {
            option,
            message: message.into(),
            help: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// A language preset.
pub trait Preset: Sync {
    /// The name written in `[preset] name`.
    fn name(&self) -> &'static str;
    /// The `[preset]` knobs (kebab-case) it reads, besides `name`.
    fn options(&self) -> &'static [&'static str];
    /// The stages it makes, by name.
    fn stage_names(&self) -> &'static [&'static str];
    /// The stage that is the final image.
    fn runtime_stage(&self) -> &'static str {
        "runtime"
    }
    /// The stages a preset stage is made from (`test` from `build`, ...), for cycle checks.
    fn stage_edges(&self) -> &'static [(&'static str, &'static str)];
    fn plan(&self, request: &PresetRequest<'_>) -> Result<PresetPlan, Vec<PresetError>>;
    /// Files whose presence at the app's root says "this is an app of mine" (`go.mod`), for
    /// `stagegen init`.
    fn markers(&self) -> &'static [&'static str] {
        &[]
    }
    /// What `stagegen init` writes for the app: knobs the preset would not find by itself,
    /// notes on what it does find, ports. An error when the app is not one it can build.
    /// `package_manager` is the user's `--package-manager`, for an app that has several.
    fn detect(
        &self,
        _files: &ProjectFiles,
        _package_manager: Option<&str>,
    ) -> Result<Detection, PresetError> {
        Ok(Detection::default())
    }
}

/// Every preset, in the order `stagegen init` tries them.
pub const ALL: &[TomlPresetName] = &[
    TomlPresetName::Go,
    TomlPresetName::Python,
    TomlPresetName::Node,
    TomlPresetName::Java,
];

/// The registry: the preset for each name. Adding a language: one file, one variant of
/// `TomlPresetName`, one line here.
pub fn preset(name: TomlPresetName) -> &'static dyn Preset {
    match name {
        TomlPresetName::Go => &go::Go,
        TomlPresetName::Python => &python::Python,
        TomlPresetName::Node => &node::Node,
        TomlPresetName::Java => &java::Java,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_has_its_preset() {
        for &name in ALL {
            assert_eq!(preset(name).name(), name.as_str());
        }
    }
}
