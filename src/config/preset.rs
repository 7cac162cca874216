//! `[preset]`: which language preset builds the app, and its knobs.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

/// The language presets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TomlPresetName {
    /// Go modules: a static binary on a distroless image.
    Go,
    /// Python apps (pip, Poetry, uv, Pipenv): a virtual environment on a slim Python image.
    Python,
    /// Node.js apps (npm, Yarn, pnpm): the build output and production dependencies.
    Node,
    /// Java apps (Maven, Gradle): the runnable jar on a JRE or a jlink-made runtime.
    Java,
}

impl TomlPresetName {
    /// The name as written in `build.toml`.
    pub fn as_str(self) -> &'static str {
        match self {
            TomlPresetName::Go => "go",
            TomlPresetName::Python => "python",
            TomlPresetName::Node => "node",
            TomlPresetName::Java => "java",
        }
    }
}

/// A language preset and its knobs. Each knob is optional: the preset reads what it can from the
/// app's own files (`go.mod`, `vendor/`, ...) and documents its defaults. Not every knob fits
/// every preset; `stagegen check` says which ones a preset takes.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TomlPreset {
    /// The preset: `go`, `python`, `node` or `java`.
    pub name: TomlPresetName,
    /// Toolchain version, e.g. `"1.22"` for Go, `"22"` for Node (a major version: Node images
    /// are tagged by it, and the builder and the runtime share it), `"3.12"` for Python. Default:
    /// read from the app (Go: `go.mod`'s `go` line; Node: `.nvmrc`, `.node-version`, then
    /// `engines.node`; Python: `.python-version`, `requires-python`, `Pipfile`, `runtime.txt`),
    /// else the preset's default.
    pub version: Option<String>,
    /// Go: the main package to build, relative to the context, e.g. `"./cmd/api"`. Default: `.`
    /// when it is a main package, else the only main package under `cmd/`.
    pub main: Option<String>,
    /// Name of the built program inside the image. Default: the main package's folder name, or
    /// the module's last path element.
    pub binary: Option<String>,
    /// Go: build from `vendor/` with `-mod=vendor` and no download. Default: true when a
    /// `vendor/modules.txt` exists.
    pub vendor: Option<bool>,
    /// Go: enable cgo. The binary then needs a C library at run time, so `distroless` means
    /// `gcr.io/distroless/base-debian12`. Default: false (a static binary).
    pub cgo: Option<bool>,
    /// Go: build tags (`go build -tags`).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Go: extra linker flags appended to `-s -w`, e.g. `"-X main.version=1.2.3"`.
    pub ldflags: Option<String>,
    /// Package manager or build tool (python, node and java presets): e.g. `"uv"`, `"pnpm"`,
    /// `"gradle"`. Node: `npm`, `pnpm` or `yarn`, optionally pinned (`"pnpm@9.12.0"`).
    /// Default: read from the app (node: `packageManager` in package.json, else the lock
    /// file).
    pub package_manager: Option<String>,
    /// The command that starts the app (python and node presets), as a list of words, e.g.
    /// `["gunicorn", "app:app"]`, `["node", "dist/server.js"]`. Default: inferred from the app
    /// (node: the `start` script when it is plain `node <file>`, else `main`, else `server.js`,
    /// else the compiled `src/index.ts`), and reported by `stagegen plan`.
    pub start: Option<Vec<String>>,
    /// Node: the `package.json` script that builds the app. Default: `build` when it exists.
    pub build: Option<String>,
    /// Node: the folder the build writes, copied into the runtime image. Default:
    /// `tsconfig.json`'s `outDir`, else `dist`.
    pub output: Option<String>,
    /// Node: the workspace package to build, by folder or package name, e.g. `"packages/api"`
    /// (npm, Yarn or pnpm workspaces). Only its files and those of the workspace packages it
    /// uses enter the build.
    pub workspace: Option<String>,
    /// Java: the runnable jar the build writes, relative to the project, e.g. `"target/app.jar"`,
    /// or a glob such as `"app/build/libs/*-all.jar"`; it must match one file, which runs with
    /// `java -jar` (a Spring Boot jar is still split into its layers). Default: the one runnable
    /// jar in the build's output folder: a fat jar (`-all`, `-jar-with-dependencies`, `-shaded`)
    /// first, never a sources, javadoc, tests, `-plain` or `original-` jar.
    pub jar: Option<String>,
    /// Java: run on a minimal Java runtime that `jlink` links from only the modules `jdeps` finds
    /// in the app and its dependencies, on `debian:bookworm-slim` (`base = "distroless"`:
    /// `gcr.io/distroless/java-base-debian12`). Default: false, a JRE image
    /// (`eclipse-temurin:<version>-jre`).
    pub jlink: Option<bool>,
    /// Java: JVM flags of the runtime image's entrypoint, e.g. `["-XX:MaxRAMPercentage=75",
    /// "-XX:+UseSerialGC"]`; `[]` for the JVM's defaults. Default: `["-XX:MaxRAMPercentage=75"]`,
    /// the heap sized from the container's memory limit.
    pub jvm_flags: Option<Vec<String>>,
    /// Python: Debian packages the build needs (e.g. `["libpq-dev=15.*"]`: pinned, as hadolint
    /// asks), installed in the build stage only.
    #[serde(default)]
    pub system_packages: Vec<String>,
    /// Python: compile the standard library and the app to bytecode in the runtime image, so a
    /// fresh container imports without compiling (the python and distroless images ship the
    /// standard library without it, and the non-root user cannot write it); the venv's packages
    /// are compiled either way. `false` saves the bytecode's megabytes and pays at every start.
    /// Default: true.
    pub bytecode: Option<bool>,
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
}
