//! The one list of presets. Everything that depends on which presets exist is derived from it:
//! the `[preset]` schema (one branch each), `stagegen init --lang` and init's detection order,
//! the diagnostic codes, the stage names validation knows, and the images the e2e suite needs.
//!
//! Adding a language: a folder under `src/presets/`, one line here, an example under
//! `examples/`, case dirs under `tests/cases/`, an init layout under `tests/init/` (a test fails
//! when one is missing).

use crate::diagnostics::Code;
pub use crate::presets::dynamic::DynPreset;
use crate::presets::FrontendBuilder;
use crate::project::ProjectFiles;

/// Every preset, in the order `stagegen init` tries their markers. The order decides only which
/// preset init names first when an app has the markers of several (it then refuses to guess and
/// suggests `--lang`); new presets go at the end, so init's messages stay stable.
static REGISTRY: &[&dyn DynPreset] = &[
    &crate::presets::go::Go,
    &crate::presets::python::Python,
    &crate::presets::node::Node,
    &crate::presets::java::Java,
    &crate::presets::r#static::Static,
    &crate::presets::bun::Bun,
];

/// What builds `[frontend]` (a preset provides it; its codes are among that preset's).
static FRONTEND: &dyn FrontendBuilder = &crate::presets::node::NodeFrontend;

/// Every preset, in detection order.
pub fn all() -> &'static [&'static dyn DynPreset] {
    REGISTRY
}

/// The preset with this `name`.
pub fn find(name: &str) -> Option<&'static dyn DynPreset> {
    REGISTRY.iter().copied().find(|p| p.info().name == name)
}

/// The preset a misspelled or colloquial name means (`golang`, `py`, `nodejs`, `jvm`).
pub fn find_alias(name: &str) -> Option<&'static dyn DynPreset> {
    let lower = name.to_ascii_lowercase();
    REGISTRY.iter().copied().find(|p| {
        let info = p.info();
        info.name == lower || info.aliases.contains(&lower.as_str())
    })
}

/// The builder of `[frontend]`.
pub fn frontend() -> &'static dyn FrontendBuilder {
    FRONTEND
}

/// The names, in order.
pub fn names() -> Vec<&'static str> {
    REGISTRY.iter().map(|p| p.info().name).collect()
}

/// The diagnostic codes of every preset, in registry order.
pub fn codes() -> Vec<Code> {
    REGISTRY
        .iter()
        .flat_map(|p| p.info().codes.iter().copied())
        .collect()
}

/// The `stagegen explain` text of a preset's code: the preset that owns `id` writes it.
pub fn explain(id: &str) -> Option<&'static str> {
    REGISTRY.iter().find_map(|p| (p.info().explain)(id))
}

/// The presets whose markers `files` has, each with the first marker found. A preset that
/// [refines](crate::presets::Refinement) another counts only when its `find` says the app is
/// its own, and then the preset it refines does not count.
pub fn by_markers(files: &ProjectFiles) -> Vec<(&'static dyn DynPreset, &'static str)> {
    let found: Vec<(&'static dyn DynPreset, &'static str)> = REGISTRY
        .iter()
        .filter_map(|&p| {
            let info = p.info();
            let marker = info.markers.iter().find(|m| files.is_file(m))?;
            match info.refines {
                Some(r) if (r.find)(files).is_none() => None,
                _ => Some((p, *marker)),
            }
        })
        .collect();
    let refined: Vec<&str> = found
        .iter()
        .filter_map(|(p, _)| p.info().refines.map(|r| r.of))
        .collect();
    found
        .into_iter()
        .filter(|(p, _)| !refined.contains(&p.info().name))
        .collect()
}
