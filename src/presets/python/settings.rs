//! The Python preset's settings step: its options and the app's files -> [`PythonSettings`], or
//! every error at once. `stagegen dockerfile` and `stagegen init` both start here, so they
//! cannot disagree: the `detected` lines are the plan's and init's comments alike, and several
//! ways to start the app is an ambiguity whose [`Choice`](crate::presets::Choice) init writes.

use crate::presets::common::{check_packages, no_apt_at_run_time};
use crate::presets::python::app_files::{read_manifests, Manifests};
use crate::presets::python::default_base;
use crate::presets::python::django::{self, Django};
use crate::presets::python::install::{install, Install};
use crate::presets::python::manager;
use crate::presets::python::manifest::Script;
use crate::presets::python::options::TomlPythonOptions;
use crate::presets::python::procfile;
use crate::presets::python::runtime::Runtime;
use crate::presets::python::start::{self, Start};
use crate::presets::python::system_packages::{self, SystemPackages};
use crate::presets::python::{option_checks, version, BUILDER_IMAGE, DEFAULT_VERSION};
use crate::presets::{Context, PresetError};
use crate::project::ProjectFiles;

/// What the Python preset builds, worked out.
#[derive(Debug)]
pub(crate) struct PythonSettings {
    /// The final image, and which interpreter it has.
    pub runtime: Runtime,
    /// The Python minor version (`3.12`).
    pub minor: String,
    /// What the package manager runs.
    pub install: Install,
    /// The command that starts the app.
    pub start: Start,
    /// The project's console scripts (for init's ports, read from the ways to start).
    pub scripts: Vec<Script>,
    /// The test stage's command, unless `test = false`.
    pub test: Option<&'static str>,
    /// Compile the standard library and the app to bytecode in the runtime image.
    pub bytecode: bool,
    /// Debian packages of the build stage and of the final image: `system-packages` and
    /// `runtime-packages`, then the ones the dependencies need.
    pub system: SystemPackages,
    /// The app is a Django project.
    pub django: Option<Django>,
    /// FastHTML's `.sesskey` links to a file the app's user can write.
    pub session_key_link: bool,
    /// What was read, one line each, for the plan and for init.
    pub detected: Vec<String>,
}

/// Work out the settings, or every error at once. The options' own values are checked first
/// (validation has, but init has not): nothing else can be worked out from a bad one.
pub(super) fn settings(
    o: &TomlPythonOptions,
    cx: &Context<'_>,
) -> Result<PythonSettings, Vec<PresetError>> {
    let mut errors = option_checks::check(o);
    if !errors.is_empty() {
        return Err(errors);
    }
    let files = cx.files;
    let manifests = read_manifests(files, &mut errors);
    let mut runtime = Runtime::of(cx.base).unwrap_or_else(|e| {
        errors.push(e);
        Runtime::slim()
    });
    let (minor, version_why) = version(o, files, &manifests, &runtime, &mut errors);
    packages(cx, &runtime, &mut errors);
    let mut detected = Vec::new();
    let found = manager_and_install(o, &minor, files, &manifests, &mut detected, &mut errors);
    let Some(install) = found else {
        return Err(errors);
    };
    detected.extend(version_why.map(|why| format!("Python {minor} ({why})")));
    if let Some(image) = runtime.custom_image() {
        detected.push(format!(
            "runtime `{image}` must have `python{minor}` where `{BUILDER_IMAGE}:{minor}` has it: the venv links to it"
        ));
    }
    detected.extend(install.detected.iter().cloned());
    let system = system_packages(cx, &install, &runtime, &mut errors);
    detected.extend(system.detected.iter().cloned());
    let django = django::detect(files, &install.runtime_deps);
    detected.extend(django.iter().flat_map(django::detected));
    let session_key_link = install
        .runtime_deps
        .iter()
        .any(|d| d.name == "python-fasthtml");
    if session_key_link {
        detected.push(
            "FastHTML writes its session key to `.sesskey`, which the app's user cannot write in `/app`: it links to `/tmp/.sesskey`, a key per container (pass `secret_key` to `fast_app()` for sessions that outlive it)".into(),
        );
    }
    let scripts = manifests.scripts();
    let start = start_command(o, files, &install, &scripts, &mut detected, &mut errors);
    if let Some(start) = &start {
        let choice = default_base::choose(cx, &minor, start, &system);
        runtime = default_base::runtime(&choice, runtime, &minor);
        detected.extend(default_base::line(&choice, &runtime, &minor));
    }
    if runtime.no_shell() {
        // Distroless: no shell.
        errors.extend(
            start
                .as_ref()
                .and_then(|s| procfile::check_shell(s, runtime.flavour.name())),
        );
    }
    let test = cx.common.test.unwrap_or(true).then(|| {
        let (command, why) = test_command(&install);
        detected.push(format!("tests: {command} ({why})"));
        command
    });
    match start {
        Some(start) if errors.is_empty() => Ok(PythonSettings {
            runtime,
            minor,
            install,
            start,
            scripts,
            test,
            bytecode: o.bytecode.unwrap_or(true),
            system,
            django,
            session_key_link,
            detected,
        }),
        _ => Err(errors),
    }
}

/// The Python minor and why it was chosen (`None` when the knob says); the default on an error.
fn version(
    o: &TomlPythonOptions,
    files: &ProjectFiles,
    manifests: &Manifests,
    runtime: &Runtime,
    errors: &mut Vec<PresetError>,
) -> (String, Option<String>) {
    match version::choose(o.version.as_deref(), files, manifests, runtime) {
        Ok(found) => found,
        Err(e) => {
            errors.push(e);
            (DEFAULT_VERSION.to_string(), None)
        }
    }
}

/// `system-packages` go to the builder (Debian); `runtime-packages` need apt in the final image,
/// which distroless python3 does not have.
fn packages(cx: &Context<'_>, runtime: &Runtime, errors: &mut Vec<PresetError>) {
    check_packages("system-packages", &cx.common.system_packages, errors);
    check_packages("runtime-packages", &cx.common.runtime_packages, errors);
    if !cx.common.runtime_packages.is_empty() && !runtime.has_apt() {
        errors.push(no_apt_at_run_time("distroless"));
    }
}

/// The user's `system-packages` and `runtime-packages`, then the ones the app's dependencies
/// need; an error when some are needed at run time on a final image without apt.
fn system_packages(
    cx: &Context<'_>,
    install: &Install,
    runtime: &Runtime,
    errors: &mut Vec<PresetError>,
) -> SystemPackages {
    let system = system_packages::for_deps(
        &install.runtime_deps,
        &install.from_source,
        &cx.common.system_packages,
        &cx.common.runtime_packages,
    );
    if !system.added_run.is_empty() && !runtime.has_apt() {
        errors.push(system_packages::need_apt(&system, runtime.flavour.name()));
    }
    system
}

/// The package manager and what it runs (the manager's `detected` line first).
fn manager_and_install(
    o: &TomlPythonOptions,
    minor: &str,
    files: &ProjectFiles,
    manifests: &Manifests,
    detected: &mut Vec<String>,
    errors: &mut Vec<PresetError>,
) -> Option<Install> {
    let found = manager::detect(o.package_manager.as_deref(), files, manifests).and_then(
        |(manager, why)| {
            detected.extend(why);
            install(manager, minor, files, manifests)
        },
    );
    found.map_err(|e| errors.push(e)).ok()
}

/// `start` as written, else the one way to start the app the preset finds.
fn start_command(
    o: &TomlPythonOptions,
    files: &ProjectFiles,
    install: &Install,
    scripts: &[Script],
    detected: &mut Vec<String>,
    errors: &mut Vec<PresetError>,
) -> Option<Start> {
    if let Some(command) = &o.start {
        return Some(Start {
            command: command.clone(),
            why: String::new(),
            port: None,
            source: None,
            port_env: false,
        });
    }
    if let Some(s) = procfile::start(files) {
        detected.push(format!("start: {} ({})", s.command.join(" "), s.why));
        return Some(s);
    }
    match start::infer(files, &project(install, scripts)) {
        Ok(s) => {
            detected.push(format!("start: {} ({})", s.command.join(" "), s.why));
            Some(s)
        }
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

/// What start inference reads of the install.
pub(super) fn project<'a>(install: &'a Install, scripts: &'a [Script]) -> start::Project<'a> {
    start::Project {
        deps: &install.runtime_deps,
        installed: install.project.is_some(),
        scripts,
    }
}

/// The test command, and why: pytest when a dependency, else the standard library's unittest.
fn test_command(install: &Install) -> (&'static str, &'static str) {
    let pytest = install
        .dev_deps
        .iter()
        .chain(&install.runtime_deps)
        .any(|d| d.name == "pytest");
    if pytest {
        ("python -m pytest", "pytest in the dependencies")
    } else {
        (
            "python -m unittest discover",
            "no pytest in the dependencies: the standard library's unittest",
        )
    }
}

/// The ports the app listens on, for `stagegen init`: the server's the preset starts (also when
/// `start` names one of the ways the preset found, as init writes it), else the ones the file it
/// runs says it listens on (the script of `python <file>`, the package's `__main__.py` of
/// `python -m <pkg>`, the module of a console script).
pub(super) fn ports(s: &PythonSettings, files: &ProjectFiles) -> Vec<(u16, String)> {
    let found;
    let start = if s.start.port.is_some() {
        &s.start
    } else {
        found = start::candidates(files, &project(&s.install, &s.scripts));
        found
            .iter()
            .find(|c| c.command == s.start.command)
            .unwrap_or(&s.start)
    };
    if let Some(port) = start.port {
        return vec![(port, start.why.clone())];
    }
    let mut d = crate::presets::Detection::default();
    if let Some(source) = &start.source {
        d.ports_from(files, source);
    } else if let [python, file] = start.command.as_slice() {
        if python == "python" {
            d.ports_from(files, file);
        }
    }
    d.ports
}
