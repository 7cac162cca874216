//! References to stages: SG203 unknown-stage, SG204 later-stage (a stage may only use stages
//! above it), SG205 stage-cycle (a stage that needs itself, through the preset's stages too),
//! and SG206 unknown-target.

use std::collections::BTreeMap;

use crate::diagnostics::{codes, Diagnostic};
use crate::validate::checks::{preset_stages, steps};
use crate::validate::{did_you_mean, Cx};

/// A reference to a stage by name, found at `pointer`, made by stage `from_stage` (`None` for
/// the preset's runtime stage, through `[runtime]` steps).
struct Ref {
    pointer: String,
    name: String,
    from_stage: Option<usize>,
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    let preset = preset_stages(cx);
    let custom: BTreeMap<&str, usize> = cx
        .build
        .stage
        .iter()
        .enumerate()
        .rev()
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    let known: Vec<&str> = super::all_stages(cx.build);

    let mut refs: Vec<Ref> = Vec::new();
    for (i, stage) in cx.build.stage.iter().enumerate() {
        if let Some(from) = &stage.from {
            refs.push(Ref {
                pointer: format!("/stage/{i}/from"),
                name: from.clone(),
                from_stage: Some(i),
            });
        }
    }
    for (pointer, step, stage) in steps(cx) {
        if let (Some(from), Some(_)) = (&step.from, &step.copy) {
            refs.push(Ref {
                pointer: format!("{pointer}/from"),
                name: from.clone(),
                from_stage: stage,
            });
        }
    }

    let mut edges: Vec<(String, String, String)> = Vec::new();
    for r in &refs {
        let here = match r.from_stage {
            Some(i) => cx.build.stage[i].name.clone(),
            None => match &cx.build.preset {
                Some(p) => p.preset.info().runtime_stage.to_string(),
                None => continue,
            },
        };
        if r.from_stage.is_none() && cx.build.preset.is_none() {
            continue;
        }
        let target_index = custom.get(r.name.as_str()).copied();
        if !known.contains(&r.name.as_str()) {
            out.push(unknown(cx, &r.pointer, &r.name, &known));
            continue;
        }
        if let (Some(i), Some(j)) = (r.from_stage, target_index) {
            if j == i {
                out.push(
                    Diagnostic::error(
                        codes::STAGE_CYCLE,
                        format!("stage `{}` uses itself", r.name),
                    )
                    .at(
                        cx.doc.value_span(&r.pointer),
                        "a stage cannot build on its own output",
                    )
                    .help("copy from or start from an earlier stage"),
                );
                continue;
            }
            if j > i && !preset.contains(&r.name.as_str()) {
                out.push(
                    Diagnostic::error(
                        codes::LATER_STAGE,
                        format!(
                            "stage `{}` is defined after `{here}`, which uses it",
                            r.name
                        ),
                    )
                    .at(cx.doc.value_span(&r.pointer), "used here")
                    .also(
                        cx.doc.value_span(&format!("/stage/{j}/name")),
                        "defined here, later",
                    )
                    .help(format!("move stage `{}` above stage `{here}`", r.name)),
                );
                continue;
            }
        }
        edges.push((here, r.name.clone(), r.pointer.clone()));
    }
    if let Some(p) = &cx.build.preset {
        for (a, b) in p.preset.info().stage_edges {
            edges.push((a.to_string(), b.to_string(), String::new()));
        }
    }
    report_cycles(cx, &edges, out);

    if let Some(target) = &cx.build.target {
        if !known.contains(&target.as_str()) {
            let d = Diagnostic::error(
                codes::UNKNOWN_TARGET,
                format!("target `{target}` is not a stage"),
            )
            .at(cx.doc.value_span("/target"), "no stage of this name");
            out.push(with_suggestion(d, target, &known, ""));
        }
    }
}

fn unknown(cx: &Cx<'_>, pointer: &str, name: &str, known: &[&str]) -> Diagnostic {
    let d = Diagnostic::error(codes::UNKNOWN_STAGE, format!("no stage named `{name}`"))
        .at(cx.doc.value_span(pointer), "unknown stage");
    with_suggestion(
        d,
        name,
        known,
        "; to copy from an image, use `image` instead of `from`",
    )
}

fn with_suggestion(d: Diagnostic, name: &str, known: &[&str], tail: &str) -> Diagnostic {
    match did_you_mean(name, known.iter().copied()) {
        Some(m) => d.help(format!("did you mean `{m}`?")),
        None if known.is_empty() => d.help("define it with `[[stage]]`"),
        None => d.help(format!(
            "the stages are: {}{tail}",
            known
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// Report each cycle once, at a reference the user wrote.
fn report_cycles(cx: &Cx<'_>, edges: &[(String, String, String)], out: &mut Vec<Diagnostic>) {
    let mut nodes: Vec<&str> = edges
        .iter()
        .flat_map(|(a, b, _)| [a.as_str(), b.as_str()])
        .collect();
    nodes.sort();
    nodes.dedup();
    let mut reported: Vec<Vec<String>> = Vec::new();
    for start in &nodes {
        // Depth-first search for a path from `start` back to itself.
        let mut stack: Vec<(String, Vec<(String, String)>)> = vec![(start.to_string(), Vec::new())];
        let mut visited: Vec<String> = Vec::new();
        while let Some((node, path)) = stack.pop() {
            for (_, b, pointer) in edges.iter().filter(|(a, _, _)| *a == node) {
                let mut p = path.clone();
                p.push((b.clone(), pointer.clone()));
                if b == start {
                    let mut members: Vec<String> = p.iter().map(|(n, _)| n.clone()).collect();
                    members.sort();
                    if !reported.contains(&members) {
                        reported.push(members);
                        let at = p
                            .iter()
                            .rev()
                            .map(|(_, ptr)| ptr)
                            .find(|ptr| !ptr.is_empty())
                            .cloned()
                            .unwrap_or_default();
                        let mut full = vec![start.to_string()];
                        full.extend(p.iter().map(|(n, _)| n.clone()));
                        out.push(
                            Diagnostic::error(
                                codes::STAGE_CYCLE,
                                format!(
                                    "stages depend on each other in a cycle: {}",
                                    full.iter()
                                        .map(|s| format!("`{s}`"))
                                        .collect::<Vec<_>>()
                                        .join(" -> ")
                                ),
                            )
                            .at(cx.doc.value_span(&at), "closes the cycle")
                            .help(
                                "a stage can only use stages that do not use it; break the cycle",
                            ),
                        );
                    }
                } else if !visited.contains(b) {
                    visited.push(b.clone());
                    stack.push((b.clone(), p));
                }
            }
        }
    }
}
