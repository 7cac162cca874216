//! How much of what `stagegen check` rejects an editor catches while you type: every broken case
//! (`tests/cases/err-*` and `bad-*`) is validated against the published schema alone
//! (`schemas/build.schema.json`, what taplo and Even Better TOML use), and the count of those it
//! rejects may not drop below [`FLOOR`]. `cargo test --test schema_coverage -- --nocapture`
//! prints the count and the cases the schema lets through (most are about the app's files, the
//! build's graph or values only stagegen can judge: the schema cannot see them).

mod support;

use serde_json::Value;
use support::{fixture_dirs, name_of, repo};

/// Broken cases the schema rejects, at least: 25 of the 150 that are TOML (13 before the rules of
/// `src/schema/constraints.rs`). Most of the rest are about the app's files (a preset's
/// detection), the build's graph (unknown stages, cycles) or values the schema cannot judge.
const FLOOR: usize = 25;

#[test]
fn the_schema_alone_rejects_most_broken_cases() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("schemas/build.schema.json")).expect("schema"),
    )
    .expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let mut rejected = 0;
    let mut not_toml = Vec::new();
    let mut accepted = Vec::new();
    let cases: Vec<_> = fixture_dirs("tests/cases", Some("build.toml"))
        .into_iter()
        .filter(|d| {
            let name = name_of(d);
            name.starts_with("err-") || name.starts_with("bad-")
        })
        .collect();
    for dir in &cases {
        let bytes = std::fs::read(dir.join("build.toml")).expect("build.toml");
        let parsed = String::from_utf8(bytes)
            .ok()
            .and_then(|text| toml::from_str::<Value>(&text).ok());
        match parsed {
            None => not_toml.push(name_of(dir)),
            Some(value) if !validator.is_valid(&value) => rejected += 1,
            Some(_) => accepted.push(name_of(dir)),
        }
    }
    let toml_cases = cases.len() - not_toml.len();
    println!(
        "the schema rejects {rejected} of the {toml_cases} broken cases that are TOML \
         ({} more are not TOML, which an editor flags as syntax)",
        not_toml.len()
    );
    println!("accepted by the schema: {}", accepted.join(" "));
    assert!(
        rejected >= FLOOR,
        "the schema rejects {rejected} broken cases, fewer than {FLOOR}: a constraint was lost"
    );
}

/// The other side: the schema is never stricter than stagegen. Every case that compiles and
/// every example's build.toml is valid under it.
#[test]
fn the_schema_accepts_every_file_stagegen_takes() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("schemas/build.schema.json")).expect("schema"),
    )
    .expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let mut files: Vec<_> = fixture_dirs("tests/cases", Some("build.toml"))
        .into_iter()
        .filter(|d| {
            let name = name_of(d);
            !name.starts_with("err-") && !name.starts_with("bad-")
        })
        .collect();
    files.extend(fixture_dirs("examples", Some("build.toml")));
    let mut rejected = Vec::new();
    for dir in &files {
        let text = std::fs::read_to_string(dir.join("build.toml")).expect("build.toml");
        let value: Value = toml::from_str(&text).expect("TOML");
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        if !errors.is_empty() {
            rejected.push(format!("{}: {}", dir.display(), errors.join("; ")));
        }
    }
    assert!(files.len() > 100, "{} files", files.len());
    assert!(
        rejected.is_empty(),
        "the schema rejects files stagegen takes:\n{}",
        rejected.join("\n")
    );
}
