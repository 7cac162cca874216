//! `stagegen init`: look at an app, pick the preset that fits, and write a short, commented
//! build.toml holding only what differs from the preset's defaults. Detection itself is each
//! preset's (`Preset::detect`); this module chooses the preset, lays flags over what was
//! detected, and renders `templates/build.toml.j2` (minijinja, strict about undefined names).
//! May import: config, presets, project.

use std::path::Path;

use minijinja::{context, Environment, UndefinedBehavior};
use serde::Serialize;

use crate::config::TomlPresetName;
use crate::presets::{self, Detection, KnobValue};
use crate::project::ProjectFiles;

/// Where the published schema of build.toml format version 1 lives, for the `#:schema` line.
pub const SCHEMA_URL: &str = "https://stagegen.dev/schema/v1/build.schema.json";

const TEMPLATE: &str = include_str!("../templates/build.toml.j2");

/// What the user asked for on the command line; each value wins over detection.
#[derive(Debug, Default, Clone)]
pub struct InitRequest {
    pub lang: Option<TomlPresetName>,
    pub version: Option<String>,
    pub package_manager: Option<String>,
    /// Go: `--main`.
    pub main: Option<String>,
    /// Python and Node: `--start`, as words.
    pub start: Option<Vec<String>>,
    pub ports: Vec<u16>,
    pub base: Option<String>,
    /// The `#:schema` line's target.
    pub schema: Option<String>,
}

/// The written file and what was found.
#[derive(Debug)]
pub struct InitOutput {
    pub preset: TomlPresetName,
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

/// Detect the app in `dir` and render its build.toml. Errors are messages for the user, with
/// what was looked for and how to choose.
pub fn init(dir: &Path, request: &InitRequest) -> Result<InitOutput, String> {
    let files = ProjectFiles::new(dir);
    let preset_name = match request.lang {
        Some(lang) => lang,
        None => choose_preset(&files)?,
    };
    let preset = presets::preset(preset_name);
    let mut detection = preset
        .detect(&files, request.package_manager.as_deref())
        .map_err(|e| match e.help {
            Some(help) => format!(
                "{} app in `{}`: {}\nhelp: {help}",
                preset.name(),
                dir.display(),
                e.message
            ),
            None => format!(
                "{} app in `{}`: {}",
                preset.name(),
                dir.display(),
                e.message
            ),
        })?;
    apply_flags(preset, &mut detection, request)?;

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
    let frontend = match preset_name {
        TomlPresetName::Node => None,
        _ => presets::node::frontend_dir(&files),
    };
    if let Some((dir, to)) = &frontend {
        detection.note(format!(
            "a frontend in {dir}/ (package.json with a `build` script): built with Node, its output copied to {to}"
        ));
    }
    let frontend = frontend.map(|(dir, to)| {
        context! { dir => toml_string(&dir), to => toml_string(&to) }
    });
    let notes: Vec<String> = detection.notes.iter().map(|n| comment(n)).collect();

    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(true);
    env.add_template("build.toml", TEMPLATE)
        .map_err(|e| format!("internal error in the init template: {e}"))?;
    let template = env
        .get_template("build.toml")
        .map_err(|e| format!("internal error in the init template: {e}"))?;
    let text = template
        .render(context! {
            schema => request.schema.clone().unwrap_or_else(|| SCHEMA_URL.to_string()),
            app => comment(&app),
            preset => preset.name(),
            notes => notes,
            knobs => knobs,
            runtime => runtime,
            frontend => frontend,
        })
        .map_err(|e| format!("internal error in the init template: {e}"))?;
    let text = format!("{}\n", text.trim_end());

    let mut summary = vec![format!("{} app", preset.name())];
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
        preset: preset_name,
        text,
        summary,
    })
}

/// The one preset whose marker files are in `files`, or an error that says what was looked for
/// (and which subfolders hold apps, for a monorepo root).
fn choose_preset(files: &ProjectFiles) -> Result<TomlPresetName, String> {
    let found = |files: &ProjectFiles| -> Vec<(TomlPresetName, &'static str)> {
        presets::ALL
            .iter()
            .filter_map(|&name| {
                presets::preset(name)
                    .markers()
                    .iter()
                    .find(|m| files.is_file(m))
                    .map(|m| (name, *m))
            })
            .collect()
    };
    let here = found(files);
    match here.as_slice() {
        [(name, _)] => Ok(*name),
        [] => {
            let looked: Vec<String> = presets::ALL
                .iter()
                .map(|&n| {
                    let markers = presets::preset(n).markers();
                    format!("{} ({})", n.as_str(), markers.join(", "))
                })
                .collect();
            let mut message = format!(
                "no app that stagegen knows in `{}`\nlooked for: {}",
                files.root().display(),
                looked.join("; ")
            );
            // Apps one or two folders down (`web/`, `services/api/`), as in a monorepo.
            let skip = |d: &str| {
                d.starts_with('.') || matches!(d, "node_modules" | "vendor" | "target" | "dist")
            };
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
            let apps: Vec<String> = folders
                .into_iter()
                .filter_map(|d| {
                    let sub = ProjectFiles::new(files.root().join(&d));
                    let kinds: Vec<&str> = found(&sub).iter().map(|(n, _)| n.as_str()).collect();
                    (!kinds.is_empty()).then(|| format!("{d} ({})", kinds.join(", ")))
                })
                .collect();
            if !apps.is_empty() {
                message.push_str(&format!(
                    "\nhelp: this looks like a monorepo: apps in {}; run `stagegen init <folder>` for each",
                    apps.join(", ")
                ));
            }
            Err(message)
        }
        several => {
            let kinds: Vec<String> = several
                .iter()
                .map(|(n, m)| format!("{} ({m})", n.as_str()))
                .collect();
            Err(format!(
                "several kinds of app in `{}`: {}\nhelp: choose one with `--lang {}`, or run `stagegen init` in the app's own folder",
                files.root().display(),
                kinds.join(", "),
                several[0].0.as_str()
            ))
        }
    }
}

/// Lay the command line's values over what was detected; refuse a flag the preset does not take.
fn apply_flags(
    preset: &dyn presets::Preset,
    d: &mut Detection,
    r: &InitRequest,
) -> Result<(), String> {
    let takes = |knob: &str, flag: &str| -> Result<(), String> {
        if preset.options().contains(&knob) {
            Ok(())
        } else {
            Err(format!(
                "`{flag}` does not apply to the {} preset",
                preset.name()
            ))
        }
    };
    if let Some(v) = &r.version {
        takes("version", "--version")?;
        d.knob("version", KnobValue::Text(v.clone()), "--version");
    }
    if let Some(pm) = &r.package_manager {
        takes("package-manager", "--package-manager")?;
        d.knob(
            "package-manager",
            KnobValue::Text(pm.clone()),
            "--package-manager",
        );
    }
    if let Some(m) = &r.main {
        takes("main", "--main")?;
        d.knob("main", KnobValue::Text(m.clone()), "--main");
        d.notes.retain(|n| !n.starts_with("main package"));
    }
    if let Some(s) = &r.start {
        takes("start", "--start")?;
        d.knob("start", KnobValue::List(s.clone()), "--start");
    }
    if !r.ports.is_empty() {
        d.ports = r.ports.iter().map(|p| (*p, "--port".to_string())).collect();
    }
    Ok(())
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
