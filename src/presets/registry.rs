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

/// Every preset, in the order `stagegen init` tries their markers. The order decides only which
/// preset init names first when an app has the markers of several (it then refuses to guess and
/// suggests `--lang`); new presets go at the end, so init's messages stay stable.
static REGISTRY: &[&dyn DynPreset] = &[
    &crate::presets::go::Go,
    &crate::presets::python::Python,
    &crate::presets::node::Node,
    &crate::presets::java::Java,
    &crate::presets::r#static::Static,
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
