//! The command line: clap types and the commands, which talk only to the driver and the
//! emitters. Data goes to stdout, everything else to stderr. Exit codes: 0 ok, 1 problems in
//! the user's input (or `--check` drift), 2 usage or I/O errors.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diagnostics::{render_human, render_json};
use crate::driver::{compile, load, CompileOptions, Compiled, Failure};
use crate::emit;
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
        after_help = "Examples:\n  stagegen dockerfile | DOCKER_BUILDKIT=1 docker build -f - .\n  stagegen dockerfile -o Dockerfile          # also writes .dockerignore beside it\n  stagegen dockerfile -o Dockerfile --check  # CI: exit 1 and show a diff when it drifted\n  stagegen dockerfile --target test | DOCKER_BUILDKIT=1 docker build -f - ."
    )]
    Dockerfile {
        /// The build spec
        #[arg(short, long, default_value = "build.toml")]
        file: PathBuf,
        /// Write here (and `.dockerignore` beside it) instead of stdout; `-` is stdout
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Build this stage: keep only the stages it needs, and put it last
        #[arg(long)]
        target: Option<String>,
        /// Compare with the files on disk instead of writing; exit 1 with a diff when they differ
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
    let result = load(file)
        .and_then(|loaded| crate::driver::compile_loaded(loaded, &CompileOptions::default()));
    match result {
        Ok(compiled) => {
            let warnings = &compiled.loaded.warnings;
            match format {
                Format::Human => {
                    eprint!("{}", render_human(&compiled.loaded.file, warnings));
                    eprintln!(
                        "{}: ok ({} stages{})",
                        file.display(),
                        compiled.graph.stages.len(),
                        plural_warnings(warnings.len())
                    );
                }
                Format::Json => {
                    let _ = std::io::stdout()
                        .write_all(render_json(&compiled.loaded.file, warnings).as_bytes());
                }
            }
            ExitCode::SUCCESS
        }
        Err(Failure::Invalid {
            file: source,
            diagnostics,
        }) if format == Format::Json => {
            let _ = std::io::stdout().write_all(render_json(&source, &diagnostics).as_bytes());
            ExitCode::from(1)
        }
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
    let compare_with = match (&output, check) {
        (Some(o), _) => Some(o.clone()),
        (None, true) => Some(file.parent().unwrap_or(Path::new("")).join("Dockerfile")),
        (None, false) => None,
    };
    let options = CompileOptions {
        target,
        outputs: compare_with.iter().cloned().collect(),
    };
    let compiled = match compile(file, &options) {
        Ok(c) => c,
        Err(failure) => return report(failure),
    };
    warn(&compiled);
    let name = spec_name(file);
    let text = emit::dockerfile::render(&compiled.graph, &name);
    let ignore = emit::dockerignore::render(&compiled.graph, &name);
    let Some(path) = compare_with else {
        return print_stdout(&text);
    };
    let ignore_path = path.parent().unwrap_or(Path::new("")).join(".dockerignore");
    if check {
        let mut drifted = false;
        for (p, want) in [(&path, &text), (&ignore_path, &ignore)] {
            let have = std::fs::read_to_string(p).unwrap_or_default();
            if &have != want {
                drifted = true;
                let diff = similar::TextDiff::from_lines(&have, want);
                eprint!(
                    "{}",
                    diff.unified_diff().header(
                        &format!("{} (on disk)", p.display()),
                        &format!("{} (from {name})", p.display())
                    )
                );
            }
        }
        if drifted {
            eprintln!(
                "error: `{}` is out of date with `{name}`; run `stagegen dockerfile -f {} -o {}`",
                path.display(),
                file.display(),
                path.display()
            );
            return ExitCode::from(1);
        }
        eprintln!("{}: up to date", path.display());
        return ExitCode::SUCCESS;
    }
    // Check both before writing either, so a refusal leaves nothing half-written.
    for p in [&path, &ignore_path] {
        if let Ok(existing) = std::fs::read_to_string(p) {
            if !force && !emit::is_generated(&existing) {
                eprintln!("error: refusing to overwrite `{}`: stagegen did not write it (pass `--force` to replace it)", p.display());
                return ExitCode::from(2);
            }
        }
    }
    for (p, t) in [(&path, &text), (&ignore_path, &ignore)] {
        if let Err(e) = crate::driver::write_output(p, t, force) {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    }
    eprintln!("wrote {} and {}", path.display(), ignore_path.display());
    ExitCode::SUCCESS
}

fn plan(file: &Path, output: Option<PathBuf>, target: Option<String>, force: bool) -> ExitCode {
    let output = output.filter(|o| o.as_os_str() != "-");
    let options = CompileOptions {
        target,
        outputs: output.iter().cloned().collect(),
    };
    let compiled = match compile(file, &options) {
        Ok(c) => c,
        Err(failure) => return report(failure),
    };
    warn(&compiled);
    let text = emit::plan::render(&compiled.graph);
    match output {
        None => print_stdout(&text),
        Some(path) => {
            // A plan is JSON and carries no comment: it is ours when it parses as a plan.
            let ours = std::fs::read_to_string(&path)
                .ok()
                .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
                .is_some_and(|v| v.get("plan-version").is_some());
            if path.exists() && !ours && !force {
                eprintln!("error: refusing to overwrite `{}`: it is not a stagegen plan (pass `--force` to replace it)", path.display());
                return ExitCode::from(2);
            }
            match crate::driver::write_output(&path, &text, true) {
                Ok(()) => {
                    eprintln!("wrote {}", path.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

fn init(dir: &Path, request: &crate::init::InitRequest, stdout: bool, force: bool) -> ExitCode {
    if !dir.is_dir() {
        eprintln!("error: `{}` is not a folder", dir.display());
        return ExitCode::from(2);
    }
    let path = dir.join("build.toml");
    if !stdout && path.exists() && !force {
        eprintln!(
            "error: `{}` exists: pass `--force` to replace it, or `--stdout` to print",
            path.display()
        );
        return ExitCode::from(2);
    }
    let output = match crate::driver::init_app(dir, request) {
        Ok(o) => o,
        Err(message) => {
            eprint!("{message}");
            return ExitCode::from(1);
        }
    };
    for line in &output.summary {
        eprintln!("found: {line}");
    }
    if stdout {
        return print_stdout(&output.text);
    }
    match crate::driver::write_output(&path, &output.text, true) {
        Ok(()) => {
            eprintln!(
                "wrote {} ({} preset); next: stagegen dockerfile -f {}",
                path.display(),
                output.preset,
                path.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn spec_name(file: &Path) -> String {
    file.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "build.toml".to_string())
}

fn warn(compiled: &Compiled) {
    if !compiled.loaded.warnings.is_empty() {
        eprint!(
            "{}",
            render_human(&compiled.loaded.file, &compiled.loaded.warnings)
        );
    }
}

fn report(failure: Failure) -> ExitCode {
    match failure {
        Failure::Invalid { file, diagnostics } => {
            eprint!("{}", render_human(&file, &diagnostics));
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "error: `{}` has {} {}",
                file.name(),
                errors,
                if errors == 1 { "problem" } else { "problems" }
            );
            ExitCode::from(1)
        }
        Failure::Io(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn print_stdout(text: &str) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is not an error of ours.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: cannot write to stdout: {e}");
            ExitCode::from(2)
        }
    }
}
