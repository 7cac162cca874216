//! The Python preset: the app's locked dependencies installed into a virtual environment in a
//! builder that has compilers and headers, then only that venv and the app's sources copied onto
//! a slim (or distroless) Python of the same minor version, run as a non-root user.
//!
//! Stages: `build` (pinned uv, Pipenv or Poetry in `/opt/tools` where needed, the venv in `/opt/venv`, dependency install in
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
//! `python:<v>-slim` share `/usr/local/bin`. The distroless images are Debian's own Python at
//! `/usr/bin/python3.13`: the venv is built in the python image of the same Debian release and
//! minor (the same ABI), and its link and `pyvenv.cfg` are pointed at `/usr/bin` in the final
//! image, after the copy.
//!
//! Split by concept: [`options`] holds its knobs and [`option_checks`] their values' checks;
//! [`settings`] works out what to build (the same step for `stagegen dockerfile` and `stagegen
//! init`) from [`app_files`] (the manifests, read by [`manifest`]), [`runtime`] (the flavour of
//! the final image; [`default_base`] the default one, distroless unless the app needs a shell
//! or apt, which [`spawns`] helps tell), [`manager`] (which package manager), [`version`] (which Python),
//! [`install`] (what the package manager runs; [`poetry`] for Poetry, whose lock
//! [`poetry_lock`]'s program reads where [`poetry_lock_check`] finds it exact), [`django`] (a Django project's static files), [`system_packages`] (the Debian packages its
//! dependencies need) and [`start`] (the start command: the `Procfile`'s, see [`procfile`], else inferred, with
//! [`web`] for the web apps and their servers); [`stages`]
//! writes one function per stage; [`codes`] are its diagnostic codes; `checks` (tests only)
//! lints every plan for what hadolint cannot see.

mod app_files;
#[cfg(test)]
mod checks;
mod codes;
mod default_base;
mod django;
mod explain;
mod install;
mod interpreter;
mod manager;
mod manifest;
mod option_checks;
mod options;
mod poetry;
mod poetry_lock;
mod poetry_lock_check;
mod procfile;
mod runtime;
mod settings;
mod spawns;
mod stages;
mod start;
mod system_packages;
mod uv_workspace;
mod version;
mod web;

pub(super) use options::TomlPythonOptions;

use crate::presets::common::per_target_line;
use crate::presets::{Context, LoneMarker, Preset, PresetError, PresetInfo, PresetPlan};
use settings::PythonSettings;

/// Python version when neither the spec nor the app names one.
const DEFAULT_VERSION: &str = "3.13";
/// Minor versions a `requires-python` range picks from, oldest first. The pinned tools need 3.10.
const KNOWN_VERSIONS: &[&str] = &["3.10", "3.11", "3.12", "3.13", "3.14"];
const OLDEST_MINOR: u32 = 10;
/// Builder image by version (`python:3.12`: Debian with build-essential and the Python headers);
/// the `slim` runtime is `python:<version>-slim`, the same interpreter without the compilers.
const BUILDER_IMAGE: &str = "python";
/// The distroless python3 images: Debian's own Python in `/usr/bin`, one minor each (Debian 13's
/// 3.13, Debian 12's 3.11, which distroless no longer updates), and the Debian release of the
/// python image the venv is built in, so that what it compiles links the same libraries.
const DISTROLESS: &[Distroless] = &[
    Distroless {
        minor: "3.13",
        image: "gcr.io/distroless/python3-debian13",
        debian: "trixie",
        updated: true,
    },
    Distroless {
        minor: "3.11",
        image: "gcr.io/distroless/python3-debian12",
        debian: "bookworm",
        updated: false,
    },
];

/// The final image of a Python that no distroless python3 image has, or that distroless no
/// longer updates: distroless cc, with the python image's own interpreter of this Debian
/// release copied in ([`interpreter`]). The venv is built in `python:<v>-<debian>`.
const COPIED: Copied = Copied {
    image: "gcr.io/distroless/cc-debian13",
    debian: "trixie",
};

/// Distroless cc of a Debian release, for a Python copied onto it.
pub(crate) struct Copied {
    /// The image, without its tag.
    pub image: &'static str,
    /// Its Debian release's name, as the python image's tags spell it.
    pub debian: &'static str,
}

/// A distroless python3 image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Distroless {
    /// The Python minor it has.
    pub minor: &'static str,
    /// The image, without its tag.
    pub image: &'static str,
    /// Its Debian release's name, as the python image's tags spell it.
    pub debian: &'static str,
    /// Distroless still publishes fixes for it: only such an image is a default.
    pub updated: bool,
}

/// Tool versions, installed into `/opt/tools` in the build stage only (pip is the image's own).
const UV_VERSION: &str = "0.13.9";
const POETRY_VERSION: &str = "2.5.1";
const POETRY_EXPORT_VERSION: &str = "1.10.1";
const PIPENV_VERSION: &str = "2026.10.3";
/// The app's virtual environment (copied whole into the runtime) and the tools' (never copied).
const VENV: &str = "/opt/venv";
const TOOLS: &str = "/opt/tools";
const APP_DIR: &str = "/app";
/// Where the python images have their interpreter and its pip.
const IMAGE_BIN: &str = "/usr/local/bin";
/// Download caches (BuildKit cache mounts).
const PIP_CACHE: &str = "/root/.cache/pip";
const UV_CACHE: &str = "/root/.cache/uv";
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

pub(super) struct Python;

static INFO: PresetInfo = PresetInfo {
    name: "python",
    aliases: &["py", "python3", "pip", "django", "flask"],
    summary: "Python apps (pip, Poetry, uv, Pipenv): a virtual environment on distroless python3 (or distroless cc with the python image's interpreter) or a slim Python image",
    stage_names: &["build", "test", "dev", "interpreter", "runtime"],
    runtime_stage: "runtime",
    stage_edges: &[
        ("test", "build"),
        ("dev", "build"),
        ("runtime", "build"),
        ("runtime", "interpreter"),
    ],
    markers: &[
        "pyproject.toml",
        "requirements.txt",
        "uv.lock",
        "poetry.lock",
        "Pipfile",
        "Pipfile.lock",
    ],
    lone_marker: Some(LoneMarker {
        what: start::LONE_SCRIPT,
        find: lone_script,
    }),
    refines: None,
    codes: codes::ALL,
    explain: explain::text,
};

/// The first top-level script with a `__main__` block, for a folder with no dependency file.
fn lone_script(files: &crate::project::ProjectFiles) -> Option<String> {
    start::lone_scripts(files).into_iter().next()
}

impl Preset for Python {
    type Options = TomlPythonOptions;
    type Settings = PythonSettings;

    fn info(&self) -> &'static PresetInfo {
        &INFO
    }

    fn check_options(&self, options: &TomlPythonOptions) -> Vec<PresetError> {
        option_checks::check(options)
    }

    fn settings(
        &self,
        options: &TomlPythonOptions,
        cx: &Context<'_>,
    ) -> Result<PythonSettings, Vec<PresetError>> {
        settings::settings(options, cx)
    }

    fn stages(&self, s: &PythonSettings, cx: &Context<'_>) -> PresetPlan {
        let mut all = vec![stages::build(s, cx)];
        if let Some(command) = s.test {
            all.push(stages::test(s, command, cx));
        }
        if cx.common.dev.unwrap_or(true) {
            all.push(stages::dev(s, cx));
        }
        if s.runtime.is_copied() {
            all.push(interpreter::stage(&s.minor, s.bytecode));
        }
        all.push(stages::runtime(s, cx.app_dir));
        PresetPlan {
            stages: all,
            app_stages: vec!["runtime", "dev"],
            ignore: IGNORE.iter().map(|s| s.to_string()).collect(),
            detected: s
                .detected
                .iter()
                .cloned()
                .chain(cx.app_dir.map(|dir| {
                    format!("runtime: the build context is larger than the app, so the image gets `{dir}/` of it (and what the build installed into the venv), not the whole context")
                }))
                .chain(per_target_line(
                    cx.platforms,
                    "packages without a wheel for it",
                ))
                .collect(),
        }
    }

    /// The port of the server the app starts with, or the ones its script listens on.
    fn ports(&self, s: &PythonSettings, cx: &Context<'_>) -> Vec<(u16, String)> {
        settings::ports(s, cx.files)
    }
}
