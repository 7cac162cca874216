//! Validation: the JSON schema first, then the semantic checks, each in its own file with a
//! stable code. All problems are collected and reported at once. May import: config,
//! diagnostics, presets (which stages and knobs a preset has), schema.

mod checks;
mod fast;
pub mod schema;
mod schema_help;
mod suggest;

use crate::config::{Document, TomlBuild};
use crate::diagnostics::{codes, Diagnostic};

pub use checks::all_stages;
pub(crate) use checks::paths::stays_inside;
pub(crate) use checks::publish::{name_ok, platform_ok};
pub use suggest::did_you_mean;

/// What a check sees.
pub struct Cx<'a> {
    pub build: &'a TomlBuild,
    pub doc: &'a Document,
}

/// What validation found: the config when the file holds, else what is left of it.
#[derive(Debug)]
pub struct Validated {
    /// The typed config: only when there is no error.
    pub build: Option<TomlBuild>,
    /// With errors, the file without its broken parts, read as far as it could be, and the
    /// document whose spans point into the source for it: later phases may look at it for
    /// mistakes of their own (a preset's), so that one run shows everything.
    pub rest: Option<(TomlBuild, Document)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Schema-check `doc`, then read it into the typed config and run every semantic check, all
/// problems at once. See [`validate_all`].
pub fn validate(doc: &Document) -> (Option<TomlBuild>, Vec<Diagnostic>) {
    let v = validate_all(doc);
    (v.build, v.diagnostics)
}

/// Codes of checks that look across the file (a reference to a stage, an argument, a secret, the
/// preset): when a part of the file is left out, what they would say may be only because of it.
const ACROSS: &[crate::diagnostics::Code] = &[
    codes::UNKNOWN_STAGE,
    codes::UNKNOWN_TARGET,
    codes::NOTHING_TO_BUILD,
    codes::PRESET_OPTION,
    codes::UNKNOWN_SECRET,
    codes::UNKNOWN_ARG,
    codes::LATER_STAGE,
];

/// Schema-check `doc`, then read it into the typed config and run every semantic check, all
/// problems at once. Where the schema found problems, the semantic checks run on the file
/// without the parts it blamed (an unknown key, a value of the wrong type, a step or a stage
/// that does not read), with the spans of what is left unchanged, so that one run shows every
/// mistake; the config is returned only when there is no error. Past the limits on stages and
/// steps, that is the only problem reported.
pub fn validate_all(doc: &Document) -> Validated {
    let past_limits = checks::limits::check(doc);
    if !past_limits.is_empty() {
        return Validated {
            build: None,
            rest: None,
            diagnostics: past_limits,
        };
    }
    let report = schema::check(doc);
    let mut diagnostics = report.diagnostics;
    if diagnostics.is_empty() {
        let build = read(&doc.value, doc, &mut diagnostics);
        if let Some(build) = &build {
            run_checks(build, doc, &mut diagnostics);
        }
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        let failed = diagnostics.iter().any(Diagnostic::is_error);
        let (build, rest) = match build {
            Some(b) if failed => (None, Some((b, doc.clone()))),
            b => (b, None),
        };
        return Validated {
            build,
            rest,
            diagnostics,
        };
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
            return Validated {
                build: None,
                rest: None,
                diagnostics,
            };
        }
    }
    // A step is left out whole: without its broken `run` it would be reported as shapeless.
    let mut drop: Vec<String> = report.offending.iter().map(|p| whole_step(p)).collect();
    let mut rest = doc.without(&drop);
    // A preset named by another of its names (`golang`) was reported; check the rest as it.
    if let Some(name) = rest.value.pointer_mut("/preset/name") {
        if let Some(meant) = name.as_str().and_then(crate::presets::registry::find_alias) {
            *name = serde_json::Value::from(meant.info().name);
        }
    }
    let mut build = serde_json::from_value::<TomlBuild>(rest.value.clone()).ok();
    if build.is_none() {
        // A table or a stage that still does not read (a required key missing): leave it out.
        let unreadable = unreadable_parts(&rest.value);
        rest = rest.without(&unreadable);
        drop.extend(unreadable);
        build = serde_json::from_value::<TomlBuild>(rest.value.clone()).ok();
    }
    let Some(build) = build else {
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        return Validated {
            build: None,
            rest: None,
            diagnostics,
        };
    };
    let mut found = Vec::new();
    run_checks(&build, &rest, &mut found);
    // A whole table, a stage or a stage's name left out: what refers to it looks unknown.
    let referred = drop.iter().any(|p| {
        let depth = p.matches('/').count();
        depth == 1
            || (p.starts_with("/stage/") && (depth == 2 || p.ends_with("/name")))
            || p == "/preset/name"
    });
    if referred {
        found.retain(|d| !ACROSS.contains(&d.code));
    }
    // A stage's `image` or `from` left out: it is not the stage that lacks one.
    let base_dropped: Vec<String> = drop
        .iter()
        .filter_map(|p| {
            p.strip_suffix("/image")
                .or_else(|| p.strip_suffix("/from"))
                .filter(|s| s.starts_with("/stage/") && s.matches('/').count() == 2)
                .map(str::to_string)
        })
        .collect();
    found.retain(|d| {
        d.code != codes::STAGE_BASE
            || !base_dropped.iter().any(|s| {
                d.primary.as_ref().map(|l| &l.span) == Some(&doc.value_span(&format!("{s}/name")))
            })
    });
    diagnostics.extend(found);
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Validated {
        build: None,
        rest: Some((build, rest)),
        diagnostics,
    }
}

/// The step a pointer is inside (`/stage/0/steps/2/run` -> `/stage/0/steps/2`), or the pointer.
fn whole_step(pointer: &str) -> String {
    let segments: Vec<&str> = pointer.split('/').collect();
    for i in (1..segments.len().saturating_sub(1)).rev() {
        if segments[i] == "steps" && segments[i + 1].parse::<usize>().is_ok() {
            return segments[..i + 2].join("/");
        }
    }
    pointer.to_string()
}

/// What to leave out of the table at `pointer`, which does not read: its `healthcheck` when
/// that is what does not read (a missing `cmd`), else all of it.
fn unreadable_table(
    pointer: &str,
    table: &serde_json::Value,
    reads: fn(&serde_json::Value) -> bool,
) -> String {
    let mut without = table.clone();
    if let Some(map) = without.as_object_mut() {
        if map.shift_remove("healthcheck").is_some() && reads(&without) {
            return format!("{pointer}/healthcheck");
        }
    }
    pointer.to_string()
}

/// The parts of `value` that do not read as their types: the tables `[preset]`, `[runtime]`,
/// `[frontend]`, each `[secrets.<id>]` and each `[[stage]]`.
fn unreadable_parts(value: &serde_json::Value) -> Vec<String> {
    use crate::config::{TomlFrontend, TomlPreset, TomlRuntime, TomlSecret, TomlStage};
    fn reads<T: serde::de::DeserializeOwned>(v: &serde_json::Value) -> bool {
        serde_json::from_value::<T>(v.clone()).is_ok()
    }
    let mut out = Vec::new();
    type Reads = fn(&serde_json::Value) -> bool;
    let tables: [(&str, Reads); 3] = [
        ("preset", reads::<TomlPreset>),
        ("runtime", reads::<TomlRuntime>),
        ("frontend", reads::<TomlFrontend>),
    ];
    for (key, ok) in tables {
        if let Some(v) = value.get(key).filter(|v| !ok(v)) {
            out.push(unreadable_table(&format!("/{key}"), v, ok));
        }
    }
    if let Some(secrets) = value.get("secrets").and_then(|s| s.as_object()) {
        for (id, secret) in secrets {
            if !reads::<TomlSecret>(secret) {
                out.push(crate::config::pointer_join("/secrets", id));
            }
        }
    }
    if let Some(stages) = value.get("stage").and_then(|s| s.as_array()) {
        for (i, stage) in stages.iter().enumerate() {
            if !reads::<TomlStage>(stage) {
                out.push(unreadable_table(
                    &format!("/stage/{i}"),
                    stage,
                    reads::<TomlStage>,
                ));
            }
        }
    }
    out
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

/// Every check, then the levels `[lints]` gives the warnings they found.
fn run_checks(build: &TomlBuild, doc: &Document, out: &mut Vec<Diagnostic>) {
    let cx = Cx { build, doc };
    let mut found = Vec::new();
    for (_, check) in checks::CHECKS {
        check(&cx, &mut found);
    }
    checks::lints::apply(build, &mut found);
    out.extend(found);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn codes_of(text: &str) -> Vec<&'static str> {
        let file = SourceFile::new("build.toml", text);
        let doc = Document::parse(&file).expect("parses");
        validate_all(&doc)
            .diagnostics
            .iter()
            .map(|d| d.code.id)
            .collect()
    }

    #[test]
    fn a_broken_step_is_left_out_and_its_stage_still_checked() {
        let found = codes_of(
            "version = 1\n[[stage]]\nname = \"a\"\nimage = \"debian:12\"\nworkdir = \"rel\"\nsteps = [{ run = 5 }, { copy = [\"../x\"], to = \"/x\" }]\n",
        );
        // The wrong type, the relative workdir, the path outside the context; no "step has no
        // action" for the step whose `run` was broken.
        assert_eq!(found, ["SG208", "SG102", "SG207"]);
    }

    #[test]
    fn a_stage_that_does_not_read_is_left_out_without_echoes() {
        // Stage 0 has no name: it is left out, and `from = "a"`-style references are not
        // reported as unknown because of it; stage 1's own mistake still is.
        let found = codes_of(
            "version = 1\n[[stage]]\nimage = \"debian:12\"\n[[stage]]\nname = \"b\"\nfrom = \"nothing\"\nimage = \"debian:latest\"\n",
        );
        assert!(found.contains(&"SG103"), "{found:?}");
        assert!(found.contains(&"SG214"), "{found:?}");
        assert!(found.contains(&"SG212"), "{found:?}");
        assert!(!found.contains(&"SG203"), "{found:?}");
    }

    #[test]
    fn an_unknown_preset_does_not_make_its_stages_unknown() {
        let found = codes_of(
            "version = 1\n[preset]\nname = \"cobol\"\n[runtime]\nuser = \"root\"\n[[stage]]\nname = \"t\"\nfrom = \"build\"\n",
        );
        assert_eq!(found, ["SG104", "SG401"]);
    }
}
