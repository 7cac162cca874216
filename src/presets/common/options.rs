//! The `[preset]` knobs every preset takes. Each preset's own knobs are a type in its folder;
//! [`crate::presets::TomlPreset`] puts the two together under one `name`.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

/// Knobs of every preset.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct TomlCommonOptions {
    /// Add a `test` stage that runs the app's tests (build it with `--target test`). Default:
    /// true (node: when package.json has a `test` script).
    pub test: Option<bool>,
    /// Add a `dev` stage: the toolchain and the sources, running the app from source. Default:
    /// true.
    pub dev: Option<bool>,
    /// Secrets (ids from `[secrets]`) mounted while dependencies download, e.g. a `.netrc` for
    /// private modules.
    #[serde(default)]
    pub secrets: Vec<String>,
    /// Environment for the build stage only, e.g. `{ GOPRIVATE = "example.com/*" }`.
    #[serde(default)]
    pub build_env: IndexMap<String, String>,
    /// Debian packages the build needs (headers, compilers, tools), installed in the build stage
    /// only, e.g. `["libpq-dev=15.*"]` (pinned, as hadolint asks). Packages the preset knows an
    /// app's dependencies need are added by itself.
    #[serde(default)]
    pub system_packages: Vec<String>,
    /// Debian packages the app needs at run time (shared libraries, programs it calls), installed
    /// in the final image, e.g. `["libpq5=15.*", "poppler-utils=22.*"]`. They need a Debian-based
    /// runtime (`base = "slim"` or an image of your own with apt).
    #[serde(default)]
    pub runtime_packages: Vec<String>,
}

impl TomlCommonOptions {
    /// The keys of this table as written in `build.toml`.
    pub const KEYS: &'static [&'static str] = &[
        "test",
        "dev",
        "secrets",
        "build-env",
        "system-packages",
        "runtime-packages",
    ];
}
