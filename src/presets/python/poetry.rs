//! What Poetry's lock installs: the locked dependencies as hashed requirements that the image's
//! pip installs with `--require-hashes --no-deps` (the main group; the dev groups for test and
//! dev), then the project itself when it is a package.
//!
//! The requirements come from [`super::poetry_lock`]'s program, which reads a lock-version 2.1
//! lock with the builder's own Python: no tools venv, no uv, no Poetry (installing them was
//! most of a cold build). Where it could not be exact ([`super::poetry_lock_check`] says why),
//! pinned Poetry and its export plugin export the lock instead, in `/opt/tools`.

use crate::ir::Command;
use crate::presets::python::install::{
    image_python, pip_install, pip_step, Install, Step, DEV_GROUPS,
};
use crate::presets::python::manifest::{Poetry, Pyproject};
use crate::presets::python::{
    poetry_lock, poetry_lock_check, PIP_CACHE, POETRY_EXPORT_VERSION, POETRY_VERSION, TOOLS,
};
use crate::project::ProjectFiles;

/// The runtime dependencies' requirements, and the test and dev stages'.
const LOCK: &str = "/tmp/requirements.lock.txt";
const DEV_LOCK: &str = "/tmp/requirements-dev.lock.txt";

/// What Poetry's lock installs, for Python `minor`.
pub(super) fn install(minor: &str, files: &ProjectFiles, pyproject: Option<&Pyproject>) -> Install {
    let poetry = pyproject.and_then(|p| p.poetry.as_ref());
    let dev = poetry.map(dev_groups).unwrap_or_default();
    let mut selections = vec![vec!["main".to_string()]];
    if !dev.is_empty() {
        selections.push(
            std::iter::once("main".to_string())
                .chain(dev.iter().cloned())
                .collect(),
        );
    }
    let lock = files.read("poetry.lock");
    let mut out = match poetry_lock_check::check(lock.as_deref(), minor, &selections) {
        Ok(()) => read(minor, &dev),
        Err(why) => export(minor, files, &dev, why),
    };
    out.runtime_deps = pyproject.map(Pyproject::runtime_deps).unwrap_or_default();
    if let Some(p) = poetry {
        out.dev_deps = dev
            .iter()
            .flat_map(|g| p.groups[g].iter().cloned())
            .collect();
    }
    if let Some(why) = root(files, pyproject) {
        let pip = pip_install(minor);
        out.project = Some(pip_step(vec![format!("{pip} --no-deps .")], vec![]));
        out.detected.push(why);
    }
    out
}

/// The groups other than main that hold the test and development tools.
fn dev_groups(p: &Poetry) -> Vec<String> {
    p.groups
        .keys()
        .filter(|g| DEV_GROUPS.contains(&g.as_str()))
        .cloned()
        .collect()
}

/// The program writes both requirements files (the dev one for the test and dev stages, which
/// start from the build stage), then runs pip on the first: one step, in exec form, keyed on
/// the manifests.
fn read(minor: &str, dev: &[String]) -> Install {
    let mut out = Install::new(Vec::new());
    let python = image_python(minor);
    let mut words = vec![
        python,
        "-c".to_string(),
        poetry_lock::SCRIPT.to_string(),
        format!("{LOCK}=main"),
    ];
    if !dev.is_empty() {
        words.push(format!("{DEV_LOCK}=main,{}", dev.join(",")));
    }
    words.push("--".into());
    let pip = pip_install(minor);
    words.extend(pip.split_whitespace().map(str::to_string));
    words.extend(["--require-hashes", "--no-deps", "-r", LOCK].map(str::to_string));
    out.deps = Some(Step {
        commands: vec![Command::Exec(words)],
        inputs: vec!["pyproject.toml".into(), "poetry.lock".into()],
        cache: PIP_CACHE,
    });
    if !dev.is_empty() {
        out.dev = Some(pip_step(
            vec![format!("{pip} --require-hashes --no-deps -r {DEV_LOCK}")],
            vec![],
        ));
    }
    out.detected.push(format!(
        "poetry.lock is read without Poetry (lock-version {}, every package from PyPI): the image's pip installs its hashed requirements",
        poetry_lock_check::LOCK_VERSION
    ));
    out
}

/// Pinned Poetry and its export plugin, in the tools venv, export the lock.
fn export(minor: &str, files: &ProjectFiles, dev: &[String], why: String) -> Install {
    let pip = pip_install(minor);
    let mut out = Install::new(vec![
        format!("poetry=={POETRY_VERSION}"),
        format!("poetry-plugin-export=={POETRY_EXPORT_VERSION}"),
    ]);
    let poetry = format!("{TOOLS}/bin/poetry");
    let mut inputs = vec!["pyproject.toml".to_string(), "poetry.lock".to_string()];
    if files.is_file("poetry.toml") {
        inputs.push("poetry.toml".into());
    }
    out.deps = Some(pip_step(
        vec![
            format!("{poetry} export --only main --output {LOCK}"),
            format!("{pip} --require-hashes --no-deps -r {LOCK}"),
        ],
        inputs,
    ));
    if !dev.is_empty() {
        out.dev = Some(pip_step(
            vec![
                format!(
                    "{poetry} export --with {} --output {DEV_LOCK}",
                    dev.join(",")
                ),
                format!("{pip} --require-hashes --no-deps -r {DEV_LOCK}"),
            ],
            vec![],
        ));
    }
    out.detected.push(format!(
        "poetry.lock is exported with Poetry {POETRY_VERSION}: {why}"
    ));
    out
}

/// Whether Poetry's root package gets installed, and why: package mode, a build backend, and
/// something to ship (explicit `packages`, or a folder or module named after the project).
fn root(files: &ProjectFiles, pyproject: Option<&Pyproject>) -> Option<String> {
    let p = pyproject?;
    let poetry = p.poetry.as_ref()?;
    if !poetry.package_mode || !p.build_system {
        return None;
    }
    if poetry.explicit_packages {
        return Some(
            "the project is a package (`packages` in pyproject.toml): installed into the venv"
                .into(),
        );
    }
    let name = p.name.as_deref()?.replace(['-', '.'], "_").to_lowercase();
    ["", "src/"]
        .iter()
        .find(|prefix| {
            files.is_dir(&format!("{prefix}{name}")) || files.is_file(&format!("{prefix}{name}.py"))
        })
        .map(|prefix| {
            format!("the project is a package (`{prefix}{name}`): installed into the venv")
        })
}
