//! `stagegen init`: look at an app, pick the preset that fits, and write a short, commented
//! build.toml holding only what differs from the preset's defaults. Detection is the preset's
//! own settings step, the one `stagegen dockerfile` runs (so the two cannot disagree): an
//! ambiguity the preset reports with a [`Choice`](crate::presets::Choice) is settled by writing
//! that knob, and what the preset read becomes the file's comments. This module chooses the
//! preset, lays flags over what was detected, and renders `templates/build.toml.j2` (minijinja,
//! strict about undefined names). Every error is a diagnostic with a code.
//! May import: presets, project, diagnostics.

use std::path::Path;

use minijinja::{context, Environment, UndefinedBehavior};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::diagnostics::{codes, Diagnostic};
use crate::presets::common::RuntimeNeeds;
use crate::presets::{
    registry, Context, DetectedKnob, Detection, DynPreset, KnobValue, PresetError,
    TomlCommonOptions,
};
use crate::project::ProjectFiles;

/// Where the published schema of build.toml format version 1 lives, for the `#:schema` line.
pub const SCHEMA_URL: &str = "https://stagegen.dev/schema/v1/build.schema.json";

const TEMPLATE: &str = include_str!("../templates/build.toml.j2");

/// How many ambiguities init settles in a row before it gives up (each settles one knob).
const MAX_CHOICES: usize = 8;

/// What the user asked for on the command line; each value wins over detection.
#[derive(Debug, Default, Clone)]
pub struct InitRequest {
    /// `--lang`: a preset name.
    pub lang: Option<String>,
    pub version: Option<String>,
    pub package_manager: Option<String>,
    /// Go: `--main`.
    pub main: Option<String>,
    /// Python and Node: `--start`, as words.
    pub start: Option<Vec<String>>,
    /// Node: `--workspace`, the workspace package to build.
    pub workspace: Option<String>,
    pub ports: Vec<u16>,
    pub base: Option<String>,
    /// The `#:schema` line's target.
    pub schema: Option<String>,
}

/// The written file and what was found.
#[derive(Debug)]
pub struct InitOutput {
    /// The preset's name.
    pub preset: &'static str,
    pub text: String,
    /// One line per finding, for the terminal.
    pub summary: Vec<String>,
}

#[derive(Serialize)]
struct Setting {
    key: String,
    value: String,
    source: String,
}

/// Detect the app in `dir` and render its build.toml. Errors say what was looked for and how to
/// choose.
pub fn init(dir: &Path, request: &InitRequest) -> Result<InitOutput, Vec<Diagnostic>> {
    let files = ProjectFiles::new(dir);
    let preset = match &request.lang {
        Some(lang) => registry::find(lang).ok_or_else(|| vec![unknown_lang(lang)])?,
        None => choose_preset(&files)?,
    };
    let mut detection = detect(preset, &files, request)?;
    if !request.ports.is_empty() {
        detection.ports = request
            .ports
            .iter()
            .map(|p| (*p, "--port".to_string()))
            .collect();
    }
    let knobs: Vec<Setting> = detection
        .knobs
        .iter()
        .map(|k| Setting {
            key: k.key.to_string(),
            value: toml_value(&k.value),
            source: comment(&k.source),
        })
        .collect();
    let mut runtime = Vec::new();
    if let Some(base) = &request.base {
        runtime.push(Setting {
            key: "base".into(),
            value: toml_value(&KnobValue::Text(base.clone())),
            source: String::new(),
        });
    }
    if !detection.ports.is_empty() {
        let numbers: Vec<String> = detection.ports.iter().map(|(p, _)| p.to_string()).collect();
        let sources: Vec<String> = detection
            .ports
            .iter()
            .map(|(_, s)| s.clone())
            .filter(|s| !s.is_empty())
            .collect();
        runtime.push(Setting {
            key: "ports".into(),
            value: format!("[{}]", numbers.join(", ")),
            source: comment(&sources.join(", ")),
        });
    }
    let app = dir
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "app".to_string());
    // A frontend beside a backend of another kind becomes `[frontend]`.
    let frontend = registry::frontend().find(preset.info(), &files);
    if let Some(found) = &frontend {
        detection.note(found.note.clone());
    }
    let frontend = frontend.map(|f| {
        context! { dir => toml_string(&f.dir), to => toml_string(&f.to) }
    });
    let notes: Vec<String> = detection.notes.iter().map(|n| comment(n)).collect();

    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(true);
    env.add_template("build.toml", TEMPLATE)
        .map_err(template_error)?;
    let template = env.get_template("build.toml").map_err(template_error)?;
    let text = template
        .render(context! {
            schema => request.schema.clone().unwrap_or_else(|| SCHEMA_URL.to_string()),
            app => comment(&app),
            preset => preset.info().name,
            notes => notes,
            knobs => knobs,
            runtime => runtime,
            frontend => frontend,
        })
        .map_err(template_error)?;
    let text = format!("{}\n", text.trim_end());

    let mut summary = vec![format!("{} app", preset.info().name)];
    summary.extend(detection.notes.iter().cloned());
    summary.extend(detection.knobs.iter().map(|k| {
        let from = if k.source.is_empty() {
            String::new()
        } else {
            format!(" ({})", k.source)
        };
        format!("{} = {}{from}", k.key, toml_value(&k.value))
    }));
    summary.extend(detection.ports.iter().map(|(p, s)| {
        if s.is_empty() {
            format!("port {p}")
        } else {
            format!("port {p} ({s})")
        }
    }));
    Ok(InitOutput {
        preset: preset.info().name,
        text,
        summary,
    })
}

fn template_error(e: minijinja::Error) -> Vec<Diagnostic> {
    vec![Diagnostic::error(
        codes::INTERNAL,
        format!("internal error in the init template: {e}"),
    )]
}

fn unknown_lang(lang: &str) -> Diagnostic {
    let d = Diagnostic::error(
        codes::INIT_UNKNOWN_LANG,
        format!("no preset is named `{lang}`"),
    );
    match registry::find_alias(lang) {
        Some(p) => d.help(format!("did you mean `--lang {}`?", p.info().name)),
        None => d.help(format!(
            "the presets are: {}",
            backticked(&registry::names())
        )),
    }
}

fn backticked(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The presets whose marker files are in `files`, with the first marker found.
fn markers_found(files: &ProjectFiles) -> Vec<(&'static dyn DynPreset, &'static str)> {
    registry::by_markers(files)
}

/// The presets that take a folder with no marker file for theirs (a lone Python script).
fn lone_markers_found(files: &ProjectFiles) -> Vec<&'static dyn DynPreset> {
    registry::all()
        .iter()
        .copied()
        .filter(|p| {
            p.info()
                .lone_marker
                .is_some_and(|lone| (lone.find)(files).is_some())
        })
        .collect()
}

/// The one preset whose marker files are in `files`, or an error that says what was looked for
/// (and which subfolders hold apps, for a monorepo root).
fn choose_preset(files: &ProjectFiles) -> Result<&'static dyn DynPreset, Vec<Diagnostic>> {
    match markers_found(files).as_slice() {
        [(preset, _)] => Ok(*preset),
        [] => match lone_markers_found(files).as_slice() {
            [preset] => Ok(*preset),
            _ => Err(vec![no_app(files)]),
        },
        several => {
            let kinds: Vec<String> = several
                .iter()
                .map(|(p, m)| format!("{} ({m})", p.info().name))
                .collect();
            Err(vec![Diagnostic::error(
                codes::INIT_SEVERAL_KINDS,
                format!(
                    "several kinds of app in `{}`: {}",
                    files.root().display(),
                    kinds.join(", ")
                ),
            )
            .help(format!(
                "choose one with `--lang {}`, or run `stagegen init` in the app's own folder",
                several[0].0.info().name
            ))])
        }
    }
}

fn no_app(files: &ProjectFiles) -> Diagnostic {
    let looked: Vec<String> = registry::all()
        .iter()
        .map(|p| {
            let info = p.info();
            if let Some(r) = &info.refines {
                return format!("{} ({})", info.name, r.what);
            }
            match &info.lone_marker {
                Some(lone) if info.markers.is_empty() => format!("{} ({})", info.name, lone.what),
                Some(lone) => format!(
                    "{} ({}, or {})",
                    info.name,
                    info.markers.join(", "),
                    lone.what
                ),
                None => format!("{} ({})", info.name, info.markers.join(", ")),
            }
        })
        .collect();
    let d = Diagnostic::error(
        codes::INIT_NO_APP,
        format!(
            "no app that stagegen knows in `{}`\nlooked for: {}",
            files.root().display(),
            looked.join("; ")
        ),
    );
    let apps = apps_below(files);
    if apps.is_empty() {
        return d;
    }
    d.help(format!(
        "this looks like a monorepo: apps in {}; run `stagegen init <folder>` for each",
        apps.join(", ")
    ))
}

/// Apps one or two folders down (`web/`, `services/api/`), as in a monorepo.
fn apps_below(files: &ProjectFiles) -> Vec<String> {
    let skip =
        |d: &str| d.starts_with('.') || matches!(d, "node_modules" | "vendor" | "target" | "dist");
    let mut folders: Vec<String> = Vec::new();
    for d in files
        .list("")
        .into_iter()
        .filter(|d| files.is_dir(d) && !skip(d))
    {
        for sub in files
            .list(&d)
            .into_iter()
            .filter(|s| files.is_dir(&format!("{d}/{s}")) && !skip(s))
        {
            folders.push(format!("{d}/{sub}"));
        }
        folders.push(d);
    }
    folders.sort();
    folders
        .into_iter()
        .filter_map(|d| {
            let sub = ProjectFiles::new(files.root().join(&d));
            let kinds: Vec<&str> = markers_found(&sub)
                .iter()
                .map(|(p, _)| p.info().name)
                .collect();
            (!kinds.is_empty()).then(|| format!("{d} ({})", kinds.join(", ")))
        })
        .collect()
}

/// What init writes for the app: the preset's settings step, with the command line's values as
/// knobs.
fn detect(
    preset: &'static dyn DynPreset,
    files: &ProjectFiles,
    request: &InitRequest,
) -> Result<Detection, Vec<Diagnostic>> {
    let flags = flag_knobs(preset, request)?;
    detect_by_settings(preset, files, request, flags)
}

/// Run the preset's settings step with the flags as knobs; settle each ambiguity it reports by
/// writing the knob its [`Choice`](crate::presets::Choice) names, and try again.
fn detect_by_settings(
    preset: &'static dyn DynPreset,
    files: &ProjectFiles,
    request: &InitRequest,
    mut knobs: Vec<DetectedKnob>,
) -> Result<Detection, Vec<Diagnostic>> {
    let common = TomlCommonOptions::default();
    let cx = Context {
        files,
        common: &common,
        base: request.base.as_deref(),
        args: &[],
        platforms: &[],
        app_dir: None,
        runtime: &RuntimeNeeds::default(),
    };
    let mut notes = Vec::new();
    for _ in 0..MAX_CHOICES {
        let options = preset
            .parse_options(Value::Object(knob_table(&knobs)))
            .map_err(|e| vec![flag_value_error(preset, &e)])?;
        let errors = match preset.plan(&options, &cx) {
            Ok(plan) => {
                let ports = preset.ports(&options, &cx).unwrap_or_default();
                notes.splice(0..0, plan.detected);
                return Ok(Detection {
                    knobs,
                    notes,
                    ports,
                });
            }
            Err(errors) => errors,
        };
        if errors.iter().any(|e| e.choice.is_none()) {
            return Err(errors.iter().map(preset_diagnostic).collect());
        }
        for e in errors {
            let Some(choice) = e.choice.map(|c| *c) else {
                continue;
            };
            notes.push(format!(
                "{}; init wrote `{} = {}` (change it, or pass `--{}`, for another)",
                e.message,
                choice.knob,
                toml_value(&choice.value),
                choice.knob
            ));
            knobs.retain(|k| k.key != choice.knob);
            knobs.push(DetectedKnob {
                key: choice.knob,
                value: choice.value,
                source: choice.why,
            });
        }
    }
    Err(vec![Diagnostic::error(
        codes::INTERNAL,
        format!(
            "internal error: the {} preset kept asking for choices",
            preset.info().name
        ),
    )])
}

/// The command line's knobs, refused when the preset does not take them.
fn flag_knobs(
    preset: &dyn DynPreset,
    r: &InitRequest,
) -> Result<Vec<DetectedKnob>, Vec<Diagnostic>> {
    let flags: [(&'static str, &str, Option<KnobValue>); 5] = [
        (
            "version",
            "--toolchain-version",
            r.version.clone().map(KnobValue::Text),
        ),
        (
            "package-manager",
            "--package-manager",
            r.package_manager.clone().map(KnobValue::Text),
        ),
        ("main", "--main", r.main.clone().map(KnobValue::Text)),
        ("start", "--start", r.start.clone().map(KnobValue::List)),
        (
            "workspace",
            "--workspace",
            r.workspace.clone().map(KnobValue::Text),
        ),
    ];
    let takes = knob_names(preset);
    let mut knobs = Vec::new();
    let mut errors = Vec::new();
    for (key, flag, value) in flags {
        let Some(value) = value else { continue };
        if takes.iter().any(|k| k == key) {
            knobs.push(DetectedKnob {
                key,
                value,
                source: flag.to_string(),
            });
        } else {
            errors.push(Diagnostic::error(
                codes::INIT_FLAG_NOT_FOR_PRESET,
                format!(
                    "`{flag}` does not apply to the {} preset",
                    preset.info().name
                ),
            ));
        }
    }
    if errors.is_empty() {
        Ok(knobs)
    } else {
        Err(errors)
    }
}

/// The knobs a preset takes, from its schema (its own options; the common ones are not flags).
fn knob_names(preset: &dyn DynPreset) -> Vec<String> {
    let mut generator = schemars::SchemaGenerator::default();
    preset
        .options_schema(&mut generator)
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

fn knob_table(knobs: &[DetectedKnob]) -> Map<String, Value> {
    knobs
        .iter()
        .map(|k| {
            let value = match &k.value {
                KnobValue::Text(t) => Value::String(t.clone()),
                KnobValue::Bool(b) => Value::Bool(*b),
                KnobValue::List(items) => {
                    Value::Array(items.iter().cloned().map(Value::String).collect())
                }
            };
            (k.key.to_string(), value)
        })
        .collect()
}

fn flag_value_error(preset: &dyn DynPreset, e: &serde_json::Error) -> Diagnostic {
    Diagnostic::error(
        codes::INIT_FLAG_NOT_FOR_PRESET,
        format!(
            "a flag's value does not suit the {} preset: {e}",
            preset.info().name
        ),
    )
}

/// A preset's error about the app, as init reports it (no span: it is about the app's files).
fn preset_diagnostic(e: &PresetError) -> Diagnostic {
    let d = Diagnostic::error(e.code, e.message.clone());
    match &e.help {
        Some(h) => d.help(h.to_string()),
        None => d,
    }
}

fn toml_value(value: &KnobValue) -> String {
    match value {
        KnobValue::Text(t) => toml_string(t),
        KnobValue::Bool(b) => b.to_string(),
        KnobValue::List(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| toml_string(i))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A TOML basic string: every character the format needs escaped, escaped.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Text for a comment: one line, no control characters.
fn comment(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings_round_trip() {
        for s in [
            "plain",
            "quote \" and \\ back",
            "new\nline",
            "tab\t",
            "bell\u{7}",
        ] {
            let doc = format!("x = {}", toml_string(s));
            let parsed: toml::Table = toml::from_str(&doc).expect("valid toml");
            assert_eq!(parsed["x"].as_str(), Some(s));
        }
    }
}
