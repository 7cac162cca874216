//! SG215 unsafe-value: values that a Dockerfile line cannot hold literally. Control characters
//! (a newline would end the instruction) anywhere but in `run` and `description`, and `$` in
//! paths, where the engine would expand it as a variable.

use crate::config::pointer_join;
use crate::diagnostics::{codes, Diagnostic};
use crate::validate::checks::{settings, steps};
use crate::validate::Cx;

pub(crate) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    let mut plain: Vec<(String, &str)> = Vec::new();
    let mut paths: Vec<(String, &str)> = Vec::new();
    for (pointer, s) in settings(cx) {
        for (k, v) in &s.env {
            plain.push((pointer_join(&format!("{pointer}/env"), k), v));
        }
        for (k, v) in &s.labels {
            plain.push((pointer_join(&format!("{pointer}/labels"), k), v));
        }
        if let Some(u) = &s.user {
            plain.push((format!("{pointer}/user"), u));
        }
        if let Some(w) = &s.workdir {
            paths.push((format!("{pointer}/workdir"), w));
        }
    }
    for (k, v) in &cx.build.args {
        plain.push((pointer_join("/args", k), v));
    }
    if let Some(p) = &cx.build.preset {
        for (k, v) in &p.common.build_env {
            plain.push((pointer_join("/preset/build-env", k), v));
        }
    }
    if let Some(f) = &cx.build.frontend {
        paths.push(("/frontend/dir".to_string(), &f.dir));
        paths.push(("/frontend/to".to_string(), &f.to));
        if let Some(o) = &f.output {
            paths.push(("/frontend/output".to_string(), o));
        }
    }
    for (pointer, step, _) in steps(cx) {
        for (k, p) in step.copy.iter().flatten().enumerate() {
            paths.push((format!("{pointer}/copy/{k}"), p));
        }
        for (k, p) in step.inputs.iter().enumerate() {
            paths.push((format!("{pointer}/inputs/{k}"), p));
        }
        for (k, p) in step.cache.iter().enumerate() {
            paths.push((format!("{pointer}/cache/{k}"), p));
        }
        if let Some(to) = &step.to {
            paths.push((format!("{pointer}/to"), to));
        }
        if let Some(c) = &step.chown {
            plain.push((format!("{pointer}/chown"), c));
        }
    }
    for (id, s) in &cx.build.secrets {
        if let Some(t) = &s.target {
            paths.push((format!("{}/target", pointer_join("/secrets", id)), t));
        }
    }
    for (pointer, value) in plain.iter().chain(paths.iter()) {
        if let Some(c) = value.chars().find(|c| c.is_control()) {
            out.push(
                Diagnostic::error(
                    codes::UNSAFE_VALUE,
                    format!(
                        "this value holds a control character ({})",
                        crate::diagnostics::describe_char(c)
                    ),
                )
                .at(
                    cx.doc.value_span(pointer),
                    "cannot be written on one Dockerfile line",
                )
                .help("remove it; only `run` and `description` may span several lines"),
            );
        }
    }
    for (pointer, value) in paths {
        if value.contains('$') {
            out.push(
                Diagnostic::error(
                    codes::UNSAFE_VALUE,
                    format!("`{value}` holds `$`, which the engine would expand in a path"),
                )
                .at(
                    cx.doc.value_span(&pointer),
                    "variables are not expanded here",
                )
                .help("paths are literal: write the path itself"),
            );
        }
    }
}
