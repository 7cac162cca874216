//! Pass `hoist-inputs`: a `run` step that declares its `inputs` (e.g. `go mod download` reads
//! only `go.mod` and `go.sum`) and comes after a copy of a whole folder that holds them (the
//! context, or e.g. `web/`) is moved ahead of that copy, behind a copy of just its inputs. A
//! source change then leaves the step's layer cached.
//!
//! Measured in bench/RESULTS.md: the warm rebuild after a one-line source change re-runs no
//! dependency download.

use crate::ir::{BuildGraph, Copy, CopySource, Step};
use crate::optimize::Options;

pub fn run(graph: &mut BuildGraph, _: &Options) {
    for stage in &mut graph.stages {
        while let Some((copy_at, run_at, folder)) = find(&stage.steps) {
            let (Step::Copy(whole), Step::Run(run)) =
                (stage.steps[copy_at].clone(), stage.steps.remove(run_at))
            else {
                break;
            };
            let inputs = run.inputs.clone();
            let run = Step::Run(run);
            let mut hoisted: Vec<Step> = input_copies(&inputs, &folder, &whole)
                .into_iter()
                .map(Step::Copy)
                .collect();
            hoisted.push(run);
            stage.steps.splice(copy_at..copy_at, hoisted);
        }
    }
}

/// A step with inputs after a copy of a folder that holds them all, with nothing between them.
fn find(steps: &[Step]) -> Option<(usize, usize, String)> {
    let mut copy_at: Option<(usize, String)> = None;
    for (i, step) in steps.iter().enumerate() {
        if let Some(folder) = step.context_folder() {
            copy_at = Some((i, folder));
            continue;
        }
        match step {
            Step::Run(r) if !r.inputs.is_empty() => {
                if let Some((c, folder)) = &copy_at {
                    let inside = r
                        .inputs
                        .iter()
                        .all(|p| p.trim_start_matches("./").starts_with(folder.as_str()));
                    // The folder is itself one of the inputs: this copy is the step's own input
                    // copy (already hoisted), not the sources it should move ahead of.
                    let own = r.inputs.iter().any(|p| {
                        p.trim_start_matches("./").trim_end_matches('.') == folder.as_str()
                    });
                    if inside && !own {
                        return Some((*c, i, folder.clone()));
                    }
                }
                copy_at = None;
            }
            // Anything else between the copy and a step with inputs may be something the step
            // depends on: do not reorder across it.
            _ => copy_at = None,
        }
    }
    None
}

/// Copies of `inputs`, one per folder (a multi-source COPY flattens folders), to where the
/// copy of `folder` would have put them.
fn input_copies(inputs: &[String], folder: &str, whole: &Copy) -> Vec<Copy> {
    let mut by_dir: Vec<(String, Vec<String>)> = Vec::new();
    for input in inputs {
        let path = input.trim_start_matches("./");
        let rel = path.strip_prefix(folder).unwrap_or(path);
        let dir = rel
            .rsplit_once('/')
            .map(|(d, _)| d.to_string())
            .unwrap_or_default();
        match by_dir.iter_mut().find(|(d, _)| *d == dir) {
            Some((_, files)) => files.push(path.to_string()),
            None => by_dir.push((dir, vec![path.to_string()])),
        }
    }
    let base = whole.dest.trim_end_matches('/');
    let base = if base.is_empty() { "/" } else { base };
    by_dir
        .into_iter()
        .map(|(dir, files)| {
            let dest = match (base, dir.is_empty()) {
                (".", true) => "./".to_string(),
                ("/", true) => "/".to_string(),
                (b, true) => format!("{b}/"),
                (".", false) => format!("./{dir}/"),
                ("/", false) => format!("/{dir}/"),
                (b, false) => format!("{b}/{dir}/"),
            };
            Copy {
                source: CopySource::Context,
                paths: files,
                dest,
                chown: whole.chown.clone(),
            }
        })
        .collect()
}
