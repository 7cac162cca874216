//! The workspace case (`monorepo`, issue 15): examples/monorepo, copied, compiled with `stagegen
//! bake` and `stagegen compose` (every member's Dockerfile linted), then built for real with
//! `docker buildx bake --load` (every image), `docker buildx bake test` (the `test` group) and
//! `docker compose build`; each image is run and must answer on its port (the API and the worker
//! with the greeting of libs/shared, which both build from the root to reach); and the drift gate
//! `stagegen dockerfile --all --check` passes, then fails after an edit of the shared template.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::report::Report;
use super::Ctx;

/// The members: name, port, what `GET /` must say.
const MEMBERS: &[(&str, u16, &str)] = &[
    // The Go API and the Python worker answer with libs/shared's greeting (`(monorepo,
    // libs/shared)` is written only there): proof that each imported the shared folder.
    ("api", 8080, "hello from api (monorepo, libs/shared)"),
    ("worker", 8000, "hello from worker (monorepo, libs/shared)"),
    ("web", 3000, "hello from web (monorepo)"),
];

/// The images' names: `tags` in examples/monorepo/stagegen.toml.
fn image(name: &str) -> String {
    format!("stagegen-example/{name}:0.1.0")
}

pub struct Job {
    dir: PathBuf,
    images: BTreeSet<String>,
}

impl Job {
    pub fn images(&self) -> impl Iterator<Item = &String> {
        self.images.iter()
    }
}

pub fn prepare(ctx: &Ctx, r: &mut Report) -> Option<Job> {
    let dir = ctx.work.join("monorepo").join("ctx");
    if let Err(e) = crate::tools::copy_tree(&ctx.repo.join("examples/monorepo"), &dir, &[]) {
        r.fail(e);
        return None;
    }
    for command in ["bake", "compose"] {
        let out = ctx.stagegen.in_dir(&dir, &[command]);
        if !out.success() {
            r.fail(format!("stagegen {command} failed"));
            r.block(command, &out.stderr.lines().collect::<Vec<_>>());
            return None;
        }
        r.ok(format!("stagegen {command}"));
    }
    let mut images = BTreeSet::new();
    for dockerfile in ["api.Dockerfile", "worker.Dockerfile", "web/Dockerfile"] {
        let path = dir.join(dockerfile);
        let Ok(text) = std::fs::read_to_string(&path) else {
            r.fail(format!("stagegen bake wrote no {dockerfile}"));
            return None;
        };
        match crate::tools::hadolint(&ctx.repo, &path) {
            Ok(()) => r.ok(format!("{dockerfile}: hadolint clean")),
            Err(lines) => {
                r.fail(format!("{dockerfile}: hadolint reported problems"));
                r.block("hadolint", &lines);
            }
        }
        images.extend(crate::dockerfile::images(&text).images);
    }
    Some(Job { dir, images })
}

/// The longest a `bake` or `compose build` of the example may take.
const BUILD_LIMIT: Duration = Duration::from_secs(30 * 60);

pub fn execute(ctx: &Ctx, r: &mut Report, job: Job) {
    let docker = |r: &mut Report, args: &[&str]| -> bool {
        let mut c = std::process::Command::new(ctx.engine.client());
        c.args(args)
            .current_dir(&job.dir)
            .env("DOCKER_BUILDKIT", "1")
            .stdin(std::process::Stdio::null());
        // A build, not a run: `ctx.timeout` (E2E_TIMEOUT, 30 s) is for containers to answer, and
        // a cold `bake` outlasts it; the other cases' builds have no limit, this one a hang guard.
        let out = crate::engine::output_with_timeout(c, BUILD_LIMIT);
        if out.success() {
            r.ok(format!("docker {}", args.join(" ")));
            true
        } else {
            r.fail(format!("docker {} failed", args.join(" ")));
            let text = format!("{}{}", out.stdout, out.stderr);
            let lines: Vec<&str> = text.lines().collect();
            r.block("last lines", &lines[lines.len().saturating_sub(30)..]);
            false
        }
    };
    let built = docker(r, &["buildx", "bake", "--load"]);
    for (name, _, _) in MEMBERS {
        ctx.made_image(&image(name));
    }
    docker(r, &["buildx", "bake", "test"]);
    docker(r, &["compose", "build"]);
    if built {
        for (name, port, expect) in MEMBERS {
            answers(ctx, r, name, *port, expect);
        }
    }
    let check = ctx
        .stagegen
        .in_dir(&job.dir, &["dockerfile", "--all", "--check"]);
    if check.success() {
        r.ok("stagegen dockerfile --all --check: up to date");
    } else {
        r.fail("stagegen dockerfile --all --check failed before any edit");
        r.block("stderr", &check.stderr.lines().collect::<Vec<_>>());
    }
    let template = job.dir.join("templates/service.toml");
    let edited = std::fs::read_to_string(&template)
        .map(|t| t.replace("{{ member.name }}\"", "{{ member.name }}-edited\""))
        .and_then(|t| std::fs::write(&template, t));
    if let Err(e) = edited {
        r.fail(format!("cannot edit the template: {e}"));
        return;
    }
    let check = ctx
        .stagegen
        .in_dir(&job.dir, &["dockerfile", "--all", "--check"]);
    if check.status.and_then(|s| s.code()) == Some(1) && check.stderr.contains("out of date") {
        r.ok("stagegen dockerfile --all --check: exit 1 after the template edit");
    } else {
        r.fail("stagegen dockerfile --all --check did not catch the template edit");
        r.block("stderr", &check.stderr.lines().collect::<Vec<_>>());
    }
}

/// Run member `name`'s image and wait for `GET /` to answer with `expect`.
fn answers(ctx: &Ctx, r: &mut Report, name: &str, port: u16, expect: &str) {
    let container = match ctx.engine.run_detached(&image(name)) {
        Ok(c) => c,
        Err(e) => {
            r.fail(e);
            return;
        }
    };
    let Some(host_port) = container.host_port(port) else {
        r.fail(format!("{name}: port {port}/tcp is not published"));
        return;
    };
    let deadline = Instant::now() + ctx.timeout.min(Duration::from_secs(60));
    let mut last = String::from("no answer");
    while Instant::now() < deadline && !crate::interrupt::interrupted() {
        match crate::http::get(host_port, "/", Duration::from_secs(2)) {
            Ok(resp) if resp.status == 200 && resp.body.contains(expect) => {
                r.ok(format!("{name}: GET / answers `{expect}`"));
                return;
            }
            Ok(resp) => last = format!("status {}: {}", resp.status, resp.body.trim()),
            Err(e) => last = e,
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    r.fail(format!("{name}: GET / did not answer `{expect}` ({last})"));
    r.block(
        "docker logs",
        &container.logs(30).lines().collect::<Vec<_>>(),
    );
}
