//! The Dockerfile emitter: IR -> a readable, hadolint-clean multi-stage Dockerfile. Pure and
//! deterministic: same graph, same bytes. Every user value goes through [`super::escape`].

use std::fmt::Write as _;

use crate::emit::escape::{
    comment, copy_paths, flag, fold_long_lines, json_array, mount, quoted, run_form, word, RunForm,
};
use crate::emit::GENERATED_MARK;
use crate::ir::{
    Base, BuildGraph, CacheSharing, Command, Copy, CopySource, Mount, Protocol, Run, Stage,
    StagePlatform, Step,
};

/// The Dockerfile syntax the output needs (cache and secret mounts need 1.2; we ask for the
/// current 1.x, as `docker init` does).
const SYNTAX: &str = "docker/dockerfile:1";

/// Render `graph`. `source_name` is the spec's file name, quoted in the header.
pub fn render(graph: &BuildGraph, source_name: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# syntax={SYNTAX}");
    let _ = writeln!(
        out,
        "# {GENERATED_MARK} from {}: edit that file, then run `stagegen dockerfile -o Dockerfile`.",
        comment(source_name)
    );
    for stage in &graph.stages {
        out.push('\n');
        render_stage(&mut out, graph, stage);
    }
    fold_long_lines(&out)
}

fn render_stage(out: &mut String, graph: &BuildGraph, stage: &Stage) {
    for line in stage.description.lines() {
        let _ = writeln!(out, "# {}: {}", stage.name, comment(line));
    }
    let base = match &stage.base {
        Base::Image(image) => word(image),
        Base::Stage(name) => word(name),
    };
    let platform = match stage.platform {
        StagePlatform::Target => "",
        StagePlatform::Build => "--platform=$BUILDPLATFORM ",
    };
    let _ = writeln!(out, "FROM {platform}{base} AS {}", word(&stage.name));
    for name in &stage.args {
        match graph.args.iter().find(|a| &a.name == name) {
            Some(arg) => {
                let _ = writeln!(out, "ARG {}={}", arg.name, quoted(&arg.default));
            }
            None => {
                let _ = writeln!(out, "ARG {name}");
            }
        }
    }
    if let Some(dir) = &stage.workdir {
        let _ = writeln!(out, "WORKDIR {}", word(dir));
    }
    if !stage.env.is_empty() {
        let pairs: Vec<String> = stage
            .env
            .iter()
            .map(|(k, v)| format!("{k}={}", quoted(v)))
            .collect();
        let _ = writeln!(out, "ENV {}", pairs.join(" \\\n    "));
    }
    if let Some(user) = &stage.build_user {
        let _ = writeln!(out, "USER {}", word(user));
    }
    for step in &stage.steps {
        match step {
            Step::Run(run) => render_run(out, graph, run),
            Step::Copy(copy) => render_copy(out, copy),
        }
    }
    let image = &stage.image;
    if let Some(user) = &image.user {
        let _ = writeln!(out, "USER {}", word(user));
    }
    if !image.ports.is_empty() {
        let ports: Vec<String> = image
            .ports
            .iter()
            .map(|p| match p.protocol {
                Protocol::Tcp => p.number.to_string(),
                Protocol::Udp => format!("{}/udp", p.number),
            })
            .collect();
        let _ = writeln!(out, "EXPOSE {}", ports.join(" "));
    }
    if let Some(h) = &image.healthcheck {
        let mut flags = String::new();
        for (flag, value) in [
            ("interval", &h.interval),
            ("timeout", &h.timeout),
            ("start-period", &h.start_period),
        ] {
            if let Some(v) = value {
                let _ = write!(flags, "--{flag}={} ", word(v));
            }
        }
        if let Some(r) = h.retries {
            let _ = write!(flags, "--retries={r} ");
        }
        let _ = writeln!(out, "HEALTHCHECK {flags}CMD {}", json_array(&h.cmd));
    }
    if !image.labels.is_empty() {
        let pairs: Vec<String> = image
            .labels
            .iter()
            .map(|(k, v)| format!("{}={}", word(k), quoted(v)))
            .collect();
        let _ = writeln!(out, "LABEL {}", pairs.join(" \\\n      "));
    }
    if let Some(ep) = &image.entrypoint {
        let _ = writeln!(out, "ENTRYPOINT {}", json_array(ep));
    }
    if let Some(cmd) = &image.cmd {
        let _ = writeln!(out, "CMD {}", json_array(cmd));
    }
}

fn render_run(out: &mut String, graph: &BuildGraph, run: &Run) {
    let mut lines: Vec<String> = run.mounts.iter().map(|m| mount_flag(graph, m)).collect();
    match run.commands.as_slice() {
        [Command::Shell(s)] => lines.push(match run_form(s) {
            RunForm::Shell(s) | RunForm::Exec(s) => s,
        }),
        [Command::Exec(words)] => lines.push(json_array(words)),
        commands => match joined_lines(commands) {
            Some(joined) => lines.extend(joined),
            // One script, same semantics: the commands one after another in one shell (braces,
            // not subshells: a step's commands share their shell), stopping at the first failure.
            None => {
                let script: Vec<String> = commands
                    .iter()
                    .map(|c| match c {
                        Command::Shell(s) if s.ends_with('\\') => format!("{{\n{s}\n\n}}"),
                        Command::Shell(s) => format!("{{\n{s}\n}}"),
                        Command::Exec(words) => words
                            .iter()
                            .map(|w| crate::shell::shell_quote(w))
                            .collect::<Vec<_>>()
                            .join(" "),
                    })
                    .collect();
                lines.push(json_array(&[
                    "/bin/sh".into(),
                    "-c".into(),
                    script.join(" && "),
                ]));
            }
        },
    }
    let _ = writeln!(out, "RUN {}", lines.join(" \\\n    "));
}

/// Several shell commands in shell form, one per line: `a`, `&& b`, `&& { c || d; }`. `None`
/// when one of them cannot be on such a line.
fn joined_lines(commands: &[Command]) -> Option<Vec<String>> {
    commands
        .iter()
        .enumerate()
        .map(|(i, c)| match c {
            Command::Shell(s) if crate::shell::is_simple_line(s) => {
                let operand = crate::shell::syntax::and_operand(s, i == 0)?;
                Some(if i == 0 {
                    operand
                } else {
                    format!("&& {operand}")
                })
            }
            _ => None,
        })
        .collect()
}

fn mount_flag(graph: &BuildGraph, mount_: &Mount) -> String {
    match mount_ {
        Mount::Cache {
            target,
            id,
            sharing,
        } => {
            let mut fields = vec![("type", "cache"), ("target", target.as_str())];
            if let Some(id) = id {
                fields.push(("id", id));
            }
            if *sharing == CacheSharing::Locked {
                fields.push(("sharing", "locked"));
            }
            mount(&fields)
        }
        Mount::Secret {
            id,
            target,
            required,
        } => {
            let mut fields = vec![("type", "secret"), ("id", id.as_str())];
            let declared = graph.secrets.iter().find(|s| &s.id == id);
            let target = target.as_ref().or(declared.and_then(|d| d.target.as_ref()));
            if let Some(t) = target {
                fields.push(("target", t));
            }
            if *required {
                fields.push(("required", "true"));
            }
            mount(&fields)
        }
    }
}

fn render_copy(out: &mut String, copy: &Copy) {
    let mut flags = String::new();
    match &copy.source {
        CopySource::Context => {}
        CopySource::Stage(name) | CopySource::Image(name) => {
            let _ = write!(flags, "{} ", flag("from", name));
        }
    }
    if let Some(owner) = &copy.chown {
        let _ = write!(flags, "{} ", flag("chown", owner));
    }
    let _ = writeln!(out, "COPY {flags}{}", copy_paths(&copy.paths, &copy.dest));
}
