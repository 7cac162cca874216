//! The Go preset's own `[preset]` knobs.

use schemars::JsonSchema;
use serde::Deserialize;

/// Knobs of the `go` preset.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct TomlGoOptions {
    /// Go version, e.g. `"1.22"`: the builder image is `golang:<version>`. Default: go.mod's
    /// `go` line (its major.minor), else 1.23.
    pub version: Option<String>,
    /// The main package to build, relative to the context, e.g. `"./cmd/api"`. Default: `.`
    /// when it is a main package, else the only main package under `cmd/`.
    pub main: Option<String>,
    /// Name of the built program inside the image. Default: the main package's folder name, or
    /// the module's last path element.
    pub binary: Option<String>,
    /// Build from `vendor/` with `-mod=vendor` and no download. Default: true when a
    /// `vendor/modules.txt` exists.
    pub vendor: Option<bool>,
    /// Enable cgo. The binary then needs a C library at run time, so `distroless` means
    /// `gcr.io/distroless/base-debian12`. Default: false (a static binary).
    pub cgo: Option<bool>,
    /// Build tags (`go build -tags`).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Extra linker flags appended to `-s -w`, e.g. `"-X main.version=1.2.3"`.
    pub ldflags: Option<String>,
}
