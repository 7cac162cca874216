//! Check the document against the published JSON schema, reporting every violation at once,
//! each mapped back to the key or value it is about.

use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use crate::config::{pointer_join, Document};
use crate::diagnostics::{codes, Diagnostic};
use crate::schema::{schema_value, SchemaKind};
use crate::validate::fast::{self, Verdict};
use crate::validate::schema_help;
use crate::validate::suggest::did_you_mean;

struct Compiled {
    schema: Value,
    validator: Option<Validator>,
}

fn compiled() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| {
        // The checked-in copy (a test keeps it equal to the generated one) saves generating the
        // schema on every run.
        // The rules a semantic check also makes are left to that check (its code, span and
        // help line say it better than the validator's text, and only once).
        let published = serde_json::from_str(include_str!("../../schemas/build.schema.json"))
            .unwrap_or_else(|_| schema_value(SchemaKind::Build));
        let schema = crate::schema::constraints::without_checked(&published);
        let validator = jsonschema::validator_for(&schema).ok();
        Compiled { schema, validator }
    })
}

/// What the schema check found: the diagnostics, and the pointers of the values they are about
/// (unknown keys, values of the wrong type), so that the semantic checks can still run on the
/// rest of the file.
#[derive(Debug, Default)]
pub struct SchemaReport {
    pub diagnostics: Vec<Diagnostic>,
    pub offending: Vec<String>,
}

/// Every schema violation of `doc`. A file that the fast check finds valid costs no schema
/// compilation; any other goes through the full validator, which says what is wrong.
pub fn check(doc: &Document) -> SchemaReport {
    if fast::verdict(&doc.value) == Verdict::Valid {
        return SchemaReport::default();
    }
    let compiled = compiled();
    let Some(validator) = &compiled.validator else {
        // The schema is ours and compiled by a test; this cannot happen in a released binary.
        return SchemaReport {
            diagnostics: vec![Diagnostic::error(
                codes::INTERNAL,
                "internal error: the build schema does not compile",
            )],
            offending: Vec::new(),
        };
    };
    let mut out = SchemaReport::default();
    for error in validator.iter_errors(&doc.value) {
        convert(&compiled.schema, doc, "", &error, &mut out);
    }
    out
}

/// One violation as a diagnostic. `schema` is the schema the error's paths are relative to, and
/// `prefix` the pointer of the instance it validated (both the root's, except inside a tagged
/// union's branch: see [`tagged_union`]).
fn convert(
    schema: &Value,
    doc: &Document,
    prefix: &str,
    error: &ValidationError<'_>,
    report: &mut SchemaReport,
) {
    let at = format!("{prefix}{}", error.instance_path().as_str());
    let schema_path = error.schema_path().as_str().to_string();
    let parent_schema = schema_path
        .rfind('/')
        .and_then(|i| schema.pointer(&schema_path[..i]));
    let tagged = parent_schema.is_some_and(|s| discriminants(s).is_some());
    match error.kind() {
        ValidationErrorKind::Required { .. } => {}
        ValidationErrorKind::AdditionalProperties { unexpected } => report
            .offending
            .extend(unexpected.iter().map(|key| pointer_join(&at, key))),
        // A tagged union's branch errors say what, and blame their own values.
        ValidationErrorKind::OneOfNotValid { .. } if tagged => {}
        _ => report.offending.push(at.clone()),
    }
    let out = &mut report.diagnostics;
    match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let known: Vec<&str> = parent_schema
                .and_then(|s| s.get("properties"))
                .and_then(Value::as_object)
                .map(|p| p.keys().map(String::as_str).collect())
                .unwrap_or_default();
            for key in unexpected {
                let pointer = pointer_join(&at, key);
                let mut d = Diagnostic::error(
                    codes::UNKNOWN_KEY,
                    format!("unknown key `{key}` {}", describe_table(&at)),
                )
                .at(doc.key_span(&pointer), "unknown key");
                let elsewhere = if at == "/preset" {
                    presets_with_knob(key)
                } else {
                    Vec::new()
                };
                d = match did_you_mean(key, known.iter().copied()) {
                    Some(m) => d.help(format!("did you mean `{m}`?")),
                    None if !elsewhere.is_empty() => {
                        d.help(other_presets_help(doc, key, &elsewhere, &known))
                    }
                    None if known.is_empty() => d,
                    None => d.help(format!("the keys here are: {}", backticked(&known))),
                };
                out.push(d);
            }
        }
        ValidationErrorKind::Required { property } => {
            let key = property.as_str().unwrap_or_default();
            let d = Diagnostic::error(
                codes::MISSING_KEY,
                format!("missing key `{key}` {}", describe_table(&at)),
            )
            .at(doc.key_span(&at), format!("`{key}` is required here"));
            let d = match (at.as_str(), key) {
                ("", "version") => d.help("add `version = 1` at the top of the file"),
                _ => match schema_help::example(
                    &compiled().schema,
                    &doc.value,
                    &pointer_join(&at, key),
                ) {
                    Some(example) => d.help(format!("add it, e.g. `{example}`")),
                    None => d,
                },
            };
            out.push(d);
        }
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => vec![t.to_string()],
                TypeKind::Multiple(ts) => ts.into_iter().map(|t| t.to_string()).collect(),
            };
            out.push(with_example(wrong_type(doc, &at, &expected), doc, &at));
        }
        ValidationErrorKind::OneOfNotValid { .. }
            if parent_schema.is_some_and(|s| discriminants(s).is_some()) =>
        {
            if let Some(union) = parent_schema {
                tagged_union(schema, union, doc, &at, error.instance(), report);
            }
        }
        ValidationErrorKind::AnyOf { .. } | ValidationErrorKind::OneOfNotValid { .. } => {
            let branches = parent_schema
                .and_then(|s| s.get("anyOf").or_else(|| s.get("oneOf")))
                .and_then(Value::as_array);
            // Documented enums are `oneOf` constants: report them as a choice of values.
            let consts: Vec<&str> = branches
                .map(|b| {
                    b.iter()
                        .filter_map(|s| s.get("const").and_then(Value::as_str))
                        .collect()
                })
                .unwrap_or_default();
            if !consts.is_empty() && branches.is_some_and(|b| b.len() == consts.len()) {
                if let Some(found) = error.instance().as_str() {
                    out.push(not_one_of(doc, &at, found, &consts));
                    return;
                }
            }
            let expected: Vec<String> = branches
                .map(|b| {
                    b.iter()
                        .filter_map(|s| s.get("type").and_then(Value::as_str))
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            out.push(with_example(wrong_type(doc, &at, &expected), doc, &at));
        }
        ValidationErrorKind::Enum { options } => {
            let options: Vec<&str> = options
                .as_array()
                .map(|o| o.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let found = error.instance().as_str().unwrap_or_default().to_string();
            let d = Diagnostic::error(
                codes::INVALID_VALUE,
                format!("`{found}` is not a valid {}", describe_value(&at)),
            )
            .at(doc.value_span(&at), "not one of the known values");
            let d = match did_you_mean(&found, options.iter().copied()) {
                Some(m) => d.help(format!(
                    "did you mean `{m}`? (one of: {})",
                    backticked(&options)
                )),
                None => d.help(format!("expected one of: {}", backticked(&options))),
            };
            out.push(d);
        }
        kind => out.push(with_example(
            out_of_bounds(doc, &at, error.instance(), kind),
            doc,
            &at,
        )),
    }
}

/// A value the schema's other keywords refuse (a bound, a length, a pattern, a constant), in
/// words: what it must be, never the validator's own text.
fn out_of_bounds(
    doc: &Document,
    at: &str,
    found: &Value,
    kind: &ValidationErrorKind,
) -> Diagnostic {
    let what = describe_value(at);
    let shown = match found {
        Value::String(s) => format!("`{s}`"),
        Value::Array(_) | Value::Object(_) => format!("`{}`", schema_help::toml_value(found)),
        other => format!("`{other}`"),
    };
    let plural = |n: u64, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let (message, label) = match kind {
        ValidationErrorKind::Minimum { limit } => (
            format!("{what} must be at least {limit}, not {shown}"),
            format!("less than {limit}"),
        ),
        ValidationErrorKind::Maximum { limit } => (
            format!("{what} must be at most {limit}, not {shown}"),
            format!("more than {limit}"),
        ),
        ValidationErrorKind::ExclusiveMinimum { limit } => (
            format!("{what} must be more than {limit}, not {shown}"),
            format!("not more than {limit}"),
        ),
        ValidationErrorKind::ExclusiveMaximum { limit } => (
            format!("{what} must be less than {limit}, not {shown}"),
            format!("not less than {limit}"),
        ),
        ValidationErrorKind::MinLength { limit } => (
            format!(
                "{what} must be at least {} long",
                plural(*limit, "character", "characters")
            ),
            "too short".to_string(),
        ),
        ValidationErrorKind::MaxLength { limit } => (
            format!(
                "{what} must be at most {} long",
                plural(*limit, "character", "characters")
            ),
            "too long".to_string(),
        ),
        ValidationErrorKind::MinItems { limit } => (
            format!(
                "{what} must hold at least {}",
                plural(*limit, "item", "items")
            ),
            "too few items".to_string(),
        ),
        ValidationErrorKind::MaxItems { limit } => (
            format!(
                "{what} may hold at most {}",
                plural(*limit, "item", "items")
            ),
            "too many items".to_string(),
        ),
        ValidationErrorKind::UniqueItems => (
            format!("{what} holds the same item more than once"),
            "repeated items".to_string(),
        ),
        ValidationErrorKind::Constant { expected_value } => (
            format!(
                "{what} must be `{}`, not {shown}",
                schema_help::toml_value(expected_value)
            ),
            format!("expected `{}`", schema_help::toml_value(expected_value)),
        ),
        ValidationErrorKind::Pattern { .. } => (
            format!("{shown} is not a valid {what}"),
            "does not have the expected form".to_string(),
        ),
        ValidationErrorKind::MinProperties { limit } => (
            format!(
                "{what} must hold at least {}",
                plural(*limit, "key", "keys")
            ),
            "too few keys".to_string(),
        ),
        ValidationErrorKind::MaxProperties { limit } => (
            format!("{what} may hold at most {}", plural(*limit, "key", "keys")),
            "too many keys".to_string(),
        ),
        ValidationErrorKind::MultipleOf { multiple_of, .. } => (
            format!("{what} must be a multiple of {multiple_of}, not {shown}"),
            format!("not a multiple of {multiple_of}"),
        ),
        _ => (
            format!("{shown} is not a valid {what}"),
            "not allowed here".to_string(),
        ),
    };
    Diagnostic::error(codes::INVALID_VALUE, message).at(doc.value_span(at), label)
}

/// `d` with a help line that shows the right form, from the schema: an example when the schema
/// has one, else what its description says the value is. A help already there is kept.
fn with_example(d: Diagnostic, doc: &Document, at: &str) -> Diagnostic {
    if d.help.is_some() {
        return d;
    }
    let root = &compiled().schema;
    if let Some(example) = schema_help::example(root, &doc.value, at) {
        return d.help(format!("for example: `{example}`"));
    }
    let description = schema_help::resolved(root, &doc.value, at)
        .into_iter()
        .find_map(|s| s.get("description").and_then(Value::as_str));
    match description.and_then(first_sentence) {
        Some(sentence) => d.help(format!("{}: {sentence}", describe_value(at))),
        None => d,
    }
}

/// The first sentence of a description, on one line, without its period.
fn first_sentence(text: &str) -> Option<String> {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let end = flat.find(". ").unwrap_or(flat.len());
    let sentence = flat[..end].trim_end_matches('.');
    (!sentence.is_empty()).then(|| {
        let mut chars = sentence.chars();
        match chars.next() {
            Some(c) => c.to_lowercase().chain(chars).collect(),
            None => String::new(),
        }
    })
}

/// The `name` constants of a `oneOf` whose every branch has one: a union tagged by `name`, as
/// `[preset]` is.
fn discriminants(union: &Value) -> Option<Vec<&str>> {
    let branches = union.get("oneOf")?.as_array()?;
    branches
        .iter()
        .map(|b| b.pointer("/properties/name/const").and_then(Value::as_str))
        .collect()
}

/// A tagged union that no branch accepts: report what is wrong by the branch `name` picks (its
/// unknown keys, wrong types, ...), or that the name itself is unknown.
fn tagged_union(
    root: &Value,
    union: &Value,
    doc: &Document,
    at: &str,
    instance: &Value,
    report: &mut SchemaReport,
) {
    let name_at = format!("{at}/name");
    let out = &mut report.diagnostics;
    let Some(name) = instance.get("name") else {
        return; // the union's own `required` reports it
    };
    let Some(name) = name.as_str() else {
        out.push(wrong_type(doc, &name_at, &["string".to_string()]));
        report.offending.push(at.to_string());
        return;
    };
    let names = discriminants(union).unwrap_or_default();
    let branch = union.get("oneOf").and_then(Value::as_array).and_then(|b| {
        b.iter()
            .find(|b| b.pointer("/properties/name/const") == Some(&Value::from(name)))
    });
    let alias = crate::presets::registry::find_alias(name).map(|p| p.info().name);
    let (branch, instance) = match (branch, alias) {
        (Some(branch), _) => (branch, instance.clone()),
        // `golang` for `go`: said once, and the rest is checked as the preset it means, so
        // that one run shows the knobs' mistakes too.
        (None, Some(meant)) => {
            let Some(branch) = union.get("oneOf").and_then(Value::as_array).and_then(|b| {
                b.iter()
                    .find(|b| b.pointer("/properties/name/const") == Some(&Value::from(meant)))
            }) else {
                return;
            };
            out.push(unknown_preset(doc, &name_at, name, &names));
            let mut meant_instance = instance.clone();
            if let Some(map) = meant_instance.as_object_mut() {
                map.insert("name".to_string(), Value::from(meant));
            }
            (branch, meant_instance)
        }
        (None, None) => {
            out.push(unknown_preset(doc, &name_at, name, &names));
            report.offending.push(at.to_string());
            return;
        }
    };
    // The branch as a schema of its own, with the root's definitions for its `$ref`s.
    let mut alone = branch.clone();
    if let (Some(map), Some(defs)) = (alone.as_object_mut(), root.get("$defs")) {
        map.insert("$defs".to_string(), defs.clone());
    }
    let Ok(validator) = jsonschema::validator_for(&alone) else {
        return;
    };
    for error in validator.iter_errors(&instance) {
        convert(&alone, doc, at, &error, report);
    }
}

fn unknown_preset(doc: &Document, at: &str, found: &str, names: &[&str]) -> Diagnostic {
    let d = Diagnostic::error(codes::INVALID_VALUE, format!("`{found}` is not a preset"))
        .at(doc.value_span(at), "no preset of this name");
    let meant = crate::presets::registry::find_alias(found)
        .map(|p| p.info().name)
        .or_else(|| did_you_mean(found, names.iter().copied()));
    match meant {
        Some(m) => d.help(format!(
            "did you mean `{m}`? (the presets: {})",
            backticked(names)
        )),
        None => d.help(format!("the presets are: {}", backticked(names))),
    }
}

/// The presets whose knobs include `key`, for "`jlink` is a knob of the `java` preset".
fn presets_with_knob(key: &str) -> Vec<&'static str> {
    let schema = &compiled().schema;
    let mut union = schema.pointer("/properties/preset");
    if let Some(reference) = union.and_then(|u| u.get("$ref")).and_then(Value::as_str) {
        union = reference.strip_prefix('#').and_then(|r| schema.pointer(r));
    }
    let branches = union
        .and_then(|u| u.get("oneOf"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    branches
        .iter()
        .filter(|b| b.pointer(&format!("/properties/{key}")).is_some())
        .filter_map(|b| b.pointer("/properties/name/const")?.as_str())
        .filter_map(|n| crate::presets::registry::find(n).map(|p| p.info().name))
        .collect()
}

/// The help for a key that belongs to other presets than the one named.
fn other_presets_help(doc: &Document, key: &str, others: &[&str], known: &[&str]) -> String {
    let this = doc
        .value
        .pointer("/preset/name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let whose = match others {
        [one] => format!("the `{one}` preset"),
        [init @ .., last] => format!(
            "the {} and `{last}` presets",
            init.iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        [] => "another preset".to_string(),
    };
    let takes: Vec<&str> = known.iter().copied().filter(|k| *k != "name").collect();
    format!(
        "`{key}` is a knob of {whose}, not of `{this}`; `{this}` takes: {}",
        backticked(&takes)
    )
}

fn not_one_of(doc: &Document, at: &str, found: &str, options: &[&str]) -> Diagnostic {
    let d = Diagnostic::error(
        codes::INVALID_VALUE,
        format!("`{found}` is not a valid {}", describe_value(at)),
    )
    .at(doc.value_span(at), "not one of the known values");
    match did_you_mean(found, options.iter().copied()) {
        Some(m) => d.help(format!(
            "did you mean `{m}`? (one of: {})",
            backticked(options)
        )),
        None => d.help(format!("expected one of: {}", backticked(options))),
    }
}

fn wrong_type(doc: &Document, at: &str, expected: &[String]) -> Diagnostic {
    let expected: Vec<&str> = expected
        .iter()
        .map(String::as_str)
        .filter(|t| *t != "null")
        .map(toml_type_name)
        .collect();
    let found = doc
        .value
        .pointer(at)
        .map(|v| toml_type_name(json_type(v)))
        .unwrap_or("nothing");
    let expected = match expected.as_slice() {
        [] => "another type".to_string(),
        [one] => with_article(one),
        [init @ .., last] => format!(
            "{} or {}",
            init.iter()
                .map(|t| with_article(t))
                .collect::<Vec<_>>()
                .join(", "),
            with_article(last)
        ),
    };
    Diagnostic::error(
        codes::WRONG_TYPE,
        format!(
            "{} must be {expected}, not {}",
            describe_value(at),
            with_article(found)
        ),
    )
    .at(doc.value_span(at), format!("expected {expected}"))
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// JSON schema type names in TOML's words.
fn toml_type_name(t: &str) -> &str {
    match t {
        "object" => "table",
        "number" => "float",
        other => other,
    }
}

fn with_article(t: &str) -> String {
    match t.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => format!("an {t}"),
        _ => format!("a {t}"),
    }
}

fn backticked(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `/stage/0/steps/1` -> `stage[0].steps[1]`, the dotted path a TOML user recognises.
pub fn dotted(pointer: &str) -> String {
    let mut out = String::new();
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        if segment.parse::<usize>().is_ok() {
            out.push_str(&format!("[{segment}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            let bare = !segment.is_empty()
                && segment
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if bare {
                out.push_str(&segment);
            } else {
                out.push_str(&format!("{segment:?}"));
            }
        }
    }
    out
}

fn describe_table(pointer: &str) -> String {
    if pointer.is_empty() {
        "at the top level".to_string()
    } else {
        format!("in `{}`", dotted(pointer))
    }
}

fn describe_value(pointer: &str) -> String {
    if pointer.is_empty() {
        "the file".to_string()
    } else {
        format!("`{}`", dotted(pointer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_paths_read_like_toml() {
        assert_eq!(dotted("/stage/0/steps/2/run"), "stage[0].steps[2].run");
        assert_eq!(
            dotted("/runtime/labels/org.x~1y"),
            "runtime.labels.\"org.x/y\""
        );
        assert_eq!(dotted(""), "");
    }
}

#[cfg(test)]
mod alias_tests {
    use super::*;
    use crate::source::SourceFile;

    fn check_text(text: &str) -> Vec<Diagnostic> {
        let file = SourceFile::new("build.toml", text);
        let doc = Document::parse(&file).expect("parses");
        check(&doc).diagnostics
    }

    #[test]
    fn a_preset_named_by_another_of_its_names_is_pointed_at() {
        for (typed, meant) in [
            ("golang", "go"),
            ("py", "python"),
            ("python3", "python"),
            ("nodejs", "node"),
            ("node.js", "node"),
            ("js", "node"),
            ("ts", "node"),
            ("typescript", "node"),
            ("jvm", "java"),
            ("kotlin", "java"),
            ("Go", "go"),
        ] {
            let found = check_text(&format!("version = 1\n[preset]\nname = \"{typed}\"\n"));
            assert_eq!(found.len(), 1, "{typed}: {found:?}");
            let help = found[0].help.as_deref().unwrap_or_default();
            assert!(
                help.starts_with(&format!("did you mean `{meant}`?")),
                "{typed}: {help}"
            );
        }
    }

    #[test]
    fn an_aliased_presets_knobs_are_checked_as_its_own() {
        let found = check_text("version = 1\n[preset]\nname = \"golang\"\ncgo = \"yes\"\n");
        let codes: Vec<&str> = found.iter().map(|d| d.code.id).collect();
        assert_eq!(codes, ["SG104", "SG102"], "{found:?}");
        assert_eq!(found[1].help.as_deref(), Some("for example: `cgo = true`"));
    }

    #[test]
    fn bounds_are_said_in_words_with_an_example() {
        let found = check_text("version = 1\n[runtime.healthcheck]\ncmd = [\"x\"]\nretries = -2\n");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].message,
            "`runtime.healthcheck.retries` must be at least 0, not `-2`"
        );
        assert_eq!(found[0].help.as_deref(), Some("for example: `retries = 3`"));
    }
}
