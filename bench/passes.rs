//! How long each optimizer pass and graph query takes on the largest inputs the limits allow
//! (`src/limits.rs`: `MAX_STEPS` steps, `MAX_STAGES` stages), and each pass over the app's
//! files on the largest file (`MAX_PROJECT_FILE_BYTES`). Each input is built to hit the pass's
//! worst case: every run mergeable into one (the 38,886 runs took 57 s), every install
//! hoisted past the same copy, a chain of stages listed backwards with the target first; a
//! spec whose stages form one cycle through all of them (2,000 took 253 s in the stage-cycle
//! check); a main.go of colons and port numbers (1 MB took 276 s in init's port scan); a
//! pom.xml of stray closing tags under the deepest nesting (153 s); a pnpm-workspace.yaml of
//! repeated patterns (795 MB of memory).
//!
//! Run: `cargo bench --bench passes` (a release build; prints a markdown table, the median of
//! five runs of each). Results: `bench/RESULTS.md`.

use std::time::{Duration, Instant};

use std::path::Path;

use stagegen::ir::{Base, BuildGraph, Copy, Run, Stage, Step, PLAN_VERSION};
use stagegen::limits::{
    MAX_NESTING, MAX_PROJECT_FILE_BYTES, MAX_SPEC_BYTES, MAX_STAGES, MAX_STEPS,
};
use stagegen::optimize::{optimize, Options, PASSES};

const RUNS: usize = 5;

fn graph(stages: Vec<Stage>, target: &str) -> BuildGraph {
    BuildGraph {
        plan_version: PLAN_VERSION,
        context: None,
        target: target.into(),
        platforms: vec![],
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
/// listed backwards with the target first, so the sort moves every stage; `MAX_STEPS` steps
/// in all; the last tenth is built on top of the target (pruned).
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
            for j in 0..MAX_STEPS / MAX_STAGES {
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

/// A spec of `MAX_STAGES` stages, each built on the one before it, the first on the Go preset's
/// runtime, whose steps copy from the last: one cycle through every stage.
fn cyclic_spec() -> String {
    let mut spec = format!(
        "version = 1\n[preset]\nname = \"go\"\n[runtime]\nsteps = [{{ copy = [\"/x\"], from = \"s{}\", to = \"/x\" }}]\n[[stage]]\nname = \"s0\"\nfrom = \"runtime\"\n",
        MAX_STAGES - 1
    );
    for i in 1..MAX_STAGES {
        spec.push_str(&format!(
            "[[stage]]\nname = \"s{i}\"\nfrom = \"s{}\"\nsteps = [{{ run = \"true\" }}]\n",
            i - 1
        ));
    }
    assert!(spec.len() <= MAX_SPEC_BYTES);
    spec
}

/// `unit` repeated to (just under) `bytes`.
fn fill(prefix: &str, unit: &str, bytes: usize) -> String {
    let mut s = prefix.to_string();
    s.push_str(&unit.repeat((bytes - prefix.len()) / unit.len()));
    s
}

/// Time `compile_bytes_to_text` (parse, validate, the preset reading the app in `dir`, every
/// pass, every emitter) on `spec`.
fn time_compile(spec: &str, dir: &Path) -> Duration {
    median(
        (0..RUNS)
            .map(|_| {
                let start = Instant::now();
                let out = stagegen::driver::compile_bytes_to_text(
                    "build.toml",
                    spec.as_bytes().to_vec(),
                    dir,
                );
                let t = start.elapsed();
                std::hint::black_box(out);
                t
            })
            .collect(),
    )
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{e}"));
}

/// The passes over the app's files and the spec's checks, each on its largest input.
fn file_passes() {
    let max = MAX_PROJECT_FILE_BYTES;
    let go = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write(go.path(), "go.mod", "module x\n\ngo 1.22\n");
    write(go.path(), "main.go", "package main\n\nfunc main() {}\n");
    row(
        &format!("{MAX_STAGES} stages in one cycle through the preset's runtime"),
        "check (parse, validate: stage-cycle)",
        time_compile(&cyclic_spec(), go.path()),
    );

    let colons = fill("\"", ":80", max);
    let numbers: String = (0..)
        .map(|i| format!("\":{}\" port {} ", 1024 + i % 60_000, 2048 + i % 60_000))
        .take_while({
            let mut n = 0;
            move |s: &String| {
                n += s.len();
                n < max
            }
        })
        .collect();
    for (name, text) in [
        ("colons", &colons),
        ("addresses and port numbers", &numbers),
    ] {
        let t = median(
            (0..RUNS)
                .map(|_| {
                    let start = Instant::now();
                    std::hint::black_box(stagegen::presets::ports_in_source(text));
                    start.elapsed()
                })
                .collect(),
        );
        row(&format!("1 MiB main.go of {name}"), "init's port scan", t);
    }

    let java = "version = 1\n[preset]\nname = \"java\"\n";
    let pom = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let open = "<a>".repeat(MAX_NESTING - 1);
    write(
        pom.path(),
        "pom.xml",
        &fill(&format!("<project>{open}"), "</b>", max),
    );
    row(
        &format!("1 MiB pom.xml, {MAX_NESTING} deep, stray closing tags"),
        "java preset (xml read)",
        time_compile(java, pom.path()),
    );
    write(
        pom.path(),
        "pom.xml",
        &fill("<project>", "<a><b>x</b></a>", max),
    );
    row(
        "1 MiB pom.xml of small elements",
        "java preset (xml read)",
        time_compile(java, pom.path()),
    );

    let node = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write(
        node.path(),
        "package.json",
        "{\"name\":\"mono\",\"private\":true}",
    );
    write(node.path(), "pnpm-lock.yaml", "lockfileVersion: '9.0'\n");
    for i in 0..200 {
        write(
            node.path(),
            &format!("packages/p{i}/package.json"),
            &format!("{{\"name\":\"p{i}\",\"scripts\":{{\"start\":\"node i.js\"}}}}"),
        );
    }
    write(
        node.path(),
        "pnpm-workspace.yaml",
        &fill("packages:\n", "  - \"packages/*\"\n", max),
    );
    row(
        "1 MiB pnpm-workspace.yaml, one pattern repeated, 200 packages",
        "node preset (workspace)",
        time_compile(
            "version = 1\n[preset]\nname = \"node\"\nworkspace = \"packages/p7\"\n",
            node.path(),
        ),
    );
}

fn main() {
    println!("| input | pass or query | time (ms, median of {RUNS}) |");
    println!("|---|---|---:|");
    file_passes();
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
