//! The semantic checks, one per file, run in the order of [`CHECKS`] after the schema holds.
//! Each appends diagnostics with its own stable code; the case directories under `tests/cases/`
//! trigger each one.

pub(super) mod args;
pub(super) mod cache;
pub(super) mod durations;
pub(super) mod images;
pub(super) mod limits;
pub(super) mod lints;
pub(super) mod names;
pub(super) mod nothing;
pub(super) mod paths;
pub(super) mod ports;
pub(super) mod preset_knobs;
pub(super) mod publish;
pub(super) mod root_user;
pub(super) mod runtime_needs_preset;
pub(super) mod secret_args;
pub(super) mod secrets;
pub(super) mod stage_base;
pub(super) mod stage_names;
pub(super) mod stage_refs;
pub(super) mod steps;
pub(super) mod values;
pub(super) mod version;

use crate::config::{TomlImageSettings, TomlStep};
use crate::diagnostics::Diagnostic;
use crate::validate::Cx;

type Check = fn(&Cx<'_>, &mut Vec<Diagnostic>);

/// Every check. The order only decides the order of equal-position diagnostics; output is sorted
/// by position.
pub(super) const CHECKS: &[(&str, Check)] = &[
    ("version", version::check),
    ("nothing-to-build", nothing::check),
    ("runtime-needs-preset", runtime_needs_preset::check),
    ("preset-knobs", preset_knobs::check),
    ("stage-names", stage_names::check),
    ("stage-base", stage_base::check),
    ("stage-refs", stage_refs::check),
    ("steps", steps::check),
    ("paths", paths::check),
    ("ports", ports::check),
    ("names", names::check),
    ("images", images::check),
    ("publish", publish::check),
    ("cache", cache::check),
    ("values", values::check),
    ("secrets", secrets::check),
    ("secret-args", secret_args::check),
    ("args", args::check),
    ("durations", durations::check),
    ("root-user", root_user::check),
    ("lints", lints::check),
];

/// The image settings blocks of the file: `[runtime]` and each `[[stage]]`, with their pointers.
pub(super) fn settings<'a>(cx: &Cx<'a>) -> Vec<(String, &'a TomlImageSettings)> {
    let mut out = Vec::new();
    if let Some(r) = &cx.build.runtime {
        out.push(("/runtime".to_string(), &r.settings));
    }
    for (i, s) in cx.build.stage.iter().enumerate() {
        out.push((format!("/stage/{i}"), &s.settings));
    }
    out
}

/// Every step with its pointer and the index of its stage (`None` for `[runtime]` steps).
pub(super) fn steps<'a>(cx: &Cx<'a>) -> Vec<(String, &'a TomlStep, Option<usize>)> {
    let mut out = Vec::new();
    if let Some(r) = &cx.build.runtime {
        for (j, step) in r.settings.steps.iter().enumerate() {
            out.push((format!("/runtime/steps/{j}"), step, None));
        }
    }
    for (i, s) in cx.build.stage.iter().enumerate() {
        for (j, step) in s.settings.steps.iter().enumerate() {
            out.push((format!("/stage/{i}/steps/{j}"), step, Some(i)));
        }
    }
    out
}

/// Names of the stages the preset makes, if any, and the `frontend` stage of `[frontend]`.
pub(super) fn preset_stages(cx: &Cx<'_>) -> Vec<&'static str> {
    made_stages(cx.build)
}

/// Names of the stages stagegen makes for `build` (the preset's, `[frontend]`'s).
pub(super) fn made_stages(build: &crate::config::TomlBuild) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = build
        .preset
        .as_ref()
        .map(|p| p.preset.info().stage_names.to_vec())
        .unwrap_or_default();
    if build.frontend.is_some() {
        names.push(crate::presets::FRONTEND_STAGE);
    }
    names
}

/// Every stage name of `build`: the ones stagegen makes, then the user's, in order.
pub fn all_stages(build: &crate::config::TomlBuild) -> Vec<&str> {
    made_stages(build)
        .into_iter()
        .chain(build.stage.iter().map(|s| s.name.as_str()))
        .collect()
}
