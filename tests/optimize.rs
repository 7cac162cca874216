//! Optimizer properties over every compiling case: each pass is idempotent, the stage order
//! respects dependencies with the target last, and the hoist pass keeps every step. And
//! `merge-runs` keeps the meaning of what it joins, run in real shells (dash, bash): a table of
//! tricky steps, and seeded random ones (the fuzz target `merge_runs` explores further).

#![allow(clippy::unwrap_used, reason = "test helpers: a panic is the failure")]

#[path = "support/shell_equivalence.rs"]
mod shell_equivalence;

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

/// Steps that merging used to break, and steps that must still merge.
const TRICKY: &[&[&str]] = &[
    // The bugs of issue 13.
    &["echo one # the first", "echo two", "echo three"],
    &[
        "mkdir -p sub/keep",
        "if [ -d sub ]; then cd sub; fi",
        "rm -rf keep",
        "ls -R",
    ],
    &["echo a", "eval 'cd sub'", "pwd"],
    &["echo a", "command cd sub", "pwd"],
    &["echo a", "builtin export V=1", "echo ${V-unset}"],
    &["echo a", "command export V=1", "echo ${V-unset}"],
    &["greet() { echo hi; }", "greet || echo no-greet"],
    &["echo a", "sleep 3 &", "echo b"],
    &["echo a;", "echo b;", "echo c"],
    &["true &", "echo b"],
    &["echo a", "{ sleep 3; echo never > late.txt; } &", "echo b"],
    // State a later step would see.
    &["cd sub", "pwd"],
    &["true && cd sub", "pwd"],
    &["! cd sub", "pwd"],
    &["{ cd sub; }", "pwd"],
    &["case x in x) cd sub;; esac", "pwd"],
    &["while ! cd sub; do :; done", "pwd"],
    &["2>/dev/null cd sub", "pwd"],
    &["\"cd\" sub", "pwd"],
    &["export V=1", "echo $V"],
    &["V=1", "echo ${V-unset}"],
    &["V=1 :", "echo ${V-unset}"],
    &[": ${V:=assigned}", "echo ${V-unset}"],
    &["echo $((X = 5))", "echo ${X-unset}"],
    &["for V in a b; do :; done", "echo ${V-unset}"],
    &["set -e", "false; echo still-here"],
    &["set -- a b", "echo $#"],
    &["umask 077", "touch made-after-umask"],
    &["trap 'echo trapped' EXIT", "echo next"],
    &["alias e=echo", "e hi || echo no-alias"],
    &["echo hi > v.txt", "read V < v.txt", "echo ${V-unset}"],
    &["exec >log.txt", "echo after-exec"],
    &["echo x", "echo $_"],
    &["true | false", "echo ${PIPESTATUS-none}"],
    // Exit statuses.
    &["exit 3", "echo never"],
    &["true", "exit 0", "echo after-exit-0"],
    &["false", "echo never"],
    &["echo x", "false || echo recovered", "echo y"],
    &["echo x", "true || echo skipped", "echo y"],
    &["echo x", "false && echo skipped", "echo y"],
    &["echo x", "false; echo list-status-is-the-last", "echo y"],
    // Self-contained: these merge, and must mean the same merged.
    &["(cd sub && pwd)", "pwd"],
    &["echo $(cd sub && pwd)", "pwd"],
    &["sh -c 'cd sub && pwd'", "pwd"],
    &["mkdir -p d && touch d/x", "ls d", "rm -rf d"],
    &["printf '%s\\n' 'a b' \"c\"", "echo 'q'\"uo\"te a\\ b"],
    &["echo \"#not a comment\" a#b", "echo ok"],
    &[
        "if false; then :; else echo else; fi",
        "while false; do :; done",
        "until true; do :; done",
    ],
    &["{ echo a; echo b; } > f2.txt", "cat f2.txt"],
    &["echo a | cat", "! false", "test -f missing || echo missing"],
    &[
        "for f in *.txt; do [ -f \"$f\" ] && echo \"$f\"; done",
        "echo after-the-loop",
    ],
    &[
        "case f.txt in *.jar) echo jar ;; *.txt) echo txt ;; esac",
        "echo ${HOME:+home-set}",
    ],
    &["X=1 env | grep -c '^X='", "echo ${X-unset}"],
];

#[test]
fn merge_runs_keeps_the_meaning_of_tricky_steps_in_real_shells() {
    let mut failures = Vec::new();
    let mut saved = 0;
    for shell in shell_equivalence::shells() {
        for steps in TRICKY {
            match shell_equivalence::check(&shell, steps) {
                Ok(n) => saved += n,
                Err(m) => failures.push(m.to_string()),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // Not vacuous: the self-contained steps did merge.
    assert!(saved >= 20, "only {saved} RUNs were saved by merging");
}

/// The harness itself: joining the steps naively must show as a different outcome, else the
/// equivalence tests could not fail.
#[test]
fn a_naive_merge_shows_as_different() {
    for shell in shell_equivalence::shells() {
        for steps in [
            &["echo one # the first", "echo two"][..],
            &["if [ -d sub ]; then cd sub; fi", "rm -rf inner", "ls"][..],
            &["umask 077", "touch x"][..],
            &["V=1", "echo ${V-unset}"][..],
        ] {
            let separate: Vec<String> = steps.iter().map(|s| s.to_string()).collect();
            let naive = vec![steps.join(" && ")];
            let tmp = tempfile::tempdir().expect("a temporary folder");
            assert_ne!(
                shell_equivalence::execute_in(&shell, &separate, tmp.path()),
                shell_equivalence::execute_in(&shell, &naive, tmp.path()),
                "{}: {steps:?}",
                shell.name
            );
        }
    }
}

/// Seeded random steps from the fuzz target's grammar, in every shell. Bounded: a few hundred
/// scenarios in a few seconds; `cargo +nightly fuzz run merge_runs` explores further.
#[test]
fn merge_runs_keeps_the_meaning_of_random_steps_in_real_shells() {
    const SCENARIOS: usize = 100;
    let mut failures = Vec::new();
    let mut saved = 0;
    for shell in shell_equivalence::shells()
        .into_iter()
        .filter(|s| s.name != "bash --posix")
    {
        let mut choices = shell_equivalence::Seeded(0x5eed_0013);
        for _ in 0..SCENARIOS {
            let steps = shell_equivalence::scenario(&mut choices);
            let steps: Vec<&str> = steps.iter().map(String::as_str).collect();
            match shell_equivalence::check(&shell, &steps) {
                Ok(n) => saved += n,
                Err(m) => failures.push(m.to_string()),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(saved > 0, "no random scenario merged anything");
}
