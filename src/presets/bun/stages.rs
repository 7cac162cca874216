//! The Bun preset's stages, one function each: `build` (every dependency, the sources, the
//! `build` script), `prod-deps` (production dependencies only), `test` (the `test` script),
//! `dev` (the build stage running the `dev` script); the runtime stage is
//! [`runtime`](crate::presets::bun::runtime). Also the `.dockerignore` patterns.

use crate::ir::{Base, Copy, Run, Stage};
use crate::presets::bun::settings::{BunSettings, Test};
use crate::presets::bun::{APP_DIR, IGNORE};
use crate::presets::common::{apt_install, dev_stage, test_stage, with_build_env, with_secrets};
use crate::presets::node::package_manager::Deps;
use crate::presets::Context;

/// The builder with `system-packages`.
fn builder(s: &BunSettings, cx: &Context<'_>, name: &str, description: &str) -> Stage {
    let mut stage = Stage::new(name, description, Base::Image(s.builder.clone())).workdir(APP_DIR);
    if !cx.common.system_packages.is_empty() {
        stage = stage.step(apt_install(&cx.common.system_packages));
    }
    stage
}

/// `bun install` with Bun's cache and `[preset] secrets` mounted, keyed on its inputs.
fn install(s: &BunSettings, cx: &Context<'_>, deps: Deps) -> Run {
    let mut run = Run::shell(s.pm.install(deps, None, 0)).inputs(s.install_inputs.clone());
    run.mounts = s.pm.cache_mounts();
    with_secrets(run, &cx.common.secrets)
}

fn locked(s: &BunSettings) -> &'static str {
    if s.pm.lock.is_some() {
        "from the lock file"
    } else {
        "resolved at build time (no lock file)"
    }
}

/// Every dependency, then the sources (the optimizer moves the install ahead, keyed on its
/// inputs), then the build script.
pub(super) fn build(s: &BunSettings, cx: &Context<'_>) -> Stage {
    let deps = if s.needs_install {
        format!("every dependency {}, then the sources", locked(s))
    } else {
        "the sources (no dependencies to install)".to_string()
    };
    let description = match &s.build_script {
        Some(b) => format!("{deps}, built with the `{b}` script"),
        None => deps,
    };
    let mut build = builder(s, cx, "build", &description);
    build.args = cx.args.to_vec();
    build = with_build_env(build, &[], &cx.common.build_env);
    build = build.step(Copy::context(["."], "."));
    if s.needs_install {
        build = build.step(install(s, cx, Deps::All));
    }
    if let Some(script) = &s.build_script {
        build = build.step(Run::shell(s.pm.run_script(script, None)));
    }
    build
}

/// Production dependencies only, from the manifests and the lock file.
pub(super) fn prod_deps(s: &BunSettings, cx: &Context<'_>) -> Stage {
    let description = format!(
        "production dependencies only, {} (dev dependencies left out)",
        locked(s)
    );
    builder(s, cx, "prod-deps", &description)
        .step(Copy::context(s.install_inputs.clone(), "./"))
        .step(install(s, cx, Deps::Production))
}

/// The `test` script (or `bun test`), with `CI` set.
pub(super) fn test(s: &BunSettings) -> Stage {
    let test = test_stage("build", "").env("CI", "true");
    match s.test {
        Some(Test::Script) => test.step(Run::shell(s.pm.run_script("test", None))),
        Some(Test::Runner) => test.step(Run::shell("bun test")),
        None => test,
    }
}

pub(super) fn dev(s: &BunSettings) -> Stage {
    let mut dev = dev_stage(
        Base::Stage("build".into()),
        "every dependency and the sources, running the app in development mode",
    );
    if s.start.shell_syntax && s.start.words == s.dev_command {
        // A Procfile's shell line reads the variables the image sets (`$PORT`).
        for (k, v) in &s.start.env {
            dev = dev.env(k, v);
        }
    }
    dev.image.cmd = Some(s.dev_command.clone());
    dev
}

/// Installed packages, logs, local environment files, and the build output (the build writes
/// it; a stale local copy must not reach the image).
pub(super) fn ignore(s: &BunSettings) -> Vec<String> {
    let mut ignore: Vec<String> = IGNORE.iter().map(|s| s.to_string()).collect();
    if s.build_script.is_some() {
        ignore.push(s.out_dir.clone());
    }
    ignore
}
