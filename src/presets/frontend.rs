//! `[frontend]` behind an interface: a frontend built in a stage of its own, whose static output
//! is copied into the final image of whatever else the file builds (a preset's runtime or a
//! stage of your own). The resolver and `stagegen init` reach the builder through
//! [`registry::frontend`](crate::presets::registry::frontend) and [`FrontendBuilder`]; which
//! language builds it is the builder's business.

use crate::ir::{Copy, Stage};
use crate::presets::{PresetError, PresetInfo};
use crate::project::ProjectFiles;

/// The stage `[frontend]` makes.
pub const FRONTEND_STAGE: &str = "frontend";

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

/// A frontend `stagegen init` found beside an app: its folder and where its output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundFrontend {
    pub dir: String,
    pub to: String,
    /// What was found, for init's comments (`a frontend in web/ ...: built with Node, ...`).
    pub note: String,
}

/// What builds `[frontend]`.
pub trait FrontendBuilder: Sync {
    /// The `frontend` stage, or every error at once; errors blame the `[frontend]` key.
    fn plan(&self, request: &FrontendRequest<'_>) -> Result<FrontendPlan, Vec<PresetError>>;
    /// For `stagegen init`: a frontend in a folder of an app that `preset` builds, when that
    /// preset does not build it by itself.
    fn find(&self, preset: &PresetInfo, files: &ProjectFiles) -> Option<FoundFrontend>;
}
