//! `cargo xtask bench images`: stagegen's Dockerfile against a hand-written baseline, per
//! example of `bench/bench.toml` (and per variant, `EXAMPLE:VARIANT`), and per corpus app
//! (`realworld/APP`, `--corpus` for all: what `stagegen init` writes for a copy of the app
//! against its `baseline.Dockerfile`). Both are built side by
//! side, each in its own temporary copy of the example, and measured: final image size and
//! layers, a cold build (`--no-cache`), a rebuild after a one-line source change and after a
//! one-line dependency manifest change, whether the dependency step re-ran for each (from the
//! BuildKit log), the user, stagegen's image against its floor (`floor`), and for Python the time
//! a fresh container takes to import the app.
//! Every timing is the median of `--runs` runs. Progress goes to stderr, the markdown table to
//! stdout.
//!
//! Imports `config::bench`, `engine`, `buildlog`, `dockerfile`, `floor`, `images`, `tools`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use regex::Regex;

use crate::buildlog::Rerun;
use crate::config::bench::{BenchExample, BenchToml};
use crate::engine::{BuildRequest, Engine};
use crate::tools::{self, Stagegen};

pub struct Options {
    pub targets: Vec<String>,
    pub runs: Option<u32>,
    pub prune_mounts: bool,
    pub keep_images: bool,
    pub keep_work: bool,
    /// every corpus app of bench.toml's `[corpus]` as well, with no targets named
    pub corpus: bool,
    /// no `--no-cache` build: the first build takes the cache as it is and is not timed
    pub no_cold: bool,
    /// no rebuild after a dependency manifest change
    pub no_dep: bool,
}

/// One thing measured: an example, an example built from a variant build.toml, or a corpus
/// app (`example` is then the app's folder name in tests/realworld).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    example: String,
    variant: Option<String>,
    corpus: bool,
}

impl Target {
    fn example(name: &str, variant: Option<String>) -> Target {
        Target {
            example: name.to_string(),
            variant,
            corpus: false,
        }
    }

    fn corpus(name: &str) -> Target {
        Target {
            example: name.to_string(),
            variant: None,
            corpus: true,
        }
    }

    fn label(&self) -> String {
        match &self.variant {
            Some(v) => format!("{} ({v})", self.example),
            None if self.corpus => format!("realworld/{}", self.example),
            None => self.example.clone(),
        }
    }

    /// A name for its folder and image tags (lower case, no slash).
    fn slug(&self) -> String {
        match &self.variant {
            Some(v) => format!("{}@{v}", self.example),
            None if self.corpus => format!("realworld-{}", self.example),
            None => self.example.clone(),
        }
    }

    /// The name its baseline is measured under: one per example, whatever the variant.
    fn slug_of_baseline(&self) -> String {
        if self.corpus {
            self.slug()
        } else {
            self.example.clone()
        }
    }

    /// Its entry of bench.toml.
    fn entry<'a>(&self, bench: &'a BenchToml) -> &'a BenchExample {
        if self.corpus {
            &bench.corpus[&self.example]
        } else {
            &bench.examples[&self.example]
        }
    }
}

/// What one image measured.
#[derive(Debug, Clone)]
struct Measured {
    size_mb: f64,
    layers: usize,
    /// `None` with `--no-cold`
    cold: Option<f64>,
    source: f64,
    source_dep: String,
    /// `None` with `--no-dep` or for an app without a dependency manifest: (time, step)
    dep: Option<(f64, String)>,
    user: String,
    import_ms: Option<f64>,
    /// stagegen's side only: the image's floor (`floor`), when its bases are known
    floor_mb: Option<f64>,
}

fn targets(bench: &BenchToml, wanted: &[String], corpus: bool) -> Result<Vec<Target>, String> {
    if wanted.is_empty() {
        let mut out = Vec::new();
        for (name, ex) in &bench.examples {
            out.push(Target::example(name, None));
            for v in &ex.variants {
                out.push(Target::example(name, Some(v.clone())));
            }
        }
        if corpus {
            out.extend(bench.corpus.keys().map(|n| Target::corpus(n)));
        }
        return Ok(out);
    }
    wanted.iter().map(|w| named_target(bench, w)).collect()
}

/// `EXAMPLE`, `examples/EXAMPLE`, `EXAMPLE:VARIANT` or `realworld/APP`.
fn named_target(bench: &BenchToml, wanted: &str) -> Result<Target, String> {
    let w = wanted.trim_end_matches('/');
    if let Some(app) = w
        .strip_prefix("realworld/")
        .or_else(|| w.strip_prefix("tests/realworld/"))
    {
        if !bench.corpus.contains_key(app) {
            return Err(format!(
                "bench/bench.toml has no corpus app `{app}`\nhelp: its [corpus] has {} apps, e.g. {}",
                bench.corpus.len(),
                bench.corpus.keys().take(3).cloned().collect::<Vec<_>>().join(", ")
            ));
        }
        return Ok(Target::corpus(app));
    }
    let w = w.strip_prefix("examples/").unwrap_or(w);
    let (example, variant) = match w.split_once(':') {
        Some((e, v)) => (e, Some(v.to_string())),
        None => (w, None),
    };
    let Some(ex) = bench.examples.get(example) else {
        let names: Vec<&str> = bench.examples.keys().map(String::as_str).collect();
        return Err(format!(
            "bench/bench.toml has no example `{example}`\nhelp: it has {} (and corpus apps as realworld/APP)",
            names.join(", ")
        ));
    };
    if let Some(v) = &variant {
        if !ex.variants.contains(v) {
            return Err(format!(
                "`{example}` has no variant `{v}`\nhelp: its variants are {} (bench/baselines/{example}/<variant>.build.toml)",
                if ex.variants.is_empty() { "none".to_string() } else { ex.variants.join(", ") }
            ));
        }
    }
    Ok(Target::example(example, variant))
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// The value if all agree, else `mixed`.
fn same(values: &[Rerun]) -> String {
    match values.first() {
        Some(first) if values.iter().all(|v| v == first) => first.as_str().to_string(),
        Some(_) => "mixed".to_string(),
        None => "–".to_string(),
    }
}

fn ratio(s: f64, b: f64) -> String {
    if b == 0.0 {
        "–".to_string()
    } else {
        format!("{:.2}", s / b)
    }
}

fn nonce() -> String {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos().to_string())
        .unwrap_or_default()
}

/// Appends `template` with `{}` replaced by a fresh number; an empty template appends a line of
/// whitespace that spells the number in spaces and tabs (JSON has no comments, and an empty
/// line would make the same file in every run of every invocation: BuildKit would find each of
/// them cached from an earlier one).
fn append_line(file: &Path, template: &str) -> Result<(), String> {
    use std::io::Write;
    let n = nonce();
    let line = if template.is_empty() {
        let value: u128 = n.parse().unwrap_or(0);
        (0..128)
            .rev()
            .skip_while(|b| value >> b == 0)
            .map(|b| if value >> b & 1 == 1 { '\t' } else { ' ' })
            .collect()
    } else {
        template.replace("{}", &n)
    };
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(file)
        .map_err(|e| format!("{}: {e}", file.display()))?;
    write!(f, "\n{line}\n").map_err(|e| format!("{}: {e}", file.display()))
}

struct Bench<'a> {
    engine: &'a Engine,
    work: PathBuf,
    runs: u32,
    prune_mounts: bool,
    no_cold: bool,
    no_dep: bool,
    made: Vec<String>,
}

impl Bench<'_> {
    fn build(
        &mut self,
        what: &str,
        tag: &str,
        ctx: &Path,
        no_cache: bool,
        log: &Path,
    ) -> Result<(f64, crate::buildlog::BuildLog), String> {
        let req = BuildRequest {
            context: ctx.to_path_buf(),
            tag: Some(tag.to_string()),
            no_cache,
            ..BuildRequest::default()
        };
        let b = self.engine.build(&req, log);
        if !b.ok {
            let report = b.failure_report(40).join("\n    | ");
            return Err(format!(
                "docker build of {tag} ({what}) failed; log {}:\n    | {report}",
                log.display()
            ));
        }
        if !self.made.iter().any(|m| m == tag) {
            self.made.push(tag.to_string());
        }
        Ok((b.seconds, b.log))
    }

    /// Cold build, source change, dependency change, `runs` times; then the image's facts.
    fn measure(
        &mut self,
        who: &str,
        ctx: &Path,
        tag: &str,
        ex: &BenchExample,
        python: Option<&str>,
    ) -> Result<Measured, String> {
        let dep_step: Regex = ex.dep_step_regex()?;
        let logs = self.work.join("logs").join(tag.replace(['/', ':'], "_"));
        std::fs::create_dir_all(&logs).map_err(|e| e.to_string())?;
        let dep_file = ex.dep_file.as_ref().filter(|_| !self.no_dep);
        let (mut cold, mut src, mut dep) = (Vec::new(), Vec::new(), Vec::new());
        let (mut src_dep, mut dep_dep) = (Vec::new(), Vec::new());
        for run in 1..=self.runs {
            let t = self.first_build(who, run, ctx, tag, &logs)?;
            cold.extend(t);
            let (t, rerun) = self.rebuild(
                who,
                run,
                ctx,
                tag,
                &logs,
                "src",
                &ex.source,
                &ex.source_line,
                &dep_step,
            )?;
            src.push(t);
            src_dep.push(rerun);
            if let Some(file) = dep_file {
                let (t, rerun) = self.rebuild(
                    who,
                    run,
                    ctx,
                    tag,
                    &logs,
                    "dep",
                    file,
                    &ex.dep_line,
                    &dep_step,
                )?;
                dep.push(t);
                dep_dep.push(rerun);
            }
        }
        let info = self.engine.inspect_image(tag)?;
        let floor_mb = (who == "stagegen")
            .then(|| self.floor(ctx, info.size))
            .flatten();
        let import_ms = match (&ex.import, python) {
            (Some(import), Some(py)) => Some(self.import_ms(tag, py, &import.module)?),
            _ => None,
        };
        Ok(Measured {
            size_mb: info.size as f64 / 1e6,
            layers: info.root_fs.layers.len(),
            cold: (!cold.is_empty()).then(|| median(&cold)),
            source: median(&src),
            source_dep: same(&src_dep),
            dep: (!dep.is_empty()).then(|| (median(&dep), same(&dep_dep))),
            user: if info.config.user.is_empty() {
                "root".to_string()
            } else {
                info.config.user
            },
            import_ms,
            floor_mb,
        })
    }

    /// The floor of the image built from `ctx`'s Dockerfile ([`floor`]); `None`, with a line
    /// saying why, when its final base or floor base cannot be inspected.
    fn floor(&self, ctx: &Path, image_size: u64) -> Option<f64> {
        let text = std::fs::read_to_string(ctx.join("Dockerfile")).ok()?;
        let Some(base) = crate::dockerfile::final_base(&text) else {
            eprintln!("  floor: the last stage starts from no image (scratch): the image is its own floor");
            return Some(image_size as f64 / 1e6);
        };
        let (floor_base, why) = crate::floor::floor_base(&base);
        let size = |image: &str| match self.engine.inspect_image(image) {
            Ok(info) => Some(info.size),
            Err(e) => {
                eprintln!("  floor: not computed: {e}");
                None
            }
        };
        let (base_size, floor_size) = (size(&base)?, size(&floor_base)?);
        eprintln!("  floor: {floor_base} ({why}) + what the image adds over {base}");
        Some(crate::floor::floor_bytes(image_size, base_size, floor_size) as f64 / 1e6)
    }

    /// The cold build (`--no-cache`, after dropping cache mounts with `--prune-mounts`) and its
    /// time; with `--no-cold` a first build as the cache allows, untimed.
    fn first_build(
        &mut self,
        who: &str,
        run: u32,
        ctx: &Path,
        tag: &str,
        logs: &Path,
    ) -> Result<Option<f64>, String> {
        if self.no_cold {
            eprintln!(
                "  {who} (run {run}/{}): first build (cache as it is, untimed)",
                self.runs
            );
            self.build(
                "first",
                tag,
                ctx,
                false,
                &logs.join(format!("first.{run}.log")),
            )?;
            return Ok(None);
        }
        if self.prune_mounts {
            let out = self.engine.run(
                ["builder", "prune", "-f", "--filter", "type=exec.cachemount"],
                Duration::from_secs(300),
            );
            if !out.success() {
                return Err(format!("docker builder prune failed: {}", out.message()));
            }
        }
        eprintln!("  {who} (run {run}/{}): cold build (--no-cache)", self.runs);
        let (t, _) = self.build(
            "cold",
            tag,
            ctx,
            true,
            &logs.join(format!("cold.{run}.log")),
        )?;
        Ok(Some(t))
    }

    /// A line appended to `file`, then a normal build: its time and whether the dependency
    /// step re-ran.
    #[allow(clippy::too_many_arguments)]
    fn rebuild(
        &mut self,
        who: &str,
        run: u32,
        ctx: &Path,
        tag: &str,
        logs: &Path,
        what: &str,
        file: &str,
        line: &str,
        dep_step: &Regex,
    ) -> Result<(f64, Rerun), String> {
        eprintln!(
            "  {who} (run {run}/{}): rebuild after a line appended to {file}",
            self.runs
        );
        append_line(&ctx.join(file), line)?;
        let (t, log) = self.build(
            &format!("{file} change"),
            tag,
            ctx,
            false,
            &logs.join(format!("{what}.{run}.log")),
        )?;
        Ok((t, log.rerun(dep_step)))
    }

    /// The median, over 5 fresh containers, of the milliseconds `python` (as the image's user,
    /// in its WORKDIR) takes to import `module`: what a fresh container pays before it serves.
    fn import_ms(&self, tag: &str, python: &str, module: &str) -> Result<f64, String> {
        const CODE: &str = "import importlib, sys, time; t = time.perf_counter(); importlib.import_module(sys.argv[1]); print(round((time.perf_counter() - t) * 1000, 1))";
        let mut ms = Vec::new();
        for _ in 0..5 {
            let out = self
                .engine
                .run_once(tag, python, &["-c", CODE, module], Duration::from_secs(120))
                .map_err(|e| format!("importing {module} in {tag} failed: {e}"))?;
            ms.push(
                out.trim()
                    .parse::<f64>()
                    .map_err(|_| format!("importing {module} in {tag} printed `{}`", out.trim()))?,
            );
        }
        Ok(median(&ms))
    }
}

pub fn run(repo: &Path, opts: &Options) -> i32 {
    match run_inner(repo, opts) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("bench: {e}");
            1
        }
    }
}

fn run_inner(repo: &Path, opts: &Options) -> Result<(), String> {
    crate::interrupt::install();
    let bench = crate::config::bench::load(repo)?;
    let targets = targets(&bench, &opts.targets, opts.corpus)?;
    let runs = opts.runs.unwrap_or(bench.runs);
    if runs == 0 {
        return Err("--runs needs a positive number".to_string());
    }
    let engine = Engine::from_env();
    if !engine.answers() {
        return Err(format!(
            "the docker engine does not answer `{} info` (scripts/engine.sh starts it)",
            engine.client().display()
        ));
    }
    let stagegen = Stagegen::locate(repo)?;
    let work = tempfile::Builder::new()
        .prefix("stagegen-bench.")
        .tempdir()
        .map_err(|e| e.to_string())?;

    // the contexts, and every image their Dockerfiles need, before anything is built; a corpus
    // app that `init` or `dockerfile` refuses is reported and left out, an example stops the run
    let mut needed = std::collections::BTreeSet::new();
    let mut contexts: Vec<(Target, PathBuf, PathBuf)> = Vec::new();
    let mut failed: Vec<String> = Vec::new();
    for t in &targets {
        match prepare(repo, &bench, &stagegen, work.path(), t) {
            Ok((sg, bl, images)) => {
                needed.extend(images);
                contexts.push((t.clone(), sg, bl));
            }
            Err(e) if t.corpus => failed.push(format!("{}: {e}", t.label())),
            Err(e) => return Err(e),
        }
    }
    let source = crate::images::Source::detect(repo);
    eprintln!(
        "bench: base images ({}): {}",
        source.describe(),
        needed.iter().cloned().collect::<Vec<_>>().join(" ")
    );
    let missing = crate::images::ensure(&engine, repo, &source, &needed, &mut |l| {
        eprintln!("bench: {l}")
    });
    if !missing.is_empty() {
        let list: Vec<String> = missing
            .iter()
            .map(|(i, why)| format!("{i} ({why})"))
            .collect();
        return Err(format!("base images missing: {}", list.join(", ")));
    }

    let mut b = Bench {
        engine: &engine,
        work: work.path().to_path_buf(),
        runs,
        prune_mounts: opts.prune_mounts,
        no_cold: opts.no_cold,
        no_dep: opts.no_dep,
        made: Vec::new(),
    };
    // the table's rows are printed as each target is done: a long run shows what it has
    println!("| example | metric | stagegen | baseline | stagegen/baseline |");
    println!("|---|---|---:|---:|---:|");
    let result = measure_all(&mut b, &bench, &contexts, &mut failed, opts.keep_images);

    if !opts.keep_images {
        for image in &b.made {
            engine.remove_image(image);
        }
    }
    if opts.keep_work {
        eprintln!("bench: build logs kept in {}", work.keep().display());
    }
    result?;
    println!();
    println!(
        "{}, {} cores, docker {}, cache mounts {} before cold builds; times are the median of {runs} run(s){}{}.",
        utc_minute(),
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        engine.server_version(),
        if opts.prune_mounts { "pruned" } else { "not pruned" },
        if opts.no_cold { "; no cold build (--no-cold): the first build took the cache as it was" } else { "" },
        if opts.no_dep { "; no dependency change (--no-dep)" } else { "" },
    );
    if failed.is_empty() {
        return Ok(());
    }
    for f in &failed {
        eprintln!("bench: FAILED {f}");
    }
    Err(format!(
        "{} of {} targets failed (listed above)",
        failed.len(),
        targets.len()
    ))
}

/// Each target's two images measured, its rows printed; a corpus app that fails to build is
/// listed in `failed` and the run goes on.
fn measure_all(
    b: &mut Bench<'_>,
    bench: &BenchToml,
    contexts: &[(Target, PathBuf, PathBuf)],
    failed: &mut Vec<String>,
    keep_images: bool,
) -> Result<(), String> {
    use std::io::Write;
    let mut baselines_done: BTreeMap<String, Measured> = BTreeMap::new();
    for (t, sg, bl) in contexts {
        if crate::interrupt::interrupted() {
            return Err("interrupted".to_string());
        }
        let ex = t.entry(bench);
        eprintln!("bench: {}", t.label());
        let made_before = b.made.len();
        match measure_pair(b, t, ex, sg, bl, &mut baselines_done) {
            Ok((s, bm)) => {
                for row in table_rows(&t.label(), ex, &s, &bm) {
                    println!("{row}");
                }
                let _ = std::io::stdout().flush();
            }
            Err(e) if t.corpus => {
                eprintln!("bench: {} failed: {e}", t.label());
                failed.push(format!("{}: {e}", t.label()));
            }
            Err(e) => return Err(e),
        }
        // a long corpus run keeps the engine's disk in check: images go when done
        if t.corpus && !keep_images {
            for image in b.made.drain(made_before..) {
                b.engine.remove_image(&image);
            }
        }
    }
    Ok(())
}

/// stagegen's image and the baseline (measured once per example, whatever its variants).
fn measure_pair(
    b: &mut Bench<'_>,
    t: &Target,
    ex: &BenchExample,
    sg: &Path,
    bl: &Path,
    baselines_done: &mut BTreeMap<String, Measured>,
) -> Result<(Measured, Measured), String> {
    let sg_tag = match &t.variant {
        Some(v) => format!("stagegen-bench/{}:stagegen-{v}", t.example),
        None => format!("stagegen-bench/{}:stagegen", t.slug()),
    };
    let python = ex.import.as_ref().map(|i| i.python.as_str());
    let s = b.measure("stagegen", sg, &sg_tag, ex, python)?;
    if let Some(m) = baselines_done.get(&t.slug_of_baseline()) {
        return Ok((s, m.clone()));
    }
    let tag = format!("stagegen-bench/{}:baseline", t.slug_of_baseline());
    let python = ex.import.as_ref().map(|i| i.baseline_python.as_str());
    let m = b.measure("baseline", bl, &tag, ex, python)?;
    baselines_done.insert(t.slug_of_baseline(), m.clone());
    Ok((s, m))
}

/// The two contexts of `t` (stagegen's, the baseline's) in `work`, with every image their
/// Dockerfiles name. An example's build.toml (or its variant's) is compiled; a corpus app gets
/// what `stagegen init` writes, compiled.
fn prepare(
    repo: &Path,
    bench: &BenchToml,
    stagegen: &Stagegen,
    work: &Path,
    t: &Target,
) -> Result<(PathBuf, PathBuf, Vec<String>), String> {
    let ex = t.entry(bench);
    let (sources, baseline) = if t.corpus {
        let dir = repo.join("tests/realworld").join(&t.example);
        (dir.join("app"), dir.join("baseline.Dockerfile"))
    } else {
        let baselines = repo.join("bench/baselines").join(&t.example);
        (
            repo.join("examples").join(&t.example),
            baselines.join(&ex.baseline),
        )
    };
    let sg = work.join(t.slug()).join("stagegen");
    let bl = work.join(t.slug()).join("baseline");
    for dir in [&sg, &bl] {
        tools::copy_tree(&sources, dir, &["Dockerfile", ".dockerignore"])?;
    }
    if let Some(v) = &t.variant {
        let variant = repo
            .join("bench/baselines")
            .join(&t.example)
            .join(format!("{v}.build.toml"));
        std::fs::copy(variant, sg.join("build.toml")).map_err(|e| e.to_string())?;
    }
    if t.corpus {
        let out = stagegen.init(&sg);
        if !out.success() {
            return Err(format!("stagegen init failed:\n{}", out.stderr));
        }
    }
    let out = stagegen.dockerfile(&sg.join("build.toml"), &sg.join("Dockerfile"));
    if !out.success() {
        return Err(format!(
            "stagegen dockerfile failed for {}:\n{}",
            t.label(),
            out.stderr
        ));
    }
    std::fs::copy(&baseline, bl.join("Dockerfile")).map_err(|e| e.to_string())?;
    let mut images = Vec::new();
    for dir in [&sg, &bl] {
        let text = std::fs::read_to_string(dir.join("Dockerfile")).map_err(|e| e.to_string())?;
        images.extend(crate::dockerfile::images(&text).images);
    }
    Ok((sg, bl, images))
}

fn table_rows(label: &str, ex: &BenchExample, s: &Measured, b: &Measured) -> Vec<String> {
    let row = |metric: &str, sv: String, bv: String, r: String| {
        format!("| {label} | {metric} | {sv} | {bv} | {r} |")
    };
    let mut rows = vec![
        row(
            "final image size (MB)",
            format!("{:.1}", s.size_mb),
            format!("{:.1}", b.size_mb),
            ratio(round1(s.size_mb), round1(b.size_mb)),
        ),
        row(
            "layers",
            s.layers.to_string(),
            b.layers.to_string(),
            ratio(s.layers as f64, b.layers as f64),
        ),
        timed_row(&row, "cold build, `--no-cache` (s)", s.cold, b.cold),
        row(
            "rebuild after a source change (s)",
            format!("{:.1}", s.source),
            format!("{:.1}", b.source),
            ratio(round1(s.source), round1(b.source)),
        ),
        row(
            "dependency step on the source change",
            s.source_dep.clone(),
            b.source_dep.clone(),
            "–".into(),
        ),
    ];
    if let (Some(file), Some((st, sd)), Some((bt, bd))) = (&ex.dep_file, &s.dep, &b.dep) {
        rows.push(row(
            &format!("rebuild after a {file} change (s)"),
            format!("{st:.1}"),
            format!("{bt:.1}"),
            ratio(round1(*st), round1(*bt)),
        ));
        rows.push(row(
            &format!("dependency step on the {file} change"),
            sd.clone(),
            bd.clone(),
            "–".into(),
        ));
    }
    if let Some(floor) = s.floor_mb {
        rows.push(row(
            "final image against its floor (MB; the baseline column is the floor)",
            format!("{:.1}", s.size_mb),
            format!("{floor:.1}"),
            ratio(round1(s.size_mb), round1(floor)),
        ));
    }
    rows.push(row("user", s.user.clone(), b.user.clone(), "–".into()));
    if let (Some(import), Some(si), Some(bi)) = (&ex.import, s.import_ms, b.import_ms) {
        rows.push(row(
            &format!("import of `{}` in a fresh container (ms)", import.module),
            format!("{si:.1}"),
            format!("{bi:.1}"),
            ratio(si, bi),
        ));
    }
    rows
}

/// A time row; `–` where it was not measured (`--no-cold`).
fn timed_row(
    row: &dyn Fn(&str, String, String, String) -> String,
    metric: &str,
    s: Option<f64>,
    b: Option<f64>,
) -> String {
    let shown = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.1}"));
    let r = match (s, b) {
        (Some(s), Some(b)) => ratio(round1(s), round1(b)),
        _ => "–".to_string(),
    };
    row(metric, shown(s), shown(b), r)
}

/// Ratios of the rounded values, as the table shows them.
fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// `2026-12-02T07:15Z`
fn utc_minute() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = (secs / 86_400) as i64;
    let (h, m) = ((secs % 86_400) / 3600, (secs % 3600) / 60);
    // civil date from days since 1970-01-01 (Howard Hinnant's algorithm)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let mo = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(mo <= 2);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{m:02}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bench() -> BenchToml {
        crate::config::bench::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("..")).unwrap()
    }

    #[test]
    fn all_targets_include_the_variants() {
        let t = targets(&bench(), &[], false).unwrap();
        let labels: Vec<String> = t.iter().map(Target::label).collect();
        assert!(labels.contains(&"python-flask (no-bytecode)".to_string()));
        assert!(labels.contains(&"go-http".to_string()));
    }

    #[test]
    fn named_targets_and_their_errors() {
        let t = targets(&bench(), &["examples/python-flask:slim".to_string()], false).unwrap();
        assert_eq!(t, [Target::example("python-flask", Some("slim".into()))]);
        let err = targets(&bench(), &["go-http:slim".to_string()], false).unwrap_err();
        assert!(err.starts_with("`go-http` has no variant `slim`"), "{err}");
        let err = targets(&bench(), &["nope".to_string()], false).unwrap_err();
        assert!(
            err.starts_with("bench/bench.toml has no example `nope`"),
            "{err}"
        );
    }

    #[test]
    fn corpus_targets_and_their_errors() {
        let all = targets(&bench(), &[], true).unwrap();
        assert!(all.contains(&Target::corpus("go-gin")), "{all:?}");
        assert!(!targets(&bench(), &[], false)
            .unwrap()
            .iter()
            .any(|t| t.corpus));
        let t = targets(&bench(), &["realworld/go-gin/".to_string()], false).unwrap();
        assert_eq!(t, [Target::corpus("go-gin")]);
        assert_eq!(t[0].label(), "realworld/go-gin");
        assert_eq!(t[0].slug(), "realworld-go-gin");
        let err = targets(&bench(), &["realworld/nope".to_string()], false).unwrap_err();
        assert!(
            err.starts_with("bench/bench.toml has no corpus app `nope`"),
            "{err}"
        );
    }

    #[test]
    fn rows_without_a_cold_build_or_a_dependency_change() {
        let m = Measured {
            size_mb: 7.12,
            layers: 4,
            cold: None,
            source: 1.6,
            source_dep: "cached".into(),
            dep: None,
            user: "65532:65532".into(),
            import_ms: None,
            floor_mb: None,
        };
        let ex = &bench().corpus["go-gin"];
        let rows = table_rows("realworld/go-gin", ex, &m, &m);
        assert_eq!(
            rows[2],
            "| realworld/go-gin | cold build, `--no-cache` (s) | – | – | – |"
        );
        assert_eq!(rows.len(), 6, "{rows:?}");
        assert_eq!(
            rows[5],
            "| realworld/go-gin | user | 65532:65532 | 65532:65532 | – |"
        );
    }

    #[test]
    fn medians_and_agreement() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0]), 2.5);
        assert_eq!(same(&[Rerun::Cached, Rerun::Cached]), "cached");
        assert_eq!(same(&[Rerun::Cached, Rerun::Reran]), "mixed");
        assert_eq!(ratio(1.0, 0.0), "–");
        assert_eq!(ratio(7.1, 175.6), "0.04");
    }

    #[test]
    fn rows_match_the_shell_table() {
        let m = Measured {
            size_mb: 7.12,
            layers: 4,
            cold: Some(26.84),
            source: 1.6,
            source_dep: "none".into(),
            dep: Some((1.3, "none".into())),
            user: "65532:65532".into(),
            import_ms: Some(180.8),
            floor_mb: Some(6.4),
        };
        let ex = &bench().examples["python-flask"];
        let rows = table_rows("python-flask", ex, &m, &m);
        assert_eq!(
            rows[0],
            "| python-flask | final image size (MB) | 7.1 | 7.1 | 1.00 |"
        );
        assert_eq!(
            rows[5],
            "| python-flask | rebuild after a requirements.txt change (s) | 1.3 | 1.3 | 1.00 |"
        );
        assert_eq!(
            rows[7],
            "| python-flask | final image against its floor (MB; the baseline column is the floor) | 7.1 | 6.4 | 1.11 |"
        );
        assert_eq!(
            rows[9],
            "| python-flask | import of `app` in a fresh container (ms) | 180.8 | 180.8 | 1.00 |"
        );
        assert_eq!(rows.len(), 10);
    }

    #[test]
    fn appended_lines_differ_every_time() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("go.mod");
        std::fs::write(&f, "module x\n").unwrap();
        append_line(&f, "// bench: {}").unwrap();
        let once = std::fs::read_to_string(&f).unwrap();
        assert!(once.starts_with("module x\n\n// bench: 1"), "{once}");
        append_line(&f, "").unwrap();
        let twice = std::fs::read_to_string(&f).unwrap();
        append_line(&f, "").unwrap();
        let thrice = std::fs::read_to_string(&f).unwrap();
        let first = &twice[once.len()..];
        let second = &thrice[twice.len()..];
        // whitespace only (valid JSON still), and different each time
        assert!(
            first.chars().all(|c| c == ' ' || c == '\t' || c == '\n'),
            "{first:?}"
        );
        assert!(first.len() > 40, "{first:?}");
        assert_ne!(first, second);
    }

    #[test]
    fn utc_format() {
        let s = utc_minute();
        assert_eq!(s.len(), 17, "{s}");
        assert!(s.starts_with("20") && s.ends_with('Z'));
    }
}
