//! `stagegen build`: compile the spec (or read a plan), hand the Dockerfile and its ignore rules
//! to an engine from a temporary folder outside the build context, and run it. Nothing is
//! written into the user's tree. The pipeline part is the driver's ([`crate::driver`]); the
//! engines are [`crate::engine`]'s. Imports the driver, the emitters and the engines.

use std::path::{Path, PathBuf};

use crate::driver::{CompileOptions, Failure};
use crate::engine::{self, Choice, EngineError, Job, Output, Progress, SecretArg, SecretSource};
use crate::ir::BuildGraph;

/// What `stagegen build` was asked.
#[derive(Debug, Clone)]
pub struct BuildRequest {
    /// What to build.
    pub source: Source,
    pub target: Option<String>,
    pub engine: Choice,
    pub tags: Vec<String>,
    pub output: Output,
    pub push: bool,
    pub platforms: Vec<String>,
    pub secrets: Vec<SecretArg>,
    pub build_args: Vec<(String, String)>,
    pub no_cache: bool,
    pub progress: Progress,
}

/// What `stagegen build` builds from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A build spec (`-f build.toml`).
    Spec(PathBuf),
    /// A plan written earlier (`--plan plan.json`): its context is read from the plan's folder.
    Plan(PathBuf),
}

/// What a build did.
#[derive(Debug)]
pub struct Built {
    /// The engine's name, as picked.
    pub engine: &'static str,
    /// Every command run.
    pub commands: Vec<String>,
    /// Warnings of the spec, and the spec (none for a plan).
    pub warnings: Option<(
        crate::source::SourceFile,
        Vec<crate::diagnostics::Diagnostic>,
    )>,
}

/// A graph and the folder it builds from, ready for an engine.
struct Buildable {
    graph: BuildGraph,
    context: PathBuf,
    /// The spec's file name, for the Dockerfile's header.
    name: String,
}

/// Compile and build. `announce` hears which engine was picked before the build starts; `show`
/// receives the engine's progress lines.
pub fn build(
    request: &BuildRequest,
    announce: &mut dyn FnMut(&str),
    show: &mut dyn FnMut(&str),
) -> Result<Built, Failure> {
    check_request(request)?;
    let path = match &request.source {
        Source::Spec(path) => path,
        Source::Plan(path) => {
            let plan = crate::plan_file::read(path).map_err(|e| match e {
                Ok(io) => Failure::Io(io),
                Err(problem) => Failure::BadPlan(Box::new(problem)),
            })?;
            if let Some(target) = &request.target {
                let names: Vec<&str> = plan.graph.stages.iter().map(|s| s.name.as_str()).collect();
                if !names.contains(&target.as_str()) {
                    return Err(Failure::UnknownTarget {
                        target: target.clone(),
                        suggestion: crate::validate::did_you_mean(target, names.iter().copied())
                            .map(str::to_string),
                        stages: names.iter().map(|n| n.to_string()).collect(),
                        spec: path.display().to_string(),
                    });
                }
            }
            let buildable = Buildable {
                graph: plan.graph,
                context: plan.context,
                name: file_name(&path.display().to_string()),
            };
            let (engine, commands) = run(&buildable, request, announce, show)?;
            return Ok(Built {
                engine,
                commands,
                warnings: None,
            });
        }
    };
    let spec = crate::driver::Spec {
        path: path.clone(),
        overrides: crate::config::overrides::platforms(&request.platforms)
            .into_iter()
            .collect(),
        ..crate::driver::Spec::default()
    };
    let loaded = crate::driver::load_spec(&spec)?;
    let context = loaded.context_dir();
    let options = CompileOptions {
        target: request.target.clone(),
        ..CompileOptions::default()
    };
    let compiled = crate::driver::compile_loaded(loaded, &options)?;
    let buildable = Buildable {
        graph: compiled.graph,
        context,
        name: file_name(compiled.loaded.file.name()),
    };
    let (engine, commands) = run(&buildable, request, announce, show)?;
    Ok(Built {
        engine,
        commands,
        warnings: Some((compiled.loaded.file, compiled.loaded.warnings)),
    })
}

/// The last part of a path, for the Dockerfile's header.
fn file_name(full: &str) -> String {
    Path::new(full)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| full.to_string())
}

/// Usage errors stagegen can see before anything runs.
fn check_request(request: &BuildRequest) -> Result<(), Failure> {
    let usage = |message: String, help: &str| Failure::Usage {
        message,
        help: Some(help.to_string()),
    };
    if let Some(bad) = request
        .platforms
        .iter()
        .find(|p| !crate::validate::platform_ok(p))
    {
        return Err(usage(
            format!("`--platform {bad}` is not a platform"),
            "a platform is `os/arch` or `os/arch/variant`, e.g. `--platform linux/amd64,linux/arm64`",
        ));
    }
    if request.push && request.tags.is_empty() {
        return Err(usage(
            "`--push` needs a name to push to".to_string(),
            "name the image with `-t registry.example.com/team/app:1.0`",
        ));
    }
    for secret in &request.secrets {
        match &secret.source {
            SecretSource::File(path) if !path.is_file() => {
                return Err(usage(
                    format!(
                        "`--secret id={}`: `{}` is not a file",
                        secret.id,
                        path.display()
                    ),
                    "point `src=` at the file that holds the secret",
                ));
            }
            SecretSource::Env(var) if std::env::var_os(var).is_none() => {
                return Err(usage(
                    format!(
                        "`--secret id={}`: the environment variable `{var}` is not set",
                        secret.id
                    ),
                    "set it, or read the secret from a file with `src=PATH`",
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Every required secret of the graph must be given.
fn check_secrets(graph: &BuildGraph, given: &[SecretArg]) -> Result<(), Failure> {
    let missing: Vec<&str> = graph
        .secrets
        .iter()
        .filter(|s| s.required && !given.iter().any(|g| g.id == s.id))
        .map(|s| s.id.as_str())
        .collect();
    let Some(first) = missing.first() else {
        return Ok(());
    };
    let names: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
    Err(Failure::Usage {
        message: format!(
            "the build needs the secret{} {}, and no `--secret` gives {}",
            if missing.len() == 1 { "" } else { "s" },
            names.join(", "),
            if missing.len() == 1 { "it" } else { "them" }
        ),
        help: Some(format!(
            "pass `--secret id={first},src=PATH` or `--secret id={first},env=VAR`"
        )),
    })
}

/// Write the Dockerfile and its ignore rules to a temporary folder, pick the engine, build.
fn run(
    buildable: &Buildable,
    request: &BuildRequest,
    announce: &mut dyn FnMut(&str),
    show: &mut dyn FnMut(&str),
) -> Result<(&'static str, Vec<String>), Failure> {
    let graph = &buildable.graph;
    check_secrets(graph, &request.secrets)?;
    let dockerfile_text = crate::emit::dockerfile::render(graph, &buildable.name);
    let ignore_text = crate::emit::dockerignore::render(graph, &buildable.name);
    let io = |what: &str, e: std::io::Error| {
        Failure::Io(format!("cannot {what}: {}", crate::output::io_reason(&e)))
    };
    let scratch = tempfile::Builder::new()
        .prefix("stagegen-build-")
        .tempdir()
        .map_err(|e| io("make a temporary folder", e))?;
    let dockerfile = scratch.path().join("Dockerfile");
    let ignore_file = scratch.path().join("Dockerfile.dockerignore");
    std::fs::write(&dockerfile, dockerfile_text)
        .and_then(|()| std::fs::write(&ignore_file, ignore_text))
        .map_err(|e| io("write the Dockerfile to a temporary folder", e))?;
    let job = Job {
        dockerfile,
        ignore_file,
        context: buildable.context.clone(),
        stages: graph.stages.iter().map(|s| s.name.clone()).collect(),
        tags: request.tags.clone(),
        target: request.target.clone(),
        output: request.output.clone(),
        push: request.push,
        // `--platform`, else the plan's (the spec's `platforms`).
        platforms: if request.platforms.is_empty() {
            graph.platforms.clone()
        } else {
            request.platforms.clone()
        },
        secrets: request.secrets.clone(),
        build_args: request.build_args.clone(),
        no_cache: request.no_cache,
        progress: request.progress,
        scratch_tag: scratch_tag(),
    };
    let found = engine::Installed::probe(request.engine);
    let engine = engine::detect(request.engine, found).map_err(|e| Failure::Build(Box::new(e)))?;
    let how = if request.engine == Choice::Auto {
        ", found by `--engine auto`"
    } else {
        ""
    };
    announce(&format!(
        "building `{}` with {}{how}\n",
        graph.target,
        engine.name()
    ));
    let invocations = engine
        .invocations(&job)
        .map_err(|e| Failure::Build(Box::new(e)))?;
    let finished = engine::execute(engine.name(), &invocations, job.progress, &job.stages, show)
        .map_err(|e| Failure::Build(Box::new(e)))?;
    Ok((engine.name(), finished.commands))
}

/// A name for an image the user did not tag but that must be exported: unique to this run.
fn scratch_tag() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!("localhost/stagegen-build:{}-{nanos}", std::process::id())
}

/// How a failed build is told: the failing step, its command, its log tail, the engine's words.
pub fn describe_failure(error: &EngineError) -> (String, String) {
    match error {
        EngineError::Unavailable { message, help } => (message.clone(), help.clone()),
        EngineError::Failed {
            engine,
            command,
            code,
            step,
            tail,
        } => {
            let exit = match code {
                Some(c) => format!("exit status {c}"),
                None => "killed by a signal".to_string(),
            };
            let mut message = match step {
                Some(s) => {
                    let place = match (s.stage.as_str(), s.step.as_str()) {
                        ("", _) => String::new(),
                        (stage, "") => format!(" in stage `{stage}`"),
                        (stage, step) => format!(" at step {step} of stage `{stage}`"),
                    };
                    let mut m = format!("the build failed{place}: `{}`", s.command);
                    if !s.message.is_empty() {
                        m.push_str(&format!("\n  {}", s.message));
                    }
                    if !s.tail.is_empty() {
                        m.push_str("\n  its last lines:");
                    }
                    for line in &s.tail {
                        m.push_str(&format!("\n  | {line}"));
                    }
                    m
                }
                None => {
                    let mut m = format!("{engine} failed ({exit})");
                    if !tail.is_empty() {
                        m.push(':');
                    }
                    for line in tail {
                        m.push_str(&format!("\n  | {line}"));
                    }
                    m
                }
            };
            if step.is_none() && tail.is_empty() {
                message.push_str("; its output is above");
            }
            let help = format!("the engine ran: {command}");
            (message, help)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::progress::FailedStep;

    #[test]
    fn a_failure_names_the_step_its_command_and_its_tail() {
        let error = EngineError::Failed {
            engine: "docker (buildx)".into(),
            command: "docker buildx build .".into(),
            code: Some(1),
            step: Some(Box::new(FailedStep {
                stage: "build".into(),
                step: "3/4".into(),
                command: "RUN go build .".into(),
                message: "exit code: 1".into(),
                tail: vec!["main.go:3:1: syntax error".into()],
            })),
            tail: Vec::new(),
        };
        let (message, help) = describe_failure(&error);
        assert_eq!(
            message,
            "the build failed at step 3/4 of stage `build`: `RUN go build .`\n  exit code: 1\n  its last lines:\n  | main.go:3:1: syntax error"
        );
        assert_eq!(help, "the engine ran: docker buildx build .");
    }
}
