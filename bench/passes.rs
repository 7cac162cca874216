//! How long each optimizer pass and graph query takes on the largest inputs the limits allow:
//! 100,000 steps and 10,000 stages (the numbers to use until `src/limits.rs` publishes its own).
//! Each input is built to hit the pass's worst case: every run mergeable into one (the issue's
//! 38,886 runs took 57 s), every install hoisted past the same copy, a chain of stages listed
//! backwards with the target first.
//!
//! Run: `cargo bench --bench passes` (a release build; prints a markdown table, the median of
//! five runs of each). Results: `bench/RESULTS.md`.

use std::time::{Duration, Instant};

use stagegen::ir::{Base, BuildGraph, Copy, Run, Stage, Step, PLAN_VERSION};
use stagegen::optimize::{optimize, Options, PASSES};

const MAX_STEPS: usize = 100_000;
const MAX_STAGES: usize = 10_000;
const RUNS: usize = 5;

fn graph(stages: Vec<Stage>, target: &str) -> BuildGraph {
    BuildGraph {
        plan_version: PLAN_VERSION,
        context: None,
        target: target.into(),
        args: vec![],
        secrets: vec![],
        stages,
        ignore: vec![],
        detected: vec![],
    }
}

/// One stage of `MAX_STEPS` runs that all merge into one (realistic command lengths, with the
/// constructs the shell reader must read: quotes, `$(...)`, `if`, pipes).
fn mergeable_runs() -> BuildGraph {
    let mut stage = Stage::new("app", "", Base::Image("debian".into()));
    stage.steps = (0..MAX_STEPS)
        .map(|i| {
            Step::Run(Run::shell(match i % 4 {
                0 => format!("apt-get install -y --no-install-recommends 'pkg-{i}=1.*'"),
                1 => format!("if [ -f /etc/f{i} ]; then cp \"/etc/f{i}\" /out/; fi"),
                2 => format!("echo \"$(date +%s) step {i}\" | tee -a /var/log/build.log"),
                _ => format!("mkdir -p /out/{i} && (cd /out/{i} && touch done) || true"),
            }))
        })
        .collect();
    graph(vec![stage], "app")
}

/// One stage: a copy of the whole context, then `MAX_STEPS - 1` installs with inputs, each of
/// which moves ahead of the copy.
fn hoistable_runs() -> BuildGraph {
    let mut stage = Stage::new("app", "", Base::Image("golang".into()));
    stage.steps.push(Step::Copy(Copy::context(["."], ".")));
    for i in 1..MAX_STEPS {
        stage.steps.push(Step::Run(
            Run::shell(format!("install {i}")).inputs([format!("deps/{}/lock-{i}.json", i % 50)]),
        ));
    }
    graph(vec![stage], "app")
}

/// `MAX_STAGES` stages, each built on the one before it and copying from one further back,
/// listed backwards with the target first, so the sort moves every stage; ten steps each
/// (`MAX_STEPS` in all); the last tenth is built on top of the target (pruned).
fn stage_chain() -> BuildGraph {
    let name = |i: usize| format!("s{i}");
    let target = MAX_STAGES * 9 / 10;
    let mut stages: Vec<Stage> = (0..MAX_STAGES)
        .map(|i| {
            let base = if i == 0 {
                Base::Image("debian".into())
            } else {
                Base::Stage(name(i - 1))
            };
            let mut s = Stage::new(name(i), "", base);
            for j in 0..10 {
                s.steps.push(if j == 5 && i >= 2 {
                    Step::Copy(Copy::from_stage(name(i - 2), &["/out"], "/in"))
                } else {
                    Step::Run(Run::shell(format!("make step-{j}")))
                });
            }
            s
        })
        .collect();
    stages.reverse();
    let at = stages
        .iter()
        .position(|s| s.name == name(target))
        .unwrap_or(0);
    stages.swap(0, at);
    graph(stages, &name(target))
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn time<F: FnMut(&mut BuildGraph)>(input: &BuildGraph, mut f: F) -> Duration {
    median(
        (0..RUNS)
            .map(|_| {
                let mut g = input.clone();
                let start = Instant::now();
                f(&mut g);
                let t = start.elapsed();
                std::hint::black_box(&g);
                t
            })
            .collect(),
    )
}

fn row(input: &str, what: &str, t: Duration) {
    println!("| {input} | {what} | {:.1} |", t.as_secs_f64() * 1000.0);
}

fn main() {
    println!("| input | pass or query | time (ms, median of {RUNS}) |");
    println!("|---|---|---:|");
    let inputs = [
        (
            format!("{MAX_STEPS} mergeable runs, one stage"),
            mergeable_runs(),
        ),
        (
            format!("copy + {} hoistable runs, one stage", MAX_STEPS - 1),
            hoistable_runs(),
        ),
        (
            format!("{MAX_STAGES} stages in a chain, backwards, {MAX_STEPS} steps"),
            stage_chain(),
        ),
    ];
    for (name, input) in &inputs {
        for (pass_name, pass) in PASSES {
            row(
                name,
                pass_name,
                time(input, |g| pass(g, &Options::default())),
            );
        }
        row(
            name,
            "prune (to the target)",
            time(input, |g| {
                let (_, prune) = PASSES[PASSES.len() - 1];
                prune(
                    g,
                    &Options {
                        prune_to_target: true,
                    },
                )
            }),
        );
        row(
            name,
            "all passes",
            time(input, |g| optimize(g, &Options::default())),
        );
        row(name, "graph sort", time(input, |g| g.sort()));
        row(
            name,
            "graph reachable (from the target)",
            time(input, |g| {
                let target = g.target.clone();
                std::hint::black_box(g.reachable(&[target.as_str()]));
            }),
        );
        row(
            name,
            "graph dependents (of the first stage)",
            time(input, |g| {
                let first = g.stages[0].name.clone();
                std::hint::black_box(g.dependents(&[first.as_str()]));
            }),
        );
        row(
            name,
            "graph dependencies (every stage)",
            time(input, |g| {
                let n: usize = g
                    .stages
                    .iter()
                    .map(|s| BuildGraph::dependencies(s).len())
                    .sum();
                std::hint::black_box(n);
            }),
        );
    }
}
