//! The checks every built image goes through (an example's, its init round trip's, a corpus
//! app's): build it, read its config (user, healthcheck, labels), list its files (forbidden
//! programs and paths, package manager caches, required paths), run it and ask for its answer.

use std::time::{Duration, Instant};

use crate::checks;
use crate::config::e2e::{E2eSpec, Kind};
use crate::engine::{BuildRequest, ImageInfo};
use crate::http;

use super::report::Report;
use super::Ctx;

/// Lines of a failed build's step output shown.
const LOG_LINES: usize = 40;

/// Builds `req`, logging to `<log>.log` in the case's folder; reports the time and size, or
/// the failing step and its last lines.
pub fn build(
    ctx: &Ctx,
    r: &mut Report,
    what: &str,
    req: &BuildRequest,
    log: &std::path::Path,
) -> bool {
    let build = ctx.engine.build(req, log);
    if !build.ok {
        r.fail(format!("{what} failed"));
        r.block(
            &format!("build log ({}, the failing step)", log.display()),
            &build.failure_report(LOG_LINES),
        );
        return false;
    }
    let (ran, cached) = build.log.instruction_counts();
    let size = req
        .tag
        .as_deref()
        .and_then(|t| ctx.engine.inspect_image(t).ok())
        .map(|i| format!(", {} MB", i.size / 1_000_000))
        .unwrap_or_default();
    let slowest = build
        .log
        .slowest(1)
        .first()
        .filter(|s| s.seconds.unwrap_or(0.0) >= 1.0)
        .map(|s| {
            format!(
                "; slowest {:.0} s: {}",
                s.seconds.unwrap_or(0.0),
                crate::engine::one_line(&s.name, 70)
            )
        })
        .unwrap_or_default();
    r.ok(format!(
        "{what} ({:.0} s{size}; {ran} steps ran, {cached} cached{slowest})",
        build.seconds
    ));
    if let Some(tag) = &req.tag {
        ctx.made_image(tag);
    }
    true
}

/// What `check_config_and_files` looks at beyond the spec.
pub struct Extra {
    /// the package manager cache check (corpus apps, examples)
    pub caches: bool,
    /// the HEALTHCHECK and label checks of the spec (not for init's build: init writes none)
    pub config: bool,
}

/// The image's config and files, as the spec asks.
pub fn check_config_and_files(
    ctx: &Ctx,
    r: &mut Report,
    spec: &E2eSpec,
    image: &str,
    extra: &Extra,
) -> Option<ImageInfo> {
    let info = match ctx.engine.inspect_image(image) {
        Ok(i) => i,
        Err(e) => {
            r.fail(e);
            return None;
        }
    };
    let user = &info.config.user;
    if checks::is_root(user) {
        r.fail(format!("image runs as root (User=`{user}`)"));
    } else {
        r.ok(format!("user `{user}`"));
    }
    if extra.config {
        if spec.healthcheck {
            match info
                .config
                .healthcheck
                .as_ref()
                .and_then(|h| h.test.clone())
            {
                Some(test) if checks::healthcheck_command(&test).is_some() => {
                    r.ok(format!("healthcheck {test:?}"))
                }
                other => r.fail(format!("image has no HEALTHCHECK (Test={other:?})")),
            }
        }
        let labels = info.config.labels.clone().unwrap_or_default();
        for key in &spec.labels {
            match labels.get(key).filter(|v| !v.is_empty()) {
                Some(v) => r.ok(format!("label {key}={v}")),
                None => r.fail(format!("label `{key}` is not set")),
            }
        }
    }
    let files = match list_image_files(ctx, image) {
        Ok(f) => f,
        Err(e) => {
            r.fail(format!("could not list the image's files: {e}"));
            return Some(info);
        }
    };
    if !spec.forbidden.is_empty() {
        let mut bad = false;
        for program in &spec.forbidden {
            let hits = checks::program_hits(&files, program);
            if !hits.is_empty() {
                bad = true;
                r.fail(format!(
                    "forbidden program `{program}` in the image: {}",
                    hits[..hits.len().min(3)].join(" ")
                ));
            }
        }
        if !bad {
            r.ok(format!(
                "no forbidden program ({}) among the image's {} files",
                spec.forbidden.join(" "),
                files.len()
            ));
        }
    }
    let forbidden = spec.forbidden_prefixes();
    if !forbidden.is_empty() {
        let mut bad = false;
        for prefix in &forbidden {
            let hits = checks::files_under(&files, prefix);
            if !hits.is_empty() {
                bad = true;
                r.fail(format!(
                    "forbidden path `{prefix}` in the image: {}",
                    hits[..hits.len().min(3)].join(" ")
                ));
            }
        }
        if !bad {
            r.ok(format!(
                "forbidden paths hold no file: {}",
                forbidden.join(" ")
            ));
        }
    }
    let required = spec.required_prefixes();
    if !required.is_empty() {
        let mut bad = false;
        for prefix in &required {
            if checks::files_under(&files, prefix).is_empty() {
                bad = true;
                r.fail(format!(
                    "no file under the required path `{prefix}` in the image"
                ));
            }
        }
        if !bad {
            r.ok(format!("required paths hold files: {}", required.join(" ")));
        }
    }
    if extra.caches {
        let hits = checks::cache_hits(&files);
        if hits.is_empty() {
            r.ok("no package manager cache in the image");
        }
        for (tool, files) in hits {
            r.fail(format!(
                "{tool}'s cache is in the image: {}",
                files.join(" ")
            ));
        }
    }
    Some(info)
}

/// The image's file list, from `docker create` + `docker export` (works without a shell).
pub fn list_image_files(ctx: &Ctx, image: &str) -> Result<Vec<String>, String> {
    let container = ctx.engine.create(image, &[], &[])?;
    let mut child = container.export()?;
    let stdout = child.stdout.take().ok_or("docker export has no stdout")?;
    let listed = checks::list_files(stdout).map_err(|e| format!("reading docker export: {e}"));
    crate::engine::finish(child, "docker export")?;
    listed
}

/// Runs the image and checks its answer (and the healthcheck command, when asked).
pub fn check_running(
    ctx: &Ctx,
    r: &mut Report,
    spec: &E2eSpec,
    image: &str,
    healthcheck: Option<&[String]>,
) {
    match spec.kind {
        Kind::Http => check_http(ctx, r, spec, image, healthcheck),
        Kind::Command => check_command(ctx, r, spec, image),
    }
}

fn check_http(
    ctx: &Ctx,
    r: &mut Report,
    spec: &E2eSpec,
    image: &str,
    healthcheck: Option<&[String]>,
) {
    let port = spec.port.unwrap_or(0);
    let container = match ctx.engine.run_detached(image) {
        Ok(c) => c,
        Err(e) => {
            r.fail(e);
            return;
        }
    };
    let Some(host_port) = container.host_port(port) else {
        let exposed = ctx
            .engine
            .inspect_image(image)
            .ok()
            .and_then(|i| i.config.exposed_ports)
            .map(|p| p.into_keys().collect::<Vec<_>>().join(" "))
            .unwrap_or_default();
        r.fail(format!(
            "port {port}/tcp is not published (the image exposes `{exposed}`)"
        ));
        r.block(
            "docker logs (last 40 lines)",
            &container.logs(40).lines().collect::<Vec<_>>(),
        );
        return;
    };
    let url = format!("http://127.0.0.1:{host_port}{}", spec.path());
    let deadline = Instant::now() + ctx.timeout;
    let mut last = String::from("no answer");
    let mut answered = None;
    while Instant::now() < deadline && !crate::interrupt::interrupted() {
        match http::get(host_port, spec.path(), Duration::from_secs(2)) {
            Ok(resp) if resp.status < 400 && resp.body.contains(&spec.expect) => {
                answered = Some(resp.body);
                break;
            }
            Ok(resp) => {
                last = format!(
                    "HTTP {}: {}",
                    resp.status,
                    crate::engine::one_line(&resp.body, 200)
                )
            }
            Err(e) => last = e,
        }
        if !container.running() {
            last = format!(
                "the container stopped (exit {:?}); last: {last}",
                container.exit_code()
            );
            break;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    match &answered {
        Some(body) => r.ok(format!(
            "GET {} answers `{}`",
            spec.path(),
            body.lines().next().unwrap_or_default()
        )),
        None => {
            r.fail(format!(
                "GET {url} did not answer `{}` within {} s (last: `{last}`)",
                spec.expect,
                ctx.timeout.as_secs()
            ));
            r.block(
                "docker logs (last 40 lines)",
                &container.logs(40).lines().collect::<Vec<_>>(),
            );
        }
    }
    // the healthcheck command itself must pass: run it now instead of waiting for the interval
    if let (Some(test), Some(_)) = (healthcheck, &answered) {
        match checks::healthcheck_command(test) {
            Some(cmd) => {
                let out = container.exec(&cmd, ctx.timeout);
                if out.success() {
                    r.ok("healthcheck command passes");
                } else {
                    r.fail(format!(
                        "healthcheck command `{}` failed: {}",
                        cmd.join(" "),
                        out.message()
                    ));
                }
            }
            None => r.fail(format!("the healthcheck {test:?} has no command to run")),
        }
    }
}

fn check_command(ctx: &Ctx, r: &mut Report, spec: &E2eSpec, image: &str) {
    let container = match ctx.engine.create(image, &[], &[]) {
        Ok(c) => c,
        Err(e) => {
            r.fail(e);
            return;
        }
    };
    let out = container.start_attached(ctx.timeout);
    let code = container.exit_code();
    if out.status.is_some() && code == Some(0) && out.stdout.contains(&spec.expect) {
        r.ok(format!(
            "command printed `{}`, exit 0",
            out.stdout.lines().next().unwrap_or_default()
        ));
    } else {
        let timed_out = if out.status.is_none() {
            format!(" (stopped after {} s)", ctx.timeout.as_secs())
        } else {
            String::new()
        };
        r.fail(format!(
            "command exited {}{timed_out}, stdout `{}` (want `{}`)",
            code.map_or("?".to_string(), |c| c.to_string()),
            crate::engine::one_line(&out.stdout, 200),
            spec.expect
        ));
        r.block(
            "docker logs (last 40 lines)",
            &container.logs(40).lines().collect::<Vec<_>>(),
        );
    }
}
