//! The Bun preset's own `[preset]` knobs.

use schemars::JsonSchema;
use serde::Deserialize;

/// Knobs of the `bun` preset.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct TomlBunOptions {
    /// Bun version: the `oven/bun` image tag, `"1"`, `"1.2"` or an exact `"1.2.23"`. Default:
    /// `packageManager` (`bun@1.2.23`), `.bun-version`, `.tool-versions` or `mise.toml`, then
    /// `engines.bun`, else `1` (the newest Bun 1 image).
    pub version: Option<String>,
    /// The command that starts the app, as a list of words, e.g. `["bun", "src/index.ts"]`.
    /// Default: the `start` script (then `start:prod`) when it is a plain `bun` command, else
    /// `bun run start`; else `main` or `module`; else the `dev` script's file without
    /// `--hot`/`--watch`; else `index.ts`, `src/index.ts` and the like.
    pub start: Option<Vec<String>>,
    /// The `package.json` script that builds the app. Default: `build` when it exists.
    pub build: Option<String>,
    /// The folder the build writes, copied into the runtime image. Default: the build script's
    /// `--outdir`, else `tsconfig.json`'s `outDir`, else `dist`.
    pub output: Option<String>,
}
