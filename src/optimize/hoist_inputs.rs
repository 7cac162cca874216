//! Pass `hoist-inputs`: a `run` step that declares its `inputs` (e.g. `go mod download` reads
//! only `go.mod` and `go.sum`) and comes after a copy of a whole folder that holds them (the
//! context, or e.g. `web/`) is moved ahead of that copy, behind a copy of just its inputs. A
//! source change then leaves the step's layer cached.
//!
//! Measured in bench/RESULTS.md: the warm rebuild after a one-line source change re-runs no
//! dependency download.

use indexmap::IndexMap;

use crate::ir::{BuildGraph, Copy, CopySource, Run, Step};
use crate::optimize::Options;

/// One pass over each stage's steps: a copy of a whole folder waits until the step after it is
/// known; every run with inputs inside the folder that follows it directly moves ahead of it,
/// behind copies of its inputs, and the next step is compared with the same copy again.
/// Linear in the steps and their inputs.
pub(super) fn run(graph: &mut BuildGraph, _: &Options) {
    for stage in &mut graph.stages {
        let steps = std::mem::take(&mut stage.steps);
        let mut out: Vec<Step> = Vec::with_capacity(steps.len());
        // A copy of a whole folder not written yet, and that folder.
        let mut pending: Option<(Copy, String)> = None;
        for step in steps {
            if let (Some((whole, folder)), Step::Run(r)) = (&pending, &step) {
                if hoists(r, folder) {
                    out.extend(
                        input_copies(&r.inputs, folder, whole)
                            .into_iter()
                            .map(Step::Copy),
                    );
                    out.push(step);
                    continue;
                }
            }
            // Anything else after the copy may depend on it: the copy goes out first.
            if let Some((whole, _)) = pending.take() {
                out.push(Step::Copy(whole));
            }
            match (step.context_folder(), step) {
                (Some(folder), Step::Copy(c)) => pending = Some((c, folder)),
                (_, step) => out.push(step),
            }
        }
        if let Some((whole, _)) = pending {
            out.push(Step::Copy(whole));
        }
        stage.steps = out;
    }
}

/// A run with inputs that all lie inside `folder`, and of which `folder` itself is not one
/// (then the copy is the run's own input copy, already hoisted).
fn hoists(r: &Run, folder: &str) -> bool {
    !r.inputs.is_empty()
        && r.inputs
            .iter()
            .all(|p| p.trim_start_matches("./").starts_with(folder))
        && !r
            .inputs
            .iter()
            .any(|p| p.trim_start_matches("./").trim_end_matches('.') == folder)
}

/// Copies of `inputs`, one per folder (a multi-source COPY flattens folders), to where the
/// copy of `folder` would have put them.
fn input_copies(inputs: &[String], folder: &str, whole: &Copy) -> Vec<Copy> {
    let mut by_dir: IndexMap<String, Vec<String>> = IndexMap::new();
    for input in inputs {
        let path = input.trim_start_matches("./");
        let rel = path.strip_prefix(folder).unwrap_or(path);
        let dir = rel
            .rsplit_once('/')
            .map(|(d, _)| d.to_string())
            .unwrap_or_default();
        by_dir.entry(dir).or_default().push(path.to_string());
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Base, Stage};

    fn graph(steps: Vec<Step>) -> BuildGraph {
        let mut stage = Stage::new("build", "", Base::Image("golang".into()));
        stage.steps = steps;
        BuildGraph {
            plan_version: 1,
            context: None,
            target: "build".into(),
            platforms: Vec::new(),
            args: vec![],
            secrets: vec![],
            stages: vec![stage],
            ignore: vec![],
            detected: vec![],
        }
    }

    fn hoisted(steps: Vec<Step>) -> Vec<Step> {
        let mut g = graph(steps);
        run(&mut g, &Options::default());
        g.stages.remove(0).steps
    }

    fn copy(paths: &[&str], dest: &str) -> Step {
        Step::Copy(Copy::context(paths.iter().copied(), dest))
    }

    fn with_inputs(cmd: &str, inputs: &[&str]) -> Step {
        Step::Run(Run::shell(cmd).inputs(inputs.iter().copied()))
    }

    #[test]
    fn an_install_moves_ahead_of_the_copy_of_everything() {
        assert_eq!(
            hoisted(vec![
                copy(&["."], "."),
                with_inputs("go mod download", &["go.mod", "go.sum"]),
                Step::Run(Run::shell("go build ./...")),
            ]),
            vec![
                copy(&["go.mod", "go.sum"], "./"),
                with_inputs("go mod download", &["go.mod", "go.sum"]),
                copy(&["."], "."),
                Step::Run(Run::shell("go build ./...")),
            ]
        );
    }

    #[test]
    fn inputs_in_folders_keep_their_place_under_the_destination() {
        assert_eq!(
            hoisted(vec![
                copy(&["web/"], "/app/"),
                with_inputs("npm ci", &["web/package.json", "web/lib/x.json"]),
            ]),
            vec![
                copy(&["web/package.json"], "/app/"),
                copy(&["web/lib/x.json"], "/app/lib/"),
                with_inputs("npm ci", &["web/package.json", "web/lib/x.json"]),
                copy(&["web/"], "/app/"),
            ]
        );
    }

    #[test]
    fn several_installs_in_a_row_all_move() {
        let steps = hoisted(vec![
            copy(&["."], "."),
            with_inputs("a", &["a.txt"]),
            with_inputs("b", &["b.txt"]),
        ]);
        assert_eq!(
            steps,
            vec![
                copy(&["a.txt"], "./"),
                with_inputs("a", &["a.txt"]),
                copy(&["b.txt"], "./"),
                with_inputs("b", &["b.txt"]),
                copy(&["."], "."),
            ]
        );
    }

    #[test]
    fn nothing_moves_across_another_step_or_out_of_its_folder() {
        let across = vec![
            copy(&["."], "."),
            Step::Run(Run::shell("make generate")),
            with_inputs("go mod download", &["go.mod"]),
        ];
        assert_eq!(hoisted(across.clone()), across);
        let outside = vec![
            copy(&["web/"], "."),
            with_inputs("go mod download", &["go.mod"]),
        ];
        assert_eq!(hoisted(outside.clone()), outside);
        let own = vec![copy(&["web/"], "web/"), with_inputs("npm ci", &["web/"])];
        assert_eq!(hoisted(own.clone()), own);
        let file_copy = vec![copy(&["main.go"], "."), with_inputs("x", &["main.go"])];
        assert_eq!(hoisted(file_copy.clone()), file_copy);
    }

    #[test]
    fn hoisting_is_idempotent() {
        let once = hoisted(vec![
            copy(&["."], "."),
            with_inputs("a", &["a/x", "b"]),
            copy(&["web/"], "web/"),
            with_inputs("b", &["web/p.json"]),
        ]);
        assert_eq!(hoisted(once.clone()), once);
    }

    /// The quadratic pass this replaces (restart the scan after each move), as the oracle.
    fn reference(steps: &mut Vec<Step>) {
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
                            if hoists(r, folder) {
                                return Some((*c, i, folder.clone()));
                            }
                        }
                        copy_at = None;
                    }
                    _ => copy_at = None,
                }
            }
            None
        }
        while let Some((copy_at, run_at, folder)) = find(steps) {
            let (Step::Copy(whole), Step::Run(run)) =
                (steps[copy_at].clone(), steps.remove(run_at))
            else {
                break;
            };
            let mut moved: Vec<Step> = input_copies(&run.inputs, &folder, &whole)
                .into_iter()
                .map(Step::Copy)
                .collect();
            moved.push(Step::Run(run));
            steps.splice(copy_at..copy_at, moved);
        }
    }

    #[test]
    fn one_pass_gives_what_the_restarting_scan_gave() {
        let mut seed: u64 = 12;
        let mut below = |n: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((seed >> 33) % n as u64) as usize
        };
        let paths = [
            "go.mod",
            "web/p.json",
            "web/",
            ".",
            "web/lib/x",
            "a/b",
            "./go.sum",
        ];
        let folders = [".", "web/", "a/", "./", "x.txt"];
        for round in 0..2000 {
            let len = below(8);
            let steps: Vec<Step> = (0..len)
                .map(|_| match below(4) {
                    0 => copy(
                        &[folders[below(folders.len())]],
                        ["/", ".", "/app/"][below(3)],
                    ),
                    1 => Step::Run(Run::shell("make")),
                    _ => {
                        let inputs: Vec<&str> = (0..1 + below(3))
                            .map(|_| paths[below(paths.len())])
                            .collect();
                        with_inputs("install", &inputs)
                    }
                })
                .collect();
            let mut want = steps.clone();
            reference(&mut want);
            assert_eq!(hoisted(steps.clone()), want, "round {round}: {steps:?}");
        }
    }
}
