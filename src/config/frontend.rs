//! `[frontend]`: a frontend app built with Node in a stage of its own, its output copied into
//! the final image of whatever else the file builds.

use schemars::JsonSchema;
use serde::Deserialize;

/// A frontend built with Node (npm, pnpm or Yarn, read from its lock file) in a `frontend`
/// stage; its build output is copied into the final image, whichever preset or stage of your
/// own that is. A Go or Python API that serves a single-page app, in a few lines:
/// `[frontend]` `dir = "web"` `to = "/app/static"`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlFrontend {
    /// The frontend's folder (it holds its package.json and lock file), relative to the build
    /// context, e.g. `"web"`.
    pub dir: String,
    /// Where its build output goes in the final image (absolute), e.g. `"/app/static"`.
    pub to: String,
    /// The folder its build writes, relative to `dir`. Default: `build` for Create React App,
    /// else `dist` (Vite, webpack, Parcel).
    pub output: Option<String>,
    /// The `package.json` script that builds it. Default: `build`.
    pub build: Option<String>,
    /// Node version. Default: the frontend's `.nvmrc`, `.node-version` or `engines.node`,
    /// else the current LTS line.
    pub version: Option<String>,
    /// `npm`, `pnpm` or `yarn` (optionally `pnpm@9.12.0`). Default: `packageManager` in its
    /// package.json, else its lock file.
    pub package_manager: Option<String>,
}
