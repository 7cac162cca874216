//! The Node preset's stages, one function each: `build` (every dependency, the sources, the
//! workspace packages' builds and the app's), `prod-deps` (production dependencies only),
//! `test` (the `test` script), `dev` (the build stage running the `dev` script); the runtime
//! stage is [`runtime`](crate::presets::node::runtime). Also the `.dockerignore` patterns.

use crate::ir::{Base, Run, Stage};
use crate::presets::common::{dev_stage, test_stage, with_build_env};
use crate::presets::node::install::install_stage;
use crate::presets::node::package_manager::{join, Deps, Tool};
use crate::presets::node::ports::env_files;
use crate::presets::node::settings::NodeSettings;
use crate::presets::node::{APP_DIR, BERRY_IGNORE, IGNORE};
use crate::presets::Context;

/// Every dependency, then the sources, then the builds: the workspace packages the app uses
/// (those with a `build` script), then the app's own.
pub(super) fn build(s: &NodeSettings, cx: &Context<'_>) -> Stage {
    let mut description = describe_build(&s.build_script, s.no_dependencies, locked(s));
    if let Some(nx) = &s.nx {
        description = format!("{description}, built by Nx (`nx build {}`)", nx.project);
    }
    if !locked(s) && !s.no_dependencies {
        description = format!("{description} {}", unlocked_note(s));
    }
    let mut build = install_stage(s, cx, "build", &description, Deps::All, true);
    build.args = cx.args.to_vec();
    build = with_build_env(build, &[], &cx.common.build_env);
    if let Some(nx) = &s.nx {
        build = build.env("NX_DAEMON", "false");
        return build.step(Run::shell(crate::presets::node::nx::build_command(
            &nx.project,
        )));
    }
    if let Some(w) = &s.workspace {
        for m in &w.uses {
            if m.manifest.script("build").is_some() {
                build = build.step(Run::shell(
                    s.pm.run_script("build", Some((&m.dir, &m.name))),
                ));
            }
        }
    }
    if let Some(script) = &s.build_script {
        let target = s
            .workspace
            .as_ref()
            .map(|w| (w.target.dir.as_str(), w.target.name.as_str()));
        build = build.step(Run::shell(s.pm.run_script(script, target)));
    }
    build
}

/// Whether the installs follow a lock file; without one, the descriptions (the Dockerfile's
/// comments) say that versions resolve at build time and how to pin them.
fn locked(s: &NodeSettings) -> bool {
    s.pm.lock.is_some()
}

/// `(no lock file: versions resolve at build time; run `npm install` and commit ...)`.
fn unlocked_note(s: &NodeSettings) -> String {
    format!(
        "(no lock file: versions resolve at build time; {})",
        s.pm.tool.pin_hint()
    )
}

fn describe_build(script: &Option<String>, no_deps: bool, locked: bool) -> String {
    let deps = if no_deps {
        "the sources (no dependencies to install)"
    } else if locked {
        "every dependency from the lock file, then the sources"
    } else {
        "every dependency, then the sources"
    };
    match script {
        Some(s) => format!("{deps}, built with the `{s}` script"),
        None => deps.to_string(),
    }
}

pub(super) fn prod_deps(s: &NodeSettings, cx: &Context<'_>) -> Stage {
    let description = if locked(s) {
        "production dependencies only, from the lock file (dev dependencies left out)".to_string()
    } else {
        format!(
            "production dependencies only, dev dependencies left out {}",
            unlocked_note(s)
        )
    };
    install_stage(s, cx, "prod-deps", &description, Deps::Production, false)
}

/// The `test` script in the app's folder, with `CI` set (test runners then run once, without
/// watching).
pub(super) fn test(s: &NodeSettings) -> Stage {
    let mut test = test_stage("build", "").env("CI", "true");
    if !s.app_dir.is_empty() {
        test = test.workdir(format!("{APP_DIR}/{}", s.app_dir));
    }
    match &s.test_script {
        Some(t) => test.step(Run::shell(s.pm.run_script(t, None))),
        None => test,
    }
}

pub(super) fn dev(s: &NodeSettings) -> Stage {
    let mut dev = dev_stage(
        Base::Stage("build".into()),
        "every dependency and the sources, running the app in development mode",
    );
    if !s.app_dir.is_empty() {
        dev = dev.workdir(format!("{APP_DIR}/{}", s.app_dir));
    }
    if let Some(entry) = s.serve.entry() {
        // A Procfile's shell line reads the variables the image sets (`$PORT`): so does `dev`
        // when it runs the same line.
        if entry.shell_syntax && entry.words == s.dev_command {
            for (k, v) in &entry.env {
                dev = dev.env(k, v);
            }
        }
    }
    dev.image.cmd = Some(s.dev_command.clone());
    dev
}

/// Installed packages, logs and local environment files; the build output, which the build
/// writes (a stale local copy must not reach the build or the image); Yarn Berry's local state.
pub(super) fn ignore(s: &NodeSettings) -> Vec<String> {
    let mut ignore: Vec<String> = IGNORE.iter().map(|s| s.to_string()).collect();
    if s.build_script.is_some() || s.nx.is_some() {
        ignore.push(join(&s.app_dir, &s.out_dir));
    }
    if s.pm.tool == Tool::YarnBerry {
        ignore.extend(BERRY_IGNORE.iter().map(|s| s.to_string()));
    }
    // The environment files the start command loads (`node --env-file=.env`) must reach the
    // image, against the `**/.env` pattern above.
    if let Some(entry) = s.serve.entry() {
        for file in env_files(&entry.words) {
            ignore.push(format!("!{}", join(&s.app_dir, &file)));
        }
    }
    ignore
}
