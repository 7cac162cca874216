//! Validation: the JSON schema first, then the semantic checks, each in its own file with a
//! stable code. All problems are collected and reported at once. May import: config,
//! diagnostics, presets (which stages and knobs a preset has), schema.

mod checks;
pub mod schema;
mod suggest;

use crate::config::{Document, TomlBuild};
use crate::diagnostics::{codes, Diagnostic};

pub use checks::all_stages;
pub use suggest::did_you_mean;

/// What a check sees.
pub struct Cx<'a> {
    pub build: &'a TomlBuild,
    pub doc: &'a Document,
}

/// Schema-check `doc`, then read it into the typed config and run every semantic check.
/// Returns the config (when the schema holds) and every diagnostic, warnings included.
pub fn validate(doc: &Document) -> (Option<TomlBuild>, Vec<Diagnostic>) {
    let mut diagnostics = schema::check(doc);
    if !diagnostics.is_empty() {
        // Version first: a file of another format version fails the schema in other ways too.
        if let Some(v) = doc.value.get("version").and_then(|v| v.as_i64()) {
            if !crate::config::SUPPORTED_VERSIONS.contains(&(v as u32))
                || v < 0
                || v > u32::MAX as i64
            {
                diagnostics.push(checks::version::unsupported(doc, v));
            }
        }
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        return (None, diagnostics);
    }
    let build: TomlBuild = match serde_json::from_value(doc.value.clone()) {
        Ok(b) => b,
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(codes::INVALID_VALUE, format!("invalid build.toml: {e}"))
                    .at(doc.value_span(""), ""),
            );
            return (None, diagnostics);
        }
    };
    let cx = Cx { build: &build, doc };
    for (_, check) in checks::CHECKS {
        check(&cx, &mut diagnostics);
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    (Some(build), diagnostics)
}
