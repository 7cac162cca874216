//! Values set from outside the file, for CI: `--set KEY=VALUE` on the command line and the
//! lines of the `STAGEGEN_SET` environment variable, laid over the spec as its top layer by the
//! workspace's merge rules ([`crate::config::layers`]: a scalar replaces, a table merges, a list
//! replaces, `"..."` in a list extends it). Each origin becomes a part of the spec's
//! [`SourceFile`] bundle, named `--set` or `STAGEGEN_SET`, one line per assignment, so a
//! diagnostic about a value set there points at the command line (`--set:2:14`), not at the file.
//!
//! `KEY` is a dotted TOML key (`runtime.base`, `args.VERSION`, `runtime.labels."org.x"`); `VALUE`
//! is a TOML value (`[8080]`, `true`, `"a b"`) or else, as with `runtime.base=slim` or
//! `preset.version=1.22`, the text itself as a string (build.toml has no floats, so `1.22` is
//! a version). An integer or a boolean stays one: quote it to mean text (`args.BUILD="42"`). May import: config's document and layers, source, diagnostics.

use serde_json::Value;

use crate::config::document::Document;
use crate::config::layers::merge;
use crate::diagnostics::Diagnostic;
use crate::source::{BundleBuilder, SourceFile};

/// The environment variable whose lines are assignments, under the `--set` flags.
pub const ENV_VAR: &str = "STAGEGEN_SET";

/// Where assignments came from; also the name of their part of the bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `--set KEY=VALUE`.
    Flag,
    /// A line of `STAGEGEN_SET`.
    Env,
    /// `--platform P,...`: `platforms = [P, ...]`, laid over the spec last.
    Platform,
}

impl Origin {
    pub fn name(self) -> &'static str {
        match self {
            Origin::Flag => "--set",
            Origin::Env => ENV_VAR,
            Origin::Platform => "--platform",
        }
    }
}

/// One `KEY=VALUE`, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub origin: Origin,
    pub text: String,
}

/// Why an assignment cannot be used at all (a usage error, before any file is read).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverrideError {
    pub message: String,
    pub help: String,
}

/// The assignments of `STAGEGEN_SET` (one per line; blank lines and `#` comments skipped), then
/// those of the `--set` flags, which win.
pub fn collect(env: Option<&str>, flags: &[String]) -> Result<Vec<Override>, OverrideError> {
    let mut out = Vec::new();
    for line in env.unwrap_or_default().lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        out.push(Override {
            origin: Origin::Env,
            text: line.to_string(),
        });
    }
    for flag in flags {
        out.push(Override {
            origin: Origin::Flag,
            text: flag.clone(),
        });
    }
    for o in &out {
        check_shape(o)?;
    }
    Ok(out)
}

/// `--platform P,...` as the assignment `platforms = ["P", ...]`; none without platforms. Its
/// values are checked with the file's (SG104), pointing at `--platform`.
pub fn platforms(platforms: &[String]) -> Option<Override> {
    if platforms.is_empty() {
        return None;
    }
    let quoted: Vec<String> = platforms
        .iter()
        .map(|p| serde_json::to_string(p).unwrap_or_default())
        .collect();
    Some(Override {
        origin: Origin::Platform,
        text: format!("platforms=[{}]", quoted.join(", ")),
    })
}

/// An assignment needs a `KEY=` and fits on one line.
fn check_shape(o: &Override) -> Result<(), OverrideError> {
    let example =
        "write `KEY=VALUE`, e.g. `--set runtime.base=slim` or `--set 'runtime.ports=[8080]'`";
    let text = crate::diagnostics::escape_controls(&o.text.replace('\n', "\\n")).into_owned();
    let shown = match o.origin {
        Origin::Flag => format!("`--set {text}`"),
        Origin::Env => format!("`{text}` (in `{ENV_VAR}`)"),
        Origin::Platform => format!("`--platform` (`{text}`)"),
    };
    if let Some(c) = o.text.chars().find(|c| c.is_control()) {
        return Err(OverrideError {
            message: format!(
                "{shown} holds {}; an assignment is one line",
                crate::diagnostics::describe_char(c)
            ),
            help: match o.origin {
                Origin::Flag => format!("{example}; give each assignment its own `--set`"),
                Origin::Env => format!("write one `KEY=VALUE` per line of `{ENV_VAR}`"),
                Origin::Platform => "name platforms as `os/arch`, comma-separated".to_string(),
            },
        });
    }
    match o.text.split_once('=') {
        Some((key, _)) if !key.trim().is_empty() => Ok(()),
        _ => Err(OverrideError {
            message: format!("{shown} is not `KEY=VALUE`"),
            help: example.to_string(),
        }),
    }
}

/// `doc` (parsed from `file`, a plain file or a bundle) with `overrides` laid over it, and the
/// bundle its spans now point into; or the diagnostics of assignments that are not TOML.
pub fn apply(
    file: SourceFile,
    doc: Document,
    overrides: &[Override],
) -> Result<(SourceFile, Document), (SourceFile, Vec<Diagnostic>)> {
    if overrides.is_empty() {
        return Ok((file, doc));
    }
    let name = file.name().to_string();
    let mut bundle = BundleBuilder::resume(file);
    let mut merged = doc;
    let mut diagnostics = Vec::new();
    for origin in [Origin::Env, Origin::Flag, Origin::Platform] {
        let lines: Vec<String> = overrides
            .iter()
            .filter(|o| o.origin == origin)
            .map(|o| as_toml(&o.text))
            .collect();
        if lines.is_empty() {
            continue;
        }
        let part = SourceFile::new(origin.name(), lines.join("\n") + "\n");
        let base = bundle.push(&part);
        // One line at a time, so a later assignment of the same key wins, as a later flag should.
        let mut offset = 0;
        for line in &lines {
            let one = SourceFile::new(origin.name(), line.as_str());
            match Document::parse(&one) {
                Ok(layer) => merged = merge(Some(merged), layer.shifted(base + offset)),
                Err(found) => diagnostics.extend(found.into_iter().map(|d| {
                    shifted(d, base + offset).help(
                        "write a dotted key, `=`, and a TOML value or plain text, e.g. `runtime.base=slim`",
                    )
                })),
            }
            offset += line.len() + 1;
        }
    }
    let bundle = bundle.finish(name);
    if diagnostics.is_empty() {
        Ok((bundle, merged))
    } else {
        Err((bundle, diagnostics))
    }
}

/// `d` with its spans moved `by` bytes on, into the bundle.
fn shifted(mut d: Diagnostic, by: usize) -> Diagnostic {
    for label in d.primary.iter_mut().chain(d.secondary.iter_mut()) {
        label.span = label.span.start + by..label.span.end + by;
    }
    d
}

/// `KEY=VALUE` as a line of TOML: as typed when its value is TOML other than a float or a date
/// (`ports=[8080]`, `test=false`, `base="slim"`), else with the value quoted as a string
/// (`base=slim` becomes `base="slim"`, `version=1.22` becomes `version="1.22"`).
fn as_toml(text: &str) -> String {
    let Some((key, value)) = text.split_once('=') else {
        return text.to_string();
    };
    let typed_is_toml = SourceFile::new("", text);
    if let Ok(doc) = Document::parse(&typed_is_toml) {
        if !holds_a_float_or_date(&doc.value, value) {
            return text.to_string();
        }
    }
    let quoted = serde_json::to_string(value).unwrap_or_default();
    format!("{key}={quoted}")
}

/// Whether the one value of a parsed assignment is a float, or a date (which TOML reads from
/// bare text such as `2024-01-01`): those are meant as text.
fn holds_a_float_or_date(value: &Value, typed: &str) -> bool {
    match value {
        Value::Object(map) => map.values().any(|v| holds_a_float_or_date(v, typed)),
        Value::Number(n) => n.is_f64(),
        // A bare date parses to a string here; a quoted one was typed with its quotes.
        Value::String(s) => !typed.trim_start().starts_with(['"', '\'']) && s == typed.trim(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(flags: &[&str]) -> Vec<Override> {
        let flags: Vec<String> = flags.iter().map(|s| s.to_string()).collect();
        collect(None, &flags).expect("well formed")
    }

    fn applied(text: &str, overrides: &[Override]) -> (SourceFile, Document) {
        let file = SourceFile::new("build.toml", text);
        let doc = Document::parse(&file).expect("parses");
        apply(file, doc, overrides).expect("applies")
    }

    #[test]
    fn plain_text_is_a_string_and_toml_is_toml() {
        assert_eq!(as_toml("runtime.base=slim"), "runtime.base=\"slim\"");
        assert_eq!(as_toml("preset.version=1.22"), "preset.version=\"1.22\"");
        assert_eq!(as_toml("args.DATE=2024-01-01"), "args.DATE=\"2024-01-01\"");
        assert_eq!(as_toml("runtime.base=\"slim\""), "runtime.base=\"slim\"");
        assert_eq!(
            as_toml("runtime.ports=[8080, 9090]"),
            "runtime.ports=[8080, 9090]"
        );
        assert_eq!(as_toml("preset.test=false"), "preset.test=false");
        assert_eq!(as_toml("version=1"), "version=1");
        assert_eq!(as_toml("runtime.cmd=a b"), "runtime.cmd=\"a b\"");
    }

    #[test]
    fn later_assignments_win_and_tables_merge() {
        let (file, doc) = applied(
            "version = 1\n[runtime]\nbase = \"distroless\"\nports = [1]\n[runtime.labels]\na = \"1\"\n",
            &set(&["runtime.base=slim", "runtime.labels.b=two", "runtime.base=alpine"]),
        );
        assert_eq!(doc.value["runtime"]["base"], "alpine");
        assert_eq!(doc.value["runtime"]["ports"], serde_json::json!([1]));
        assert_eq!(
            doc.value["runtime"]["labels"],
            serde_json::json!({"a": "1", "b": "two"})
        );
        // The value's origin is the third --set, shown as typed (quoted as it was read).
        let span = doc.value_span("/runtime/base");
        assert_eq!(file.name_at(span.start), "--set");
        assert_eq!(file.line_col(span.start), (3, 14));
        assert_eq!(&file.text()[span], "\"alpine\"");
        // Values that were not set keep their place in build.toml.
        let span = doc.value_span("/runtime/labels/a");
        assert_eq!(
            (file.name_at(span.start), file.line_col(span.start).0),
            ("build.toml", 6)
        );
    }

    #[test]
    fn the_environment_comes_first_and_the_flags_win() {
        let env = "# CI defaults\nruntime.base=slim\n\n  runtime.user=app  \n";
        let overrides =
            collect(Some(env), &["runtime.base=alpine".to_string()]).expect("well formed");
        assert_eq!(overrides.len(), 3);
        let (file, doc) = applied("version = 1\n", &overrides);
        assert_eq!(doc.value["runtime"]["base"], "alpine");
        let span = doc.value_span("/runtime/user");
        assert_eq!(file.name_at(span.start), ENV_VAR);
        assert_eq!(file.line_col(span.start), (2, 14));
    }

    #[test]
    fn a_list_is_replaced_or_extended() {
        let (_, doc) = applied(
            "version = 1\nignore = [\"a\"]\n[runtime]\nports = [1]\n",
            &set(&["ignore=[\"...\", \"b\"]", "runtime.ports=[2]"]),
        );
        assert_eq!(doc.value["ignore"], serde_json::json!(["a", "b"]));
        assert_eq!(doc.value["runtime"]["ports"], serde_json::json!([2]));
    }

    #[test]
    fn malformed_assignments_are_refused_before_reading() {
        let bad = |s: &str| collect(None, &[s.to_string()]).expect_err(s);
        assert_eq!(
            bad("runtime.base").message,
            "`--set runtime.base` is not `KEY=VALUE`"
        );
        assert_eq!(bad("=slim").message, "`--set =slim` is not `KEY=VALUE`");
        assert_eq!(
            bad("runtime.cmd=a\nb").message,
            "`--set runtime.cmd=a\\nb` holds a newline; an assignment is one line"
        );
    }

    #[test]
    fn a_malformed_line_of_the_environment_says_where_it_is() {
        let e = collect(Some("a=1\nruntime\n"), &[]).expect_err("no =");
        assert_eq!(
            e.message,
            "`runtime` (in `STAGEGEN_SET`) is not `KEY=VALUE`"
        );
        let e = collect(Some("a=\u{1b}x"), &[]).expect_err("control");
        assert_eq!(
            e.message,
            "`a=\\u{1b}x` (in `STAGEGEN_SET`) holds U+001B; an assignment is one line"
        );
    }

    #[test]
    fn a_key_that_is_not_toml_points_at_the_flag() {
        let file = SourceFile::new("build.toml", "version = 1\n");
        let doc = Document::parse(&file).expect("parses");
        let (bundle, diagnostics) =
            apply(file, doc, &set(&["runtime.base=slim", "run time=x"])).expect_err("bad key");
        assert_eq!(diagnostics.len(), 1);
        let span = diagnostics[0]
            .primary
            .as_ref()
            .expect("points")
            .span
            .clone();
        assert_eq!(bundle.name_at(span.start), "--set");
        assert_eq!(bundle.line_col(span.start).0, 2);
    }
}
