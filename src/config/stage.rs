//! `[[stage]]` and `[runtime]`: stages the user writes, their steps, and image settings.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

/// Settings shared by a stage you write and the preset's runtime stage: what the container runs
/// and how. They become the image's configuration when the stage is the built target.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct TomlImageSettings {
    /// Working directory inside the image (absolute), e.g. `"/app"`.
    pub workdir: Option<String>,
    /// The user the container runs as, e.g. `"nonroot"` or `"10001:10001"`. Presets default to a
    /// non-root user; `root` is reported as a warning.
    pub user: Option<String>,
    /// Environment variables of the image. Values are literal: `$` is not expanded.
    #[serde(default)]
    #[schemars(example = serde_json::json!({"PORT": "8080"}))]
    pub env: IndexMap<String, String>,
    /// Ports the app listens on: `8080` or `"8080/tcp"`, `"53/udp"`.
    #[serde(default)]
    #[schemars(example = [8080])]
    pub ports: Vec<TomlPort>,
    /// The command, as a list of words (exec form), e.g. `["serve", "--port", "8080"]`.
    #[schemars(example = ["python", "app.py"])]
    pub cmd: Option<Vec<String>>,
    /// The program that runs, as a list of words (exec form), e.g. `["/app/server"]`.
    pub entrypoint: Option<Vec<String>>,
    /// How the engine checks that the container is healthy.
    pub healthcheck: Option<TomlHealthcheck>,
    /// Image labels, e.g. `{ "org.opencontainers.image.source" = "https://github.com/o/r" }`.
    #[serde(default)]
    pub labels: IndexMap<String, String>,
    /// Steps, in order: each one `run`s a command or `copy`s files.
    #[serde(default)]
    #[schemars(example = serde_json::json!([{"copy": ["."], "to": "/app"}, {"run": "make"}]))]
    pub steps: Vec<TomlStep>,
}

/// A stage you write: a `FROM` and its steps.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[schemars(deny_unknown_fields)]
pub struct TomlStage {
    /// The stage's name: lowercase letters, digits, `-`, `_` and `.`, starting with a letter.
    pub name: String,
    /// What the stage is for; written as a comment above it in the Dockerfile.
    pub description: Option<String>,
    /// Start from this image, e.g. `"golang:1.22-bookworm"`. Give `image` or `from`.
    pub image: Option<String>,
    /// Start from this earlier stage (yours or the preset's). Give `image` or `from`.
    pub from: Option<String>,
    /// Build arguments (names from `[args]`) this stage uses.
    #[serde(default)]
    pub args: Vec<String>,
    #[serde(flatten)]
    pub settings: TomlImageSettings,
}

/// The preset's final image.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[schemars(deny_unknown_fields)]
pub struct TomlRuntime {
    /// The runtime base: `"distroless"`, `"slim"`, `"scratch"`, `"alpine"`, or any image
    /// reference such as `"debian:bookworm-slim"`. Default: the preset's smallest fit.
    pub base: Option<String>,
    /// OCI labels stagegen fills in on the final image from outside this file: `revision` (the
    /// commit, `git rev-parse HEAD`), `source` (the `origin` remote as an https URL, without
    /// credentials) and `created` (`SOURCE_DATE_EPOCH`, else the commit's time, as RFC 3339
    /// UTC; never the clock). A label you set in `labels` wins. Default: none, so the output
    /// does not depend on the checkout.
    #[serde(default)]
    #[schemars(example = serde_json::json!(["revision", "source", "created"]))]
    pub oci_labels: Vec<TomlOciLabel>,
    #[serde(flatten)]
    pub settings: TomlImageSettings,
}

/// An OCI label stagegen can fill in (`org.opencontainers.image.<name>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TomlOciLabel {
    /// The commit: `git rev-parse HEAD`.
    Revision,
    /// The repository: the `origin` remote, as an https URL.
    Source,
    /// The image's date: `SOURCE_DATE_EPOCH`, else the commit's time.
    Created,
}

/// A port: a number, or a string `"PORT/PROTOCOL"`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum TomlPort {
    /// A TCP port number.
    Number(i64),
    /// `"PORT"` or `"PORT/tcp"` or `"PORT/udp"`.
    Text(String),
}

impl TomlPort {
    /// The port number and whether it is UDP, if the port is valid (1 to 65535, `tcp`/`udp`).
    pub fn parse(&self) -> Option<(u16, bool)> {
        let (number, udp) = match self {
            TomlPort::Number(n) => (u16::try_from(*n).ok()?, false),
            TomlPort::Text(t) => {
                let (num, proto) = t.split_once('/').unwrap_or((t.as_str(), "tcp"));
                let udp = match proto.to_ascii_lowercase().as_str() {
                    "tcp" => false,
                    "udp" => true,
                    _ => return None,
                };
                (num.parse::<u16>().ok()?, udp)
            }
        };
        (number > 0).then_some((number, udp))
    }
}

/// A health check, run by the engine inside the container.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlHealthcheck {
    /// The check, as a list of words (exec form), e.g. `["/app/server", "-healthcheck"]`.
    pub cmd: Vec<String>,
    /// Time between checks, e.g. `"30s"`.
    pub interval: Option<String>,
    /// Time a check may take, e.g. `"5s"`.
    pub timeout: Option<String>,
    /// Grace time after start, e.g. `"10s"`.
    pub start_period: Option<String>,
    /// Failures in a row before the container is unhealthy.
    #[schemars(example = 3)]
    pub retries: Option<u32>,
}

/// One step of a stage: exactly one of `run` or `copy`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlStep {
    /// A shell command (`/bin/sh -c`). It may span several lines.
    pub run: Option<String>,
    /// Files to copy: paths in the build context, or with `from`/`image` absolute paths in that
    /// stage or image. `["."]` copies the whole context.
    pub copy: Option<Vec<String>>,
    /// `copy`: the destination, absolute or relative to the stage's `workdir`.
    pub to: Option<String>,
    /// `copy`: copy from this stage instead of the build context.
    pub from: Option<String>,
    /// `copy`: copy from this image instead of the build context.
    pub image: Option<String>,
    /// `copy`: owner of the copied files, e.g. `"10001:10001"`.
    pub chown: Option<String>,
    /// `run`: cache folders kept between builds (BuildKit cache mounts), e.g. `["/root/.npm"]`.
    #[serde(default)]
    pub cache: Vec<String>,
    /// `run`: secrets (ids from `[secrets]`) mounted while the command runs.
    #[serde(default)]
    pub secrets: Vec<String>,
    /// `run`: the only files of the build context this command reads, e.g.
    /// `["requirements.txt"]`. stagegen then copies just these before the command, so a change
    /// to other files does not re-run it.
    #[serde(default)]
    pub inputs: Vec<String>,
}
