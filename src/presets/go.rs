//! The Go preset: a module (`go.mod`, optionally `vendor/`) built into a static binary with the
//! `golang` image, onto a distroless static image that runs it as a non-root user.
//!
//! Stages: `build` (toolchain, module download in its own layer, cached compile), `test`
//! (`go test ./...`), `dev` (toolchain and sources, `go run`), `runtime` (the binary only).

use crate::ir::{Base, CopySource, Run, Stage, Step};
use crate::presets::{Detection, KnobValue, Preset, PresetError, PresetPlan, PresetRequest};
use crate::shell::{shell_double_quote, shell_quote};

/// Go version when neither the spec nor `go.mod` names one.
const DEFAULT_VERSION: &str = "1.23";
/// Builder image, by Go version.
const BUILDER_IMAGE: &str = "golang";
/// Runtime images by flavour, for a static binary (cgo off) and a dynamic one (cgo on).
const DISTROLESS_STATIC: &str = "gcr.io/distroless/static-debian12:nonroot";
const DISTROLESS_BASE: &str = "gcr.io/distroless/base-debian12:nonroot";
const SLIM: &str = "debian:bookworm-slim";
const ALPINE: &str = "alpine:3.20";
/// The distroless `nonroot` user, used on every flavour (numeric, so it needs no passwd entry).
const NONROOT: &str = "65532:65532";
/// Module and build caches of the official golang image.
const MOD_CACHE: &str = "/go/pkg/mod";
const BUILD_CACHE: &str = "/root/.cache/go-build";
/// CA bundle of the builder, copied onto bases that lack one (scratch, slim).
const CA_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

pub struct Go;

impl Preset for Go {
    fn name(&self) -> &'static str {
        "go"
    }

    fn options(&self) -> &'static [&'static str] {
        &[
            "version",
            "main",
            "binary",
            "vendor",
            "cgo",
            "tags",
            "ldflags",
            "test",
            "dev",
            "secrets",
            "build-env",
        ]
    }

    fn stage_names(&self) -> &'static [&'static str] {
        &["build", "test", "dev", "runtime"]
    }

    fn stage_edges(&self) -> &'static [(&'static str, &'static str)] {
        &[("test", "build"), ("runtime", "build")]
    }

    fn markers(&self) -> &'static [&'static str] {
        &["go.mod"]
    }

    fn detect(
        &self,
        files: &crate::project::ProjectFiles,
        _package_manager: Option<&str>,
    ) -> Result<Detection, PresetError> {
        let Some(go_mod) = files.read("go.mod") else {
            return Err(
                PresetError::new(None, "no `go.mod`").help("run `go mod init <module path>` first")
            );
        };
        let module = GoMod::parse(&go_mod);
        let mut d = Detection::default();
        if let Some(path) = &module.path {
            d.note(format!("module {path} (go.mod)"));
        }
        match &module.go {
            Some(v) => d.note(format!(
                "Go {}: builder image {BUILDER_IMAGE}:{} (go.mod)",
                v,
                major_minor(v)
            )),
            None => d.note(format!(
                "no `go` line in go.mod: builder image {BUILDER_IMAGE}:{DEFAULT_VERSION}"
            )),
        }
        if files.is_file("vendor/modules.txt") {
            d.note(
                "vendored modules (vendor/modules.txt): built with -mod=vendor, nothing downloaded",
            );
        } else if module.has_requires {
            d.note("dependencies download in their own layer, keyed on go.mod and go.sum");
        }
        let mains = find_main_packages(files);
        let main = match mains.as_slice() {
            [] => {
                return Err(PresetError::new(
                    None,
                    "found no main package (`package main`) at the root or under `cmd/`",
                )
                .help("pass the main package with `--main ./path/to/main`"));
            }
            [one] => {
                d.note(format!("main package {one}"));
                one.clone()
            }
            several => {
                let first = several[0].clone();
                d.knob(
                    "main",
                    KnobValue::Text(first.clone()),
                    format!("one of {} main packages", several.len()),
                );
                d.note(format!(
                    "main packages: {}; building {first} (change `main`, or pass `--main`, to build another)",
                    several.join(", ")
                ));
                first
            }
        };
        let dir = main.trim_start_matches("./").trim_start_matches('.');
        for name in files.list(dir) {
            if !name.ends_with(".go") || name.ends_with("_test.go") {
                continue;
            }
            let rel = if dir.is_empty() {
                name.clone()
            } else {
                format!("{dir}/{name}")
            };
            d.ports_from(files, &rel);
        }
        Ok(d)
    }

    fn plan(&self, request: &PresetRequest<'_>) -> Result<PresetPlan, Vec<PresetError>> {
        let files = request.files;
        let opts = request.options;
        let mut detected = Vec::new();
        let Some(go_mod) = files.read("go.mod") else {
            return Err(vec![PresetError::new(
                None,
                format!("no `go.mod` in the build context `{}`", files.root().display()),
            )
            .help("the go preset builds Go modules: run `go mod init <module path>`, or point `context` at the module's folder")]);
        };
        let module = GoMod::parse(&go_mod);
        let mut errors = Vec::new();

        let version = match (&opts.version, &module.go) {
            (Some(v), _) => v.clone(),
            (None, Some(v)) => {
                let v = major_minor(v);
                detected.push(format!("go version {v} (go.mod)"));
                v
            }
            (None, None) => DEFAULT_VERSION.to_string(),
        };
        if !version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        {
            errors.push(
                PresetError::new(Some("version"), format!("`{version}` is not a Go version"))
                    .help("write a version such as `\"1.22\"`"),
            );
        }

        let vendor = opts
            .vendor
            .unwrap_or_else(|| files.is_file("vendor/modules.txt"));
        if vendor && opts.vendor.is_none() {
            detected.push("vendored modules (vendor/modules.txt)".to_string());
        }
        if vendor && !files.is_dir("vendor") {
            errors.push(
                PresetError::new(
                    Some("vendor"),
                    "`vendor = true` but the context has no `vendor/` folder",
                )
                .help("run `go mod vendor`, or remove `vendor`"),
            );
        }

        let main = match &opts.main {
            Some(m) => {
                let rel = m.trim_start_matches("./");
                if !files.is_dir(rel) && rel != "." && !rel.is_empty() {
                    errors.push(
                        PresetError::new(
                            Some("main"),
                            format!("main package `{m}` is not a folder of the build context"),
                        )
                        .help(main_package_help(files)),
                    );
                }
                normalize_package(m)
            }
            None => {
                match find_main_packages(files).as_slice() {
                    [one] => {
                        detected.push(format!("main package {one}"));
                        one.clone()
                    }
                    [] => {
                        errors.push(
                        PresetError::new(None, "found no main package (`package main`) at the root or under `cmd/`")
                            .help("set `main = \"./path/to/main/package\"` in `[preset]`"),
                    );
                        ".".to_string()
                    }
                    several => {
                        errors.push(
                            PresetError::new(
                                None,
                                format!("found several main packages: {}", several.join(", ")),
                            )
                            .help(format!(
                                "choose one with `main = \"{}\"` in `[preset]`",
                                several[0]
                            )),
                        );
                        ".".to_string()
                    }
                }
            }
        };

        let binary = match &opts.binary {
            Some(b) => b.clone(),
            None => default_binary(&main, module.path.as_deref()),
        };
        if binary.is_empty()
            || !binary
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        {
            errors.push(
                PresetError::new(
                    Some("binary"),
                    format!("`{binary}` is not a usable program name"),
                )
                .help("use letters, digits, `-`, `_` and `.`"),
            );
        }
        for tag in &opts.tags {
            if tag.is_empty()
                || !tag
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
            {
                errors.push(
                    PresetError::new(Some("tags"), format!("`{tag}` is not a Go build tag"))
                        .help("build tags are letters, digits, `_` and `.`"),
                );
            }
        }

        let cgo = opts.cgo.unwrap_or(false);
        let (runtime_image, needs_ca) = match request.base.unwrap_or("distroless") {
            "distroless" if cgo => (DISTROLESS_BASE.to_string(), false),
            "distroless" => (DISTROLESS_STATIC.to_string(), false),
            "scratch" if cgo => {
                errors.push(
                    PresetError::new(
                        Some("cgo"),
                        "a cgo binary needs a C library, and `scratch` has none",
                    )
                    .help("use `base = \"distroless\"` (glibc) in `[runtime]`, or turn `cgo` off"),
                );
                ("scratch".to_string(), true)
            }
            "scratch" => ("scratch".to_string(), true),
            "slim" => (SLIM.to_string(), true),
            "alpine" => (ALPINE.to_string(), false),
            image => (image.to_string(), false),
        };
        if !errors.is_empty() {
            return Err(errors);
        }

        let builder = format!("{BUILDER_IMAGE}:{version}");
        let has_requires = module.has_requires;
        let mut build_env: Vec<(String, String)> =
            vec![("CGO_ENABLED".into(), if cgo { "1" } else { "0" }.into())];
        if vendor {
            build_env.push(("GOFLAGS".into(), "-mod=vendor".into()));
        }
        build_env.extend(opts.build_env.iter().map(|(k, v)| (k.clone(), v.clone())));

        let download = || {
            let mut inputs = vec!["go.mod".to_string()];
            if files.is_file("go.sum") {
                inputs.push("go.sum".to_string());
            }
            Run::shell("go mod download").inputs(inputs)
        };
        let with_secrets = |mut run: Run| {
            for id in &opts.secrets {
                run.mounts.push(crate::ir::Mount::Secret {
                    id: id.clone(),
                    target: None,
                    required: false,
                });
            }
            run
        };

        // build: the naive order (copy everything, then download, then compile); the optimizer
        // moves the download ahead of the copy, keyed on go.mod/go.sum only.
        let mut build = Stage::new(
            "build",
            "compile a static binary with the Go toolchain",
            Base::Image(builder.clone()),
        )
        .workdir("/src");
        build.args = request.args.clone();
        for (k, v) in &build_env {
            build = build.env(k.clone(), v.clone());
        }
        build = build.step(crate::ir::Copy::context(["."], "."));
        if !vendor && has_requires {
            build = build.step(with_secrets(download().cache(MOD_CACHE)));
        }
        let mut ldflags = "-s -w".to_string();
        if let Some(extra) = &opts.ldflags {
            ldflags.push(' ');
            ldflags.push_str(extra);
        }
        let mut compile = format!(
            "go build -trimpath -ldflags={}",
            shell_double_quote(&ldflags)
        );
        if !opts.tags.is_empty() {
            compile.push_str(&format!(" -tags={}", opts.tags.join(",")));
        }
        compile.push_str(&format!(" -o /out/{binary} {}", shell_quote(&main)));
        build = build.step(with_secrets(
            Run::shell(compile).cache(MOD_CACHE).cache(BUILD_CACHE),
        ));

        let mut stages = vec![build];
        if opts.test.unwrap_or(true) {
            let mut test = String::from("go test");
            if !opts.tags.is_empty() {
                test.push_str(&format!(" -tags={}", opts.tags.join(",")));
            }
            test.push_str(" ./...");
            stages.push(
                Stage::new(
                    "test",
                    "run the tests: docker build --target test",
                    Base::Stage("build".into()),
                )
                .step(with_secrets(
                    Run::shell(test).cache(MOD_CACHE).cache(BUILD_CACHE),
                )),
            );
        }
        if opts.dev.unwrap_or(true) {
            // Modules are downloaded without a cache mount so they stay in the image: the
            // container runs `go run` long after the build.
            let mut dev = Stage::new(
                "dev",
                "the toolchain and the sources, running the app with go run",
                Base::Image(builder),
            )
            .workdir("/src");
            for (k, v) in &build_env {
                dev = dev.env(k.clone(), v.clone());
            }
            dev = dev.step(crate::ir::Copy::context(["."], "."));
            if !vendor && has_requires {
                dev = dev.step(with_secrets(download()));
            }
            dev.image.cmd = Some(vec!["go".into(), "run".into(), main.clone()]);
            stages.push(dev);
        }

        let mut runtime = Stage::new(
            "runtime",
            "the final image: the binary and nothing else, as a non-root user",
            Base::Image(runtime_image),
        )
        .workdir("/app");
        if needs_ca {
            runtime = runtime.step(crate::ir::Copy {
                source: CopySource::Stage("build".into()),
                paths: vec![CA_BUNDLE.into()],
                dest: CA_BUNDLE.into(),
                chown: None,
            });
        }
        runtime = runtime.step(Step::Copy(crate::ir::Copy::from_stage(
            "build",
            &[&format!("/out/{binary}")],
            format!("/app/{binary}"),
        )));
        runtime.image.user = Some(NONROOT.to_string());
        runtime.image.entrypoint = Some(vec![format!("/app/{binary}")]);
        stages.push(runtime);

        Ok(PresetPlan {
            stages,
            app_stages: vec!["runtime", "dev"],
            ignore: vec!["*.test".into(), "*.out".into()],
            detected,
        })
    }
}

/// What stagegen reads of `go.mod`.
#[derive(Debug, Default, PartialEq, Eq)]
struct GoMod {
    path: Option<String>,
    go: Option<String>,
    has_requires: bool,
}

impl GoMod {
    fn parse(text: &str) -> GoMod {
        let mut m = GoMod::default();
        for line in text.lines() {
            let line = line.split("//").next().unwrap_or("").trim();
            let mut words = line.split_whitespace();
            match words.next() {
                Some("module") => m.path = words.next().map(|w| w.trim_matches('"').to_string()),
                Some("go") => m.go = words.next().map(str::to_string),
                Some("require") => m.has_requires = true,
                _ => {}
            }
        }
        m
    }
}

/// `1.22.3` -> `1.22`: the image tag that carries the newest patch release.
fn major_minor(version: &str) -> String {
    version.split('.').take(2).collect::<Vec<_>>().join(".")
}

/// `cmd/api` -> `./cmd/api`, as `go build` wants a package path.
fn normalize_package(main: &str) -> String {
    let trimmed = main.trim_end_matches('/');
    if trimmed == "." || trimmed.is_empty() {
        ".".to_string()
    } else if trimmed.starts_with("./") {
        trimmed.to_string()
    } else {
        format!("./{trimmed}")
    }
}

fn default_binary(main: &str, module: Option<&str>) -> String {
    let from_main = main
        .trim_start_matches("./")
        .rsplit('/')
        .next()
        .unwrap_or("");
    if !from_main.is_empty() && from_main != "." {
        return from_main.to_string();
    }
    module
        .and_then(|m| {
            m.rsplit('/')
                .find(|seg| !seg.starts_with('v') || seg[1..].parse::<u32>().is_err())
        })
        .unwrap_or("app")
        .to_string()
}

/// `.` when the root is a main package, else the main packages directly under `cmd/`.
fn find_main_packages(files: &crate::project::ProjectFiles) -> Vec<String> {
    if is_main_package(files, "") {
        return vec![".".to_string()];
    }
    files
        .list("cmd")
        .into_iter()
        .filter(|d| is_main_package(files, &format!("cmd/{d}")))
        .map(|d| format!("./cmd/{d}"))
        .collect()
}

fn is_main_package(files: &crate::project::ProjectFiles, dir: &str) -> bool {
    files.list(dir).iter().any(|name| {
        name.ends_with(".go")
            && !name.ends_with("_test.go")
            && files
                .read(&if dir.is_empty() {
                    name.clone()
                } else {
                    format!("{dir}/{name}")
                })
                .is_some_and(|text| text.lines().any(|l| l.trim() == "package main"))
    })
}

fn main_package_help(files: &crate::project::ProjectFiles) -> String {
    match find_main_packages(files).as_slice() {
        [] => "give the folder of the `package main` to build, e.g. `\"./cmd/api\"`".to_string(),
        found => format!("main packages found: {}", found.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_go_mod() {
        let m = GoMod::parse("module example.com/a/b // c\n\ngo 1.22.3\nrequire (\n x v1\n)\n");
        assert_eq!(m.path.as_deref(), Some("example.com/a/b"));
        assert_eq!(m.go.as_deref(), Some("1.22.3"));
        assert!(m.has_requires);
        assert!(!GoMod::parse("module a\ngo 1.22\n").has_requires);
    }

    #[test]
    fn versions_and_names() {
        assert_eq!(major_minor("1.22.3"), "1.22");
        assert_eq!(major_minor("1.22"), "1.22");
        assert_eq!(normalize_package("cmd/api/"), "./cmd/api");
        assert_eq!(normalize_package("."), ".");
        assert_eq!(default_binary("./cmd/api", Some("x.com/y")), "api");
        assert_eq!(default_binary(".", Some("example.com/tool/v2")), "tool");
        assert_eq!(default_binary(".", None), "app");
    }
}
