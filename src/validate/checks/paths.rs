//! SG207 path-escapes-context: a context path (a `copy` source, an `input`) that leaves the build
//! context. SG208 relative-container-path: a container path that must be absolute (a `workdir`,
//! a cache or secret target, a `copy` destination in a stage without `workdir`, `[frontend]`'s
//! `to`); `[frontend]`'s `dir` and `output` must stay inside the context.

use crate::diagnostics::{codes, Diagnostic};
use crate::validate::checks::{settings, steps};
use crate::validate::Cx;

/// True when a context-relative path stays inside the context.
pub(crate) fn stays_inside(path: &str) -> bool {
    if path.starts_with('/') || path.starts_with('\\') || path.contains(":\\") {
        return false;
    }
    let mut depth: i64 = 0;
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => depth += 1,
        }
    }
    true
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    for (pointer, step, stage) in steps(cx) {
        let from_context = step.from.is_none() && step.image.is_none();
        if let (Some(paths), true) = (&step.copy, from_context) {
            for (k, p) in paths.iter().enumerate() {
                if !stays_inside(p) {
                    out.push(escapes(cx, &format!("{pointer}/copy/{k}"), p));
                }
            }
        }
        for (k, p) in step.inputs.iter().enumerate() {
            if !stays_inside(p) {
                out.push(escapes(cx, &format!("{pointer}/inputs/{k}"), p));
            }
        }
        for (k, c) in step.cache.iter().enumerate() {
            if !c.starts_with('/') {
                out.push(relative(
                    cx,
                    &format!("{pointer}/cache/{k}"),
                    c,
                    "a cache folder",
                ));
            }
        }
        if let Some(to) = &step.to {
            let has_workdir = match stage {
                None => true, // the preset's runtime stage always has a workdir
                Some(i) => stage_has_workdir(cx, i),
            };
            if !to.is_empty() && !to.starts_with('/') && !has_workdir {
                out.push(
                    relative(
                        cx,
                        &format!("{pointer}/to"),
                        to,
                        "a copy destination in a stage without `workdir`",
                    )
                    .help("write an absolute path, or set `workdir` on the stage"),
                );
            }
        }
    }
    for (pointer, s) in settings(cx) {
        if let Some(w) = &s.workdir {
            if !w.starts_with('/') {
                out.push(relative(cx, &format!("{pointer}/workdir"), w, "`workdir`"));
            }
        }
    }
    if let Some(f) = &cx.build.frontend {
        if !stays_inside(&f.dir) {
            out.push(escapes(cx, "/frontend/dir", &f.dir));
        }
        if !f.to.starts_with('/') {
            out.push(relative(
                cx,
                "/frontend/to",
                &f.to,
                "the `[frontend]` destination",
            ));
        }
        if let Some(o) = &f.output {
            if !stays_inside(o) {
                out.push(escapes(cx, "/frontend/output", o));
            }
        }
    }
    for (id, secret) in &cx.build.secrets {
        if let Some(t) = &secret.target {
            if !t.starts_with('/') {
                out.push(relative(
                    cx,
                    &format!("{}/target", crate::config::pointer_join("/secrets", id)),
                    t,
                    "a secret's target",
                ));
            }
        }
    }
}

/// A stage has a workdir when it sets one or starts from a stage that has one.
fn stage_has_workdir(cx: &Cx<'_>, i: usize) -> bool {
    let mut seen = 0;
    let mut current = Some(i);
    while let Some(idx) = current {
        let stage = &cx.build.stage[idx];
        if stage.settings.workdir.is_some() {
            return true;
        }
        seen += 1;
        if seen > cx.build.stage.len() {
            return false;
        }
        current = match &stage.from {
            Some(from) if crate::validate::checks::preset_stages(cx).contains(&from.as_str()) => {
                return true
            }
            Some(from) => cx.build.stage.iter().position(|s| &s.name == from),
            None => None,
        };
    }
    false
}

fn escapes(cx: &Cx<'_>, pointer: &str, path: &str) -> Diagnostic {
    Diagnostic::error(codes::PATH_ESCAPES_CONTEXT, format!("`{path}` is outside the build context"))
        .at(cx.doc.value_span(pointer), "leaves the context")
        .help("a build only sees files inside its context; use a path relative to the context, or move `context` up")
}

fn relative(cx: &Cx<'_>, pointer: &str, path: &str, what: &str) -> Diagnostic {
    Diagnostic::error(
        codes::RELATIVE_CONTAINER_PATH,
        format!("`{path}` must be an absolute path: it is {what} inside the container"),
    )
    .at(cx.doc.value_span(pointer), "not absolute")
    .help(format!("write `/{}`", path.trim_start_matches("./")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_paths() {
        assert!(stays_inside("."));
        assert!(stays_inside("a/../b"));
        assert!(stays_inside("src/*.go"));
        assert!(!stays_inside("../x"));
        assert!(!stays_inside("a/../../x"));
        assert!(!stays_inside("/etc/passwd"));
        assert!(!stays_inside("C:\\x"));
    }
}
