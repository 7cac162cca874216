//! A stage: a base, settings, steps, and the image configuration it has when built as a target.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::ir::Step;

/// One stage of the build (a `FROM` in a Dockerfile).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[serde(deny_unknown_fields)]
pub struct Stage {
    pub name: String,
    /// What the stage is for, in a sentence.
    pub description: String,
    /// What the stage starts from.
    pub base: Base,
    /// Which platform the stage runs on in a multi-platform build: absent, each target platform
    /// (`TARGETPLATFORM`); `build`, the builder's own (`FROM --platform=$BUILDPLATFORM`), for a
    /// stage whose output is the same on every platform or is cross-compiled for the target.
    #[serde(default, skip_serializing_if = "StagePlatform::is_target")]
    pub platform: StagePlatform,
    /// Build arguments the stage uses.
    pub args: Vec<String>,
    /// Working directory (absolute), set before the steps run.
    pub workdir: Option<String>,
    /// Environment set before the steps run, kept in the image.
    pub env: IndexMap<String, String>,
    /// The user the steps run as (e.g. `0:0` on an image whose default user is not root);
    /// `None` keeps the base's. The image then runs as `image.user`, which must be set too.
    pub build_user: Option<String>,
    /// Steps, in order.
    pub steps: Vec<Step>,
    /// Configuration of the image this stage makes.
    pub image: ImageConfig,
}

/// What a stage starts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Base {
    /// An image reference (`golang:1.22`), or `scratch`.
    Image(String),
    /// An earlier stage, by name.
    Stage(String),
}

/// The platform a stage runs on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum StagePlatform {
    /// The platform the image is built for (once per target platform).
    #[default]
    Target,
    /// The builder's own platform, once for every target platform.
    Build,
}

impl StagePlatform {
    pub fn is_target(&self) -> bool {
        *self == StagePlatform::Target
    }
}

/// The image settings of a stage: who runs what, and how.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[serde(deny_unknown_fields)]
pub struct ImageConfig {
    /// The user the container runs as; `None` keeps the base's.
    pub user: Option<String>,
    pub ports: Vec<Port>,
    /// Exec-form entrypoint.
    pub entrypoint: Option<Vec<String>>,
    /// Exec-form command.
    pub cmd: Option<Vec<String>>,
    pub healthcheck: Option<Healthcheck>,
    /// Labels, in order.
    pub labels: IndexMap<String, String>,
}

/// A port the container listens on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Port {
    pub number: u16,
    pub protocol: Protocol,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Protocol {
    Tcp,
    Udp,
}

/// A health check (exec form).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[serde(deny_unknown_fields)]
pub struct Healthcheck {
    pub cmd: Vec<String>,
    pub interval: Option<String>,
    pub timeout: Option<String>,
    pub start_period: Option<String>,
    pub retries: Option<u32>,
}

impl Stage {
    /// An empty stage.
    pub fn new(name: impl Into<String>, description: impl Into<String>, base: Base) -> Self {
        Stage {
            name: name.into(),
            description: description.into(),
            base,
            platform: StagePlatform::Target,
            args: Vec::new(),
            workdir: None,
            env: IndexMap::new(),
            build_user: None,
            steps: Vec::new(),
            image: ImageConfig::default(),
        }
    }

    pub fn workdir(mut self, dir: impl Into<String>) -> Self {
        self.workdir = Some(dir.into());
        self
    }

    pub fn env(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.insert(name.into(), value.into());
        self
    }

    pub fn step(mut self, step: impl Into<Step>) -> Self {
        self.steps.push(step.into());
        self
    }
}
