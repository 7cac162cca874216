//! What every preset of the registry must come with, and what the published schema says about
//! each preset's knobs. Adding a preset without an example, cases or an init layout fails here.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use stagegen::presets::registry;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn dirs(under: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join(under))
        .unwrap_or_else(|e| panic!("{under}: {e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

/// The preset a build.toml (or init's expected output) names.
fn preset_of(file: &Path) -> Option<String> {
    let text = std::fs::read_to_string(file).ok()?;
    let doc: toml::Table = toml::from_str(&text).ok()?;
    Some(doc.get("preset")?.get("name")?.as_str()?.to_string())
}

#[test]
fn every_preset_has_an_example_cases_and_an_init_layout() {
    let mut missing = Vec::new();
    for preset in registry::names() {
        let examples = dirs("examples")
            .into_iter()
            .filter(|d| d.join("e2e.toml").is_file())
            .filter(|d| preset_of(&d.join("build.toml")).as_deref() == Some(preset))
            .count();
        let cases = dirs("tests/cases")
            .into_iter()
            .filter(|d| preset_of(&d.join("build.toml")).as_deref() == Some(preset))
            .count();
        let layouts = dirs("tests/init")
            .into_iter()
            .filter(|d| preset_of(&d.join("build.toml.expected")).as_deref() == Some(preset))
            .count();
        for (what, n) in [
            ("an example with e2e.toml under examples/", examples),
            ("a case dir under tests/cases/", cases),
            ("an init layout under tests/init/", layouts),
        ] {
            if n == 0 {
                missing.push(format!("preset `{preset}` has no {what}"));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("schemas/build.schema.json")).expect("schema");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

/// The knobs of each preset, as the checked-in schema lists them in its `[preset]` branches.
fn knobs_by_preset() -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string(root().join("schemas/build.schema.json")).expect("schema");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    let branches = schema
        .pointer("/$defs/TomlPreset/oneOf")
        .and_then(Value::as_array)
        .expect("`[preset]` is a oneOf of the presets");
    branches
        .iter()
        .map(|b| {
            let name = b["properties"]["name"]["const"]
                .as_str()
                .expect("a name const");
            let knobs = b["properties"]
                .as_object()
                .expect("properties")
                .keys()
                .filter(|k| *k != "name")
                .cloned()
                .collect();
            (name.to_string(), knobs)
        })
        .collect()
}

#[test]
fn the_schema_has_one_branch_per_preset() {
    let names: Vec<String> = knobs_by_preset().into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, registry::names());
}

#[test]
fn the_schema_rejects_every_knob_of_another_preset() {
    let validator = schema();
    let all = knobs_by_preset();
    let mut wrong = Vec::new();
    for (name, own) in &all {
        for (other, theirs) in &all {
            for knob in theirs.iter().filter(|k| !own.contains(k)) {
                let doc = json!({"version": 1, "preset": {"name": name, knob: true}});
                if validator.is_valid(&doc) {
                    wrong.push(format!("`{knob}` (of `{other}`) accepted under `{name}`"));
                }
            }
        }
        let bare = json!({"version": 1, "preset": {"name": name}});
        assert!(
            validator.is_valid(&bare),
            "`[preset] name = {name}` alone is rejected"
        );
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_schema_accepts_each_presets_own_knob_and_rejects_an_unknown_name() {
    let validator = schema();
    let go =
        json!({"version": 1, "preset": {"name": "go", "main": "./cmd/api", "tags": ["netgo"]}});
    assert!(validator.is_valid(&go));
    let java = json!({"version": 1, "preset": {"name": "java", "jlink": true}});
    assert!(validator.is_valid(&java));
    let nope = json!({"version": 1, "preset": {"name": "golang"}});
    assert!(!validator.is_valid(&nope));
}

/// The README's "Diagnostics" section names every code with its name, and no code that does
/// not exist (a retired code must leave the README too).
#[test]
fn the_readme_lists_every_code_and_only_those() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme
        .split("## Diagnostics")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("README has a Diagnostics section");
    let all: Vec<_> = stagegen::diagnostics::codes::ALL
        .iter()
        .copied()
        .chain(registry::codes())
        .collect();
    for code in &all {
        let named = section
            .lines()
            .any(|l| l.contains(&format!("| {} | {} |", code.id, code.name)))
            || section.contains(&format!("{} `{}`", code.id, code.name));
        assert!(
            named,
            "README's Diagnostics lacks {} {}",
            code.id, code.name
        );
    }
    let listed = regex_free_ids(section);
    for id in listed {
        assert!(
            all.iter().any(|c| c.id == id),
            "README's Diagnostics names {id}, which is no code"
        );
    }
}

/// Every `SG` followed by three digits in the text.
fn regex_free_ids(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(4))
        .filter(|&i| b[i..].starts_with(b"SG") && b[i + 2..i + 5].iter().all(u8::is_ascii_digit))
        .filter(|&i| b.get(i + 5).is_none_or(|c| !c.is_ascii_alphanumeric()))
        .map(|i| text[i..i + 5].to_string())
        .collect()
}
