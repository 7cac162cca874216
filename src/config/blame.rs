//! A preset's errors as diagnostics: each points at what it blames in `build.toml` (a knob's
//! key or value under the preset's table, `[runtime] base`, or the table itself). Used by
//! validation (option checks) and the resolver (what the preset found in the app).

use crate::config::Document;
use crate::diagnostics::Diagnostic;
use crate::presets::{Blame, PresetError};

/// Diagnostics for `errors` of the table at `table` (`/preset`, `/frontend`); `what` names it
/// in labels (the preset's name, or `` `[frontend]` ``).
pub fn preset_diagnostics(
    errors: Vec<PresetError>,
    doc: &Document,
    table: &str,
    what: &str,
) -> Vec<Diagnostic> {
    errors
        .into_iter()
        .map(|e| one(e, doc, table, what))
        .collect()
}

fn one(e: PresetError, doc: &Document, table: &str, what: &str) -> Diagnostic {
    let (span, label) = match e.blame {
        Blame::Knob(knob) => (
            doc.key_span(&format!("{table}/{knob}")),
            format!("from `{knob}`"),
        ),
        Blame::KnobValue(knob) => (
            doc.value_span(&format!("{table}/{knob}")),
            format!("from `{knob}`"),
        ),
        Blame::RuntimeBase => (doc.key_span("/runtime/base"), "the runtime flavour".into()),
        Blame::Table if table == "/preset" => (doc.key_span(table), format!("the `{what}` preset")),
        Blame::Table => (doc.key_span(table), what.to_string()),
    };
    let d =
        Diagnostic::error(e.code, e.message).at(span, e.label.map(String::from).unwrap_or(label));
    match e.help {
        Some(h) => d.help(String::from(h)),
        None => d,
    }
}
