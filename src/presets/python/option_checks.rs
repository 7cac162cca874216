//! The Python preset's checks of its knobs' values alone, run while `build.toml` is validated
//! (so they are reported with the file's other mistakes) and again first thing in the settings
//! step (which `stagegen init` runs without validating): a `version` that names no CPython, a
//! `package-manager` the preset does not know, a `start` that names no program.

use crate::presets::python::codes;
use crate::presets::python::manager::{self, Manager};
use crate::presets::python::options::TomlPythonOptions;
use crate::presets::python::version::{self, minor_of};
use crate::presets::{Blame, PresetError};

pub(super) fn check(o: &TomlPythonOptions) -> Vec<PresetError> {
    let mut out = Vec::new();
    if let Some(v) = o.version.as_deref().filter(|v| minor_of(v).is_none()) {
        out.push(version::invalid_version(v));
    }
    if let Some(name) = o.package_manager.as_deref() {
        if Manager::parse(name).is_none() {
            out.push(manager::unknown(name));
        }
    }
    if o.start
        .as_ref()
        .is_some_and(|s| s.is_empty() || s[0].is_empty())
    {
        out.push(
            PresetError::new(
                codes::EMPTY_START,
                Blame::KnobValue("start"),
                "`start` names no program",
            )
            .help("write the command as a list of words: `[\"gunicorn\", \"app:app\"]`"),
        );
    }
    out
}
