//! Validation: the JSON schema first, then the semantic checks, each in its own file with a
//! stable code. All problems are collected and reported at once. May import: config,
//! diagnostics, presets (which stages and knobs a preset has), schema.

mod checks;
pub mod schema;
mod schema_help;
mod suggest;

use crate::config::{Document, TomlBuild};
use crate::diagnostics::{codes, Diagnostic};

pub use checks::all_stages;
pub(crate) use checks::paths::stays_inside;
pub use suggest::did_you_mean;

/// What a check sees.
pub struct Cx<'a> {
    pub build: &'a TomlBuild,
    pub doc: &'a Document,
}

/// Past the limits on stages and steps, that is the only problem reported. Else schema-check
/// `doc`, then read it into the typed config and run every semantic check, all
/// problems at once. Where the schema found problems, the semantic checks run on the file
/// without the values it blamed (an unknown key, a value of the wrong type), so that one run
/// shows every mistake; the config is returned only when the schema holds.
pub fn validate(doc: &Document) -> (Option<TomlBuild>, Vec<Diagnostic>) {
    let past_limits = checks::limits::check(doc);
    if !past_limits.is_empty() {
        return (None, past_limits);
    }
    let report = schema::check(doc);
    let mut diagnostics = report.diagnostics;
    if diagnostics.is_empty() {
        let build = read(&doc.value, doc, &mut diagnostics);
        if let Some(build) = &build {
            run_checks(build, doc, &mut diagnostics);
        }
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        return (build, diagnostics);
    }
    // Version first: a file of another format version fails the schema in other ways too.
    if let Some(v) = doc.value.get("version").and_then(|v| v.as_i64()) {
        if !crate::config::SUPPORTED_VERSIONS.contains(&(v as u32)) || v < 0 || v > u32::MAX as i64
        {
            // The schema's own bound on `version` says less than this does.
            diagnostics.retain(|d| {
                d.primary.as_ref().map(|l| &l.span) != Some(&doc.value_span("/version"))
            });
            diagnostics.push(checks::version::unsupported(doc, v));
            diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            return (None, diagnostics);
        }
    }
    // A whole top-level value of the wrong shape (`preset = "go"`) leaves too little to check:
    // the checks would only report what is missing because of it.
    let local = report.offending.iter().all(|p| p.matches('/').count() >= 2);
    let mut rest = without(&doc.value, &report.offending);
    // A preset named by another of its names (`golang`) was reported; check the rest as it.
    if let Some(name) = rest.pointer_mut("/preset/name") {
        if let Some(meant) = name.as_str().and_then(crate::presets::registry::find_alias) {
            *name = serde_json::Value::from(meant.info().name);
        }
    }
    if let (true, Ok(build)) = (local, serde_json::from_value::<TomlBuild>(rest)) {
        run_checks(&build, doc, &mut diagnostics);
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    (None, diagnostics)
}

fn read(value: &serde_json::Value, doc: &Document, out: &mut Vec<Diagnostic>) -> Option<TomlBuild> {
    match serde_json::from_value(value.clone()) {
        Ok(b) => Some(b),
        Err(e) => {
            out.push(
                Diagnostic::error(codes::INVALID_VALUE, format!("invalid build.toml: {e}"))
                    .at(doc.value_span(""), ""),
            );
            None
        }
    }
}

fn run_checks(build: &TomlBuild, doc: &Document, out: &mut Vec<Diagnostic>) {
    let cx = Cx { build, doc };
    for (_, check) in checks::CHECKS {
        check(&cx, out);
    }
}

/// `value` without the table keys at `pointers`. Array elements stay (removing one would shift
/// the indices, so later diagnostics would point at the wrong element): a wrong element keeps
/// the file from parsing, and only the schema's diagnostics are reported.
fn without(value: &serde_json::Value, pointers: &[String]) -> serde_json::Value {
    let mut out = value.clone();
    for pointer in pointers {
        let Some((parent, last)) = pointer.rsplit_once('/') else {
            continue;
        };
        let key = last.replace("~1", "/").replace("~0", "~");
        if let Some(serde_json::Value::Object(map)) = out.pointer_mut(parent) {
            map.shift_remove(&key);
        }
    }
    out
}
