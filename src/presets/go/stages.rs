//! The Go preset's stages, one function each: `build` (toolchain, module download in its own
//! layer, cached compile), `test` (`go test ./...`), `dev` (toolchain and sources, `go run`),
//! `runtime` (the binary only, as a non-root user).

use crate::ir::{Base, Copy, CopySource, Run, Stage};
use crate::presets::common::{
    apt_install, dev_stage, test_stage, with_build_env, with_secrets, NONROOT,
};
use crate::presets::go::cross;
use crate::presets::go::procfile::{shell_line, Command};
use crate::presets::go::settings::GoSettings;
use crate::presets::go::{BUILDER_IMAGE, BUILD_CACHE, CA_BUNDLE, MOD_CACHE};
use crate::presets::Context;
use crate::shell::{shell_double_quote, shell_quote};

fn builder(s: &GoSettings) -> String {
    format!("{BUILDER_IMAGE}:{}", s.version)
}

/// The build stage's own environment: cgo, and vendoring.
fn own_env(s: &GoSettings) -> Vec<(&'static str, String)> {
    let mut env = vec![("CGO_ENABLED", if s.cgo { "1" } else { "0" }.to_string())];
    if s.vendor {
        env.push(("GOFLAGS", "-mod=vendor".to_string()));
    }
    if s.gopath {
        env.push(("GO111MODULE", "off".to_string()));
    }
    env
}

fn download(s: &GoSettings) -> Run {
    let mut inputs = vec!["go.mod".to_string()];
    if s.has_go_sum {
        inputs.push("go.sum".to_string());
    }
    Run::shell("go mod download").inputs(inputs)
}

fn tags_flag(s: &GoSettings) -> String {
    if s.tags.is_empty() {
        String::new()
    } else {
        format!(" -tags={}", s.tags.join(","))
    }
}

/// The naive order (copy everything, then download, then compile); the optimizer moves the
/// download ahead of the copy, keyed on go.mod/go.sum only.
pub(super) fn build(s: &GoSettings, cx: &Context<'_>) -> Stage {
    let mut build = Stage::new(
        "build",
        "compile a static binary with the Go toolchain",
        Base::Image(builder(s)),
    )
    .workdir("/src");
    build.args = cx.args.to_vec();
    build = with_build_env(build, &own_env(s), &cx.common.build_env);
    build = with_packages(build, &cx.common.system_packages);
    build = build.step(Copy::context(["."], "."));
    if s.download {
        build = build.step(with_secrets(
            download(s).cache(MOD_CACHE),
            &cx.common.secrets,
        ));
    }
    let compile = format!(
        "{}go build -trimpath -ldflags={}{} -o /out/{} {}",
        cross::compile_prefix(s, cx.platforms),
        shell_double_quote(&s.ldflags),
        tags_flag(s),
        s.binary,
        shell_quote(&s.main)
    );
    let compile = Run::shell(compile).cache(MOD_CACHE).cache(BUILD_CACHE);
    build = build.step(with_secrets(compile, &cx.common.secrets));
    cross::build_stage(build, s, cx.platforms)
}

pub(super) fn test(s: &GoSettings, cx: &Context<'_>) -> Stage {
    let packages = if s.workspace.is_empty() {
        "./...".to_string()
    } else {
        let all: Vec<String> = s.workspace.iter().map(|d| format!("./{d}/...")).collect();
        shell_quote_all(&all)
    };
    let run = Run::shell(format!("go test{} {packages}", tags_flag(s)))
        .cache(MOD_CACHE)
        .cache(BUILD_CACHE);
    test_stage("build", "").step(with_secrets(run, &cx.common.secrets))
}

/// Modules are downloaded without a cache mount so they stay in the image: the container runs
/// `go run` long after the build.
pub(super) fn dev(s: &GoSettings, cx: &Context<'_>) -> Stage {
    let mut dev = dev_stage(
        Base::Image(builder(s)),
        "the toolchain and the sources, running the app with go run",
    )
    .workdir("/src");
    dev = with_build_env(dev, &own_env(s), &cx.common.build_env);
    dev = with_packages(dev, &cx.common.system_packages);
    dev = dev.step(Copy::context(["."], "."));
    if s.download {
        dev = dev.step(with_secrets(download(s), &cx.common.secrets));
    }
    if let Some(port) = s.port_env {
        dev = dev.env("PORT", port.to_string());
    }
    dev.image.cmd = Some(vec!["go".into(), "run".into(), s.main.clone()]);
    dev
}

fn shell_quote_all(words: &[String]) -> String {
    words
        .iter()
        .map(|w| shell_quote(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `stage` with `packages` installed first (a layer that changes only with the list).
fn with_packages(stage: Stage, packages: &[String]) -> Stage {
    if packages.is_empty() {
        stage
    } else {
        stage.step(apt_install(packages))
    }
}

pub(super) fn runtime(s: &GoSettings, cx: &Context<'_>) -> Stage {
    let mut runtime = Stage::new(
        "runtime",
        "the final image: the binary and nothing else, as a non-root user",
        Base::Image(s.runtime_image.clone()),
    )
    .workdir("/app");
    let packages = &cx.common.runtime_packages;
    runtime = with_packages(runtime, packages);
    if !packages.is_empty() && s.runtime_as_root {
        runtime.build_user = Some("0:0".to_string());
    }
    if s.needs_ca {
        runtime = runtime.step(Copy {
            source: CopySource::Stage("build".into()),
            paths: vec![CA_BUNDLE.into()],
            dest: CA_BUNDLE.into(),
            chown: None,
        });
    }
    let program = format!("/app/{}", s.binary);
    runtime = runtime.step(Copy::from_stage(
        "build",
        &[&format!("/out/{}", s.binary)],
        program.clone(),
    ));
    runtime.image.user = Some(NONROOT.to_string());
    if let Some(port) = s.port_env {
        // The Procfile's process reads `$PORT`; a platform that sets it wins.
        runtime = runtime.env("PORT", port.to_string());
    }
    match s.procfile.as_ref().map(|p| &p.command) {
        Some(Command::Shell {
            line,
            program: word,
        }) => {
            runtime.image.entrypoint = Some(Vec::new());
            runtime.image.cmd = Some(vec![
                "sh".into(),
                "-c".into(),
                shell_line(line, word, &program),
            ]);
        }
        Some(Command::Exec(args)) if !args.is_empty() => {
            runtime.image.entrypoint = Some(vec![program]);
            runtime.image.cmd = Some(args.clone());
        }
        _ => runtime.image.entrypoint = Some(vec![program]),
    }
    runtime
}
