//! The app's manifests, read once at the start of the settings step: `pyproject.toml`,
//! `Pipfile` and `requirements.txt` (with its includes). A manifest that is not valid TOML is an
//! error; one that is absent is `None`.

use crate::presets::python::codes;
use crate::presets::python::manifest::{Pipfile, Pyproject, Requirements, Script};
use crate::presets::{Blame, PresetError};
use crate::project::ProjectFiles;

/// The app's manifests, read once.
pub(super) struct Manifests {
    pub pyproject: Option<Pyproject>,
    pub pipfile: Option<Pipfile>,
    pub requirements: Option<Requirements>,
}

impl Manifests {
    /// The project's console scripts (`[project.scripts]`, `[tool.poetry.scripts]`).
    pub(super) fn scripts(&self) -> Vec<Script> {
        self.pyproject
            .as_ref()
            .map(|p| p.scripts.clone())
            .unwrap_or_default()
    }
}

pub(super) fn read_manifests(files: &ProjectFiles, errors: &mut Vec<PresetError>) -> Manifests {
    let mut bad = |file: &str, e: String| {
        errors.push(
            PresetError::new(
                codes::UNREADABLE_MANIFEST,
                Blame::Table,
                format!("cannot read `{file}`: {e}"),
            )
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
