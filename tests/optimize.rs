//! Optimizer properties over every compiling case: each pass is idempotent, the stage order
//! respects dependencies with the target last, and the hoist pass keeps every step.

use std::path::Path;

use stagegen::driver::{compile, CompileOptions};
use stagegen::ir::{BuildGraph, Step};
use stagegen::optimize::{optimize, Options, PASSES};

fn compiled_cases() -> Vec<(String, BuildGraph)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut out = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    dirs.sort();
    for dir in dirs {
        if let Ok(c) = compile(&dir.join("build.toml"), &CompileOptions::default()) {
            out.push((dir.display().to_string(), c.graph));
        }
    }
    assert!(out.len() > 10, "expected many compiling cases");
    out
}

#[test]
fn optimizing_twice_changes_nothing() {
    for (name, graph) in compiled_cases() {
        let mut again = graph.clone();
        optimize(&mut again, &Options::default());
        assert_eq!(again, graph, "{name}: the pipeline is not idempotent");
        for (pass_name, pass) in PASSES {
            let mut once = graph.clone();
            pass(&mut once, &Options::default());
            assert_eq!(
                once, graph,
                "{name}: pass {pass_name} changed an optimized graph"
            );
        }
    }
}

#[test]
fn stages_come_after_what_they_use_and_the_target_is_last() {
    for (name, graph) in compiled_cases() {
        assert_eq!(
            graph.stages.last().map(|s| s.name.as_str()),
            Some(graph.target.as_str()),
            "{name}"
        );
        for (i, stage) in graph.stages.iter().enumerate() {
            for dep in BuildGraph::dependencies(stage) {
                if let Some(j) = graph.stages.iter().position(|s| s.name == dep) {
                    assert!(
                        j < i,
                        "{name}: {} uses {dep}, which comes later",
                        stage.name
                    );
                }
            }
        }
    }
}

#[test]
fn dependency_installs_with_inputs_come_before_the_sources() {
    for (name, graph) in compiled_cases() {
        for stage in &graph.stages {
            let whole = stage
                .steps
                .iter()
                .position(|s| s.context_folder().is_some_and(|f| f.is_empty()));
            for (i, step) in stage.steps.iter().enumerate() {
                if let (Step::Run(r), Some(w)) = (step, whole) {
                    if !r.inputs.is_empty() {
                        assert!(
                            i < w,
                            "{name}/{}: an install with inputs runs after the sources",
                            stage.name
                        );
                    }
                }
            }
        }
    }
}
