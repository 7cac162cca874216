//! The Node preset's own `[preset]` knobs.

use schemars::JsonSchema;
use serde::Deserialize;

/// Knobs of the `node` preset.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct TomlNodeOptions {
    /// Node major version, e.g. `"22"` (Node images are tagged by it, and the builder and the
    /// runtime share it). Default: `.nvmrc`, `.node-version`, then `engines.node`, else the
    /// current LTS line.
    pub version: Option<String>,
    /// `npm`, `pnpm`, `yarn` or `bun`, optionally pinned (`"pnpm@9.12.0"`). Default:
    /// `packageManager` in package.json, else the lock file (`bun.lock`, `bun.lockb`: Bun
    /// installs in the builder, and Node runs the app).
    pub package_manager: Option<String>,
    /// The command that starts the app, as a list of words, e.g. `["node", "dist/server.js"]`.
    /// Default: the `start` script (then `start:prod`) as a command that keeps node as PID 1
    /// (a dependency's binary run by node, `tsx` as node's loader, a script file with its `#!`
    /// interpreter), else the framework's server (SvelteKit's `build/`, Nuxt's `.output/`,
    /// Astro's `dist/server/entry.mjs`), else `main`, else `server.js`, else the compiled
    /// `src/index.ts`; reported by `stagegen plan`.
    pub start: Option<Vec<String>>,
    /// The `package.json` script that builds the app. Default: `build` when it exists.
    pub build: Option<String>,
    /// The folder the build writes, copied into the runtime image. Default: `tsconfig.json`'s
    /// `outDir`, else `dist`.
    pub output: Option<String>,
    /// The workspace package to build, by folder or package name, e.g. `"packages/api"` (npm,
    /// Yarn or pnpm workspaces). Only its files and those of the workspace packages it uses
    /// enter the build.
    pub workspace: Option<String>,
    /// What runs in the final image: `"node"` (the app's server) or `"static"` (the build
    /// output is a static site, served by an unprivileged nginx on 8080, with no Node in the
    /// image). Default: `static` when the build tool is one that writes a site (Vite, Create
    /// React App, Angular, the Vue CLI, Astro without an adapter) and nothing starts a server
    /// (no `start` script but the tool's dev server, no `main` or `server.js`).
    pub serve: Option<TomlServe>,
}

/// What runs in the final image.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub(crate) enum TomlServe {
    /// The app's own server, run by `node`.
    Node,
    /// The build output, served as a static site by nginx.
    Static,
}
