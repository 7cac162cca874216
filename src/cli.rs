//! The command line: clap types and the commands, which talk only to the driver. It maps the
//! driver's results to exit codes and streams: data goes to stdout, everything else to stderr,
//! made safe for a terminal ([`crate::diagnostics::escape_controls`]). Exit codes: 0 ok, 1
//! problems in the user's input (or `--check` drift), 2 usage or I/O errors, a failed write to
//! stdout among them (a reader that closed the pipe early is not one).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diagnostics::{escape_controls, render_human, render_json};
use crate::driver::{Failure, InitDestination, Outputs, RenderRequest};
use crate::schema::{schema_text, SchemaKind};

#[derive(Debug, Parser)]
#[command(
    name = "stagegen",
    version,
    about = "Compile a build.toml into an optimized multi-stage Dockerfile or a JSON build plan",
    after_help = "Example:\n  stagegen dockerfile -f examples/go-http/build.toml | DOCKER_BUILDKIT=1 docker build -f - examples/go-http"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
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
        /// The build spec
        #[arg(short, long, default_value = "build.toml")]
        file: PathBuf,
        /// How to print problems
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Print or write the Dockerfile (and its .dockerignore)
    #[command(
        after_help = "Examples:\n  stagegen dockerfile | DOCKER_BUILDKIT=1 docker build -f - .\n  stagegen dockerfile -o Dockerfile          # also writes .dockerignore\n  stagegen dockerfile -o ci/Dockerfile       # also writes ci/Dockerfile.dockerignore\n  stagegen dockerfile -o Dockerfile --check  # CI: exit 1 and show a diff when it drifted\n  stagegen dockerfile --target test | DOCKER_BUILDKIT=1 docker build -f - .\n\nThe ignore file goes where the engine reads it: `<context>/.dockerignore` for\n`<context>/Dockerfile`, else `<path>.dockerignore` beside the Dockerfile (BuildKit reads it\nfirst). `--check` compares both files. Only regular files are written, atomically and both or\nneither; a file without stagegen's header is replaced only with `--force`."
    )]
    Dockerfile {
        /// The build spec
        #[arg(short, long, default_value = "build.toml")]
        file: PathBuf,
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
    },
    /// Print or write the JSON build plan (schema: `stagegen schema plan`)
    #[command(after_help = "Example:\n  stagegen plan -f build.toml | jq '.stages[].name'")]
    Plan {
        /// The build spec
        #[arg(short, long, default_value = "build.toml")]
        file: PathBuf,
        /// Write here instead of stdout; `-` is stdout
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Plan only this stage and the stages it needs
        #[arg(long)]
        target: Option<String>,
        /// Overwrite a file that stagegen did not write
        #[arg(long)]
        force: bool,
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
        after_help = "Examples:\n  stagegen lock                 # add what is missing, drop what is no longer used\n  stagegen lock --update        # resolve every image again\n  stagegen lock --check         # CI: exit 1 when the lock is missing or stale\n  stagegen lock --offline       # digests from Docker's store (RepoDigests)\n\nDigests come from each registry's HTTP API (anonymous tokens, or the credentials of\n~/.docker/config.json). stagegen.lock sits beside build.toml."
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
        /// Toolchain version (Go, Python, Node, Java)
        #[arg(long = "version", value_name = "VERSION")]
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
    /// Print a JSON schema: `build` (of build.toml) or `plan` (of the build plan)
    #[command(
        after_help = "Example:\n  stagegen schema > schemas/build.schema.json\n\nEditors validate build.toml when its first line is `#:schema ./schemas/build.schema.json`."
    )]
    Schema {
        #[arg(value_enum, default_value_t = SchemaArg::Build)]
        which: SchemaArg,
    },
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

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SchemaArg {
    Build,
    Plan,
}

/// `--lang`'s help, listing the presets of the registry.
fn lang_help() -> String {
    format!(
        "The language (a preset: {}), when the folder holds several kinds of app",
        crate::presets::registry::names().join(", ")
    )
}

/// Run the CLI and return the exit code.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Check { file, format } => check(&file, format),
        Command::Dockerfile {
            file,
            output,
            target,
            check,
            force,
        } => dockerfile(&file, output, target, check, force),
        Command::Plan {
            file,
            output,
            target,
            force,
        } => plan(&file, output, target, force),
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
        } => lock(&crate::lock_command::LockRequest {
            file,
            update,
            check,
            offline,
            force,
        }),
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
                SchemaArg::Plan => SchemaKind::Plan,
            };
            print_stdout(&schema_text(kind))
        }
    }
}

fn check(file: &Path, format: Format) -> ExitCode {
    match crate::driver::render_file(file, &RenderRequest::default()) {
        Ok(outputs) => {
            let warnings = &outputs.warnings;
            match format {
                Format::Human => {
                    say(&render_human(&outputs.file, warnings));
                    say(&format!(
                        "{}: ok ({} stages{})\n",
                        file.display(),
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

fn plural_warnings(n: usize) -> String {
    match n {
        0 => String::new(),
        1 => ", 1 warning".to_string(),
        n => format!(", {n} warnings"),
    }
}

fn dockerfile(
    file: &Path,
    output: Option<PathBuf>,
    target: Option<String>,
    check: bool,
    force: bool,
) -> ExitCode {
    let output = output.filter(|o| o.as_os_str() != "-");
    let dockerfile_path = match (&output, check) {
        (Some(o), _) => Some(o.clone()),
        (None, true) => Some(file.parent().unwrap_or(Path::new("")).join("Dockerfile")),
        (None, false) => None,
    };
    let request = RenderRequest {
        target: target.clone(),
        dockerfile: true,
        ignore: dockerfile_path.is_some(),
        dockerfile_path,
        ..RenderRequest::default()
    };
    let outputs = match crate::driver::render_file(file, &request) {
        Ok(o) => o,
        Err(failure) => return report(failure),
    };
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
        let name = outputs.file.name();
        for d in &drifted {
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
                continue;
            }
            let diff = similar::TextDiff::from_lines(have, d.want.as_str());
            say(&diff
                .unified_diff()
                .header(&on_disk, &format!("{shown} (from {name})"))
                .to_string());
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
                "error: {} {} out of date with `{name}`; run `stagegen dockerfile -f {}{target} -o {}`\n",
                stale.join(" and "),
                if stale.len() == 1 { "is" } else { "are" },
                file.display(),
                path.display()
            ));
            return ExitCode::from(1);
        }
        say(&format!("{}: up to date\n", path.display()));
        return ExitCode::SUCCESS;
    }
    match crate::driver::write_outputs(&outputs, force) {
        Ok(written) => {
            let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
            say(&format!("wrote {}\n", names.join(" and ")));
            ExitCode::SUCCESS
        }
        Err(failure) => report(failure),
    }
}

fn plan(file: &Path, output: Option<PathBuf>, target: Option<String>, force: bool) -> ExitCode {
    let request = RenderRequest {
        target,
        plan: true,
        plan_path: output.filter(|o| o.as_os_str() != "-"),
        ..RenderRequest::default()
    };
    let outputs = match crate::driver::render_file(file, &request) {
        Ok(o) => o,
        Err(failure) => return report(failure),
    };
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
                say(&format!("wrote {}\n", path.display()));
            }
            ExitCode::SUCCESS
        }
        Err(failure) => report(failure),
    }
}

fn lock(request: &crate::lock_command::LockRequest) -> ExitCode {
    let done = match crate::lock_command::lock(request) {
        Ok(done) => done,
        Err(failure) => return report(failure),
    };
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
                    say(&render_human(file, warnings));
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
        say(&format!("found: {line}\n"));
    }
    match &done.written {
        None => to_stdout(&done.output.text, 0),
        Some(path) => {
            say(&format!(
                "wrote {} ({} preset); next: stagegen dockerfile -f {}\n",
                path.display(),
                done.output.preset,
                path.display()
            ));
            ExitCode::SUCCESS
        }
    }
}

fn warn(outputs: &Outputs) {
    if !outputs.warnings.is_empty() {
        say(&render_human(&outputs.file, &outputs.warnings));
    }
}

/// Print why the run failed; the exit code that says so.
fn report(failure: Failure) -> ExitCode {
    match failure {
        Failure::Invalid { file, diagnostics } => {
            say(&render_human(&file, &diagnostics));
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            say(&format!(
                "error: `{}` has {} {}\n",
                file.name(),
                errors,
                if errors == 1 { "problem" } else { "problems" }
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
            let file = crate::source::SourceFile::new(dir, "");
            say(&render_human(&file, &diagnostics));
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
