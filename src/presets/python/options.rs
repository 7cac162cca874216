//! The Python preset's own `[preset]` knobs.

use schemars::JsonSchema;
use serde::Deserialize;

/// Knobs of the `python` preset.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct TomlPythonOptions {
    /// Python version, e.g. `"3.12"`. Default: `.python-version`, `.tool-versions` or
    /// `mise.toml`, `requires-python`, `Pipfile`, `runtime.txt`, else 3.13.
    pub version: Option<String>,
    /// `pip`, `uv`, `poetry` or `pipenv`. Default: read from the app's lock and manifest files.
    pub package_manager: Option<String>,
    /// The command that starts the app, as a list of words, e.g. `["gunicorn", "app:app"]`.
    /// Default: inferred from the app, and reported by `stagegen plan`.
    pub start: Option<Vec<String>>,
    /// Compile the standard library and the app to bytecode in the runtime image, so a fresh
    /// container imports without compiling (the python and distroless images ship the standard
    /// library without it, and the non-root user cannot write it); the venv's packages are
    /// compiled either way. `false` saves the bytecode's megabytes and pays at every start.
    /// Default: true.
    pub bytecode: Option<bool>,
}
