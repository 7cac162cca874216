//! The package managers: which one the app uses (its lock file, or `package-manager`). What each
//! one runs is [`super::install`]'s.

use crate::presets::python::app_files::Manifests;
use crate::presets::python::{codes, start};
use crate::presets::{Blame, PresetError};
use crate::project::ProjectFiles;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Manager {
    Pip,
    Poetry,
    Uv,
    Pipenv,
}

/// The lock files that name a package manager, in the order they are reported.
const LOCK_FILES: &[(&str, Manager)] = &[
    ("uv.lock", Manager::Uv),
    ("poetry.lock", Manager::Poetry),
    ("Pipfile.lock", Manager::Pipenv),
];

impl Manager {
    pub(super) fn name(self) -> &'static str {
        match self {
            Manager::Pip => "pip",
            Manager::Poetry => "poetry",
            Manager::Uv => "uv",
            Manager::Pipenv => "pipenv",
        }
    }

    pub(super) fn parse(name: &str) -> Option<Manager> {
        [Manager::Pip, Manager::Poetry, Manager::Uv, Manager::Pipenv]
            .into_iter()
            .find(|m| m.name() == name)
    }
}

/// The error for a `package-manager` the preset does not know.
pub(super) fn unknown(name: &str) -> PresetError {
    PresetError::new(
        codes::UNKNOWN_MANAGER,
        Blame::KnobValue("package-manager"),
        format!("unknown package manager `{name}`"),
    )
    .help("use one of `pip`, `poetry`, `uv`, `pipenv`")
}

/// Which package manager, and a `detected` line when it was read from the app.
pub(super) fn detect(
    requested: Option<&str>,
    files: &ProjectFiles,
    m: &Manifests,
) -> Result<(Manager, Option<String>), PresetError> {
    if let Some(name) = requested {
        return requested_manager(name, files).map(|manager| (manager, None));
    }
    if let Some(found) = from_lock_files(files)? {
        return Ok(found);
    }
    from_manifests(files, m)
}

/// The manager `package-manager` names, when the files it needs are there.
fn requested_manager(name: &str, files: &ProjectFiles) -> Result<Manager, PresetError> {
    let knob = Blame::Knob("package-manager");
    let Some(manager) = Manager::parse(name) else {
        return Err(unknown(name));
    };
    let needs: &[&str] = match manager {
        Manager::Uv => &["pyproject.toml", "uv.lock"],
        Manager::Poetry => &["pyproject.toml", "poetry.lock"],
        Manager::Pipenv => &["Pipfile", "Pipfile.lock"],
        Manager::Pip => &[],
    };
    if let Some(missing) = needs.iter().find(|f| !files.is_file(f)) {
        return Err(PresetError::new(
            codes::MANAGER_NEEDS_FILE,
            knob,
            format!(
                "`{}` needs `{missing}`, and the build context has none",
                manager.name()
            ),
        )
        .help(lock_help(manager)));
    }
    if manager == Manager::Pip
        && !files.is_file("requirements.txt")
        && !files.is_file("pyproject.toml")
    {
        return Err(PresetError::new(
            codes::MANAGER_NEEDS_FILE,
            knob,
            "`pip` needs `requirements.txt` or `pyproject.toml`, and the build context has neither",
        )
        .help("list the dependencies with pinned versions in `requirements.txt` (`pip freeze > requirements.txt`)"));
    }
    Ok(manager)
}

/// The manager of the one lock file there is; an error when there are several.
fn from_lock_files(files: &ProjectFiles) -> Result<Option<(Manager, Option<String>)>, PresetError> {
    let locks: Vec<&(&str, Manager)> = LOCK_FILES
        .iter()
        .filter(|(f, _)| files.is_file(f))
        .collect();
    match locks.as_slice() {
        [(file, manager)] => Ok(Some((
            *manager,
            Some(format!("package manager {} ({file})", manager.name())),
        ))),
        [first, ..] => {
            let names: Vec<String> = locks.iter().map(|(f, _)| format!("`{f}`")).collect();
            Err(PresetError::new(
                codes::SEVERAL_LOCK_FILES,
                Blame::Table,
                format!("found the lock files of several package managers: {}", names.join(", ")),
            )
            .help(format!(
                "choose one with `package-manager = \"{}\"` in `[preset]`, or delete the stale lock file",
                first.1.name()
            )))
        }
        [] => Ok(None),
    }
}

/// pip, for an app without a lock file: its `requirements.txt`, else its `pyproject.toml`;
/// an error for a manifest whose lock file is missing.
fn from_manifests(
    files: &ProjectFiles,
    m: &Manifests,
) -> Result<(Manager, Option<String>), PresetError> {
    if files.is_file("Pipfile") {
        return Err(no_lock(
            "found `Pipfile` but no `Pipfile.lock`",
            Manager::Pipenv,
        ));
    }
    let poetry_deps = m
        .pyproject
        .as_ref()
        .and_then(|p| p.poetry.as_ref())
        .is_some_and(|p| !p.dependencies.is_empty() || !p.groups.is_empty());
    if files.is_file("requirements.txt") {
        return Ok((
            Manager::Pip,
            Some("package manager pip (requirements.txt)".into()),
        ));
    }
    if poetry_deps {
        return Err(no_lock(
            "`pyproject.toml` declares Poetry dependencies but there is no `poetry.lock`",
            Manager::Poetry,
        ));
    }
    if files.is_file("pyproject.toml") {
        return Ok((
            Manager::Pip,
            Some("package manager pip (pyproject.toml; no lock file, so versions resolve at build time)".into()),
        ));
    }
    if let Some(script) = start::lone_scripts(files).first() {
        return Ok((
            Manager::Pip,
            Some(format!(
                "no dependency file, so nothing to install (a lone script: `{script}`)"
            )),
        ));
    }
    Err(PresetError::new(
        codes::NO_MANIFEST,
        Blame::Table,
        format!(
            "found no `requirements.txt`, `pyproject.toml`, `uv.lock`, `poetry.lock` or `Pipfile.lock` in the build context `{}`",
            files.root().display()
        ),
    )
    .help("the python preset installs the app's dependencies from one of them; an app without dependencies needs an empty `requirements.txt`"))
}

fn no_lock(message: &str, manager: Manager) -> PresetError {
    PresetError::new(codes::NO_LOCK_FILE, Blame::Table, message).help(lock_help(manager))
}

fn lock_help(manager: Manager) -> &'static str {
    match manager {
        Manager::Uv => {
            "run `uv lock` and commit `uv.lock`: the build installs exactly what it pins"
        }
        Manager::Poetry => {
            "run `poetry lock` and commit `poetry.lock`: the build installs exactly what it pins"
        }
        Manager::Pipenv => {
            "run `pipenv lock` and commit `Pipfile.lock`: the build installs exactly what it pins"
        }
        Manager::Pip => "list the dependencies in `requirements.txt`",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manager_names_round_trip() {
        for m in [Manager::Pip, Manager::Poetry, Manager::Uv, Manager::Pipenv] {
            assert_eq!(Manager::parse(m.name()), Some(m));
        }
        assert_eq!(Manager::parse("conda"), None);
    }
}
