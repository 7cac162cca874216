//! The Python preset: the app's locked dependencies installed into a virtual environment in a
//! builder that has compilers and headers, then only that venv and the app's sources copied onto
//! a slim (or distroless) Python of the same minor version, run as a non-root user.
//!
//! Stages: `build` (pinned tools in `/opt/tools`, the venv in `/opt/venv`, dependency install in
//! its own layer keyed on the manifests), `test` (dev dependencies, then pytest or unittest),
//! `dev` (the build stage plus the dev dependencies, running the app), `runtime` (venv + sources,
//! nothing else: no pip in the venv, no tools, no compiler, no download cache; the standard
//! library's and the app's bytecode compiled in it, unless `bytecode = false`: the python and
//! distroless images ship the standard library without bytecode, and the non-root user could
//! not write it, so each fresh container would compile what it imports again).
//!
//! The base image's own pip stays in the slim runtime: deleting it would add a layer and shrink
//! nothing (its files stay in the layer below); the app never uses it, as the venv has no pip.
//! The distroless runtime has none at all.
//!
//! The venv's `bin/python` is a link to the builder's interpreter (`python3.12`, found on the
//! `PATH`), so the runtime image must have that interpreter at the same path: `python:<v>` and
//! `python:<v>-slim` share `/usr/local/bin`; the distroless image is Debian's own Python 3.11 at
//! `/usr/bin/python3.11`, so for it the venv is made in `debian:12` with Debian's Python.
//!
//! Split by concept: [`manifest`] reads the app's files, [`version`] picks the Python,
//! [`manager`] knows the package managers, [`start`] infers the start command, [`stages`] writes
//! the stages; `checks` (tests only) lints every plan for what hadolint cannot see.

#[cfg(test)]
mod checks;
mod manager;
mod manifest;
mod options;
mod stages;
mod start;
mod version;

pub use options::TomlPythonOptions;

use crate::presets::{
    Context, Detection, KnobValue, Preset, PresetError, PresetInfo, PresetPlan, PresetRequest,
};
use crate::project::ProjectFiles;

use manager::Manifests;
use manifest::{Pipfile, Pyproject, Requirements};
use stages::StagePlan;

/// Python version when neither the spec nor the app names one.
const DEFAULT_VERSION: &str = "3.13";
/// Minor versions a `requires-python` range picks from, oldest first. The pinned pip needs 3.10.
const KNOWN_VERSIONS: &[&str] = &["3.10", "3.11", "3.12", "3.13", "3.14"];
const OLDEST_MINOR: u32 = 10;
/// Builder image by version (`python:3.12`: Debian with build-essential and the Python headers);
/// the `slim` runtime is `python:<version>-slim`, the same interpreter without the compilers.
const BUILDER_IMAGE: &str = "python";
/// The distroless runtime: Debian 12's Python 3.11 in `/usr/bin`, and a builder with that same
/// interpreter (Debian's packages, pinned to bookworm's versions).
const DISTROLESS: &str = "gcr.io/distroless/python3-debian12:nonroot";
const DISTROLESS_BUILDER: &str = "debian:12-slim";
const DISTROLESS_PYTHON: &str = "3.11";
const DISTROLESS_BUILD_PACKAGES: &[&str] = &[
    "ca-certificates=2023*",
    "python3-venv=3.11.*",
    "python3-dev=3.11.*",
    "build-essential=12.*",
];
/// Tool versions, installed into `/opt/tools` in the build stage only.
const PIP_VERSION: &str = "26.3";
const UV_VERSION: &str = "0.13.9";
const POETRY_VERSION: &str = "2.5.1";
const POETRY_EXPORT_VERSION: &str = "1.10.1";
const PIPENV_VERSION: &str = "2026.10.3";
/// The app's virtual environment (copied whole into the runtime) and the tools' (never copied).
const VENV: &str = "/opt/venv";
const TOOLS: &str = "/opt/tools";
const APP_DIR: &str = "/app";
/// Download caches (BuildKit cache mounts).
const PIP_CACHE: &str = "/root/.cache/pip";
const UV_CACHE: &str = "/root/.cache/uv";
/// The distroless `nonroot` user, on every flavour (numeric: no passwd entry needed).
const NONROOT: &str = "65532:65532";
/// `PATH` of the python, debian and distroless images, behind the venv's `bin`.
const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/// Port an inferred gunicorn or uvicorn command listens on.
const DEFAULT_PORT: u16 = 8000;
/// Files of a Python checkout that never belong in the image.
const IGNORE: &[&str] = &[
    "**/__pycache__",
    "**/*.py[cod]",
    "**/*.egg-info",
    ".venv",
    "venv",
    ".env",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".tox",
    ".nox",
    ".coverage",
    "htmlcov",
];

pub struct Python;

static INFO: PresetInfo = PresetInfo {
    name: "python",
    aliases: &["py", "python3", "pip", "django", "flask"],
    summary: "Python apps (pip, Poetry, uv, Pipenv): a virtual environment on a slim Python image",
    stage_names: &["build", "test", "dev", "runtime"],
    runtime_stage: "runtime",
    stage_edges: &[("test", "build"), ("dev", "build"), ("runtime", "build")],
    markers: &[
        "pyproject.toml",
        "requirements.txt",
        "uv.lock",
        "poetry.lock",
        "Pipfile",
        "Pipfile.lock",
    ],
    codes: &[],
};

impl Preset for Python {
    type Options = TomlPythonOptions;
    /// Transitional: `plan` still does the settings and the stages in one go.
    type Settings = PresetPlan;

    fn info(&self) -> &'static PresetInfo {
        &INFO
    }

    fn settings(
        &self,
        options: &TomlPythonOptions,
        cx: &Context<'_>,
    ) -> Result<PresetPlan, Vec<PresetError>> {
        self.plan(&PresetRequest::new(options, cx))
    }

    fn stages(&self, plan: &PresetPlan, _cx: &Context<'_>) -> PresetPlan {
        plan.clone()
    }

    fn legacy_detect(
        &self,
        files: &ProjectFiles,
        package_manager: Option<&str>,
    ) -> Option<Result<Detection, PresetError>> {
        Some(self.detect(files, package_manager))
    }
}

impl Python {
    fn detect(
        &self,
        files: &ProjectFiles,
        _package_manager: Option<&str>,
    ) -> Result<Detection, PresetError> {
        let mut errors = Vec::new();
        let manifests = read_manifests(files, &mut errors);
        if let Some(e) = errors.into_iter().next() {
            return Err(e);
        }
        let mut d = Detection::default();
        let (manager, why) = manager::detect(None, files, &manifests)?;
        d.notes.extend(why);
        let (minor, source) = version::choose(None, files, &manifests, &Flavour::Slim)?;
        d.note(format!(
            "Python {minor} ({})",
            source.unwrap_or_else(|| "the preset's default".to_string())
        ));
        let install = manager::install(manager, &minor, files, &manifests)?;
        d.notes.extend(install.detected.iter().cloned());
        let scripts: Vec<String> = manifests
            .pyproject
            .as_ref()
            .map(|p| p.scripts.clone())
            .unwrap_or_default();
        let project = start::Project {
            deps: &install.runtime_deps,
            installed: install.project.is_some(),
            scripts: &scripts,
        };
        let found = start::candidates(files, &project);
        let start = match found.as_slice() {
            [] => return Err(start::no_start()),
            [one] => {
                d.note(format!("start: {} ({})", one.command.join(" "), one.why));
                one.clone()
            }
            [first, ..] => {
                d.knob(
                    "start",
                    KnobValue::List(first.command.clone()),
                    format!("one of {} ways to start the app", found.len()),
                );
                let all: Vec<String> = found.iter().map(|s| s.why.clone()).collect();
                d.note(format!(
                    "ways to start the app: {}; starting the first (change `start`, or pass `--start`, for another)",
                    all.join("; ")
                ));
                first.clone()
            }
        };
        match start.port {
            Some(port) => d.ports.push((port, start.why.clone())),
            None => {
                // `python app.py`: the port the script itself listens on, if it says.
                if let [python, file] = start.command.as_slice() {
                    if python == "python" {
                        d.ports_from(files, file);
                    }
                }
            }
        }
        Ok(d)
    }

    fn plan(
        &self,
        request: &PresetRequest<'_, TomlPythonOptions>,
    ) -> Result<PresetPlan, Vec<PresetError>> {
        let files = request.files;
        let opts = request.options;
        let mut detected = Vec::new();
        let mut errors = Vec::new();

        let manifests = read_manifests(files, &mut errors);
        let flavour = match Flavour::of(request.base) {
            Ok(f) => f,
            Err(e) => {
                errors.push(e);
                Flavour::Slim
            }
        };
        let minor = match version::choose(opts.version.as_deref(), files, &manifests, &flavour) {
            Ok((minor, source)) => {
                detected.extend(source.map(|s| format!("python {minor} ({s})")));
                minor
            }
            Err(e) => {
                errors.push(e);
                DEFAULT_VERSION.to_string()
            }
        };
        crate::presets::common::check_packages(
            "system-packages",
            &request.common.system_packages,
            &mut errors,
        );
        crate::presets::common::check_packages(
            "runtime-packages",
            &request.common.runtime_packages,
            &mut errors,
        );
        if !request.common.runtime_packages.is_empty() && flavour.debian_python() {
            errors.push(crate::presets::common::no_apt_at_run_time("distroless"));
        }
        if opts
            .start
            .as_ref()
            .is_some_and(|s| s.is_empty() || s[0].is_empty())
        {
            errors.push(
                crate::presets::legacy(Some("start"), "`start` names no program")
                    .help("write the command as a list of words: `[\"gunicorn\", \"app:app\"]`"),
            );
        }
        let install = match manager::detect(opts.package_manager.as_deref(), files, &manifests)
            .and_then(|(m, why)| {
                detected.extend(why);
                manager::install(m, &minor, files, &manifests)
            }) {
            Ok(i) => Some(i),
            Err(e) => {
                errors.push(e);
                None
            }
        };
        let Some(install) = install else {
            return Err(errors);
        };
        if let Flavour::Image(image) = &flavour {
            detected.push(format!(
                "runtime `{image}` must have `python{minor}` where `{BUILDER_IMAGE}:{minor}` has it: the venv links to it"
            ));
        }
        detected.extend(install.detected.iter().cloned());

        let scripts: Vec<String> = manifests
            .pyproject
            .as_ref()
            .map(|p| p.scripts.clone())
            .unwrap_or_default();
        let start = match &opts.start {
            Some(cmd) => Some(start::Start {
                command: cmd.clone(),
                why: String::new(),
                port: None,
            }),
            None => match start::infer(
                files,
                &start::Project {
                    deps: &install.runtime_deps,
                    installed: install.project.is_some(),
                    scripts: &scripts,
                },
            ) {
                Ok(s) => {
                    detected.push(format!("start: {} ({})", s.command.join(" "), s.why));
                    Some(s)
                }
                Err(e) => {
                    errors.push(e);
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let Some(start) = start else {
            return Err(errors);
        };

        let plan = StagePlan {
            request,
            install: &install,
            flavour: &flavour,
            minor: &minor,
            start: &start,
        };
        let mut stages = vec![plan.build()];
        if request.common.test.unwrap_or(true) {
            let (test, why) = plan.test();
            detected.push(why);
            stages.push(test);
        }
        if request.common.dev.unwrap_or(true) {
            stages.push(plan.dev());
        }
        stages.push(plan.runtime());

        Ok(PresetPlan {
            stages,
            app_stages: vec!["runtime", "dev"],
            ignore: IGNORE.iter().map(|s| s.to_string()).collect(),
            detected,
        })
    }
}

/// The runtime image, and the builder whose interpreter it shares.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Flavour {
    /// `python:<v>-slim`, built with `python:<v>`.
    Slim,
    /// Distroless python3 (Debian's 3.11 in `/usr/bin`), built with `debian:12` and its Python.
    Distroless(String),
    /// Any other image, built with `python:<v>`.
    Image(String),
}

impl Flavour {
    fn of(base: Option<&str>) -> Result<Flavour, PresetError> {
        match base.unwrap_or("slim") {
            "slim" => Ok(Flavour::Slim),
            "distroless" => Ok(Flavour::Distroless(DISTROLESS.to_string())),
            "scratch" => Err(crate::presets::legacy(None, "a Python app cannot run on `scratch`: it has no interpreter")
                .help("use `base = \"slim\"` (the default) or `base = \"distroless\"` in `[runtime]`")),
            "alpine" => Err(crate::presets::legacy(None, "the python preset does not build for `alpine`: wheels built for glibc do not run on musl")
                .help("use `base = \"slim\"` (the default) or `base = \"distroless\"` in `[runtime]`")),
            image if image.contains("distroless/python3") => Ok(Flavour::Distroless(image.to_string())),
            image => Ok(Flavour::Image(image.to_string())),
        }
    }

    fn debian_python(&self) -> bool {
        matches!(self, Flavour::Distroless(_))
    }
}

fn read_manifests(files: &ProjectFiles, errors: &mut Vec<PresetError>) -> Manifests {
    let mut bad = |file: &str, e: String| {
        errors.push(
            crate::presets::legacy(None, format!("cannot read `{file}`: {e}"))
                .help(format!("fix the TOML syntax of `{file}`")),
        );
    };
    let pyproject = files.read("pyproject.toml").and_then(|t| {
        Pyproject::parse(&t)
            .map_err(|e| bad("pyproject.toml", e))
            .ok()
    });
    let pipfile = files
        .read("Pipfile")
        .and_then(|t| Pipfile::parse(&t).map_err(|e| bad("Pipfile", e)).ok());
    let requirements = files
        .is_file("requirements.txt")
        .then(|| Requirements::read(files, "requirements.txt"));
    Manifests {
        pyproject,
        pipfile,
        requirements,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flavours() {
        assert_eq!(Flavour::of(None), Ok(Flavour::Slim));
        assert!(Flavour::of(Some("distroless")).is_ok_and(|f| f.debian_python()));
        assert!(
            Flavour::of(Some("gcr.io/distroless/python3-debian12:debug"))
                .is_ok_and(|f| f.debian_python())
        );
        assert!(Flavour::of(Some("scratch")).is_err());
        assert!(Flavour::of(Some("alpine")).is_err());
        assert_eq!(
            Flavour::of(Some("registry.example.com/python:3.12-slim")),
            Ok(Flavour::Image(
                "registry.example.com/python:3.12-slim".into()
            ))
        );
    }
}
