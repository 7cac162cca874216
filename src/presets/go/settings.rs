//! The Go preset's settings step: its options and the module's files -> [`GoSettings`], or every
//! error at once. `stagegen dockerfile` and `stagegen init` both start here.

use crate::presets::common::{check_packages, no_apt_at_run_time, Flavour};
use crate::presets::detect::ports_in_source;
use crate::presets::go::codes;
use crate::presets::go::gomod::{major_minor, GoMod};
use crate::presets::go::options::TomlGoOptions;
use crate::presets::go::packages::{
    default_binary, go_files, main_packages, normalize_package, package_dir,
};
use crate::presets::go::procfile::{self, ProcfileStart, Programs};
use crate::presets::go::workspace::{self, GoWork};
use crate::presets::go::{
    ALPINE, DEFAULT_PORT, DEFAULT_VERSION, DISTROLESS_BASE, DISTROLESS_STATIC, SLIM,
};
use crate::presets::{Blame, Context, KnobValue, PresetError};
use crate::project::ProjectFiles;

/// What the Go preset builds, worked out.
#[derive(Debug, Clone)]
pub(crate) struct GoSettings {
    /// The `golang` image tag (`1.22`).
    pub version: String,
    /// Build from `vendor/` with no download.
    pub vendor: bool,
    /// Whether dependencies download in a layer of their own (requires, and not vendored).
    pub download: bool,
    /// Whether `go.sum` exists (an input of the download layer).
    pub has_go_sum: bool,
    /// The main package (`./cmd/api`, `.`).
    pub main: String,
    /// A main package at the root with no go.mod nor go.work: built in GOPATH mode.
    pub gopath: bool,
    /// A go.work workspace's module folders (`api`), built from the root; empty for a module.
    pub workspace: Vec<String>,
    /// The program's name in the image.
    pub binary: String,
    pub cgo: bool,
    pub tags: Vec<String>,
    /// The whole `-ldflags` value (`-s -w` and the user's).
    pub ldflags: String,
    /// The final image and whether it lacks a CA bundle (scratch, slim).
    pub runtime_image: String,
    pub needs_ca: bool,
    /// Whether the final image's default user may not be root (an image of the user's), so the
    /// steps that install into it run as root.
    pub runtime_as_root: bool,
    /// The Procfile's process that starts the program, when the app has one.
    pub procfile: Option<ProcfileStart>,
    /// `PORT` in the image, for a Procfile `web` process that reads it (the platform's wins).
    pub port_env: Option<u16>,
    /// What was read, one line each, for the plan and for init.
    pub detected: Vec<String>,
}

/// Work out the settings, or every error at once.
pub(super) fn settings(
    o: &TomlGoOptions,
    cx: &Context<'_>,
) -> Result<GoSettings, Vec<PresetError>> {
    let files = cx.files;
    let (module, work) = read_module(files)?;
    let gopath = work.is_none() && !files.is_file("go.mod");
    let mut errors = Vec::new();
    let mut detected = layout_lines(&module, work.as_ref(), gopath);
    let source = match (&work, gopath) {
        (Some(_), _) => "go.work",
        (None, true) => "",
        (None, false) => "go.mod",
    };
    let version = version(o, files, &module, source, &mut detected, &mut errors);
    let vendor = vendor(o, files, &mut errors);
    let download = !vendor && module.has_requires;
    detected.extend(dependencies_line(vendor, download));
    let found = match &work {
        Some(w) => w.main_packages(files),
        None => main_packages(files),
    };
    let procfile = read_procfile(o, files, &found, module.path.as_deref(), &mut errors);
    let main = main(
        o,
        files,
        &found,
        work.is_some(),
        procfile.as_ref(),
        &mut detected,
        &mut errors,
    );
    let binary = binary(o, &main, module.path.as_deref(), &mut errors);
    detected.extend(procfile.as_ref().map(|p| procfile::detected(p, &binary)));
    check_tags(&o.tags, &mut errors);
    let cgo = o.cgo.unwrap_or(false);
    let flavour = Flavour::of(cx.base, Flavour::Distroless);
    let (runtime_image, needs_ca) = runtime(&flavour, cgo, &mut errors);
    let shell = matches!(flavour, Flavour::Distroless | Flavour::Scratch);
    errors.extend(
        procfile
            .as_ref()
            .filter(|_| shell)
            .and_then(|p| procfile::needs_shell(p, flavour.name())),
    );
    let port_env = procfile
        .as_ref()
        .and_then(|p| port_env(p, files, &main, &mut detected));
    packages(cx, &flavour, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let ldflags = match &o.ldflags {
        Some(extra) => format!("-s -w {extra}"),
        None => "-s -w".to_string(),
    };
    Ok(GoSettings {
        version,
        vendor,
        download,
        has_go_sum: files.is_file("go.sum"),
        main,
        gopath,
        workspace: work.map(|w| w.module_dirs()).unwrap_or_default(),
        binary,
        cgo,
        tags: o.tags.clone(),
        ldflags,
        runtime_image,
        needs_ca,
        runtime_as_root: matches!(flavour, Flavour::Image(_)),
        procfile,
        port_env,
        detected,
    })
}

/// The module: go.mod, else a go.work workspace (its `go` line standing for the module's), else
/// none for a GOPATH-style program whose main package is the root.
fn read_module(files: &ProjectFiles) -> Result<(GoMod, Option<GoWork>), Vec<PresetError>> {
    match (files.read("go.mod"), files.read("go.work")) {
        (Some(text), _) => Ok((GoMod::parse(&text), None)),
        (None, Some(text)) => {
            let work = GoWork::parse(&text);
            let module = GoMod {
                path: None,
                go: work.go.clone(),
                toolchain: None,
                has_requires: false,
            };
            Ok((module, Some(work)))
        }
        (None, None) if main_packages(files) == ["."] => Ok((GoMod::default(), None)),
        (None, None) => Err(vec![no_module(files)]),
    }
}

/// The `detected` lines of the layout: the module, the workspace, or GOPATH style.
fn layout_lines(module: &GoMod, work: Option<&GoWork>, gopath: bool) -> Vec<String> {
    let mut detected = Vec::new();
    if let Some(path) = &module.path {
        detected.push(format!("module {path} (go.mod)"));
    }
    if let Some(work) = work {
        detected.push(format!(
            "go.work workspace of {}: built from the root",
            work.uses.join(", ")
        ));
    }
    if gopath {
        detected.push("no go.mod: a GOPATH-style program, built with GO111MODULE=off".into());
    }
    detected
}

/// The Procfile's process, read against the main packages `main` allows.
fn read_procfile(
    o: &TomlGoOptions,
    files: &ProjectFiles,
    found: &[String],
    module: Option<&str>,
    errors: &mut Vec<PresetError>,
) -> Option<ProcfileStart> {
    let named;
    let mains = match &o.main {
        Some(m) => {
            named = [normalize_package(m)];
            &named[..]
        }
        None => found,
    };
    let programs = Programs {
        mains,
        module,
        binary: o.binary.as_deref(),
    };
    procfile::read(files, &programs)?
        .map_err(|e| errors.push(e))
        .ok()
}

/// The `PORT` a Procfile `web` process reads (in its command, or the program's source reads
/// the variable, as Heroku's apps do): the port the source names, else 8080.
fn port_env(
    p: &ProcfileStart,
    files: &ProjectFiles,
    main: &str,
    detected: &mut Vec<String>,
) -> Option<u16> {
    if p.process != "web" {
        return None;
    }
    let sources: Vec<String> = go_files(files, package_dir(main))
        .iter()
        .filter_map(|f| files.read(f))
        .collect();
    let reads = p.reads_port || sources.iter().any(|t| t.contains("\"PORT\""));
    if !reads {
        return None;
    }
    let port = sources
        .iter()
        .find_map(|t| ports_in_source(t).first().copied())
        .unwrap_or(DEFAULT_PORT);
    detected.push(format!(
        "`PORT` is {port} unless the platform sets it (the Procfile's `web` process reads it)"
    ));
    Some(port)
}

fn no_module(files: &ProjectFiles) -> PresetError {
    PresetError::new(
        codes::NO_MODULE,
        Blame::Table,
        format!(
            "no `go.mod`, `go.work` or `package main` at the root of the build context `{}`",
            files.root().display()
        ),
    )
    .help("the go preset builds Go modules: run `go mod init <module path>`, or point `context` at the module's folder")
}

/// The builder's Go version: the knob; else the version the module's authors build with (go.mod's
/// `toolchain` line, then asdf's `.tool-versions` or mise's file); else go.mod's `go` line, the
/// least the module needs; else the default.
fn version(
    o: &TomlGoOptions,
    files: &ProjectFiles,
    module: &GoMod,
    source: &str,
    detected: &mut Vec<String>,
    errors: &mut Vec<PresetError>,
) -> String {
    let pinned = module
        .toolchain
        .clone()
        .map(|v| (v, format!("the `toolchain` line of {source}")))
        .or_else(|| {
            crate::presets::common::tool_version(files, &["golang", "go"])
                .filter(|t| t.version.starts_with(|c: char| c.is_ascii_digit()))
                .map(|t| (t.version, t.source))
        })
        .or_else(|| module.go.clone().map(|v| (v, source.to_string())));
    let version = match (&o.version, pinned) {
        (Some(v), _) => v.clone(),
        (None, Some((v, from))) => {
            let tag = major_minor(&v);
            detected.push(format!("Go {v}: builder image golang:{tag} ({from})"));
            tag
        }
        (None, None) => {
            detected.push(if source.is_empty() {
                format!("no go.mod to name a version: builder image golang:{DEFAULT_VERSION}")
            } else {
                format!("no `go` line in {source}: builder image golang:{DEFAULT_VERSION}")
            });
            DEFAULT_VERSION.to_string()
        }
    };
    let valid = version
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if !valid {
        errors.push(
            PresetError::new(
                codes::INVALID_VERSION,
                Blame::Knob("version"),
                format!("`{version}` is not a Go version"),
            )
            .help("write a version such as `\"1.22\"`"),
        );
    }
    version
}

fn vendor(o: &TomlGoOptions, files: &ProjectFiles, errors: &mut Vec<PresetError>) -> bool {
    let vendor = o
        .vendor
        .unwrap_or_else(|| files.is_file("vendor/modules.txt"));
    if vendor && !files.is_dir("vendor") {
        errors.push(
            PresetError::new(
                codes::NO_VENDOR,
                Blame::Knob("vendor"),
                "`vendor = true` but the context has no `vendor/` folder",
            )
            .help("run `go mod vendor`, or remove `vendor`"),
        );
    }
    vendor
}

fn dependencies_line(vendor: bool, download: bool) -> Option<String> {
    if vendor {
        Some(
            "vendored modules (vendor/modules.txt): built with -mod=vendor, nothing downloaded"
                .into(),
        )
    } else if download {
        Some("dependencies download in their own layer, keyed on go.mod and go.sum".into())
    } else {
        None
    }
}

fn main(
    o: &TomlGoOptions,
    files: &ProjectFiles,
    found: &[String],
    work: bool,
    procfile: Option<&ProcfileStart>,
    detected: &mut Vec<String>,
    errors: &mut Vec<PresetError>,
) -> String {
    if let Some(m) = &o.main {
        let rel = m.trim_start_matches("./");
        if !files.is_dir(rel) && rel != "." && !rel.is_empty() {
            errors.push(
                PresetError::new(
                    codes::MAIN_NOT_FOUND,
                    Blame::Knob("main"),
                    format!("main package `{m}` is not a folder of the build context"),
                )
                .help(main_package_help(found)),
            );
        }
        return normalize_package(m);
    }
    if let Some(p) = procfile {
        detected.push(format!(
            "main package {} (the program the Procfile's `{}` process runs)",
            p.main, p.process
        ));
        return p.main.clone();
    }
    match found {
        [one] => {
            detected.push(format!("main package {one}"));
            one.clone()
        }
        [] => {
            errors.push(PresetError::new(
                codes::NO_MAIN_PACKAGE,
                Blame::Table,
                "found no main package (`package main`) at the root or under `cmd/`",
            )
            .help("set `main = \"./path/to/main/package\"` in `[preset]` (`stagegen init --main ./path/to/main`)"));
            ".".to_string()
        }
        several if work => {
            errors.push(workspace::several_mains(several));
            ".".to_string()
        }
        several => {
            errors.push(several_mains(several));
            ".".to_string()
        }
    }
}

fn several_mains(several: &[String]) -> PresetError {
    PresetError::new(
        codes::SEVERAL_MAIN_PACKAGES,
        Blame::Table,
        format!(
            "the module has several main packages: {}",
            several.join(", ")
        ),
    )
    .help(format!(
        "choose one with `main = \"{}\"` in `[preset]`",
        several[0]
    ))
    .choice(
        "main",
        KnobValue::Text(several[0].clone()),
        format!("one of {} main packages", several.len()),
    )
}

fn main_package_help(found: &[String]) -> String {
    match found {
        [] => "give the folder of the `package main` to build, e.g. `\"./cmd/api\"`".to_string(),
        found => format!("main packages found: {}", found.join(", ")),
    }
}

fn binary(
    o: &TomlGoOptions,
    main: &str,
    module: Option<&str>,
    errors: &mut Vec<PresetError>,
) -> String {
    let binary = match &o.binary {
        Some(b) => b.clone(),
        None => default_binary(main, module),
    };
    let valid = !binary.is_empty()
        && binary
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    if !valid {
        errors.push(
            PresetError::new(
                codes::INVALID_BINARY,
                Blame::Knob("binary"),
                format!("`{binary}` is not a usable program name"),
            )
            .help("use letters, digits, `-`, `_` and `.`"),
        );
    }
    binary
}

fn check_tags(tags: &[String], errors: &mut Vec<PresetError>) {
    for tag in tags {
        let valid = !tag.is_empty()
            && tag
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
        if !valid {
            errors.push(
                PresetError::new(
                    codes::INVALID_TAG,
                    Blame::Knob("tags"),
                    format!("`{tag}` is not a Go build tag"),
                )
                .help("build tags are letters, digits, `_` and `.`"),
            );
        }
    }
}

/// `system-packages` go to the golang image (Debian); `runtime-packages` need apt in the final
/// image, which only `slim` and an image of the user's can have.
fn packages(cx: &Context<'_>, flavour: &Flavour, errors: &mut Vec<PresetError>) {
    check_packages("system-packages", &cx.common.system_packages, errors);
    check_packages("runtime-packages", &cx.common.runtime_packages, errors);
    let has_apt = matches!(flavour, Flavour::Slim | Flavour::Image(_));
    if !cx.common.runtime_packages.is_empty() && !has_apt {
        errors.push(no_apt_at_run_time(flavour.name()));
    }
}

/// The final image for the flavour, and whether it lacks a CA bundle the binary may need.
fn runtime(flavour: &Flavour, cgo: bool, errors: &mut Vec<PresetError>) -> (String, bool) {
    match flavour.clone() {
        Flavour::Distroless if cgo => (DISTROLESS_BASE.to_string(), false),
        Flavour::Distroless => (DISTROLESS_STATIC.to_string(), false),
        Flavour::Scratch => {
            if cgo {
                errors.push(
                    PresetError::new(
                        codes::CGO_ON_SCRATCH,
                        Blame::Knob("cgo"),
                        "a cgo binary needs a C library, and `scratch` has none",
                    )
                    .help("use `base = \"distroless\"` (glibc) in `[runtime]`, or turn `cgo` off"),
                );
            }
            ("scratch".to_string(), true)
        }
        Flavour::Slim => (SLIM.to_string(), true),
        Flavour::Alpine => (ALPINE.to_string(), false),
        Flavour::Image(image) => (image, false),
    }
}
