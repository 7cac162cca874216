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
    /// Also print `note:` lines: which file was read, the build context, the stages made, each
    /// file compared or written
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// Snippets with `file:line:col`, for people.
    Human,
    /// A JSON array, for editors and CI.
    Json,
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
        /// How to print problems
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
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
    /// Print or write the JSON build plan (schema: `stagegen schema plan`)
    #[command(after_help = "Example:\n  stagegen plan -f build.toml | jq '.stages[].name'")]
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
    /// Print a JSON schema: `build` (of build.toml), `workspace` (of stagegen.toml) or `plan` (of the build plan)
    #[command(
        after_help = "Example:\n  stagegen schema > schemas/build.schema.json\n\nEditors validate build.toml when its first line is `#:schema ./schemas/build.schema.json`."
    )]
    Schema {
        #[arg(value_enum, default_value_t = SchemaArg::Build)]
        which: SchemaArg,
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
}

impl SpecArgs {
    fn spec(&self) -> crate::driver::Spec {
        crate::driver::Spec {
            path: self.file.clone(),
            context: self.context.clone(),
        }
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
}

static TERM: OnceLock<Term> = OnceLock::new();

fn term() -> &'static Term {
    TERM.get_or_init(Term::default)
}

/// Run the CLI and return the exit code.
pub fn run(cli: Cli) -> ExitCode {
    let _ = TERM.set(Term {
        color: color::stderr_color(cli.global.color),
        quiet: cli.global.quiet,
        verbose: cli.global.verbose,
    });
    match cli.command {
        Command::Check {
            spec,
            format,
            all,
            member,
        } => {
            if all {
                return check_all(&spec.file);
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
                return dockerfile_members(&spec.file, member.as_deref(), check, force);
            }
            match spec_of(spec, member) {
                Ok(spec) => dockerfile(&spec, output, target, check, force),
                Err(failure) => report(failure),
            }
        }
        Command::Plan {
            spec,
            output,
            target,
            force,
            member,
        } => match spec_of(spec, member) {
            Ok(spec) => plan(&spec, output, target, force),
            Err(failure) => report(failure),
        },
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
        Command::Schema { which } => {
            let kind = match which {
                SchemaArg::Build => SchemaKind::Build,
                SchemaArg::Workspace => SchemaKind::Workspace,
                SchemaArg::Plan => SchemaKind::Plan,
            };
            print_stdout(&schema_text(kind))
        }
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
    match crate::driver::render_spec(&spec.spec(), &RenderRequest::default()) {
        Ok(outputs) => {
            notes(&outputs);
            let warnings = &outputs.warnings;
            match format {
                Format::Human => {
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
        }) if format == Format::Json => to_stdout(&render_json(&source, &diagnostics), 1),
        Err(failure) => report(failure),
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
fn check_all(file: &Path) -> ExitCode {
    let ws = match crate::driver::find_workspace(start_of(file)) {
        Ok(ws) => ws,
        Err(failure) => return report(failure),
    };
    let mut failed = 0;
    for member in &ws.members {
        match crate::driver::render_member(&ws, member) {
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
            "error: {failed} of {n} {} of `{}` {} problems\n",
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
fn dockerfile_members(file: &Path, only: Option<&str>, check: bool, force: bool) -> ExitCode {
    let ws = match crate::driver::find_workspace(start_of(file)) {
        Ok(ws) => ws,
        Err(failure) => return report(failure),
    };
    let members: Vec<&crate::workspace::Member> = match only {
        Some(name) => match pick_member(&ws, name) {
            Ok(m) => vec![m],
            Err(failure) => return report(failure),
        },
        None => ws.members.iter().collect(),
    };
    let mut rendered = Vec::new();
    let mut failed = 0;
    for member in &members {
        match crate::driver::render_member(&ws, member) {
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
            "error: {failed} of {} {} {} problems; nothing was {}\n",
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
    match crate::driver::write_all_outputs(&rendered, force) {
        Ok(written) => {
            say(&format!(
                "wrote {} files for {} {}\n",
                written.len(),
                rendered.len(),
                if rendered.len() == 1 {
                    "member"
                } else {
                    "members"
                }
            ));
            ExitCode::SUCCESS
        }
        Err(failure) => report(failure),
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
    let output = output.filter(|o| o.as_os_str() != "-");
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
    let outputs = match crate::driver::render_spec(&spec.spec(), &request) {
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
        for d in &drifted {
            show_drift(d, name);
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
            say(&format!(
                "error: {} {} out of date with `{name}`; run `stagegen dockerfile {}{target} -o {}`\n",
                stale.join(" and "),
                if stale.len() == 1 { "is" } else { "are" },
                spec.flags(),
                path.display()
            ));
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
        plan_path: output.filter(|o| o.as_os_str() != "-"),
        ..RenderRequest::default()
    };
    let outputs = match crate::driver::render_spec(&spec.spec(), &request) {
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

/// `-v`: what was read and what was made of it.
fn notes(outputs: &Outputs) {
    note(&format!(
        "read `{}` ({} bytes)",
        outputs.file.name(),
        outputs.file.text().len()
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
            say_diagnostics(&file, &diagnostics);
            say(&format!(
                "error: `{}` has {}\n",
                file.name(),
                crate::diagnostics::summary(&diagnostics)
            ));
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
            say(&format!(
                "error: --target `{target}` is not a stage of `{spec}`\nhelp: {hint}the stages are: {}\n",
                stages.join(", ")
            ));
            ExitCode::from(2)
        }
        Failure::Usage { message, help } => {
            say(&with_help(&message, help.as_deref()));
            ExitCode::from(2)
        }
        Failure::Init { dir, diagnostics } => {
            let file = SourceFile::new(dir, "");
            say_diagnostics(&file, &diagnostics);
            ExitCode::from(1)
        }
        Failure::Io(message) => {
            say(&format!("error: {message}\n"));
            ExitCode::from(2)
        }
        Failure::Output(e) => {
            say(&with_help(&e.message, e.help.as_deref()));
            ExitCode::from(2)
        }
    }
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
    if !term().quiet {
        say(text);
    }
}

/// A `note:` line, printed only with `-v`.
fn note(text: &str) {
    if term().verbose {
        say(&format!("note: {text}\n"));
    }
}

/// Diagnostics rendered for people, coloured when [`Term::color`]. The renderer makes every
/// piece of user text safe itself, so its output (colours included) is written as it is.
fn say_diagnostics(file: &SourceFile, diagnostics: &[Diagnostic]) {
    let text = render_human_styled(file, diagnostics, term().color);
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
