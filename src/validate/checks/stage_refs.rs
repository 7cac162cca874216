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
    let known_set: std::collections::BTreeSet<&str> = known.iter().copied().collect();

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
        if !known_set.contains(r.name.as_str()) {
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
        if !known_set.contains(target.as_str()) {
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

/// Report each cycle once, at a reference the user wrote: one per set of stages that depend on
/// each other (a strongly connected component), the shortest cycle through its first stage by
/// name. Linear in the stages and references (Tarjan's algorithm, then one breadth-first
/// search per component); the search it replaced took minutes on 2,000 chained stages.
fn report_cycles(cx: &Cx<'_>, edges: &[(String, String, String)], out: &mut Vec<Diagnostic>) {
    // Nodes by name, sorted; edges as indices, in the order they were found.
    let mut names: Vec<&str> = edges
        .iter()
        .flat_map(|(a, b, _)| [a.as_str(), b.as_str()])
        .collect();
    names.sort_unstable();
    names.dedup();
    let index = |name: &str| names.binary_search(&name).unwrap_or(0);
    let mut next: Vec<Vec<(usize, &str)>> = vec![Vec::new(); names.len()];
    for (a, b, pointer) in edges {
        next[index(a)].push((index(b), pointer.as_str()));
    }
    for members in components(&next) {
        if members.len() < 2 {
            continue;
        }
        let Some(&start) = members.iter().min() else {
            continue;
        };
        let Some(path) = shortest_cycle(&next, &members, start) else {
            continue;
        };
        let at = path
            .iter()
            .rev()
            .map(|&(_, ptr)| ptr)
            .find(|ptr| !ptr.is_empty())
            .unwrap_or_default();
        let full: Vec<String> = std::iter::once(start)
            .chain(path.iter().map(|&(n, _)| n))
            .map(|n| format!("`{}`", names[n]))
            .collect();
        out.push(
            Diagnostic::error(
                codes::STAGE_CYCLE,
                format!(
                    "stages depend on each other in a cycle: {}",
                    full.join(" -> ")
                ),
            )
            .at(cx.doc.value_span(at), "closes the cycle")
            .help("a stage can only use stages that do not use it; break the cycle"),
        );
    }
}

/// The strongly connected components of the graph `next` (Tarjan's algorithm, without
/// recursion: a long chain of stages must not overflow the stack).
fn components(next: &[Vec<(usize, &str)>]) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let n = next.len();
    let mut order = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    let mut counter = 0;
    for root in 0..n {
        if order[root] != UNSEEN {
            continue;
        }
        // (node, index of the next edge to follow)
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        order[root] = counter;
        low[root] = counter;
        counter += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut edge)) = work.last_mut() {
            if let Some(&(w, _)) = next[v].get(*edge) {
                *edge += 1;
                if order[w] == UNSEEN {
                    order[w] = counter;
                    low[w] = counter;
                    counter += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(order[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == order[v] {
                let mut members = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    members.push(w);
                    if w == v {
                        break;
                    }
                }
                out.push(members);
            }
        }
    }
    out
}

/// The shortest path from `start` back to itself inside `members` (one component): the nodes
/// after `start` with the reference that reaches each.
fn shortest_cycle<'a>(
    next: &[Vec<(usize, &'a str)>],
    members: &[usize],
    start: usize,
) -> Option<Vec<(usize, &'a str)>> {
    let mut inside = vec![false; next.len()];
    for &m in members {
        inside[m] = true;
    }
    // How each node was first reached: (from, pointer).
    let mut came: Vec<Option<(usize, &str)>> = vec![None; next.len()];
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &(w, pointer) in &next[v] {
            if !inside[w] {
                continue;
            }
            if w == start {
                let mut path = vec![(start, pointer)];
                let mut at = v;
                while at != start {
                    let (from, ptr) = came[at]?;
                    path.push((at, ptr));
                    at = from;
                }
                path.reverse();
                return Some(path);
            }
            if came[w].is_none() {
                came[w] = Some((v, pointer));
                queue.push_back(w);
            }
        }
    }
    None
}
