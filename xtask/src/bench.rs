//! `cargo xtask bench images`: stagegen's Dockerfile against a hand-written baseline, per
//! example of `bench/bench.toml` (and per variant, `EXAMPLE:VARIANT`). Both are built side by
//! side, each in its own temporary copy of the example, and measured: final image size and
//! layers, a cold build (`--no-cache`), a rebuild after a one-line source change and after a
//! one-line dependency manifest change, whether the dependency step re-ran for each (from the
//! BuildKit log), the user, and for Python the time a fresh container takes to import the app.
//! Every timing is the median of `--runs` runs. Progress goes to stderr, the markdown table to
//! stdout.
//!
//! Imports `config::bench`, `engine`, `buildlog`, `dockerfile`, `images`, `tools`.

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
}

/// One thing measured: an example, or an example built from a variant build.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    example: String,
    variant: Option<String>,
}

impl Target {
    fn label(&self) -> String {
        match &self.variant {
            Some(v) => format!("{} ({v})", self.example),
            None => self.example.clone(),
        }
    }

    fn slug(&self) -> String {
        match &self.variant {
            Some(v) => format!("{}@{v}", self.example),
            None => self.example.clone(),
        }
    }
}

/// What one image measured.
#[derive(Debug, Clone)]
struct Measured {
    size_mb: f64,
    layers: usize,
    cold: f64,
    source: f64,
    source_dep: String,
    dep: f64,
    dep_dep: String,
    user: String,
    import_ms: Option<f64>,
}

fn targets(bench: &BenchToml, wanted: &[String]) -> Result<Vec<Target>, String> {
    if wanted.is_empty() {
        let mut out = Vec::new();
        for (name, ex) in &bench.examples {
            out.push(Target {
                example: name.clone(),
                variant: None,
            });
            for v in &ex.variants {
                out.push(Target {
                    example: name.clone(),
                    variant: Some(v.clone()),
                });
            }
        }
        return Ok(out);
    }
    let mut out = Vec::new();
    for w in wanted {
        let w = w.trim_end_matches('/');
        let w = w.strip_prefix("examples/").unwrap_or(w);
        let (example, variant) = match w.split_once(':') {
            Some((e, v)) => (e, Some(v.to_string())),
            None => (w, None),
        };
        let Some(ex) = bench.examples.get(example) else {
            let names: Vec<&str> = bench.examples.keys().map(String::as_str).collect();
            return Err(format!(
                "bench/bench.toml has no example `{example}`\nhelp: it has {}",
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
        out.push(Target {
            example: example.to_string(),
            variant,
        });
    }
    Ok(out)
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
        let (mut cold, mut src, mut dep) = (Vec::new(), Vec::new(), Vec::new());
        let (mut src_dep, mut dep_dep) = (Vec::new(), Vec::new());
        for run in 1..=self.runs {
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
            cold.push(t);

            eprintln!(
                "  {who} (run {run}/{}): rebuild after a line appended to {}",
                self.runs, ex.source
            );
            append_line(&ctx.join(&ex.source), &ex.source_line)?;
            let (t, log) = self.build(
                "source change",
                tag,
                ctx,
                false,
                &logs.join(format!("src.{run}.log")),
            )?;
            src.push(t);
            src_dep.push(log.rerun(&dep_step));

            eprintln!(
                "  {who} (run {run}/{}): rebuild after a line appended to {}",
                self.runs, ex.dep_file
            );
            append_line(&ctx.join(&ex.dep_file), &ex.dep_line)?;
            let (t, log) = self.build(
                "dependency change",
                tag,
                ctx,
                false,
                &logs.join(format!("dep.{run}.log")),
            )?;
            dep.push(t);
            dep_dep.push(log.rerun(&dep_step));
        }
        let info = self.engine.inspect_image(tag)?;
        let import_ms = match (&ex.import, python) {
            (Some(import), Some(py)) => Some(self.import_ms(tag, py, &import.module)?),
            _ => None,
        };
        Ok(Measured {
            size_mb: info.size as f64 / 1e6,
            layers: info.root_fs.layers.len(),
            cold: median(&cold),
            source: median(&src),
            source_dep: same(&src_dep),
            dep: median(&dep),
            dep_dep: same(&dep_dep),
            user: if info.config.user.is_empty() {
                "root".to_string()
            } else {
                info.config.user
            },
            import_ms,
        })
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
    let targets = targets(&bench, &opts.targets)?;
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

    // the contexts, and every image their Dockerfiles need, before anything is built
    let mut needed = std::collections::BTreeSet::new();
    let mut contexts: Vec<(Target, PathBuf, PathBuf)> = Vec::new();
    for t in &targets {
        let example = repo.join("examples").join(&t.example);
        let ex = &bench.examples[&t.example];
        let sg = work.path().join(t.slug()).join("stagegen");
        let bl = work.path().join(t.slug()).join("baseline");
        for dir in [&sg, &bl] {
            tools::copy_tree(&example, dir, &["Dockerfile", ".dockerignore"])?;
        }
        let baselines = repo.join("bench/baselines").join(&t.example);
        if let Some(v) = &t.variant {
            std::fs::copy(
                baselines.join(format!("{v}.build.toml")),
                sg.join("build.toml"),
            )
            .map_err(|e| e.to_string())?;
        }
        let out = stagegen.dockerfile(&sg.join("build.toml"), &sg.join("Dockerfile"));
        if !out.success() {
            return Err(format!(
                "stagegen dockerfile failed for {}:\n{}",
                t.label(),
                out.stderr
            ));
        }
        std::fs::copy(baselines.join(&ex.baseline), bl.join("Dockerfile"))
            .map_err(|e| e.to_string())?;
        for dir in [&sg, &bl] {
            let text =
                std::fs::read_to_string(dir.join("Dockerfile")).map_err(|e| e.to_string())?;
            needed.extend(crate::dockerfile::images(&text).images);
        }
        contexts.push((t.clone(), sg, bl));
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
        made: Vec::new(),
    };
    let mut rows: Vec<String> = Vec::new();
    let mut baselines_done: BTreeMap<String, Measured> = BTreeMap::new();
    let result = (|| -> Result<(), String> {
        for (t, sg, bl) in &contexts {
            if crate::interrupt::interrupted() {
                return Err("interrupted".to_string());
            }
            let ex = &bench.examples[&t.example];
            eprintln!("bench: {}", t.label());
            let sg_tag = match &t.variant {
                Some(v) => format!("stagegen-bench/{}:stagegen-{v}", t.example),
                None => format!("stagegen-bench/{}:stagegen", t.example),
            };
            let s = b.measure(
                "stagegen",
                sg,
                &sg_tag,
                ex,
                ex.import.as_ref().map(|i| i.python.as_str()),
            )?;
            // the baseline is measured once per example, whatever the number of variants
            let bm = match baselines_done.get(&t.example) {
                Some(m) => m.clone(),
                None => {
                    let tag = format!("stagegen-bench/{}:baseline", t.example);
                    let m = b.measure(
                        "baseline",
                        bl,
                        &tag,
                        ex,
                        ex.import.as_ref().map(|i| i.baseline_python.as_str()),
                    )?;
                    baselines_done.insert(t.example.clone(), m.clone());
                    m
                }
            };
            rows.extend(table_rows(&t.label(), ex, &s, &bm));
        }
        Ok(())
    })();

    if !opts.keep_images {
        for image in &b.made {
            engine.remove_image(image);
        }
    }
    if opts.keep_work {
        eprintln!("bench: build logs kept in {}", work.keep().display());
    }
    result?;

    println!("| example | metric | stagegen | baseline | stagegen/baseline |");
    println!("|---|---|---:|---:|---:|");
    for r in &rows {
        println!("{r}");
    }
    println!();
    println!(
        "{}, {} cores, docker {}, cache mounts {} before cold builds; times are the median of {runs} run(s).",
        utc_minute(),
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        engine.server_version(),
        if opts.prune_mounts { "pruned" } else { "not pruned" },
    );
    Ok(())
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
        row(
            "cold build, `--no-cache` (s)",
            format!("{:.1}", s.cold),
            format!("{:.1}", b.cold),
            ratio(round1(s.cold), round1(b.cold)),
        ),
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
        row(
            &format!("rebuild after a {} change (s)", ex.dep_file),
            format!("{:.1}", s.dep),
            format!("{:.1}", b.dep),
            ratio(round1(s.dep), round1(b.dep)),
        ),
        row(
            &format!("dependency step on the {} change", ex.dep_file),
            s.dep_dep.clone(),
            b.dep_dep.clone(),
            "–".into(),
        ),
        row("user", s.user.clone(), b.user.clone(), "–".into()),
    ];
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
        let t = targets(&bench(), &[]).unwrap();
        let labels: Vec<String> = t.iter().map(Target::label).collect();
        assert!(labels.contains(&"python-flask (distroless-no-bytecode)".to_string()));
        assert!(labels.contains(&"go-http".to_string()));
    }

    #[test]
    fn named_targets_and_their_errors() {
        let t = targets(&bench(), &["examples/python-flask:distroless".to_string()]).unwrap();
        assert_eq!(
            t,
            [Target {
                example: "python-flask".into(),
                variant: Some("distroless".into())
            }]
        );
        let err = targets(&bench(), &["go-http:slim".to_string()]).unwrap_err();
        assert!(err.starts_with("`go-http` has no variant `slim`"), "{err}");
        let err = targets(&bench(), &["nope".to_string()]).unwrap_err();
        assert!(
            err.starts_with("bench/bench.toml has no example `nope`"),
            "{err}"
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
            cold: 26.84,
            source: 1.6,
            source_dep: "none".into(),
            dep: 1.3,
            dep_dep: "none".into(),
            user: "65532:65532".into(),
            import_ms: Some(180.8),
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
            rows[8],
            "| python-flask | import of `app` in a fresh container (ms) | 180.8 | 180.8 | 1.00 |"
        );
        assert_eq!(rows.len(), 9);
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
