//! The command line: clap types and the commands, which talk only to the driver. It maps the
//! driver's results to exit codes and streams: data goes to stdout, everything else to stderr,
//! made safe for a terminal ([`crate::diagnostics::escape_controls`]). Exit codes: 0 ok, 1
//! problems in the user's input (or `--check` drift), 2 usage or I/O errors, a failed write to
//! stdout among them (a reader that closed the pipe early is not one).
//!
//! Every command takes `--color`, `-q` and `-v` ([`GlobalArgs`]): errors are always printed,
//! `-q` drops warnings and the status lines (`ok`, `wrote`, `found:`), `-v` adds `note:` lines
//! saying what was read and decided. Only rendered diagnostics are ever coloured ([`color`]).

mod color;
mod generate;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;

use clap::{Args, CommandFactory as _, Parser, Subcommand, ValueEnum};

pub use color::ColorWhen;

use crate::diagnostics::{escape_controls, render_human_styled, render_json, Diagnostic};
use crate::driver::{Failure, InitDestination, Outputs, RenderRequest};
use crate::schema::{schema_text, SchemaKind};
use crate::source::SourceFile;

#[derive(Debug, Parser)]
#[command(
    name = "stagegen",
    version,
    propagate_version = true,
    about = "Compile a build.toml into an optimized multi-stage Dockerfile or a JSON build plan",
    after_help = "Example:\n  stagegen dockerfile -f examples/go-http/build.toml | DOCKER_BUILDKIT=1 docker build -f - examples/go-http"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// What every command takes: how to print messages on stderr. Data on stdout is the same
/// whatever these say.
#[derive(Debug, Args, Default)]
pub struct GlobalArgs {
    /// Colour diagnostics: `auto` (when stderr is a terminal and `NO_COLOR` is not set, or
    /// `CLICOLOR_FORCE` is), `always`, `never`
    #[arg(
        long,
        value_enum,
        value_name = "WHEN",
        default_value_t,
        global = true,
        hide_possible_values = true
    )]
    pub color: ColorWhen,
    /// Print only errors (and data): no warnings, no `ok`/`wrote`/`found:` lines
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print `note:` lines: each `--set`, which file was read, the build context, the
    /// stages made, each file `--check` compared
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// How to print problems: `human` (snippets), `json` (an array of objects: on stdout for
    /// `check`, on stderr for the other commands, whose stdout is data; I/O and usage errors
    /// too), `github` (GitHub Actions `::error file=..,line=..::` annotations, on stderr)
    #[arg(
        long,
        value_enum,
        value_name = "FORMAT",
        default_value_t = Format::Human,
        global = true,
        hide_possible_values = true
    )]
    pub format: Format,
    /// Treat these warnings as errors: `warnings` (all of them) or a code (`SG401`, `root-user`);
    /// repeatable. A level the build.toml gives in `[lints]` wins, as `#[allow]` does over
    /// rustc's `-D warnings`
    #[arg(short = 'D', long, value_name = "LINT", global = true)]
    pub deny: Vec<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq, Default)]
pub enum Format {
    /// Snippets with `file:line:col`, for people.
    #[default]
    Human,
    /// A JSON array, for editors and CI.
    Json,
    /// GitHub Actions workflow commands, so that CI shows each problem on its line.
    Github,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate build.toml and print every problem at once
    #[command(
        after_help = "Example:\n  stagegen check -f services/api/build.toml\n\nExit status: 0 valid (warnings may be printed), 1 problems found, 2 the file cannot be read."
    )]
    Check {
        #[command(flatten)]
        spec: SpecArgs,
        /// Every member of the workspace (the stagegen.toml at or above `-f`'s folder)
        #[arg(long, conflicts_with = "member")]
        all: bool,
        /// The workspace member named NAME, instead of `-f`
        #[arg(short = 'p', long = "member", value_name = "NAME")]
        member: Option<String>,
    },
    /// Print or write the Dockerfile (and its .dockerignore)
    #[command(
        after_help = "Examples:\n  stagegen dockerfile -o Dockerfile && DOCKER_BUILDKIT=1 docker build .\n  stagegen dockerfile -o Dockerfile          # also writes .dockerignore\n  stagegen dockerfile -o ci/Dockerfile       # also writes ci/Dockerfile.dockerignore\n  stagegen dockerfile -o Dockerfile --check  # CI: exit 1 and show a diff when it drifted\n  stagegen dockerfile --target test | DOCKER_BUILDKIT=1 docker build -f - .\n  stagegen dockerfile -f - --context app < spec.toml\n\nA Dockerfile piped to `docker build -f -` comes without its ignore rules: the engine then\nreads only `<context>/.dockerignore`, if one is there (`-o <context>/Dockerfile` writes it).\nThe ignore file goes where the engine reads it: `<context>/.dockerignore` for\n`<context>/Dockerfile`, else `<path>.dockerignore` beside the Dockerfile (BuildKit reads it\nfirst). `--check` compares both files. Only regular files are written, atomically and both or\nneither; a file without stagegen's header is replaced only with `--force`."
    )]
    Dockerfile {
        #[command(flatten)]
        spec: SpecArgs,
        /// Write here (and its ignore file where the engine reads it) instead of stdout; `-` is stdout
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Build this stage: keep only the stages it needs, and put it last
        #[arg(long)]
        target: Option<String>,
        /// Compare with the files on disk (the Dockerfile and its ignore file) instead of writing; exit 1 with a diff when they differ
        #[arg(long)]
        check: bool,
        /// Overwrite files that stagegen did not write
        #[arg(long)]
        force: bool,
        /// Every member of the workspace (the stagegen.toml at or above `-f`'s folder): write each one's Dockerfile and ignore file where Docker reads them, all or none (with `--check`, compare them)
        #[arg(long, conflicts_with_all = ["output", "target", "member"])]
        all: bool,
        /// The workspace member named NAME, instead of `-f` (with `--check` and no `-o`: its files where `--all` writes them)
        #[arg(short = 'p', long = "member", value_name = "NAME")]
        member: Option<String>,
    },
    /// Write docker-bake.json for the workspace (and every member's Dockerfile it names)
    #[command(
        after_help = "Examples:\n  stagegen bake && docker buildx bake --load          # every member's image\n  stagegen bake && docker buildx bake test            # every member's test stage\n  stagegen bake --check                               # CI: exit 1 and a diff when stale\n\nOne target per member (tags, build args, secrets, platforms), `<name>-test` and `<name>-dev`\nfor those stages, groups `default` and `test`. A secret `id` is read from the environment\nvariable `ID` (upper case, `-` as `_`)."
    )]
    Bake {
        /// A spec in the workspace, or its folder's build.toml: the stagegen.toml at or above it is used
        #[arg(short, long, default_value = "build.toml")]
        file: PathBuf,
        /// Compare with the files on disk instead of writing; exit 1 with a diff when they differ
        #[arg(long)]
        check: bool,
        /// Overwrite files that stagegen did not write
        #[arg(long)]
        force: bool,
        /// Build every member for these platforms, comma-separated (`linux/amd64,linux/arm64`), instead of their `platforms`
        #[arg(long, value_delimiter = ',', value_name = "PLATFORM")]
        platform: Vec<String>,
    },
    /// Write compose.yaml for the workspace (and every member's Dockerfile it names)
    #[command(
        after_help = "Examples:\n  stagegen compose && docker compose up --build\n  stagegen compose --check\n\nOne service per member: its build (context, Dockerfile, target), image (the first tag), ports\n(published on the same host port), environment and health check."
    )]
    Compose {
        /// A spec in the workspace, or its folder's build.toml: the stagegen.toml at or above it is used
        #[arg(short, long, default_value = "build.toml")]
        file: PathBuf,
        /// Compare with the files on disk instead of writing; exit 1 with a diff when they differ
        #[arg(long)]
        check: bool,
        /// Overwrite files that stagegen did not write
        #[arg(long)]
        force: bool,
    },
    /// Print or write the JSON build plan (schema: `stagegen schema plan`)
    #[command(
        after_help = "Examples:\n  stagegen plan -f build.toml | jq '.stages[].name'\n  stagegen plan -p api --explain                 # where each value came from\n  stagegen --format json plan -p api --explain   # the same, as JSON\n\n`--explain` prints, instead of the plan, each value of the spec as its layers merged it, with\nthe file:line that wrote it and that file's kind (member, template, workspace default, override),\nthen what the preset chose that no file wrote (preset default)."
    )]
    Plan {
        #[command(flatten)]
        spec: SpecArgs,
        /// Write here instead of stdout; `-` is stdout
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Plan only this stage and the stages it needs
        #[arg(long)]
        target: Option<String>,
        /// Overwrite a file that stagegen did not write
        #[arg(long)]
        force: bool,
        /// The workspace member named NAME, instead of `-f`
        #[arg(short = 'p', long = "member", value_name = "NAME")]
        member: Option<String>,
        /// Print where each value came from (file:line and layer) instead of the plan; with `--format json`, as JSON
        #[arg(long, conflicts_with_all = ["output", "target", "force"])]
        explain: bool,
    },
    /// Compile the spec and build it with Docker, Podman or Buildah, writing nothing into your tree
    #[command(
        after_help = "Examples:\n  stagegen build -t api:dev\n  stagegen build --target test\n  stagegen build --output tar:api.tar --engine buildah\n  stagegen build --secret id=npmrc,src=$HOME/.npmrc --build-arg VERSION=1.2\n\nThe Dockerfile and its ignore rules go to the engine from a temporary folder; `ignore` in\nbuild.toml is honoured. Exit status: 0 built, 1 a problem in build.toml or a failed build (the\nfailing step, its command and its last lines are shown), 2 a usage error or no engine."
    )]
    Build {
        /// The build spec
        #[arg(short, long, default_value = "build.toml")]
        file: PathBuf,
        /// Build this plan (written by `stagegen plan -o`, or another tool) instead of a spec; its `context` is read from the plan file's folder
        #[arg(long, value_name = "PLAN", conflicts_with = "file")]
        plan: Option<PathBuf>,
        /// Name the image (repeat for several)
        #[arg(short = 't', long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        /// Build this stage instead of the spec's target
        #[arg(long)]
        target: Option<String>,
        /// The engine: the first found of docker, podman, buildah with `auto`
        #[arg(long, value_enum, default_value_t = EngineArg::Auto)]
        engine: EngineArg,
        /// Where the image goes: the engine's store (`image`), an OCI layout folder (`oci:DIR`), or a tarball `docker load` reads (`tar:FILE`)
        #[arg(long, default_value = "image", value_parser = parse_output)]
        output: crate::engine::Output,
        /// Push every `--tag` to its registry
        #[arg(long)]
        push: bool,
        /// Target platforms, comma-separated, e.g. linux/amd64,linux/arm64
        #[arg(long, value_delimiter = ',')]
        platform: Vec<String>,
        /// A secret for the build: `id=ID,src=PATH` or `id=ID,env=VAR` (repeat for several)
        #[arg(long = "secret", value_name = "SPEC", value_parser = parse_secret)]
        secrets: Vec<crate::engine::SecretArg>,
        /// A build argument, `NAME=VALUE` (repeat for several)
        #[arg(long = "build-arg", value_name = "NAME=VALUE", value_parser = parse_build_arg)]
        build_args: Vec<(String, String)>,
        /// Build every step again, using no cache
        #[arg(long)]
        no_cache: bool,
        /// How progress is shown: the engine's terminal display (`tty`), plain lines, or JSON events; `auto` is `tty` on a terminal, else `plain`
        #[arg(long, value_enum, default_value_t = ProgressArg::Auto)]
        progress: ProgressArg,
    },
    /// Pin every base image to a digest in stagegen.lock; dockerfile, plan and build then use the pins
    #[command(
        after_help = "Examples:\n  stagegen lock                 # add what is missing, drop what is no longer used\n  stagegen lock --update        # resolve every image again\n  stagegen lock --check         # CI: exit 1 when the lock is missing or stale\n  stagegen lock --offline       # digests from Docker's store (RepoDigests)\n  stagegen lock --all           # every workspace member: a stagegen.lock beside each build.toml\n\nDigests come from each registry's HTTP API (anonymous tokens, or the credentials of\n~/.docker/config.json). stagegen.lock sits beside build.toml."
    )]
    Lock {
        /// The build spec
        #[arg(short, long, default_value = "build.toml")]
        file: PathBuf,
        /// Resolve every image again, not only the ones missing
        #[arg(long, conflicts_with = "check")]
        update: bool,
        /// Compare only: exit 1 when stagegen.lock is missing, lacks an image, or pins one no longer used
        #[arg(long)]
        check: bool,
        /// Take digests from Docker's store instead of the registries
        #[arg(long)]
        offline: bool,
        /// Replace a stagegen.lock that stagegen did not write
        #[arg(long)]
        force: bool,
        /// Every member of the workspace (the stagegen.toml at or above `-f`'s folder): a
        /// stagegen.lock beside each member's build.toml, an image they share asked for once
        #[arg(long)]
        all: bool,
    },
    /// Look at an app and write a build.toml for it, without questions
    #[command(
        after_help = "Examples:\n  stagegen init                      # the app in this folder, language detected\n  stagegen init services/api --lang go --main ./cmd/api --port 8080\n  stagegen init --stdout             # print instead of writing build.toml\n\nWhat was detected, and from which file, is printed and written as comments."
    )]
    Init {
        /// The app's folder
        #[arg(default_value = ".")]
        dir: PathBuf,
        #[arg(long, help = lang_help())]
        lang: Option<String>,
        /// Toolchain version (Go, Python, Node, Java), e.g. 1.23; `--version` is stagegen's own
        #[arg(long = "toolchain-version", value_name = "VERSION")]
        tool_version: Option<String>,
        /// Package manager or build tool (Python, Node, Java)
        #[arg(long)]
        package_manager: Option<String>,
        /// Go: the main package to build, e.g. ./cmd/api
        #[arg(long)]
        main: Option<String>,
        /// Python, Node: the command that starts the app, e.g. "gunicorn app:app"
        #[arg(long)]
        start: Option<String>,
        /// Node: the workspace package to build, by folder or name, e.g. packages/api
        #[arg(long)]
        workspace: Option<String>,
        /// A port the app listens on (repeat for several)
        #[arg(long = "port")]
        ports: Vec<u16>,
        /// The runtime base: distroless, slim, scratch, alpine or an image reference
        #[arg(long)]
        base: Option<String>,
        /// The `#:schema` line's target (a URL or a path to build.schema.json)
        #[arg(long)]
        schema: Option<String>,
        /// Print the file instead of writing DIR/build.toml
        #[arg(long)]
        stdout: bool,
        /// Replace an existing build.toml
        #[arg(long)]
        force: bool,
    },
    /// Print a JSON schema: `build` (of build.toml), `workspace` (of stagegen.toml) or `plan` (of the build plan); `install` writes the editor schemas into a project
    #[command(
        args_conflicts_with_subcommands = true,
        after_help = "Examples:\n  stagegen schema > build.schema.json\n  stagegen schema install            # .stagegen/*.schema.json and .taplo.toml, for editors\n\nEditors validate and complete build.toml offline when its first line names a local copy:\n`#:schema ./.stagegen/build.schema.json` (what `stagegen init` writes, with that file)."
    )]
    Schema {
        #[arg(value_enum, default_value_t = SchemaArg::Build)]
        which: SchemaArg,
        #[command(subcommand)]
        action: Option<SchemaAction>,
    },
    /// Explain a diagnostic code: what it means, how to fix it, and an example
    #[command(
        after_help = "Examples:\n  stagegen explain SG203\n  stagegen explain unknown-stage\n\nThe example is a real input from stagegen's tests, with what stagegen says for it."
    )]
    Explain {
        /// A code (`SG203`) or its name (`unknown-stage`)
        code: String,
    },
    /// Print a shell completion script
    #[command(
        after_help = "Examples:\n  stagegen completions bash > ~/.local/share/bash-completion/completions/stagegen\n  stagegen completions zsh > ~/.zfunc/_stagegen        # with fpath+=~/.zfunc before compinit\n  stagegen completions fish > ~/.config/fish/completions/stagegen.fish\n  stagegen completions powershell >> $PROFILE"
    )]
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) of stagegen, or of one command (`stagegen-init(1)`)
    #[command(
        after_help = "Examples:\n  stagegen man | man -l -\n  stagegen man init > ~/.local/share/man/man1/stagegen-init.1"
    )]
    Man {
        /// A command, for its own page
        command: Option<String>,
    },
}

/// Which spec a command reads.
#[derive(Debug, Clone, Args)]
pub struct SpecArgs {
    /// The build spec; `-` reads it from stdin
    #[arg(short, long, default_value = "build.toml")]
    pub file: PathBuf,
    /// The folder the spec is read as if it sat in: its `context` key and every path in it are
    /// relative to this [default: the spec's folder; for `-f -`, the current folder]
    #[arg(long, value_name = "DIR")]
    pub context: Option<PathBuf>,
    /// Set a value without editing the file, e.g. `--set runtime.base=slim` or
    /// `--set 'runtime.ports=[8080]'` (repeatable; after the lines of `STAGEGEN_SET`, and winning
    /// over them). Diagnostics about it point at `--set`
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Build for these platforms, comma-separated (`linux/amd64,linux/arm64`), instead of the
    /// spec's `platforms`: the Go preset cross-compiles on the builder's platform, Java builds
    /// its jar there once
    #[arg(long, value_delimiter = ',', value_name = "PLATFORM")]
    pub platform: Vec<String>,
}

impl SpecArgs {
    /// The spec to read, with the assignments of `STAGEGEN_SET` and `--set`.
    fn spec(&self) -> Result<crate::driver::Spec, Failure> {
        use crate::config::overrides;
        let env = std::env::var(overrides::ENV_VAR).ok();
        let overrides =
            overrides::collect(env.as_deref(), &self.set).map_err(|e| Failure::Usage {
                message: e.message,
                help: Some(e.help),
            })?;
        for o in &overrides {
            note(&format!("{} {}", o.origin.name(), o.text));
        }
        let overrides = overrides
            .into_iter()
            .chain(overrides::platforms(&self.platform))
            .collect();
        Ok(crate::driver::Spec {
            path: self.file.clone(),
            context: self.context.clone(),
            overrides,
        })
    }

    /// How to name this spec again in a command line we suggest: `-f build.toml`.
    fn flags(&self) -> String {
        match &self.context {
            Some(c) => format!("-f {} --context {}", self.file.display(), c.display()),
            None => format!("-f {}", self.file.display()),
        }
    }

    /// `Dockerfile` beside the spec (in `--context` when given), where `--check` looks by default.
    fn dockerfile_beside(&self) -> PathBuf {
        match &self.context {
            Some(c) => c.join("Dockerfile"),
            None if self.file.as_os_str() == "-" => PathBuf::from("Dockerfile"),
            None => self
                .file
                .parent()
                .unwrap_or(Path::new(""))
                .join("Dockerfile"),
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum EngineArg {
    Auto,
    Docker,
    Podman,
    Buildah,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ProgressArg {
    Auto,
    Tty,
    Plain,
    Json,
}

fn parse_output(text: &str) -> Result<crate::engine::Output, String> {
    crate::engine::Output::parse(text)
}

fn parse_secret(text: &str) -> Result<crate::engine::SecretArg, String> {
    crate::engine::SecretArg::parse(text)
}

fn parse_build_arg(text: &str) -> Result<(String, String), String> {
    crate::engine::parse_build_arg(text)
}

/// `stagegen schema install`.
#[derive(Debug, Clone, Subcommand)]
pub enum SchemaAction {
    /// Write the editor schemas (`.stagegen/build.schema.json`, `.stagegen/workspace.schema.json`)
    /// and a `.taplo.toml` that associates them, so taplo and Even Better TOML validate and
    /// complete build.toml and stagegen.toml offline
    #[command(
        after_help = "Example:\n  stagegen schema install            # in the project's root\n\nRun it again after upgrading stagegen: it rewrites the files it wrote. A `.taplo.toml` of your\nown is kept (add the rules it prints), and `--force` replaces it."
    )]
    Install {
        /// The project's root
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Replace files of the same names that stagegen did not write
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SchemaArg {
    Build,
    Workspace,
    Plan,
}

/// `--lang`'s help, listing the presets of the registry.
fn lang_help() -> String {
    format!(
        "The language (a preset: {}), when the folder holds several kinds of app",
        crate::presets::registry::names().join(", ")
    )
}

/// How messages are printed in this run, set once from [`GlobalArgs`] as it starts.
#[derive(Debug, Default)]
struct Term {
    color: bool,
    quiet: bool,
    verbose: bool,
    format: Format,
    /// `--deny`: `warnings`, or codes.
    deny: Vec<String>,
}

static TERM: OnceLock<Term> = OnceLock::new();

fn term() -> &'static Term {
    TERM.get_or_init(Term::default)
}

/// Parse this process's command line. `--color always|never` colours clap's own help and usage
/// errors too; with `auto` clap decides per stream, by the same environment variables.
pub fn parse() -> Cli {
    use clap::FromArgMatches as _;
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(cli) = parse_simple(&args) {
        return cli;
    }
    let choice = match color_flag(&args) {
        Some(ColorWhen::Always) => clap::ColorChoice::Always,
        Some(ColorWhen::Never) => clap::ColorChoice::Never,
        _ => clap::ColorChoice::Auto,
    };
    let matches = Cli::command().color(choice).get_matches_from(args);
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

/// The commonest command lines, read without clap: `dockerfile`, `check` or `plan`, then at
/// most one each of `-f FILE` (`--file`), `-o FILE` (`--output`, not for `check`) and `-q`
/// (`--quiet`), each value its own argument. Building clap's tree of every command and flag was
/// a third of such a compile. `None` for anything else (clap then reads it: help, errors,
/// every other flag and form); where this reads a line, what it gives is what clap gives (a
/// test compares them).
fn parse_simple(args: &[std::ffi::OsString]) -> Option<Cli> {
    let mut args = args.iter().skip(1).map(|a| a.to_str());
    let command = args.next()??;
    if !matches!(command, "dockerfile" | "check" | "plan") {
        return None;
    }
    let (mut file, mut output, mut quiet) = (None, None, false);
    while let Some(arg) = args.next() {
        // A value clap takes as one: not empty, and not a flag (`-` is stdout or stdin).
        let mut value = || {
            args.next()
                .flatten()
                .filter(|v| !v.is_empty() && (*v == "-" || !v.starts_with('-')))
                .map(PathBuf::from)
        };
        match arg? {
            "-f" | "--file" if file.is_none() => file = Some(value()?),
            "-o" | "--output" if output.is_none() && command != "check" => output = Some(value()?),
            "-q" | "--quiet" if !quiet => quiet = true,
            _ => return None,
        }
    }
    let spec = SpecArgs {
        file: file.unwrap_or_else(|| PathBuf::from("build.toml")),
        context: None,
        set: Vec::new(),
        platform: Vec::new(),
    };
    let command = match command {
        "dockerfile" => Command::Dockerfile {
            spec,
            output,
            target: None,
            check: false,
            force: false,
            all: false,
            member: None,
        },
        "plan" => Command::Plan {
            spec,
            output,
            target: None,
            force: false,
            member: None,
            explain: false,
        },
        _ => Command::Check {
            spec,
            all: false,
            member: None,
        },
    };
    Some(Cli {
        global: GlobalArgs {
            quiet,
            ..GlobalArgs::default()
        },
        command,
    })
}

/// The last `--color WHEN` or `--color=WHEN` before a `--`, read ahead of clap.
fn color_flag(args: &[std::ffi::OsString]) -> Option<ColorWhen> {
    let mut found = None;
    let mut args = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = args.next() {
        let value = match arg.as_ref() {
            "--" => break,
            "--color" => args.next().map(|v| v.into_owned()),
            other => other.strip_prefix("--color=").map(str::to_string),
        };
        if let Some(v) = value {
            found = ColorWhen::from_str(&v, true).ok().or(found);
        }
    }
    found
}

/// Run the CLI and return the exit code.
pub fn run(cli: Cli) -> ExitCode {
    let _ = TERM.set(Term {
        color: color::stderr_color(cli.global.color),
        quiet: cli.global.quiet,
        verbose: cli.global.verbose,
        format: cli.global.format,
        deny: cli.global.deny.clone(),
    });
    let code = match check_deny(&cli.global.deny) {
        Ok(()) => run_command(cli.command),
        Err(failure) => report(failure),
    };
    flush_json();
    code
}

/// Run one command and return the exit code.
fn run_command(command: Command) -> ExitCode {
    match command {
        Command::Check { spec, all, member } => {
            let format = term().format;
            if all {
                if let Err(failure) = no_set_with_all(&spec) {
                    return report(failure);
                }
                return check_all(&spec.file, &spec.platform);
            }
            match spec_of(spec, member) {
                Ok(spec) => check(&spec, format),
                Err(failure) => report(failure),
            }
        }
        Command::Dockerfile {
            spec,
            output,
            target,
            check,
            force,
            all,
            member,
        } => {
            if all || (member.is_some() && check && output.is_none()) {
                if let Err(failure) = no_set_with_all(&spec) {
                    return report(failure);
                }
                return dockerfile_members(
                    &spec.file,
                    member.as_deref(),
                    &spec.platform,
                    check,
                    force,
                );
            }
            match spec_of(spec, member) {
                Ok(spec) => dockerfile(&spec, output, target, check, force),
                Err(failure) => report(failure),
            }
        }
        Command::Bake {
            file,
            check,
            force,
            platform,
        } => workspace_file(
            &file,
            crate::driver::WorkspaceFile::Bake,
            check,
            force,
            &platform,
        ),
        Command::Compose { file, check, force } => workspace_file(
            &file,
            crate::driver::WorkspaceFile::Compose,
            check,
            force,
            &[],
        ),
        Command::Plan {
            spec,
            output,
            target,
            force,
            member,
            explain,
        } => match spec_of(spec, member) {
            Ok(spec) if explain => explain_plan(&spec),
            Ok(spec) => plan(&spec, output, target, force),
            Err(failure) => report(failure),
        },
        Command::Build {
            file,
            plan,
            tags,
            target,
            engine,
            output,
            push,
            platform,
            secrets,
            build_args,
            no_cache,
            progress,
        } => {
            use crate::engine::{Choice, Progress};
            let request = crate::build::BuildRequest {
                source: match plan {
                    Some(plan) => crate::build::Source::Plan(plan),
                    None => crate::build::Source::Spec(file),
                },
                target,
                engine: match engine {
                    EngineArg::Auto => Choice::Auto,
                    EngineArg::Docker => Choice::Docker,
                    EngineArg::Podman => Choice::Podman,
                    EngineArg::Buildah => Choice::Buildah,
                },
                tags,
                output,
                push,
                platforms: platform,
                secrets,
                build_args,
                no_cache,
                progress: match progress {
                    ProgressArg::Auto if std::io::IsTerminal::is_terminal(&std::io::stderr()) => {
                        Progress::Tty
                    }
                    ProgressArg::Auto | ProgressArg::Plain => Progress::Plain,
                    ProgressArg::Tty => Progress::Tty,
                    ProgressArg::Json => Progress::Json,
                },
            };
            build(&request)
        }
        Command::Lock {
            file,
            update,
            check,
            offline,
            force,
            all,
        } => {
            let request = crate::lock_command::LockRequest {
                file,
                update,
                check,
                offline,
                force,
            };
            if all {
                lock_members(&request)
            } else {
                lock(&request)
            }
        }
        Command::Init {
            dir,
            lang,
            tool_version,
            package_manager,
            main,
            start,
            workspace,
            ports,
            base,
            schema,
            stdout,
            force,
        } => {
            let request = crate::init::InitRequest {
                lang,
                version: tool_version,
                package_manager,
                main,
                start: start.map(|s| s.split_whitespace().map(str::to_string).collect()),
                workspace,
                ports,
                base,
                schema,
            };
            init(&dir, &request, stdout, force)
        }
        Command::Schema {
            action: Some(SchemaAction::Install { dir, force }),
            ..
        } => schema_install(&dir, force),
        Command::Schema { which, .. } => {
            let kind = match which {
                SchemaArg::Build => SchemaKind::Build,
                SchemaArg::Workspace => SchemaKind::Workspace,
                SchemaArg::Plan => SchemaKind::Plan,
            };
            print_stdout(&schema_text(kind))
        }
        Command::Explain { code } => explain(&code),
        Command::Completions { shell } => {
            let script = generate::completions(shell, &mut Cli::command(), "stagegen");
            to_stdout(&String::from_utf8_lossy(&script), 0)
        }
        Command::Man { command } => match generate::man_page(Cli::command(), command.as_deref()) {
            Ok(page) => to_stdout(&String::from_utf8_lossy(&page), 0),
            Err(commands) => {
                say(&with_help(
                    &format!(
                        "`{}` is not a stagegen command",
                        command.as_deref().unwrap_or_default()
                    ),
                    Some(&format!("the commands are: {}", commands.join(", "))),
                ));
                ExitCode::from(2)
            }
        },
    }
}

fn check(spec: &SpecArgs, format: Format) -> ExitCode {
    match spec
        .spec()
        .and_then(|spec| crate::driver::render_spec(&spec, &RenderRequest::default()))
        .and_then(denied)
    {
        Ok(outputs) => {
            notes(&outputs);
            let warnings = &outputs.warnings;
            match format {
                Format::Human | Format::Github => {
                    warn(&outputs);
                    status(&format!(
                        "{}: ok ({} stages{})\n",
                        outputs.file.name(),
                        outputs.stages,
                        plural_warnings(warnings.len())
                    ));
                    ExitCode::SUCCESS
                }
                Format::Json => to_stdout(&render_json(&outputs.file, warnings), 0),
            }
        }
        Err(Failure::Invalid {
            file: source,
            diagnostics,
        }) if format == Format::Json => to_stdout(&render_json(&source, &promoted(diagnostics)), 1),
        Err(failure) => report(failure),
    }
}

/// `stagegen explain CODE`.
fn explain(code: &str) -> ExitCode {
    match crate::driver::find_code(code) {
        Some(found) => to_stdout(
            &escape_controls(&crate::diagnostics::explain::explain(found)),
            0,
        ),
        None => {
            let all = crate::driver::all_codes();
            let names = all.iter().flat_map(|c| [c.id, c.name]);
            let hint = match crate::validate::did_you_mean(code, names) {
                Some(m) => format!("did you mean `{m}`? "),
                None => String::new(),
            };
            report(Failure::Usage {
                message: format!("`{code}` is not a stagegen diagnostic code"),
                help: Some(format!(
                    "{hint}codes look like `SG203` (or its name, `unknown-stage`); each error and warning shows its code in brackets"
                )),
            })
        }
    }
}

/// `-o dir/` (a trailing slash, or a folder that exists) means `dir/<name>`, as `cp` reads it.
fn in_folder(output: PathBuf, name: &str) -> PathBuf {
    let text = output.as_os_str().to_string_lossy();
    if text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR) || output.is_dir() {
        output.join(name)
    } else {
        output
    }
}

/// `--set` changes one spec: refused with `--all` (and the members' `--check`), which read many.
fn no_set_with_all(spec: &SpecArgs) -> Result<(), Failure> {
    match spec.set.first() {
        None => Ok(()),
        Some(first) => Err(Failure::Usage {
            message: format!("`--set {first}` changes one spec, and `--all` reads every member"),
            help: Some(
                "name the member with `-p NAME -o FILE`, or set the value in the workspace's `[workspace.defaults]`"
                    .to_string(),
            ),
        }),
    }
}

/// The spec a command works on: `-f`, or with `-p NAME` that member's build.toml (in the
/// workspace at or above the current folder).
fn spec_of(spec: SpecArgs, member: Option<String>) -> Result<SpecArgs, Failure> {
    let Some(name) = member else {
        return Ok(spec);
    };
    let ws = crate::driver::find_workspace(Path::new("."))?;
    Ok(SpecArgs {
        file: pick_member(&ws, &name)?.spec.clone(),
        context: spec.context,
        set: spec.set,
        platform: spec.platform,
    })
}

/// The member named `name`, or a usage error listing the members.
fn pick_member<'a>(
    ws: &'a crate::workspace::Workspace,
    name: &str,
) -> Result<&'a crate::workspace::Member, Failure> {
    ws.member(name).ok_or_else(|| {
        let names: Vec<&str> = ws.members.iter().map(|m| m.name.as_str()).collect();
        let hint = match crate::validate::did_you_mean(name, names.iter().copied()) {
            Some(m) => format!("did you mean `{m}`? "),
            None => String::new(),
        };
        Failure::Usage {
            message: format!("no member of the workspace is named `{name}`"),
            help: Some(format!("{hint}the members are: {}", names.join(", "))),
        }
    })
}

/// The folder `--all` looks for the workspace from: `-f`'s.
fn start_of(file: &Path) -> &Path {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// `check --all`: every member, every problem of every member.
fn check_all(file: &Path, platforms: &[String]) -> ExitCode {
    let mut ws = match crate::driver::find_workspace(start_of(file)) {
        Ok(ws) => ws,
        Err(failure) => return report(failure),
    };
    ws.overrides
        .extend(crate::config::overrides::platforms(platforms));
    let mut failed = 0;
    let members: Vec<&crate::workspace::Member> = ws.members.iter().collect();
    for result in crate::driver::render_members(&ws, &members) {
        match result {
            Ok(outputs) => warn(&outputs),
            Err(failure) => {
                failed += 1;
                report(failure);
            }
        }
    }
    members_summary(&ws, failed, "ok")
}

fn members_summary(ws: &crate::workspace::Workspace, failed: usize, ok: &str) -> ExitCode {
    let n = ws.members.len();
    if failed > 0 {
        say(&format!(
            "error: {failed} of {n} {} of `{}` {} errors\n",
            if n == 1 { "member" } else { "members" },
            ws.file.name(),
            if failed == 1 { "has" } else { "have" },
        ));
        return ExitCode::from(1);
    }
    say(&format!(
        "{}: {ok} ({n} {})\n",
        ws.file.name(),
        if n == 1 { "member" } else { "members" }
    ));
    ExitCode::SUCCESS
}

/// `dockerfile --all` (or `-p NAME --check`): every member's Dockerfile and ignore file where
/// Docker reads them; every member's problems at once, and then nothing is written.
fn dockerfile_members(
    file: &Path,
    only: Option<&str>,
    platforms: &[String],
    check: bool,
    force: bool,
) -> ExitCode {
    let mut ws = match crate::driver::find_workspace(start_of(file)) {
        Ok(ws) => ws,
        Err(failure) => return report(failure),
    };
    ws.overrides
        .extend(crate::config::overrides::platforms(platforms));
    let members: Vec<&crate::workspace::Member> = match only {
        Some(name) => match pick_member(&ws, name) {
            Ok(m) => vec![m],
            Err(failure) => return report(failure),
        },
        None => ws.members.iter().collect(),
    };
    let mut rendered = Vec::new();
    let mut failed = 0;
    for result in crate::driver::render_members(&ws, &members) {
        match result {
            Ok(outputs) => {
                warn(&outputs);
                rendered.push(outputs);
            }
            Err(failure) => {
                failed += 1;
                report(failure);
            }
        }
    }
    if failed > 0 {
        say(&format!(
            "error: {failed} of {} {} {} errors; nothing was {}\n",
            members.len(),
            if members.len() == 1 {
                "member"
            } else {
                "members"
            },
            if failed == 1 { "has" } else { "have" },
            if check { "compared" } else { "written" }
        ));
        return ExitCode::from(1);
    }
    if check {
        let mut stale = 0;
        for outputs in &rendered {
            let drifted = match crate::driver::drift(outputs) {
                Ok(d) => d,
                Err(failure) => return report(failure),
            };
            for d in &drifted {
                show_drift(d, outputs.file.name());
            }
            stale += drifted.len();
        }
        if stale > 0 {
            let again = match only {
                Some(name) => format!("-p {name}"),
                None => "--all".to_string(),
            };
            say(&format!(
                "error: {stale} generated {} out of date; run `stagegen dockerfile {again}`\n",
                if stale == 1 { "file is" } else { "files are" }
            ));
            return ExitCode::from(1);
        }
        say(&format!(
            "{} {} up to date\n",
            rendered.len(),
            if rendered.len() == 1 {
                "member is"
            } else {
                "members are"
            }
        ));
        return ExitCode::SUCCESS;
    }
    let files: Vec<(&Path, &str)> = rendered.iter().flat_map(Outputs::files).collect();
    match crate::driver::write_changed_files(files, force) {
        Ok((written, unchanged)) => {
            say(&format!(
                "wrote {} for {} {}{}\n",
                files_count(written.len()),
                rendered.len(),
                if rendered.len() == 1 {
                    "member"
                } else {
                    "members"
                },
                unchanged_note(unchanged)
            ));
            ExitCode::SUCCESS
        }
        Err(failure) => report(failure),
    }
}

/// `bake` and `compose`: the workspace's file and every member's Dockerfile and ignore file it
/// names, written all or none (or compared, with `check`).
fn workspace_file(
    file: &Path,
    kind: crate::driver::WorkspaceFile,
    check: bool,
    force: bool,
    platforms: &[String],
) -> ExitCode {
    let mut ws = match crate::driver::find_workspace(start_of(file)) {
        Ok(ws) => ws,
        Err(failure) => return report(failure),
    };
    ws.overrides
        .extend(crate::config::overrides::platforms(platforms));
    let path = crate::workspace::under(&ws.root, kind.file_name());
    let rendered = crate::driver::render_workspace(&ws, kind, path);
    for outputs in &rendered.members {
        warn(outputs);
    }
    let failed = rendered.failures.len();
    for failure in rendered.failures {
        report(failure);
    }
    let Some(own) = &rendered.file else {
        say(&format!(
            "error: {failed} of {} {} {} errors; nothing was {}\n",
            ws.members.len(),
            if ws.members.len() == 1 {
                "member"
            } else {
                "members"
            },
            if failed == 1 { "has" } else { "have" },
            if check { "compared" } else { "written" }
        ));
        return ExitCode::from(1);
    };
    let own_file = own.path.as_deref().map(|p| (p, own.text.as_str()));
    let files: Vec<(&Path, &str)> = rendered
        .members
        .iter()
        .flat_map(Outputs::files)
        .chain(own_file)
        .collect();
    let command = match kind {
        crate::driver::WorkspaceFile::Bake => "bake",
        crate::driver::WorkspaceFile::Compose => "compose",
    };
    if check {
        let drifted = match crate::driver::drift_files(files) {
            Ok(d) => d,
            Err(failure) => return report(failure),
        };
        for d in &drifted {
            show_drift(d, ws.file.name());
        }
        if !drifted.is_empty() {
            say(&format!(
                "error: {} generated {} out of date; run `stagegen {command}`\n",
                drifted.len(),
                if drifted.len() == 1 {
                    "file is"
                } else {
                    "files are"
                }
            ));
            return ExitCode::from(1);
        }
        say(&format!("{}: up to date\n", kind.file_name()));
        return ExitCode::SUCCESS;
    }
    match crate::driver::write_changed_files(files, force) {
        Ok((written, unchanged)) => {
            say(&format!(
                "wrote {} for {} {} and {}{}\n",
                files_count(written.len()),
                ws.members.len(),
                if ws.members.len() == 1 {
                    "member"
                } else {
                    "members"
                },
                kind.file_name(),
                unchanged_note(unchanged)
            ));
            ExitCode::SUCCESS
        }
        Err(failure) => report(failure),
    }
}

/// `1 file`, `N files`.
fn files_count(n: usize) -> String {
    format!("{n} {}", if n == 1 { "file" } else { "files" })
}

/// ` (N already up to date)` for files a workspace write left as they were.
fn unchanged_note(unchanged: usize) -> String {
    match unchanged {
        0 => String::new(),
        n => format!(" ({n} already up to date)"),
    }
}

/// One drifted file: its unified diff, or a line saying it is not text.
fn show_drift(d: &crate::driver::Drift, name: &str) {
    let have = d.on_disk.as_deref().unwrap_or_default();
    let shown = d.path.display();
    let on_disk = match (&d.on_disk, d.longer) {
        (None, _) => format!("{shown} (missing)"),
        (Some(_), true) => format!("{shown} (on disk, its first {} bytes)", have.len()),
        (Some(_), false) => format!("{shown} (on disk)"),
    };
    if d.binary {
        say(&format!(
            "{shown}: the file on disk is not text; stagegen would write {} lines\n",
            d.want.lines().count()
        ));
        return;
    }
    let diff = similar::TextDiff::from_lines(have, d.want.as_str());
    say(&diff
        .unified_diff()
        .header(&on_disk, &format!("{shown} (from {name})"))
        .to_string());
}

fn plural_warnings(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => ", 1 warning".to_string(),
        n => format!(", {n} warnings"),
    }
}

fn dockerfile(
    spec: &SpecArgs,
    output: Option<PathBuf>,
    target: Option<String>,
    check: bool,
    force: bool,
) -> ExitCode {
    let output = output
        .filter(|o| o.as_os_str() != "-")
        .map(|o| in_folder(o, "Dockerfile"));
    let dockerfile_path = match (&output, check) {
        (Some(o), _) => Some(o.clone()),
        (None, true) => Some(spec.dockerfile_beside()),
        (None, false) => None,
    };
    let request = RenderRequest {
        target: target.clone(),
        dockerfile: true,
        ignore: dockerfile_path.is_some(),
        dockerfile_path,
        ..RenderRequest::default()
    };
    let outputs = match spec
        .spec()
        .and_then(|spec| crate::driver::render_spec(&spec, &request))
        .and_then(denied)
    {
        Ok(o) => o,
        Err(failure) => return report(failure),
    };
    notes(&outputs);
    warn(&outputs);
    let Some(dockerfile) = &outputs.dockerfile else {
        return ExitCode::SUCCESS;
    };
    let Some(path) = &dockerfile.path else {
        return to_stdout(&dockerfile.text, 0);
    };
    if check {
        let drifted = match crate::driver::drift(&outputs) {
            Ok(d) => d,
            Err(failure) => return report(failure),
        };
        for (compared, _) in outputs.files() {
            note(&format!("compared `{}`", compared.display()));
        }
        let name = outputs.file.name();
        if term().format != Format::Json {
            for d in &drifted {
                show_drift(d, name);
            }
        }
        if !drifted.is_empty() {
            let target = match &target {
                Some(t) => format!(" --target {t}"),
                None => String::new(),
            };
            let stale: Vec<String> = drifted
                .iter()
                .map(|d| format!("`{}`", d.path.display()))
                .collect();
            let message = format!(
                "{} {} out of date with `{name}`",
                stale.join(" and "),
                if stale.len() == 1 { "is" } else { "are" },
            );
            let again = format!(
                "run `stagegen dockerfile {}{target} -o {}`",
                spec.flags(),
                path.display()
            );
            match term().format {
                Format::Human => say(&format!("error: {message}; {again}\n")),
                _ => say_error(
                    "drift",
                    &message,
                    Some(&again),
                    Some(&path.display().to_string()),
                ),
            }
            return ExitCode::from(1);
        }
        status(&format!("{}: up to date\n", path.display()));
        return ExitCode::SUCCESS;
    }
    match crate::driver::write_outputs(&outputs, force) {
        Ok(written) => {
            let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
            status(&format!("wrote {}\n", names.join(" and ")));
            ExitCode::SUCCESS
        }
        Err(failure) => report(failure),
    }
}

fn plan(spec: &SpecArgs, output: Option<PathBuf>, target: Option<String>, force: bool) -> ExitCode {
    let request = RenderRequest {
        target,
        plan: true,
        plan_path: output
            .filter(|o| o.as_os_str() != "-")
            .map(|o| in_folder(o, "plan.json")),
        ..RenderRequest::default()
    };
    let outputs = match spec
        .spec()
        .and_then(|spec| crate::driver::render_spec(&spec, &request))
        .and_then(denied)
    {
        Ok(o) => o,
        Err(failure) => return report(failure),
    };
    notes(&outputs);
    warn(&outputs);
    let Some(plan) = &outputs.plan else {
        return ExitCode::SUCCESS;
    };
    if plan.path.is_none() {
        return to_stdout(&plan.text, 0);
    }
    match crate::driver::write_outputs(&outputs, force) {
        Ok(written) => {
            for path in written {
                status(&format!("wrote {}\n", path.display()));
            }
            ExitCode::SUCCESS
        }
        Err(failure) => report(failure),
    }
}

/// `plan --explain`: the origin of each value, on stdout; warnings on stderr as usual.
fn explain_plan(spec: &SpecArgs) -> ExitCode {
    use crate::config::provenance::{render_human, render_json};
    let explained = spec
        .spec()
        .and_then(|spec| crate::driver::explain_spec(&spec));
    let (provenance, file, warnings) = match explained {
        Ok(e) => e,
        Err(failure) => return report(failure),
    };
    let diagnostics = promoted(warnings);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return report(Failure::Invalid { file, diagnostics });
    }
    if !diagnostics.is_empty() && !term().quiet {
        say_diagnostics(&file, &diagnostics);
    }
    match term().format {
        Format::Json => to_stdout(&render_json(&provenance), 0),
        Format::Human | Format::Github => to_stdout(&render_human(&provenance), 0),
    }
}

fn lock(request: &crate::lock_command::LockRequest) -> ExitCode {
    match crate::lock_command::lock(request) {
        Ok(done) => lock_done(request, &done),
        Err(failure) => report(failure),
    }
}

/// `stagegen lock --all`: each member's lines, then how many failed (exit 1 when one did).
fn lock_members(request: &crate::lock_command::LockRequest) -> ExitCode {
    let results = match crate::lock_command::lock_all(request, start_of(&request.file)) {
        Ok(results) => results,
        Err(failure) => return report(failure),
    };
    let total = results.len();
    let mut failed = 0;
    for (_, result) in results {
        match result {
            Ok(done) => {
                lock_done(request, &done);
            }
            Err(failure) => {
                failed += 1;
                report(failure);
            }
        }
    }
    if failed == 0 {
        return ExitCode::SUCCESS;
    }
    say(&format!(
        "error: {failed} of {total} {} could not be {}\n",
        if total == 1 { "member" } else { "members" },
        if request.check { "checked" } else { "locked" }
    ));
    ExitCode::from(1)
}

/// What one `stagegen lock` did, said.
fn lock_done(
    request: &crate::lock_command::LockRequest,
    done: &crate::lock_command::LockDone,
) -> ExitCode {
    let shown = done.path.display();
    for image in &done.skipped {
        say(&format!(
            "note: `{image}` names a build argument and is not locked\n"
        ));
    }
    if request.check {
        say(&format!("{shown}: up to date\n"));
        return ExitCode::SUCCESS;
    }
    for (image, locked) in &done.resolved {
        say(&format!(
            "locked `{image}` to {} (from {})\n",
            locked.digest, locked.from
        ));
    }
    for image in &done.dropped {
        say(&format!("dropped `{image}`: the spec no longer uses it\n"));
    }
    if done.written {
        say(&format!("wrote {shown}\n"));
    } else {
        say(&format!("{shown}: up to date\n"));
    }
    ExitCode::SUCCESS
}

fn build(request: &crate::build::BuildRequest) -> ExitCode {
    let quiet_announce = request.progress == crate::engine::Progress::Json;
    let mut announce = |text: &str| {
        if !quiet_announce {
            say(text);
        }
    };
    let mut show = |text: &str| say(text);
    match crate::build::build(request, &mut announce, &mut show) {
        Ok(built) => {
            if let Some((file, warnings)) = &built.warnings {
                if !warnings.is_empty() {
                    say_diagnostics(file, warnings);
                }
            }
            if !quiet_announce {
                say(&format!("built with {}\n", built.engine));
            }
            ExitCode::SUCCESS
        }
        Err(failure) => report(failure),
    }
}

fn init(dir: &Path, request: &crate::init::InitRequest, stdout: bool, force: bool) -> ExitCode {
    let destination = if stdout {
        InitDestination::Stdout
    } else {
        InitDestination::File { force }
    };
    let done = match crate::driver::init_app(dir, request, destination) {
        Ok(done) => done,
        Err(failure) => return report(failure),
    };
    for line in &done.output.summary {
        status(&format!("found: {line}\n"));
    }
    match &done.written {
        None => to_stdout(&done.output.text, 0),
        Some(path) => {
            if let Some(schema) = &done.schema_written {
                status(&format!(
                    "wrote {} (the editor schema the `#:schema` line names)\n",
                    schema.display()
                ));
            }
            if let Some(stale) = &done.stale_schema {
                stale_schema_note(stale);
            }
            status(&format!(
                "wrote {} ({} preset); next: stagegen dockerfile -f {}\n",
                path.display(),
                done.output.preset,
                path.display()
            ));
            ExitCode::SUCCESS
        }
    }
}

fn stale_schema_note(stale: &Path) {
    status(&format!(
        "note: the editor schema {} is another stagegen's: `stagegen schema install` in its project refreshes it\n",
        stale.display()
    ));
}

/// `stagegen schema install`.
fn schema_install(dir: &Path, force: bool) -> ExitCode {
    if !dir.is_dir() {
        return report(Failure::Usage {
            message: format!("`{}` is not a folder", dir.display()),
            help: Some(
                "name the project's root: `stagegen schema install path/to/project`".to_string(),
            ),
        });
    }
    match crate::schema::install::install(dir, force) {
        Err(e) => report(Failure::Output(e)),
        Ok(installed) => {
            for path in &installed.written {
                status(&format!("wrote {}\n", path.display()));
            }
            if let Some(kept) = &installed.kept_taplo_config {
                status(&format!(
                    "kept {} (stagegen did not write it; `--force` replaces it): for files without a `#:schema` line, add\n\n{}\n",
                    kept.display(),
                    crate::schema::install::taplo_config_text()
                        .lines()
                        .filter(|l| !l.starts_with('#'))
                        .collect::<Vec<_>>()
                        .join("\n")
                        .trim()
                ));
            }
            status("next: `#:schema ./.stagegen/build.schema.json` as the first line of a build.toml here (`stagegen init` writes it)\n");
            ExitCode::SUCCESS
        }
    }
}

/// `-v`: what was read and what was made of it.
fn notes(outputs: &Outputs) {
    note(&format!(
        "read `{}` ({} bytes)",
        outputs.file.name(),
        outputs.file.part_range(0).len()
    ));
    note(&format!("build context `{}`", outputs.context.display()));
    note(&format!(
        "{} {}: {}",
        outputs.stages,
        if outputs.stages == 1 {
            "stage"
        } else {
            "stages"
        },
        outputs.stage_names.join(", ")
    ));
}

/// Print the warnings of a run that succeeded, unless `-q`.
fn warn(outputs: &Outputs) {
    if !outputs.warnings.is_empty() && !term().quiet {
        say_diagnostics(&outputs.file, &outputs.warnings);
    }
}

/// Print why the run failed; the exit code that says so.
fn report(failure: Failure) -> ExitCode {
    match failure {
        Failure::Invalid { file, diagnostics } => {
            let diagnostics = promoted(diagnostics);
            say_diagnostics(&file, &diagnostics);
            if term().format != Format::Json {
                say(&format!(
                    "error: `{}` has {}\n",
                    file.name(),
                    crate::diagnostics::summary(&diagnostics)
                ));
            }
            ExitCode::from(1)
        }
        Failure::UnknownTarget {
            target,
            spec,
            stages,
            suggestion,
        } => {
            let hint = match suggestion {
                Some(s) => format!("did you mean `{s}`? "),
                None => String::new(),
            };
            say_error(
                "unknown-target",
                &format!("--target `{target}` is not a stage of `{spec}`"),
                Some(&format!("{hint}the stages are: {}", stages.join(", "))),
                Some(&spec),
            );
            ExitCode::from(2)
        }
        Failure::Usage { message, help } => {
            say_error("usage-error", &message, help.as_deref(), None);
            ExitCode::from(2)
        }
        Failure::Init { dir, diagnostics } => {
            let file = SourceFile::new(dir, "");
            say_diagnostics(&file, &diagnostics);
            ExitCode::from(1)
        }
        Failure::Io(message) => {
            say_error("io-error", &message, None, None);
            ExitCode::from(2)
        }
        Failure::Output(e) => {
            say_error("output-error", &e.message, e.help.as_deref(), None);
            ExitCode::from(2)
        }
        Failure::Problem { message, help } => {
            say(&with_help(&message, Some(&help)));
            ExitCode::from(1)
        }
        Failure::BadPlan(e) => {
            say(&format!(
                "error: {}: {}\nhelp: {}\n",
                e.place, e.message, e.help
            ));
            ExitCode::from(1)
        }
        Failure::Build(e) => {
            let (message, help) = crate::build::describe_failure(&e);
            say(&with_help(&message, Some(&help)));
            match *e {
                crate::engine::EngineError::Unavailable { .. } => ExitCode::from(2),
                crate::engine::EngineError::Failed { .. } => ExitCode::from(1),
            }
        }
    }
}

/// An error that is not about a place in the spec (a file that cannot be read, a flag that
/// cannot be used, a stale Dockerfile), in the format asked for: for JSON, an array of one
/// object shaped as a diagnostic's, with `code` null and `name` saying what kind it is.
fn say_error(kind: &str, message: &str, help: Option<&str>, file: Option<&str>) {
    match term().format {
        Format::Human => say(&with_help(message, help)),
        Format::Json => {
            let item = serde_json::json!([{
                "code": null,
                "name": kind,
                "severity": "error",
                "message": message,
                "file": file,
                "primary": null,
                "secondary": [],
                "help": help,
            }]);
            json_items(item);
        }
        Format::Github => {
            let mut properties = Vec::new();
            if let Some(file) = file {
                properties.push(("file", file.to_string()));
            }
            properties.push(("title", format!("stagegen {kind}")));
            say(&crate::diagnostics::github_annotation(
                "error",
                &properties,
                message,
                help,
            ));
        }
    }
}

/// `--deny`: each value is `warnings` or the code of a warning.
fn check_deny(deny: &[String]) -> Result<(), Failure> {
    for lint in deny {
        if lint == "warnings" {
            continue;
        }
        match crate::driver::find_code(lint) {
            Some(code) if crate::diagnostics::codes::is_warning(code) => {}
            Some(code) => {
                return Err(Failure::Usage {
                    message: format!("`--deny {lint}`: `{}` is an error already", code.id),
                    help: Some(deny_help()),
                })
            }
            None => {
                return Err(Failure::Usage {
                    message: format!("`--deny {lint}`: no warning has this code"),
                    help: Some(deny_help()),
                })
            }
        }
    }
    Ok(())
}

fn deny_help() -> String {
    let warnings: Vec<String> = crate::diagnostics::codes::WARNINGS
        .iter()
        .map(|c| format!("`{}` ({})", c.id, c.name))
        .collect();
    format!(
        "pass `--deny warnings`, or the code of a warning: {}",
        warnings.join(", ")
    )
}

/// `diagnostics` with the warnings `--deny` names made errors.
fn promoted(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let deny = &term().deny;
    for d in &mut diagnostics {
        let named = deny
            .iter()
            .any(|l| l == "warnings" || l.eq_ignore_ascii_case(d.code.id) || l == d.code.name);
        if !d.is_error() && named {
            d.severity = crate::diagnostics::Severity::Error;
            let why = "`--deny` makes this warning an error";
            d.help = Some(match d.help.take() {
                Some(help) => format!("{help}\n{why}"),
                None => why.to_string(),
            });
        }
    }
    diagnostics
}

/// A run that succeeded with warnings `--deny` names fails, before anything is written.
fn denied(outputs: Outputs) -> Result<Outputs, Failure> {
    let diagnostics = promoted(outputs.warnings.clone());
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Failure::Invalid {
            file: outputs.file,
            diagnostics,
        });
    }
    Ok(outputs)
}

fn with_help(message: &str, help: Option<&str>) -> String {
    match help {
        Some(help) => format!("error: {message}\nhelp: {help}\n"),
        None => format!("error: {message}\n"),
    }
}

/// Write a message to stderr, with every control character that is not layout escaped. Nothing
/// is left to tell when stderr itself cannot be written, so that is not an error.
fn say(text: &str) {
    let _ = std::io::stderr()
        .lock()
        .write_all(escape_controls(text).as_bytes());
}

/// A status line (`ok`, `wrote ...`, `found: ...`): not printed with `-q`.
fn status(text: &str) {
    if !term().quiet && term().format != Format::Json {
        say(text);
    }
}

/// A `note:` line, printed only with `-v`.
fn note(text: &str) {
    if term().verbose && term().format != Format::Json {
        say(&format!("note: {text}\n"));
    }
}

/// Diagnostics rendered for people, coloured when [`Term::color`]. The renderer makes every
/// piece of user text safe itself, so its output (colours included) is written as it is.
fn say_diagnostics(file: &SourceFile, diagnostics: &[Diagnostic]) {
    let text = match term().format {
        Format::Human => render_human_styled(file, diagnostics, term().color),
        Format::Json => {
            json_items(serde_json::from_str(&render_json(file, diagnostics)).unwrap_or_default());
            return;
        }
        Format::Github => {
            escape_controls(&crate::diagnostics::render_github(file, diagnostics)).into_owned()
        }
    };
    say_raw(&text);
}

/// With `--format json`, what stderr will hold: one array, written once the command is done
/// ([`flush_json`]), so that warnings and an error of one run are one JSON document.
static JSON_ITEMS: std::sync::Mutex<Vec<serde_json::Value>> = std::sync::Mutex::new(Vec::new());

fn json_items(items: serde_json::Value) {
    if let (serde_json::Value::Array(items), Ok(mut all)) = (items, JSON_ITEMS.lock()) {
        all.extend(items);
    }
}

fn flush_json() {
    let items = match JSON_ITEMS.lock() {
        Ok(mut all) => std::mem::take(&mut *all),
        Err(_) => return,
    };
    if !items.is_empty() {
        let text = serde_json::to_string_pretty(&items).unwrap_or_default();
        say_raw(&format!("{text}\n"));
    }
}

/// Write text that is safe already (rendered diagnostics, JSON) to stderr as it is.
fn say_raw(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

fn print_stdout(text: &str) -> ExitCode {
    to_stdout(text, 0)
}

/// Write data to stdout and return `code`, or 2 with a message when stdout cannot take it (a
/// full disk, a closed file). A reader that closed the pipe early (`| head`) is not an error:
/// it had what it wanted.
fn to_stdout(text: &str, code: u8) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::from(code),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::from(code),
        Err(e) => {
            say(&format!(
                "error: cannot write to stdout: {}\n",
                crate::output::io_reason(&e)
            ));
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What clap reads of a command line, as `parse` would without the simple path; `None` for
    /// a usage error (or help).
    fn by_clap(args: &[&str]) -> Option<String> {
        use clap::FromArgMatches as _;
        let matches = Cli::command().try_get_matches_from(args).ok()?;
        Cli::from_arg_matches(&matches)
            .ok()
            .map(|cli| format!("{cli:?}"))
    }

    #[test]
    fn the_simple_path_reads_as_clap_does() {
        let mut lines: Vec<Vec<&str>> = Vec::new();
        let flags: &[&[&str]] = &[
            &[],
            &["-f", "examples/go-http/build.toml"],
            &["--file", "app/build.toml"],
            &["-f", "-"],
            &["-o", "Dockerfile"],
            &["--output", "-"],
            &["-q"],
            &["--quiet"],
            &["-f", "a.toml", "-o", "out", "-q"],
            &["-q", "-o", "out", "--file", "a.toml"],
            // clap's usage errors, or forms the simple path leaves to clap
            &["-f"],
            &["-f", ""],
            &["-f", "-x"],
            &["-f", "--quiet"],
            &["-f", "a", "-f", "b"],
            &["-o", "a", "--output", "b"],
            &["-q", "-q"],
            &["-q", "--quiet"],
            &["-fa.toml"],
            &["--file=a.toml"],
            &["-v"],
            &["-qv"],
            &["-f", "a", "--"],
            &["-f", "a", "extra"],
            &["--help"],
            &["-h"],
            &["--version"],
            &["--target", "test"],
            &["--color", "never"],
        ];
        for command in [
            "dockerfile",
            "check",
            "plan",
            "bake",
            "lock",
            "init",
            "-q",
            "--version",
        ] {
            for flags in flags {
                let mut line = vec!["stagegen", command];
                line.extend_from_slice(flags);
                lines.push(line);
            }
        }
        lines.push(vec!["stagegen"]);
        let mut simple = 0;
        for line in &lines {
            let args: Vec<std::ffi::OsString> = line.iter().map(Into::into).collect();
            let Some(cli) = parse_simple(&args) else {
                continue;
            };
            simple += 1;
            assert_eq!(Some(format!("{cli:?}")), by_clap(line), "{line:?}");
        }
        assert_eq!(simple, 3 * 10 - 4, "the lines the simple path reads");
    }

    #[cfg(unix)]
    #[test]
    fn a_file_name_that_is_not_utf8_goes_to_clap() {
        use std::os::unix::ffi::OsStringExt as _;
        let args = ["stagegen", "dockerfile", "-f"]
            .into_iter()
            .map(std::ffi::OsString::from)
            .chain([std::ffi::OsString::from_vec(vec![0x66, 0xff])])
            .collect::<Vec<_>>();
        assert!(parse_simple(&args).is_none());
    }
}
