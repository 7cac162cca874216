//! How much of what `stagegen check` rejects an editor catches while you type: every broken case
//! (`tests/cases/err-*` and `bad-*`) is validated against the published schema alone
//! (`schemas/build.schema.json`, what taplo and Even Better TOML use), and the count of those it
//! rejects may not drop below [`FLOOR`]. `cargo test --test schema_coverage -- --nocapture`
//! prints the count and the cases the schema lets through (most are about the app's files, the
//! build's graph or values only stagegen can judge: the schema cannot see them). The workspace
//! schema (`schemas/workspace.schema.json`) is held to every stagegen.toml of the cases and
//! examples the same way, both ways.

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

/// Codes of stagegen.toml's mistakes that the workspace schema can see: its shape (an unknown
/// key, a wrong type, a missing key) and a member that leaves the workspace's folder by its
/// path. The others reported at stagegen.toml are about the folders on disk (a glob that
/// matches nothing, two members of one name, a folder name that is no name), which a schema
/// cannot see.
const WORKSPACE_SCHEMA_CODES: &[&str] = &["SG101", "SG102", "SG103", "SG901"];

/// The codes of the errors `stderr` reports at stagegen.toml.
fn codes_at_stagegen_toml(stderr: &str) -> Vec<String> {
    stderr
        .split("\n\n")
        .filter_map(|block| {
            let mut lines = block.trim_start().lines();
            let code = lines.next()?.strip_prefix("error[")?.split_once(']')?.0;
            lines
                .next()?
                .trim_start()
                .starts_with("--> stagegen.toml:")
                .then(|| code.to_string())
        })
        .collect()
}

#[test]
fn the_workspace_schema_rejects_exactly_what_it_can_see() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("schemas/workspace.schema.json")).expect("schema"),
    )
    .expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let mut dirs = fixture_dirs("tests/cases", Some("stagegen.toml"));
    dirs.extend(fixture_dirs("examples", Some("stagegen.toml")));
    let mut wrong = Vec::new();
    let mut rejected = 0;
    for dir in &dirs {
        let text = std::fs::read_to_string(dir.join("stagegen.toml")).expect("stagegen.toml");
        let value: Value = toml::from_str(&text).expect("TOML");
        let stderr = std::fs::read_to_string(dir.join("stderr.expected")).unwrap_or_default();
        let codes = codes_at_stagegen_toml(&stderr);
        let visible = codes
            .iter()
            .any(|c| WORKSPACE_SCHEMA_CODES.contains(&c.as_str()));
        let valid = validator.is_valid(&value);
        rejected += usize::from(!valid);
        if valid == visible {
            wrong.push(format!(
                "{}: stagegen reports {codes:?} at stagegen.toml, and the schema {}",
                name_of(dir),
                if valid { "accepts it" } else { "rejects it" }
            ));
        }
    }
    println!(
        "the workspace schema rejects {rejected} of {} stagegen.toml files",
        dirs.len()
    );
    assert!(dirs.len() >= 10, "{} stagegen.toml files", dirs.len());
    assert!(rejected >= 4, "{rejected} rejected");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
