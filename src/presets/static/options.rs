//! The static preset's own `[preset]` knobs.

use schemars::JsonSchema;
use serde::Deserialize;

/// Knobs of the `static` preset.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct TomlStaticOptions {
    /// The folder served, relative to the build context, e.g. `"public"`; it must hold an
    /// `index.html`. Default: the build context itself.
    pub root: Option<String>,
    /// A single-page app: a path that is no file gets `index.html` (its router shows the page).
    /// Default: false, a site of pages: `/about` is `about.html` or `about/index.html`, else
    /// `404.html` when there is one.
    pub spa: Option<bool>,
}
