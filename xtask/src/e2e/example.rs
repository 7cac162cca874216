//! An example (`examples/<name>/` with build.toml and e2e.toml): compile its build.toml, lint,
//! build, build the test target, check the image's config and files, run it; then the same app
//! through `stagegen init` (no build.toml, detect, compile, lint, build, run: the same answer).

use std::path::PathBuf;

use crate::config::e2e::E2eSpec;
use crate::engine::BuildRequest;

use super::image::{self, Extra};
use super::report::Report;
use super::{compile, Compiled, Ctx};

pub struct Job {
    name: String,
    spec: E2eSpec,
    main: Compiled,
    init: Option<Compiled>,
}

impl Job {
    pub fn images(&self) -> impl Iterator<Item = &String> {
        self.main
            .images
            .images
            .iter()
            .chain(self.init.iter().flat_map(|c| c.images.images.iter()))
    }
}

/// Compiles the example and its init round trip (no engine needed).
pub fn prepare(ctx: &Ctx, r: &mut Report, name: &str) -> Option<Job> {
    let dir = ctx.repo.join("examples").join(name);
    let shown = format!("examples/{name}/e2e.toml");
    if !dir.join("build.toml").is_file() {
        r.fail(format!("examples/{name} has no build.toml"));
        return None;
    }
    if !dir.join("e2e.toml").is_file() {
        r.fail(format!(
            "examples/{name} has no e2e.toml: every example is proven by the e2e suite"
        ));
        return None;
    }
    let spec = match crate::config::e2e::load(&dir.join("e2e.toml"), &shown) {
        Ok(s) => s,
        Err(e) => {
            r.fail("bad e2e.toml");
            r.block(&shown, &e.lines().collect::<Vec<_>>());
            return None;
        }
    };
    // the build context is a copy of the example: the Dockerfile and .dockerignore stagegen
    // writes sit in it, and the repository is never written to
    let work = ctx.work.join(name);
    let ctx_dir = work.join("ctx");
    if let Err(e) = crate::tools::copy_tree(&dir, &ctx_dir, &["Dockerfile", ".dockerignore"]) {
        r.fail(e);
        return None;
    }
    let main = compile(
        ctx,
        r,
        "stagegen dockerfile",
        &ctx_dir.join("build.toml"),
        &ctx_dir,
    )?;
    let init = prepare_init(ctx, r, name);
    Some(Job {
        name: name.to_string(),
        spec,
        main,
        init,
    })
}

/// `stagegen init` on a copy of the example without its build.toml, then `stagegen dockerfile`
/// on what it wrote.
fn prepare_init(ctx: &Ctx, r: &mut Report, name: &str) -> Option<Compiled> {
    let dir = ctx.repo.join("examples").join(name);
    let ctx_dir: PathBuf = ctx.work.join(format!("{name}-init")).join("ctx");
    if let Err(e) = crate::tools::copy_tree(
        &dir,
        &ctx_dir,
        &["build.toml", "Dockerfile", ".dockerignore"],
    ) {
        r.fail(e);
        return None;
    }
    let out = ctx.stagegen.init(&ctx_dir);
    if !out.success() {
        r.fail("stagegen init failed");
        r.block("stagegen init", &out.stderr.lines().collect::<Vec<_>>());
        return None;
    }
    let findings = out
        .stderr
        .lines()
        .chain(out.stdout.lines())
        .filter(|l| l.starts_with("found:"))
        .count();
    r.ok(format!("stagegen init: {findings} findings"));
    compile(
        ctx,
        r,
        "init -> stagegen dockerfile",
        &ctx_dir.join("build.toml"),
        &ctx_dir,
    )
}

pub fn execute(ctx: &Ctx, r: &mut Report, job: Job) {
    let image = ctx.tag(&job.name);
    let req = BuildRequest {
        context: job.main.dir.clone(),
        tag: Some(image.clone()),
        build_args: job.spec.build_args.clone(),
        ..BuildRequest::default()
    };
    let work = ctx.work.join(&job.name);
    if image::build(ctx, r, "docker build", &req, &work.join("build.log")) {
        if let Some(target) = &job.spec.test_target {
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
        if let Some(info) = image::check_config_and_files(ctx, r, &job.spec, &image, &extra) {
            let hc = if job.spec.healthcheck {
                info.config.healthcheck.and_then(|h| h.test)
            } else {
                None
            };
            image::check_running(ctx, r, &job.spec, &image, hc.as_deref());
        }
    }
    if crate::interrupt::interrupted() {
        return;
    }
    // the same app through `stagegen init`: init writes no health check and no labels, and
    // may choose another runtime flavour than the example, so the user, the package manager
    // caches and the answer are checked (the corpus checks init's builds in full)
    if let Some(init) = job.init {
        let image = ctx.tag(&format!("{}-init", job.name));
        let req = BuildRequest {
            context: init.dir.clone(),
            tag: Some(image.clone()),
            build_args: job.spec.build_args.clone(),
            ..BuildRequest::default()
        };
        let log = ctx
            .work
            .join(format!("{}-init", job.name))
            .join("build.log");
        if image::build(ctx, r, "init -> docker build", &req, &log) {
            let spec = E2eSpec {
                healthcheck: false,
                labels: Vec::new(),
                forbidden: Vec::new(),
                forbidden_paths: Vec::new(),
                required_paths: Vec::new(),
                ..job.spec.clone()
            };
            let extra = Extra {
                caches: true,
                config: false,
            };
            if image::check_config_and_files(ctx, r, &spec, &image, &extra).is_some() {
                image::check_running(ctx, r, &spec, &image, None);
            }
        }
    }
}
