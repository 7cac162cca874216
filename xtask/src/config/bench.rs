//! `bench/bench.toml`: what the image benchmark measures for each example (the file a source
//! change goes into, the dependency manifest, the step that installs the dependencies, the
//! module a fresh container imports), its variants and its baseline.

use std::collections::BTreeMap;
use std::path::Path;

use regex::Regex;
use serde::Deserialize;

use super::Problems;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BenchToml {
    /// how many times each build is measured (the median is reported); `--runs` wins
    #[serde(default = "one")]
    pub runs: u32,
    /// by example name (a folder of `examples/`)
    #[serde(default)]
    pub examples: BTreeMap<String, BenchExample>,
    /// by corpus app name (a folder of `tests/realworld/`): the same keys, the files relative to
    /// the app's `app/` folder, the baseline `tests/realworld/<app>/baseline.Dockerfile`; stagegen's
    /// side is what `stagegen init` (no flags) writes for a copy of the app
    #[serde(default)]
    pub corpus: BTreeMap<String, BenchExample>,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BenchExample {
    /// the hand-written Dockerfile, in `bench/baselines/<example>/` (default `Dockerfile`); a
    /// corpus app's is always its `baseline.Dockerfile`
    #[serde(default = "default_baseline")]
    pub baseline: String,
    /// other build.toml files for the same sources: `bench/baselines/<example>/<variant>.build.toml`
    #[serde(default)]
    pub variants: Vec<String>,
    /// the file (in the example) a one-line source change is appended to
    pub source: String,
    /// the line appended, `{}` replaced by a fresh number, e.g. `"// bench: source change {}"`
    pub source_line: String,
    /// the dependency manifest a one-line change is appended to; only a corpus app without
    /// dependencies (a lone script) may leave it out, and then has no dependency-change rows
    pub dep_file: Option<String>,
    /// the line appended to it; `""` appends a line of whitespace unique to the change (JSON
    /// has no comments)
    #[serde(default)]
    pub dep_line: String,
    /// a regular expression for the name of the step(s) that install the dependencies, e.g.
    /// `"npm (ci|install)"`
    pub dep_step: String,
    /// a Python module a fresh container of each image imports: adds the import-time row
    pub import: Option<BenchImport>,
}

fn default_baseline() -> String {
    "Dockerfile".to_string()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BenchImport {
    pub module: String,
    /// the interpreter in stagegen's image (default `python`)
    #[serde(default = "python")]
    pub python: String,
    /// the interpreter in the baseline image (default `python`)
    #[serde(default = "python")]
    pub baseline_python: String,
}

fn python() -> String {
    "python".to_string()
}

impl BenchExample {
    pub fn dep_step_regex(&self) -> Result<Regex, String> {
        Regex::new(&self.dep_step).map_err(|e| e.to_string())
    }
}

impl BenchToml {
    /// Checks every entry against the repository: the example and its files exist, each listed
    /// variant has its build.toml and every variant build.toml is listed, every baseline folder
    /// has an entry (so the benchmark's list is never stale); likewise every corpus app with a
    /// `baseline.Dockerfile` that `init` must handle has an entry, and each entry's files exist.
    pub fn validate(&self, repo: &Path, shown: &str) -> Result<(), String> {
        let mut p = Problems::default();
        if self.runs == 0 {
            p.key(shown, "runs", "must be at least 1");
        }
        for (name, ex) in &self.examples {
            validate_example(&mut p, repo, shown, name, ex);
        }
        for (name, ex) in &self.corpus {
            validate_corpus_app(&mut p, repo, shown, name, ex);
        }
        let listed = |dir: &str, have: &BTreeMap<String, BenchExample>| -> Vec<String> {
            let Ok(entries) = std::fs::read_dir(repo.join(dir)) else {
                return Vec::new();
            };
            let mut missing: Vec<String> = entries
                .filter_map(|e| e.ok())
                .filter(|e| e.path().is_dir())
                .filter_map(|e| e.file_name().to_str().map(str::to_string))
                .filter(|n| !have.contains_key(n))
                .collect();
            missing.sort();
            missing
        };
        for n in listed("bench/baselines", &self.examples) {
            p.key(
                shown,
                "examples",
                format!("has no entry for `bench/baselines/{n}/`"),
            );
        }
        for n in listed("tests/realworld", &self.corpus) {
            let app = repo.join("tests/realworld").join(&n);
            if app.join("baseline.Dockerfile").is_file() && corpus_builds(&app) {
                p.key(
                    shown,
                    "corpus",
                    format!(
                        "has no entry for `tests/realworld/{n}/` (it has a baseline.Dockerfile)"
                    ),
                );
            }
        }
        p.into_result()
    }
}

/// Whether `init` must write a build.toml for the corpus app at `app` (not an expected error);
/// a corpus.toml that does not load is the corpus checks' to report.
fn corpus_builds(app: &Path) -> bool {
    super::corpus::load(&app.join("corpus.toml"), "corpus.toml")
        .is_ok_and(|c| c.init.expect == super::corpus::InitOutcome::Ok)
}

/// The keys every entry shares: the lines and the step's regular expression.
fn validate_lines(p: &mut Problems, shown: &str, key: &dyn Fn(&str) -> String, ex: &BenchExample) {
    if !ex.source_line.contains("{}") {
        p.key(
            shown,
            &key("source-line"),
            "must contain `{}` (a fresh number, so that every change differs)",
        );
    }
    if !ex.dep_line.is_empty() && !ex.dep_line.contains("{}") {
        p.key(
            shown,
            &key("dep-line"),
            "must contain `{}`, or be `\"\"` (a line of whitespace)",
        );
    }
    if let Err(e) = ex.dep_step_regex() {
        p.key(
            shown,
            &key("dep-step"),
            format!("is not a regular expression: {e}"),
        );
    }
}

/// `source` and `dep-file` exist under `dir` (shown as `shown_dir`).
fn validate_files(
    p: &mut Problems,
    shown: &str,
    key: &dyn Fn(&str) -> String,
    ex: &BenchExample,
    dir: &Path,
    shown_dir: &str,
) {
    let files =
        std::iter::once(("source", Some(&ex.source))).chain([("dep-file", ex.dep_file.as_ref())]);
    for (k, file) in files {
        if let Some(file) = file {
            if !dir.join(file).is_file() {
                p.key(shown, &key(k), format!("there is no `{shown_dir}/{file}`"));
            }
        }
    }
}

fn validate_example(p: &mut Problems, repo: &Path, shown: &str, name: &str, ex: &BenchExample) {
    let key = |k: &str| format!("examples.{name}.{k}");
    let example = repo.join("examples").join(name);
    if !example.join("build.toml").is_file() {
        p.key(
            shown,
            &format!("examples.{name}"),
            format!("there is no `examples/{name}/build.toml`"),
        );
        return;
    }
    let baselines = repo.join("bench/baselines").join(name);
    if !baselines.join(&ex.baseline).is_file() {
        p.key(
            shown,
            &key("baseline"),
            format!("there is no `bench/baselines/{name}/{}`", ex.baseline),
        );
    }
    if ex.dep_file.is_none() {
        p.key(
            shown,
            &key("dep-file"),
            "is missing: every example has a dependency manifest",
        );
    }
    validate_files(p, shown, &key, ex, &example, &format!("examples/{name}"));
    validate_lines(p, shown, &key, ex);
    for v in &ex.variants {
        if !baselines.join(format!("{v}.build.toml")).is_file() {
            p.key(
                shown,
                &key("variants"),
                format!("there is no `bench/baselines/{name}/{v}.build.toml`"),
            );
        }
    }
    if let Ok(dir) = std::fs::read_dir(&baselines) {
        let mut unlisted: Vec<String> = dir
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                e.file_name()
                    .to_str()
                    .and_then(|n| n.strip_suffix(".build.toml"))
                    .map(str::to_string)
            })
            .filter(|v| !ex.variants.contains(v))
            .collect();
        unlisted.sort();
        for v in unlisted {
            p.key(
                shown,
                &key("variants"),
                format!("does not list `{v}` (bench/baselines/{name}/{v}.build.toml)"),
            );
        }
    }
    if let Some(import) = &ex.import {
        if import.module.trim().is_empty() {
            p.key(shown, &key("import.module"), "must name a module");
        }
    }
}

fn validate_corpus_app(p: &mut Problems, repo: &Path, shown: &str, name: &str, ex: &BenchExample) {
    let key = |k: &str| format!("corpus.{name}.{k}");
    let dir = repo.join("tests/realworld").join(name);
    if !dir.join("baseline.Dockerfile").is_file() {
        p.key(
            shown,
            &format!("corpus.{name}"),
            format!("there is no `tests/realworld/{name}/baseline.Dockerfile`"),
        );
        return;
    }
    if ex.baseline != default_baseline() || !ex.variants.is_empty() || ex.import.is_some() {
        p.key(
            shown,
            &format!("corpus.{name}"),
            "takes no `baseline`, `variants` or `import`: a corpus app is measured as `init` writes it, against its baseline.Dockerfile",
        );
    }
    let app = dir.join("app");
    validate_files(
        p,
        shown,
        &key,
        ex,
        &app,
        &format!("tests/realworld/{name}/app"),
    );
    validate_lines(p, shown, &key, ex);
}

pub fn load(repo: &Path) -> Result<BenchToml, String> {
    let shown = "bench/bench.toml";
    let bench: BenchToml = super::load(&repo.join(shown), shown)?;
    bench.validate(repo, shown)?;
    Ok(bench)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    #[test]
    fn the_checked_in_bench_toml_is_valid() {
        let bench = load(&repo()).unwrap();
        assert!(bench.examples.contains_key("go-http"));
        assert_eq!(
            bench.examples["python-flask"]
                .import
                .as_ref()
                .unwrap()
                .module,
            "app"
        );
    }

    #[test]
    fn stale_entries_are_named() {
        let text = "[examples.go-http]\nsource = \"nope.go\"\nsource-line = \"// x\"\ndep-file = \"go.mod\"\n\
                    dep-line = \"\"\ndep-step = \"go (mod\"\nvariants = [\"gone\"]\n\
                    [examples.no-such]\nsource = \"a\"\nsource-line = \"{}\"\ndep-file = \"b\"\ndep-line = \"\"\ndep-step = \"x\"\n";
        let bench: BenchToml = super::super::parse(text, "bench.toml").unwrap();
        let err = bench.validate(&repo(), "bench.toml").unwrap_err();
        assert!(
            err.contains("`examples.go-http.source`: there is no `examples/go-http/nope.go`"),
            "{err}"
        );
        assert!(
            err.contains("`examples.go-http.source-line`: must contain `{}`"),
            "{err}"
        );
        assert!(
            err.contains("`examples.go-http.dep-step`: is not a regular expression"),
            "{err}"
        );
        assert!(
            err.contains("there is no `bench/baselines/go-http/gone.build.toml`"),
            "{err}"
        );
        assert!(
            err.contains("`examples.no-such`: there is no `examples/no-such/build.toml`"),
            "{err}"
        );
        assert!(
            err.contains("`examples`: has no entry for `bench/baselines/python-flask/`"),
            "{err}"
        );
    }

    #[test]
    fn stale_corpus_entries_are_named() {
        let text = "[corpus.go-gin]\nsource = \"nope.go\"\nsource-line = \"// {}\"\ndep-step = \"go mod download\"\n\
                    baseline = \"other.Dockerfile\"\n\
                    [corpus.no-such]\nsource = \"a\"\nsource-line = \"{}\"\ndep-step = \"x\"\n";
        let bench: BenchToml = super::super::parse(text, "bench.toml").unwrap();
        let err = bench.validate(&repo(), "bench.toml").unwrap_err();
        assert!(
            err.contains(
                "`corpus.go-gin.source`: there is no `tests/realworld/go-gin/app/nope.go`"
            ),
            "{err}"
        );
        assert!(
            err.contains("`corpus.go-gin`: takes no `baseline`, `variants` or `import`"),
            "{err}"
        );
        assert!(
            err.contains(
                "`corpus.no-such`: there is no `tests/realworld/no-such/baseline.Dockerfile`"
            ),
            "{err}"
        );
        assert!(
            err.contains("`corpus`: has no entry for `tests/realworld/go-chi/` (it has a baseline.Dockerfile)"),
            "{err}"
        );
        // an app whose init must fail has nothing to measure
        assert!(!err.contains("go-work-several-mains"), "{err}");
    }

    #[test]
    fn an_example_needs_its_dependency_manifest() {
        let text = "[examples.go-http]\nsource = \"cmd/server/main.go\"\nsource-line = \"// {}\"\ndep-step = \"go mod download\"\n";
        let bench: BenchToml = super::super::parse(text, "bench.toml").unwrap();
        let err = bench.validate(&repo(), "bench.toml").unwrap_err();
        assert!(
            err.contains(
                "`examples.go-http.dep-file`: is missing: every example has a dependency manifest"
            ),
            "{err}"
        );
    }

    #[test]
    fn an_unlisted_variant_is_named() {
        let text = "[examples.python-flask]\nsource = \"app.py\"\nsource-line = \"# {}\"\ndep-file = \"requirements.txt\"\n\
                    dep-line = \"# {}\"\ndep-step = \"pip\"\nvariants = [\"slim\"]\n";
        let bench: BenchToml = super::super::parse(text, "bench.toml").unwrap();
        let err = bench.validate(&repo(), "bench.toml").unwrap_err();
        assert!(
            err.contains("`examples.python-flask.variants`: does not list `no-bytecode`"),
            "{err}"
        );
    }
}
