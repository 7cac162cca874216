//! `cargo xtask e2e`: prove stagegen's output with the real engine.
//!
//! The cases: every example (`examples/<name>/`: build.toml + e2e.toml, and its `stagegen init`
//! round trip), every real-world app (`tests/realworld/<app>/corpus.toml`, as
//! `realworld/<app>`), the workspace (`monorepo`: examples/monorepo with bake and compose),
//! the secret check (`secret`) and the escaping check (`escape`). A run has three phases:
//! 1. compile: each case's Dockerfiles are written with stagegen (and init) into a temporary
//!    copy of its app and linted with hadolint: no engine needed (`--compile-only` stops here);
//! 2. images: the base images those Dockerfiles name are checked, and built as stand-ins or
//!    pulled where missing (`images`);
//! 3. engine: each case builds, runs and checks its images. One failing case never stops the
//!    others. The last lines on stdout are `e2e: N passed, M failed` (with `P pending`, the corpus apps known not to pass yet) and
//!    `e2e: total S s`; the
//!    exit status is 1 when a case failed.
//!
//! Imports everything else of the crate.

mod corpus;
mod escape;
mod example;
mod image;
mod monorepo;
mod report;
mod secret;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::dockerfile;
use crate::engine::Engine;
use crate::images;
use crate::interrupt;
use crate::tools::{self, Stagegen};

use report::Report;

/// The command line of `cargo xtask e2e`.
pub struct Options {
    pub filters: Vec<String>,
    pub no_setup: bool,
    pub rm_images: bool,
    pub keep_work: bool,
    pub compile_only: bool,
    pub jobs: usize,
    pub timeout: Duration,
    pub tag_prefix: String,
}

/// What every case reads.
pub struct Ctx<'e> {
    pub repo: PathBuf,
    pub work: PathBuf,
    pub stagegen: Stagegen,
    pub engine: &'e Engine,
    pub timeout: Duration,
    tag_prefix: String,
    made: Mutex<BTreeSet<String>>,
}

impl Ctx<'_> {
    pub fn tag(&self, name: &str) -> String {
        format!("{}/{}", self.tag_prefix, name)
    }

    pub fn made_image(&self, tag: &str) {
        if let Ok(mut m) = self.made.lock() {
            m.insert(tag.to_string());
        }
    }
}

/// A build context with the Dockerfile stagegen wrote into it.
pub struct Compiled {
    pub dir: PathBuf,
    pub images: dockerfile::Images,
}

/// `stagegen dockerfile -f <build_toml> -o <dir>/Dockerfile`, then hadolint on it; the images
/// the Dockerfile needs.
pub fn compile(
    ctx: &Ctx,
    r: &mut Report,
    what: &str,
    build_toml: &Path,
    dir: &Path,
) -> Option<Compiled> {
    let dockerfile = dir.join("Dockerfile");
    let out = ctx.stagegen.dockerfile(build_toml, &dockerfile);
    if !out.success() {
        r.fail(format!("{what} failed"));
        r.block(what, &out.stderr.lines().collect::<Vec<_>>());
        return None;
    }
    let text = match std::fs::read_to_string(&dockerfile) {
        Ok(t) if !t.trim().is_empty() => t,
        _ => {
            r.fail(format!("{what} wrote no Dockerfile"));
            return None;
        }
    };
    let froms = text
        .lines()
        .filter(|l| l.len() > 5 && l[..5].eq_ignore_ascii_case("FROM "))
        .count();
    r.ok(format!("{what}: {froms} FROM lines"));
    match tools::hadolint(&ctx.repo, &dockerfile) {
        Ok(()) => r.ok("hadolint clean"),
        Err(lines) => {
            r.fail("hadolint reported problems");
            r.block("hadolint", &lines);
        }
    }
    let images = dockerfile::images(&text);
    if !images.unresolved.is_empty() {
        let list: Vec<&str> = images.unresolved.iter().map(String::as_str).collect();
        r.info(format!(
            "base images named by a build argument (not checked up front): {}",
            list.join(" ")
        ));
    }
    Some(Compiled {
        dir: dir.to_path_buf(),
        images,
    })
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Case {
    Example(String),
    Corpus(String),
    Secret,
    Escape,
    /// examples/monorepo: a workspace, built with bake and compose.
    Monorepo,
}

impl Case {
    fn name(&self) -> String {
        match self {
            Case::Example(n) => n.clone(),
            Case::Corpus(a) => format!("realworld/{a}"),
            Case::Secret => "secret".to_string(),
            Case::Escape => "escape".to_string(),
            Case::Monorepo => "monorepo".to_string(),
        }
    }
}

enum Job {
    Example(example::Job),
    Corpus(corpus::Job),
    Secret(secret::Job),
    Escape(escape::Job),
    Monorepo(monorepo::Job),
}

impl Job {
    fn images(&self) -> BTreeSet<String> {
        match self {
            Job::Example(j) => j.images().cloned().collect(),
            Job::Corpus(j) => j.images().cloned().collect(),
            Job::Secret(j) => j.images().cloned().collect(),
            Job::Escape(j) => j.images().cloned().collect(),
            Job::Monorepo(j) => j.images().cloned().collect(),
        }
    }
}

struct Prepared {
    report: Report,
    job: Option<Job>,
}

/// Every case: the examples with a build.toml or an e2e.toml, the corpus apps (every folder of
/// tests/realworld/), the secret check, the escaping check.
fn discover(repo: &Path) -> Vec<Case> {
    let mut cases = Vec::new();
    for name in subdirs(&repo.join("examples")) {
        let dir = repo.join("examples").join(&name);
        if dir.join("build.toml").exists() || dir.join("e2e.toml").exists() {
            cases.push(Case::Example(name));
        }
    }
    for name in subdirs(&repo.join("tests/realworld")) {
        cases.push(Case::Corpus(name));
    }
    if repo.join("examples/monorepo/stagegen.toml").is_file() {
        cases.push(Case::Monorepo);
    }
    cases.push(Case::Secret);
    cases.push(Case::Escape);
    cases
}

fn subdirs(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter(|e| e.path().is_dir())
                .filter_map(|e| e.file_name().to_str().map(str::to_string))
                .filter(|n| !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// The cases the filters name: a case name (`go-http`, `realworld/node-vite`, `secret`), a path
/// (`examples/go-http`, `tests/realworld/node-vite`), a corpus app's bare name when no example
/// has it, or a group: `examples`, `corpus`.
fn select(all: &[Case], filters: &[String]) -> Result<Vec<Case>, String> {
    if filters.is_empty() {
        return Ok(all.to_vec());
    }
    let mut out: Vec<Case> = Vec::new();
    for f in filters {
        let f = f.trim_end_matches('/');
        let f = f.strip_prefix("./").unwrap_or(f);
        let matched: Vec<&Case> = match f {
            "examples" => all
                .iter()
                .filter(|c| matches!(c, Case::Example(_)))
                .collect(),
            "corpus" | "realworld" | "tests/realworld" => all
                .iter()
                .filter(|c| matches!(c, Case::Corpus(_)))
                .collect(),
            _ => {
                let f = f.strip_prefix("examples/").unwrap_or(f);
                let f = f.strip_prefix("tests/").unwrap_or(f);
                let exact: Vec<&Case> = all.iter().filter(|c| c.name() == f).collect();
                if exact.is_empty() {
                    all.iter()
                        .filter(|c| matches!(c, Case::Corpus(a) if a == f))
                        .collect()
                } else {
                    exact
                }
            }
        };
        if matched.is_empty() {
            let names: Vec<String> = all.iter().map(Case::name).collect();
            return Err(format!(
                "no case `{f}`\nhelp: the cases are {}; or the groups `examples`, `corpus`",
                names.join(", ")
            ));
        }
        for c in matched {
            if !out.contains(c) {
                out.push(c.clone());
            }
        }
    }
    Ok(out)
}

fn summary(passed: usize, pending: usize, failed: usize, start: Instant) {
    if pending > 0 {
        println!(
            "e2e: {passed} passed, {pending} pending (known failures: corpus.toml's `[pending]`), {failed} failed"
        );
    } else {
        println!("e2e: {passed} passed, {failed} failed");
    }
    println!("e2e: total {} s", start.elapsed().as_secs());
}

pub fn run(repo: &Path, opts: &Options) -> i32 {
    let start = Instant::now();
    interrupt::install();
    let all = discover(repo);
    let cases = match select(&all, &opts.filters) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return 2;
        }
    };
    let engine = Engine::from_env();

    if !opts.compile_only {
        if !opts.no_setup {
            eprintln!("e2e: scripts/engine.sh (tools, a running dockerd, the docker CLI plugins)");
            let status = std::process::Command::new(repo.join("scripts/engine.sh")).status();
            if !status.is_ok_and(|s| s.success()) {
                eprintln!("e2e: scripts/engine.sh failed: the engine is not ready");
                summary(0, 0, cases.len(), start);
                return 1;
            }
        }
        if !engine.answers() {
            eprintln!(
                "e2e: no docker engine answers `{} info` (scripts/engine.sh starts one)",
                engine.client().display()
            );
            summary(0, 0, cases.len(), start);
            return 1;
        }
    }

    let stagegen = match Stagegen::locate(repo) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("e2e: {e}");
            summary(0, 0, cases.len(), start);
            return 1;
        }
    };
    let work = match tempfile::Builder::new().prefix("stagegen-e2e.").tempdir() {
        Ok(w) => w,
        Err(e) => {
            eprintln!("e2e: cannot make a temporary folder: {e}");
            return 2;
        }
    };
    let ctx = Ctx {
        repo: repo.to_path_buf(),
        work: work.path().to_path_buf(),
        stagegen,
        engine: &engine,
        timeout: opts.timeout,
        tag_prefix: opts.tag_prefix.clone(),
        made: Mutex::new(BTreeSet::new()),
    };

    // 1. compile
    let t0 = Instant::now();
    let mut prepared: Vec<Prepared> = Vec::new();
    for case in &cases {
        let mut report = Report::new(&case.name());
        report.header();
        let job = match case {
            Case::Example(n) => example::prepare(&ctx, &mut report, n).map(Job::Example),
            Case::Corpus(a) => corpus::prepare(&ctx, &mut report, a).map(Job::Corpus),
            Case::Secret => secret::prepare(&ctx, &mut report).map(Job::Secret),
            Case::Escape => escape::prepare(&ctx, &mut report).map(Job::Escape),
            Case::Monorepo => monorepo::prepare(&ctx, &mut report).map(Job::Monorepo),
        };
        report.pause_clock();
        prepared.push(Prepared { report, job });
    }
    eprintln!(
        "e2e: {} cases compiled and linted ({} s)",
        prepared.len(),
        t0.elapsed().as_secs()
    );

    // 2. images
    let needed: BTreeSet<String> = prepared
        .iter()
        .filter_map(|p| p.job.as_ref())
        .flat_map(Job::images)
        .collect();
    eprintln!(
        "e2e: {} base images needed: {}",
        needed.len(),
        needed.iter().cloned().collect::<Vec<_>>().join(" ")
    );
    if opts.compile_only {
        return finish_compile_only(prepared, start);
    }
    let source = images::Source::detect(repo);
    eprintln!("e2e: base images: {}", source.describe());
    let missing = images::ensure(&engine, repo, &source, &needed, &mut |l| {
        eprintln!("e2e: {l}")
    });
    for p in &mut prepared {
        let Some(job) = &p.job else { continue };
        let lacking: Vec<String> = job
            .images()
            .into_iter()
            .filter_map(|i| {
                missing
                    .iter()
                    .find(|(m, _)| *m == i)
                    .map(|(m, why)| format!("{m} ({why})"))
            })
            .collect();
        if !lacking.is_empty() {
            p.report.fail(format!(
                "base image(s) not in the local engine: {}",
                lacking.join(", ")
            ));
            p.job = None;
        }
    }

    // 3. engine
    let results = execute_all(&ctx, prepared, opts.jobs.max(1));
    let passed = results.iter().filter(|r| r.passed()).count();
    let failed = results.iter().filter(|r| r.failed()).count();
    let failed_names: Vec<&str> = results
        .iter()
        .filter(|r| r.failed())
        .map(|r| r.name.as_str())
        .collect();
    let pending_names: Vec<&str> = results
        .iter()
        .filter(|r| r.known_failure())
        .map(|r| r.name.as_str())
        .collect();
    let not_built: Vec<&str> = results
        .iter()
        .filter(|r| r.passed() && r.note.is_some())
        .map(|r| r.name.as_str())
        .collect();

    if opts.rm_images {
        for image in ctx.made.lock().map(|m| m.clone()).unwrap_or_default() {
            engine.remove_image(&image);
        }
    }
    for id in interrupt::leftover_containers() {
        let _ = engine.run(["rm", "-f", &id], Duration::from_secs(60));
    }
    if opts.keep_work {
        let kept = work.keep();
        eprintln!("e2e: build contexts and logs kept in {}", kept.display());
    }
    if !not_built.is_empty() {
        eprintln!(
            "e2e: compiled and linted only (offline = false): {}",
            not_built.join(" ")
        );
    }
    if !pending_names.is_empty() {
        eprintln!(
            "e2e: pending (known failures, not counted): {}",
            pending_names.join(" ")
        );
    }
    if !failed_names.is_empty() {
        eprintln!("e2e: failed: {}", failed_names.join(" "));
    }
    if interrupt::interrupted() {
        eprintln!("e2e: interrupted");
    }
    summary(passed, pending_names.len(), failed, start);
    if interrupt::interrupted() {
        130
    } else if failed > 0 {
        1
    } else {
        0
    }
}

fn finish_compile_only(prepared: Vec<Prepared>, start: Instant) -> i32 {
    let (mut passed, mut pending, mut failed) = (0, 0, 0);
    for mut p in prepared {
        if p.report.passed() {
            // compiling is not the whole case: a pending app may still fail in the engine
            p.report.pending = None;
        }
        p.report.finish();
        p.report.flush();
        if p.report.passed() {
            passed += 1;
        } else if p.report.known_failure() {
            pending += 1;
        } else {
            failed += 1;
        }
    }
    summary(passed, pending, failed, start);
    i32::from(failed > 0)
}

/// Runs the cases' engine phase, `jobs` at a time; a case's lines are printed as they come
/// when one runs at a time, else when it ends.
fn execute_all(ctx: &Ctx, prepared: Vec<Prepared>, jobs: usize) -> Vec<Report> {
    let queue = Mutex::new(
        prepared
            .into_iter()
            .enumerate()
            .collect::<Vec<_>>()
            .into_iter(),
    );
    let done: Mutex<Vec<(usize, Report)>> = Mutex::new(Vec::new());
    let live = jobs == 1;
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| loop {
                let next = queue.lock().ok().and_then(|mut q| q.next());
                let Some((i, Prepared { mut report, job })) = next else {
                    break;
                };
                report.resume_clock();
                if live {
                    report.go_live();
                }
                if interrupt::interrupted() {
                    report.fail("not run: interrupted");
                } else if let Some(job) = job {
                    match job {
                        Job::Example(j) => example::execute(ctx, &mut report, j),
                        Job::Corpus(j) => corpus::execute(ctx, &mut report, j),
                        Job::Secret(j) => secret::execute(ctx, &mut report, j),
                        Job::Escape(j) => escape::execute(ctx, &mut report, j),
                        Job::Monorepo(j) => monorepo::execute(ctx, &mut report, j),
                    }
                    if interrupt::interrupted() && report.passed() {
                        report.fail("interrupted");
                    }
                }
                report.finish();
                report.flush();
                if let Ok(mut d) = done.lock() {
                    d.push((i, report));
                }
            });
        }
    });
    let mut done = done.into_inner().unwrap_or_default();
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<Case> {
        vec![
            Case::Example("go-http".into()),
            Case::Example("node-express".into()),
            Case::Corpus("node-express".into()),
            Case::Corpus("python-django".into()),
            Case::Secret,
        ]
    }

    fn names(c: &[Case]) -> Vec<String> {
        c.iter().map(Case::name).collect()
    }

    #[test]
    fn no_filter_is_everything() {
        assert_eq!(select(&all(), &[]).unwrap(), all());
    }

    #[test]
    fn names_paths_and_groups() {
        let f = |s: &[&str]| {
            names(&select(&all(), &s.iter().map(|x| x.to_string()).collect::<Vec<_>>()).unwrap())
        };
        assert_eq!(f(&["examples/go-http/"]), ["go-http"]);
        assert_eq!(f(&["node-express"]), ["node-express"]);
        assert_eq!(f(&["realworld/node-express"]), ["realworld/node-express"]);
        assert_eq!(
            f(&["tests/realworld/node-express"]),
            ["realworld/node-express"]
        );
        assert_eq!(f(&["python-django"]), ["realworld/python-django"]);
        assert_eq!(
            f(&["corpus", "secret"]),
            [
                "realworld/node-express",
                "realworld/python-django",
                "secret"
            ]
        );
        assert_eq!(f(&["examples", "go-http"]), ["go-http", "node-express"]);
    }

    #[test]
    fn an_unknown_name_lists_the_cases() {
        let err = select(&all(), &["go-htp".to_string()]).unwrap_err();
        assert!(
            err.starts_with("no case `go-htp`\nhelp: the cases are go-http, node-express"),
            "{err}"
        );
    }

    #[test]
    fn discovers_the_examples_and_the_secret_check() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let cases = discover(&repo);
        assert!(cases.contains(&Case::Example("go-http".into())));
        assert!(cases.contains(&Case::Secret));
        assert!(cases.contains(&Case::Monorepo));
        assert_eq!(cases.last(), Some(&Case::Escape));
    }
}
