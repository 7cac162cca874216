//! A real-world app (`tests/realworld/<app>/` with `app/` and corpus.toml): copy `app/`, run
//! `stagegen init` with no flags and check what corpus.toml's `[init]` expects (the preset it
//! chose, or for a genuinely ambiguous app an error that names the knob); then compile, lint,
//! build, run and check the image like an example's, always with the checks every image must
//! pass: non-root, no package manager cache, no forbidden path (the dev dependencies corpus.toml
//! lists). An app with `offline = false` is compiled and linted, not built.

use crate::config::corpus::{Corpus, InitOutcome};
use crate::engine::BuildRequest;

use super::image::{self, Extra};
use super::report::Report;
use super::{compile, Compiled, Ctx};

pub struct Job {
    app: String,
    corpus: Corpus,
    compiled: Compiled,
}

impl Job {
    pub fn images(&self) -> impl Iterator<Item = &String> {
        self.compiled.images.images.iter()
    }
}

/// The files `app/` must not hold: the corpus keeps apps as their authors made them.
const NOT_IN_APP: &[&str] = &[
    "build.toml",
    "Dockerfile",
    ".dockerignore",
    "node_modules",
    ".venv",
];

pub fn prepare(ctx: &Ctx, r: &mut Report, app: &str) -> Option<Job> {
    let dir = ctx.repo.join("tests/realworld").join(app);
    let shown = format!("tests/realworld/{app}/corpus.toml");
    let corpus = match crate::config::corpus::load(&dir.join("corpus.toml"), &shown) {
        Ok(c) => c,
        Err(e) => {
            r.fail("bad corpus.toml");
            r.block(&shown, &e.lines().collect::<Vec<_>>());
            return None;
        }
    };
    r.pending = corpus
        .pending
        .as_ref()
        .map(|p| format!("issue {}: {}", p.issue, p.reason));
    r.info(format!(
        "from a {}: {} ({}, {})",
        corpus.source.kind.as_str(),
        corpus.source.what,
        corpus.source.url,
        corpus.source.license
    ));
    let app_dir = dir.join("app");
    if !app_dir.is_dir() {
        r.fail(format!("tests/realworld/{app} has no app/ folder"));
        return None;
    }
    for name in NOT_IN_APP {
        if app_dir.join(name).exists() {
            r.fail(format!(
                "tests/realworld/{app}/app/ holds `{name}`: the app must be as its authors made it"
            ));
        }
    }
    let ctx_dir = ctx.work.join(format!("realworld-{app}")).join("ctx");
    if let Err(e) = crate::tools::copy_tree(&app_dir, &ctx_dir, &[]) {
        r.fail(e);
        return None;
    }
    let out = ctx.stagegen.init(&ctx_dir);
    let messages = format!("{}{}", out.stderr, out.stdout);
    match corpus.init.expect {
        InitOutcome::Error => {
            let knob = corpus.init.knob.as_deref().unwrap_or_default();
            let phrase = corpus.init.message.as_deref().unwrap_or_default();
            if out.success() {
                r.fail(
                    "stagegen init succeeded; corpus.toml expects an error (the app is ambiguous)",
                );
                r.block("stagegen init", &messages.lines().collect::<Vec<_>>());
            } else if ctx_dir.join("build.toml").exists() {
                r.fail("stagegen init failed but wrote a build.toml");
            } else if !names_knob(&out.stderr, knob) || !out.stderr.contains(phrase) {
                let mut missing = Vec::new();
                if !names_knob(&out.stderr, knob) {
                    missing.push(format!("the knob `{knob}`"));
                }
                if !out.stderr.contains(phrase) {
                    missing.push(format!("the phrase `{phrase}`"));
                }
                r.fail(format!(
                    "stagegen init's error does not name {}",
                    missing.join(" or ")
                ));
                r.block("stagegen init", &messages.lines().collect::<Vec<_>>());
            } else {
                r.ok(format!(
                    "stagegen init refuses, naming `{knob}`: {}",
                    first_line(&out.stderr)
                ));
            }
            None
        }
        InitOutcome::Ok => {
            if !out.success() {
                r.fail("stagegen init failed");
                r.block("stagegen init", &messages.lines().collect::<Vec<_>>());
                return None;
            }
            let want = corpus.init.preset.as_deref().unwrap_or_default();
            match written_preset(&ctx_dir.join("build.toml")) {
                Ok(Some(got)) if got == want => r.ok(format!("stagegen init: preset `{got}`")),
                Ok(got) => r.fail(format!(
                    "stagegen init chose preset {got:?}, corpus.toml expects `{want}`"
                )),
                Err(e) => r.fail(e),
            }
            let compiled = compile(
                ctx,
                r,
                "stagegen dockerfile",
                &ctx_dir.join("build.toml"),
                &ctx_dir,
            )?;
            let e2e = corpus.e2e.as_ref()?;
            if !e2e.offline {
                let reason = e2e.offline_reason.clone().unwrap_or_default();
                r.info(format!("not built: offline = false ({reason})"));
                r.note = Some("compiled and linted, not built (offline = false)".to_string());
                return None;
            }
            Some(Job {
                app: app.to_string(),
                corpus,
                compiled,
            })
        }
    }
}

/// Whether a message names a knob as a knob: `` `workspace `` (in backticks, as a key or a
/// value), `--workspace`, or `workspace =`; the word alone in prose does not count.
fn names_knob(message: &str, knob: &str) -> bool {
    let k = regex::escape(knob);
    regex::Regex::new(&format!(r"(`|--){k}\b|\b{k}\s*=")).is_ok_and(|re| re.is_match(message))
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or_default()
}

/// The `[preset] name` of the build.toml init wrote.
fn written_preset(path: &std::path::Path) -> Result<Option<String>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("stagegen init wrote no readable build.toml: {e}"))?;
    let doc: toml::Table =
        toml::from_str(&text).map_err(|e| format!("the build.toml init wrote is not TOML: {e}"))?;
    Ok(doc
        .get("preset")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
        .map(str::to_string))
}

pub fn execute(ctx: &Ctx, r: &mut Report, job: Job) {
    let Some(spec) = job.corpus.e2e.as_ref() else {
        return;
    };
    let image = ctx.tag(&format!("realworld-{}", job.app));
    let req = BuildRequest {
        context: job.compiled.dir.clone(),
        tag: Some(image.clone()),
        build_args: spec.build_args.clone(),
        ..BuildRequest::default()
    };
    let work = ctx.work.join(format!("realworld-{}", job.app));
    if !image::build(ctx, r, "docker build", &req, &work.join("build.log")) {
        return;
    }
    if let Some(target) = &spec.test_target {
        let test = BuildRequest {
            tag: None,
            target: Some(target.clone()),
            ..req.clone()
        };
        image::build(
            ctx,
            r,
            &format!("docker build --target {target}"),
            &test,
            &work.join("test.log"),
        );
    }
    let extra = Extra {
        caches: true,
        config: true,
    };
    if let Some(info) = image::check_config_and_files(ctx, r, spec, &image, &extra) {
        let hc = if spec.healthcheck {
            info.config.healthcheck.and_then(|h| h.test)
        } else {
            None
        };
        image::check_running(ctx, r, spec, &image, hc.as_deref());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_knob_is_named_as_a_knob() {
        let msg = "error: node app in `.`: a workspace: which of its packages is the app?\n\
                   help: init cannot choose: write a build.toml with `workspace = \"<folder>\"` in `[preset]`";
        assert!(names_knob(msg, "workspace"));
        assert!(names_knob("help: choose one with `--lang go`", "lang"));
        assert!(names_knob("help: pass --main ./cmd/api", "main"));
        assert!(!names_knob(
            "error: a workspace: which of its packages is the app?",
            "workspace"
        ));
        assert!(!names_knob(
            "error: `workspaces` is not a knob",
            "workspace"
        ));
    }
}
