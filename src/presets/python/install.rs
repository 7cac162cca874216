//! What each package manager runs to install the app's locked dependencies into the virtual
//! environment, one function per manager.
//!
//! pip installs `requirements.txt` as written (hash-checking when it has hashes) or the
//! `[project] dependencies` of `pyproject.toml`. Poetry's lock ([`super::poetry`]) and Pipenv's
//! become hashed requirements that pip installs with `--require-hashes --no-deps`: exactly the
//! locked set, verified, and the tool never touches the network. uv syncs its own lock with
//! `--locked`.
//! pip is the builder image's own (`/usr/local/bin/python3.X -m pip --python /opt/venv/bin/python`): a pinned
//! pip of our own cost 2.3 s of every cold build, and with a lock it installs the same files.
//! uv, Pipenv and (for a lock the builder's Python cannot read exactly) Poetry are installed at a
//! pinned version into `/opt/tools`, which stays in the build stage.

use crate::ir::Command;
use crate::presets::python::app_files::Manifests;
use crate::presets::python::codes;
use crate::presets::python::manager::Manager;
use crate::presets::python::manifest::{Dep, Pipfile, Pyproject, Requirements};
use crate::presets::python::version::minor_number;
use crate::presets::python::{
    IMAGE_BIN, PIPENV_VERSION, PIP_CACHE, TOOLS, UV_CACHE, UV_VERSION, VENV,
};
use crate::presets::{Blame, PresetError};
use crate::project::ProjectFiles;
use crate::shell::shell_quote;

/// Dependency groups and extras that hold the test and development tools.
pub(super) const DEV_GROUPS: &[&str] = &["dev", "test", "tests", "testing"];
/// Requirements files of the test and development tools, read in this order.
const DEV_REQUIREMENTS: &[&str] = &[
    "requirements-dev.txt",
    "dev-requirements.txt",
    "requirements-test.txt",
    "test-requirements.txt",
    "requirements/dev.txt",
    "requirements/test.txt",
];

/// A command run in the build, with what it reads and the cache it uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Step {
    pub commands: Vec<Command>,
    /// Context files the commands read; empty means the whole context (run after the copy).
    pub inputs: Vec<String>,
    pub cache: &'static str,
}

/// How one package manager installs the app.
#[derive(Debug)]
pub(crate) struct Install {
    /// Pinned requirements of the tools venv (`/opt/tools`).
    pub tools: Vec<String>,
    /// Build-stage environment of the tool.
    pub env: Vec<(String, String)>,
    /// The locked runtime dependencies, keyed on the manifests only.
    pub deps: Option<Step>,
    /// The project itself, when it is a package (after the sources are copied).
    pub project: Option<Step>,
    /// Test and development dependencies (test and dev stages only).
    pub dev: Option<Step>,
    /// Runtime dependencies by name (to infer the start command).
    pub runtime_deps: Vec<Dep>,
    /// Test and development dependencies by name (to find pytest).
    pub dev_deps: Vec<Dep>,
    /// Packages built from source (`--no-binary`; `:all:` for every one).
    pub from_source: Vec<String>,
    pub detected: Vec<String>,
}

impl Install {
    pub(super) fn new(tools: Vec<String>) -> Install {
        Install {
            tools,
            env: Vec::new(),
            deps: None,
            project: None,
            dev: None,
            runtime_deps: Vec::new(),
            dev_deps: Vec::new(),
            from_source: Vec::new(),
            detected: Vec::new(),
        }
    }
}

/// The builder image's interpreter (Python `minor`'s) by its path: the app's venv, ahead of it
/// on the `PATH`, has no pip.
pub(super) fn image_python(minor: &str) -> String {
    format!("{IMAGE_BIN}/python{minor}")
}

/// The builder image's pip, installing into the app's venv.
pub(super) fn pip_install(minor: &str) -> String {
    format!(
        "{} -m pip --python {VENV}/bin/python install",
        image_python(minor)
    )
}

pub(super) fn pip_step(commands: Vec<String>, inputs: Vec<String>) -> Step {
    Step {
        commands: commands.into_iter().map(Command::Shell).collect(),
        inputs,
        cache: PIP_CACHE,
    }
}

fn uv_step(command: String, inputs: Vec<String>) -> Step {
    Step {
        commands: vec![Command::Shell(command)],
        inputs,
        cache: UV_CACHE,
    }
}

/// What `manager` runs, for the app's files.
pub(super) fn install(
    manager: Manager,
    minor: &str,
    files: &ProjectFiles,
    m: &Manifests,
) -> Result<Install, PresetError> {
    match manager {
        Manager::Pip => pip(minor, files, m),
        Manager::Poetry => Ok(super::poetry::install(minor, files, m.pyproject.as_ref())),
        Manager::Pipenv => Ok(pipenv(minor, m)),
        Manager::Uv => Ok(uv(files, m.pyproject.as_ref())),
    }
}

fn pip(minor: &str, files: &ProjectFiles, m: &Manifests) -> Result<Install, PresetError> {
    let pyproject = m.pyproject.as_ref();
    let build_system = pyproject.is_some_and(|p| p.build_system);
    let mut out = Install::new(Vec::new());
    if let Some(req) = &m.requirements {
        pip_requirements(req, minor, build_system, &mut out)?;
    } else if let Some(p) = pyproject {
        pip_pyproject(p, minor, build_system, &mut out);
    }
    let (dev, names) = pip_dev(minor, files, pyproject, build_system)?;
    out.dev = dev.map(|c| pip_step(vec![c], vec![]));
    out.dev_deps = names;
    Ok(out)
}

/// `pip install -r requirements.txt`, keyed on the files it reads (unless it installs from the
/// whole context), then the project when it is a package.
fn pip_requirements(
    req: &Requirements,
    minor: &str,
    build_system: bool,
    out: &mut Install,
) -> Result<(), PresetError> {
    let pip = pip_install(minor);
    if let Some(missing) = req.missing.first() {
        return Err(missing_include("requirements.txt", missing));
    }
    let mut cmd = pip.clone();
    if req.hashes {
        cmd.push_str(" --require-hashes");
        out.detected
            .push("hash-checking install (requirements.txt has hashes)".into());
    }
    cmd.push_str(" -r requirements.txt");
    let inputs = if req.reads_context {
        out.detected.push(
            "requirements.txt installs from the project's own folder: the dependency install runs after the sources are copied".into(),
        );
        Vec::new()
    } else {
        req.files.iter().chain(&req.local_dirs).cloned().collect()
    };
    out.deps = Some(pip_step(vec![cmd], inputs));
    out.runtime_deps = req.deps.clone();
    out.from_source = req.no_binary.clone();
    if build_system {
        out.project = Some(pip_step(vec![format!("{pip} --no-deps .")], vec![]));
    }
    Ok(())
}

/// `[project] dependencies`, read from pyproject.toml at build time (so the layer always matches
/// it), then the project when it is a package or computes its dependencies.
fn pip_pyproject(p: &Pyproject, minor: &str, build_system: bool, out: &mut Install) {
    let pip = pip_install(minor);
    out.runtime_deps = p.dependencies.clone();
    if p.dynamic_dependencies {
        out.detected.push(
            "pyproject.toml's dependencies are dynamic: they install with the project, after the sources are copied".into(),
        );
    } else if !p.dependencies.is_empty() {
        let file = "/tmp/requirements.pyproject.txt";
        out.deps = Some(pip_step(
            vec![
                format!(
                    "{} -c {} > {file}",
                    image_python(minor),
                    shell_quote(&deps_script(minor))
                ),
                format!("{pip} -r {file}"),
            ],
            vec!["pyproject.toml".into()],
        ));
    }
    if build_system || p.dynamic_dependencies {
        out.project = Some(pip_step(vec![format!("{pip} .")], vec![]));
    }
}

fn missing_include(file: &str, missing: &str) -> PresetError {
    PresetError::new(
        codes::MISSING_INCLUDE,
        Blame::Table,
        format!("`{file}` includes `{missing}`, which is not in the build context"),
    )
    .help("fix the `-r`/`-c` line, or add the file")
}

/// Pipenv checks its lock is current, then exports it to hashed requirements.
fn pipenv(minor: &str, m: &Manifests) -> Install {
    let pip = pip_install(minor);
    let mut out = Install::new(vec![format!("pipenv=={PIPENV_VERSION}")]);
    out.env.push(("PIPENV_VERBOSITY".into(), "-1".into()));
    let pipenv = format!("{TOOLS}/bin/pipenv");
    let lock = "/tmp/requirements.lock.txt";
    out.deps = Some(pip_step(
        vec![
            format!("{pipenv} verify"),
            format!("{pipenv} requirements --hash > {lock}"),
            format!("{pip} --require-hashes --no-deps -r {lock}"),
        ],
        vec!["Pipfile".into(), "Pipfile.lock".into()],
    ));
    if let Some(pf) = &m.pipfile {
        pipenv_dev(pf, (&pipenv, &pip), &mut out);
    }
    if m.pyproject.as_ref().is_some_and(|p| p.build_system) {
        out.project = Some(pip_step(vec![format!("{pip} --no-deps .")], vec![]));
    }
    out
}

fn pipenv_dev(pf: &Pipfile, (pipenv, pip): (&str, &str), out: &mut Install) {
    out.runtime_deps = pf.packages.clone();
    if !pf.dev_packages.is_empty() {
        let dev_lock = "/tmp/requirements-dev.lock.txt";
        out.dev = Some(pip_step(
            vec![
                format!("{pipenv} requirements --dev --hash > {dev_lock}"),
                format!("{pip} --require-hashes --no-deps -r {dev_lock}"),
            ],
            vec![],
        ));
        out.dev_deps = pf.dev_packages.clone();
    }
}

/// uv syncs its lock into the venv: the dependencies first (keyed on the manifests, unless the
/// workspace members' manifests are needed), then the project when it is a package.
fn uv(files: &ProjectFiles, p: Option<&Pyproject>) -> Install {
    let mut out = Install::new(vec![format!("uv=={UV_VERSION}")]);
    out.env = uv_env();
    let uv = format!("{TOOLS}/bin/uv");
    let build_system = p.is_some_and(|p| p.build_system);
    let workspace = p.and_then(|p| p.uv.as_ref()).filter(|u| u.workspace);
    let mut inputs = vec!["pyproject.toml".to_string(), "uv.lock".to_string()];
    if files.is_file("uv.toml") {
        inputs.push("uv.toml".into());
    }
    let skip = match workspace {
        Some(ws) => {
            match super::uv_workspace::member_manifests(ws, files) {
                Ok(members) => {
                    out.detected.push(format!(
                        "uv workspace: the dependency sync is keyed on uv.lock and the manifests of its {} member(s), so a source change reinstalls nothing",
                        members.len()
                    ));
                    inputs.extend(members);
                }
                Err(why) => {
                    out.detected.push(format!(
                        "uv workspace: the dependency sync runs after the sources are copied: {why}"
                    ));
                    inputs.clear();
                }
            }
            "--no-install-workspace"
        }
        None => "--no-install-project",
    };
    out.deps = Some(uv_step(
        format!("{uv} sync --locked --no-dev {skip}"),
        inputs,
    ));
    let package = p
        .and_then(|p| p.uv.as_ref())
        .and_then(|u| u.package)
        .unwrap_or(build_system);
    if package || workspace.is_some() {
        out.project = Some(uv_step(
            format!("{uv} sync --locked --no-dev --no-editable"),
            vec![],
        ));
        if package {
            out.detected
                .push("the project is a package: uv installs it into the venv".into());
        }
    }
    if let Some(p) = p {
        uv_dev(p, &uv, &mut out);
    }
    out
}

/// uv's build environment: bytecode compiled, files copied out of its cache, no Python
/// downloaded, the venv made with the image's interpreter.
fn uv_env() -> Vec<(String, String)> {
    vec![
        ("UV_COMPILE_BYTECODE".into(), "1".into()),
        ("UV_LINK_MODE".into(), "copy".into()),
        ("UV_PYTHON_DOWNLOADS".into(), "never".into()),
        // The venv made with the image's interpreter, as for every package manager.
        ("UV_PYTHON".into(), format!("{VENV}/bin/python")),
        ("UV_PROJECT_ENVIRONMENT".into(), VENV.into()),
        // Trust the image's CA store, as pip does (truststore): a private index or a
        // TLS-inspecting proxy whose CA is installed in the image works for both.
        ("UV_SYSTEM_CERTS".into(), "1".into()),
    ]
}

/// The dev groups uv syncs for the test and dev stages (the legacy `dev-dependencies` are the
/// `dev` group).
fn uv_dev(p: &Pyproject, uv: &str, out: &mut Install) {
    out.runtime_deps = p.dependencies.clone();
    let mut groups: Vec<String> = p
        .groups
        .keys()
        .filter(|g| DEV_GROUPS.contains(&g.as_str()))
        .cloned()
        .collect();
    out.dev_deps = groups
        .iter()
        .flat_map(|g| p.groups[g].iter().cloned())
        .collect();
    if let Some(u) = p.uv.as_ref().filter(|u| !u.dev_dependencies.is_empty()) {
        if !groups.iter().any(|g| g == "dev") {
            groups.insert(0, "dev".into());
        }
        out.dev_deps.extend(u.dev_dependencies.iter().cloned());
    }
    if !groups.is_empty() {
        let flags: Vec<String> = groups.iter().map(|g| format!("--group {g}")).collect();
        out.dev = Some(uv_step(
            format!("{uv} sync --locked {}", flags.join(" ")),
            vec![],
        ));
    }
}

/// A Python one-liner printing `[project] dependencies`, one a line. `tomllib` is in the standard
/// library from 3.11; before, the copy pip vendors is used (the builder's Python has pip).
fn deps_script(minor: &str) -> String {
    let newer = minor_number(minor).is_none_or(|m| m >= 11);
    let import = if newer {
        "import tomllib"
    } else {
        "from pip._vendor import tomli as tomllib"
    };
    format!(
        "{import}; print(\"\\n\".join(tomllib.load(open(\"pyproject.toml\", \"rb\"))[\"project\"].get(\"dependencies\", [])))"
    )
}

/// The pip command installing the test and development tools, and their names: the dev
/// requirements files, else the dev dependency groups, else a package's dev extras.
fn pip_dev(
    minor: &str,
    files: &ProjectFiles,
    pyproject: Option<&Pyproject>,
    package: bool,
) -> Result<(Option<String>, Vec<Dep>), PresetError> {
    let found: Vec<&str> = DEV_REQUIREMENTS
        .iter()
        .copied()
        .filter(|f| files.is_file(f))
        .collect();
    if !found.is_empty() {
        return pip_dev_requirements(&pip_install(minor), files, &found);
    }
    let Some(p) = pyproject else {
        return Ok((None, Vec::new()));
    };
    Ok(pip_dev_pyproject(&pip_install(minor), p, package))
}

fn pip_dev_requirements(
    pip: &str,
    files: &ProjectFiles,
    found: &[&str],
) -> Result<(Option<String>, Vec<Dep>), PresetError> {
    let mut names = Vec::new();
    let mut hashes = false;
    for f in found {
        let r = Requirements::read(files, f);
        if let Some(missing) = r.missing.first() {
            return Err(missing_include(f, missing));
        }
        hashes |= r.hashes;
        names.extend(r.deps);
    }
    let mut cmd = pip.to_string();
    if hashes {
        cmd.push_str(" --require-hashes");
    }
    for f in found {
        cmd.push_str(&format!(" -r {f}"));
    }
    Ok((Some(cmd), names))
}

fn pip_dev_pyproject(pip: &str, p: &Pyproject, package: bool) -> (Option<String>, Vec<Dep>) {
    let groups: Vec<&String> = p
        .groups
        .keys()
        .filter(|g| DEV_GROUPS.contains(&g.as_str()))
        .collect();
    if !groups.is_empty() {
        let flags: Vec<String> = groups.iter().map(|g| format!("--group {g}")).collect();
        let names = groups.iter().flat_map(|g| p.groups[*g].clone()).collect();
        return (Some(format!("{pip} {}", flags.join(" "))), names);
    }
    let extras: Vec<&String> = p
        .optional
        .keys()
        .filter(|g| DEV_GROUPS.contains(&g.as_str()))
        .collect();
    if package && !extras.is_empty() {
        let list: Vec<&str> = extras.iter().map(|e| e.as_str()).collect();
        let names = extras.iter().flat_map(|e| p.optional[*e].clone()).collect();
        let target = shell_quote(&format!(".[{}]", list.join(",")));
        return (Some(format!("{pip} {target}")), names);
    }
    (None, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deps_script_uses_tomllib_from_3_11() {
        assert!(deps_script("3.12").starts_with("import tomllib;"));
        assert!(deps_script("3.10").starts_with("from pip._vendor import tomli"));
        assert!(deps_script("3.15").starts_with("import tomllib;"));
    }
}
