//! The Java preset's stages, one function each: `build` (dependencies resolved in their own
//! layer, then the compile, the artifact laid out under `/out`), `test` (the build tool's
//! tests), `dev` (the JDK, the build tool and the sources), `jlink` (a Java runtime of only the
//! modules the app uses), `runtime` (the artifact and a Java runtime, as a non-root user).

use super::artifact::{self, APP};
use super::project::Tool;
use super::runtime::{self, JLINK_HOME, JLINK_PATH};
use super::settings::JavaSettings;
use super::{GRADLE_HOME, MODULES_FILE};
use crate::ir::{Base, Command, Copy, Run, Stage};
use crate::presets::common::{
    dev_stage, test_stage, with_build_env, with_packages, with_secrets, NONROOT,
};
use crate::presets::Context;
use crate::shell::shell_quote;

fn builder(s: &JavaSettings) -> Base {
    Base::Image(s.project.builder(s.version))
}

/// The build's own environment: Gradle's home, off the volume the gradle image declares.
fn own_env(s: &JavaSettings) -> Vec<(&'static str, String)> {
    match s.project.tool {
        Tool::Gradle => vec![("GRADLE_USER_HOME", GRADLE_HOME.to_string())],
        Tool::Maven => Vec::new(),
    }
}

/// Resolve the dependencies, keyed on the build files only.
fn resolve(s: &JavaSettings) -> Run {
    let p = &s.project;
    Run::shell(p.shell(&p.resolve)).inputs(p.inputs.clone())
}

/// Compile and package, then pick the runnable jar and lay it out under `/out` (and check that
/// the `jlink` runtime has every module `jdeps` finds).
fn package(s: &JavaSettings) -> Run {
    let p = &s.project;
    let mut package = Run::shell(p.shell(&p.build)).cache(p.cache());
    let mut more = artifact::select_jar(s.jar.as_deref(), &p.jar_dirs);
    more.extend(artifact::lay_out(&p.packaging));
    if s.jlink {
        let (root, classes) = artifact::jdeps_inputs(&p.packaging);
        more.extend(runtime::jdeps_check(s.version, root, classes, MODULES_FILE));
    }
    package
        .commands
        .extend(more.into_iter().map(Command::Shell));
    package
}

/// The naive order (copy everything, resolve, build); the optimizer moves the resolution ahead
/// of the copy, keyed on the build files only.
pub(super) fn build(s: &JavaSettings, cx: &Context<'_>) -> Stage {
    let mut build = Stage::new(
        "build",
        "resolve the dependencies, then compile and package the app",
        builder(s),
    )
    .workdir("/src");
    build.args = cx.args.to_vec();
    build = with_build_env(build, &own_env(s), &cx.common.build_env);
    build = with_packages(build, &cx.common.system_packages);
    build = build.step(Copy::context(["."], "."));
    let secrets = &cx.common.secrets;
    build = build.step(with_secrets(resolve(s).cache(s.project.cache()), secrets));
    build.step(with_secrets(package(s), secrets))
}

pub(super) fn test(s: &JavaSettings, cx: &Context<'_>) -> Stage {
    let run = Run::shell(s.project.shell(&["test".to_string()])).cache(s.project.cache());
    test_stage("build", "").step(with_secrets(run, &cx.common.secrets))
}

/// Dependencies resolve without a cache mount so they stay in the image: the container runs
/// the build tool long after the build.
pub(super) fn dev(s: &JavaSettings, cx: &Context<'_>) -> Stage {
    let mut dev = dev_stage(
        builder(s),
        "the JDK, the build tool and the sources, running the app from source",
    )
    .workdir("/src");
    dev = with_build_env(dev, &own_env(s), &cx.common.build_env);
    dev = with_packages(dev, &cx.common.system_packages);
    dev = dev.step(Copy::context(["."], "."));
    dev = dev.step(with_secrets(resolve(s), &cx.common.secrets));
    dev.image.cmd = Some(dev_command(s));
    dev
}

/// The build's task that runs the app from source, else a script that builds the jar and
/// runs it.
fn dev_command(s: &JavaSettings) -> Vec<String> {
    let p = &s.project;
    match &p.dev {
        Some(args) => p.command().into_iter().chain(args.clone()).collect(),
        None => {
            let mut script = vec![p.shell(&p.build)];
            script.extend(artifact::find_jar(s.jar.as_deref(), &p.jar_dirs));
            script.push(r#"exec java -jar "$1""#.to_string());
            vec!["/bin/sh".into(), "-c".into(), script.join(" && ")]
        }
    }
}

pub(super) fn jlink(s: &JavaSettings) -> Stage {
    Stage::new(
        "jlink",
        "a Java runtime of Java SE and the JDK modules apps use most, linked by jlink (in parallel with the build)",
        builder(s),
    )
    .step(Run::shell(runtime::jlink_command(s.version)))
}

pub(super) fn runtime(s: &JavaSettings, cx: &Context<'_>) -> Stage {
    let description = if s.jlink {
        "the final image: the app on its jlink runtime, as a non-root user"
    } else {
        "the final image: the app on a Java runtime, as a non-root user"
    };
    let mut stage =
        Stage::new("runtime", description, Base::Image(s.runtime.image.clone())).workdir(APP);
    let packages = &cx.common.runtime_packages;
    stage = with_packages(stage, packages);
    if !packages.is_empty() && s.runtime.as_root {
        stage.build_user = Some("0:0".to_string());
    }
    if s.jlink {
        stage = stage
            .env("JAVA_HOME", JLINK_HOME)
            .env("PATH", JLINK_PATH)
            .step(Copy::from_stage("jlink", &[JLINK_HOME], JLINK_HOME));
    }
    for copy in artifact::runtime_copies(&s.project.packaging) {
        stage = stage.step(copy);
    }
    stage.image.user = Some(NONROOT.to_string());
    if let Some(port) = s.port_env {
        // The Procfile's command reads `$PORT`; a platform that sets it wins.
        stage = stage.env("PORT", port.to_string());
    }
    stage.image.entrypoint = Some(entrypoint(s));
    stage
}

/// `java`, the JVM flags, the launch of the artifact and the Procfile's arguments, in exec
/// form; with `sh -c exec ...` when the Procfile's words need a shell (its words as written,
/// the preset's quoted), passing the container's arguments on.
fn entrypoint(s: &JavaSettings) -> Vec<String> {
    let args = s.procfile.iter().flat_map(|p| p.args.iter().cloned());
    let own: Vec<String> = std::iter::once(s.runtime.java.clone())
        .chain(s.jvm_flags.iter().cloned())
        .chain(artifact::launch(&s.project.packaging))
        .chain(args)
        .collect();
    if !s.procfile.as_ref().is_some_and(|p| p.shell) {
        return own;
    }
    let raw: Vec<&String> = s
        .procfile
        .iter()
        .flat_map(|p| p.flags.iter().chain(&p.args))
        .collect();
    let line: Vec<String> = own
        .iter()
        .map(|w| {
            if raw.contains(&w) {
                w.clone()
            } else {
                shell_quote(w)
            }
        })
        .collect();
    vec![
        "/bin/sh".into(),
        "-c".into(),
        format!("exec {} \"$@\"", line.join(" ")),
        "sh".into(),
    ]
}
