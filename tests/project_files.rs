//! The project's own habits, kept true: licence files matching Cargo.toml's `license`, the
//! changelog naming the current version, the pre-commit hook and the example CI workflow
//! running commands the CLI really has (each `stagegen ...` line parsed by the real clap
//! definitions, and the hook run for real on an app).

use std::path::{Path, PathBuf};
use std::process::Command;

use clap::Parser as _;
use stagegen::cli::Cli;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn yaml(path: &str) -> serde_json::Value {
    serde_norway::from_str(&read(path)).unwrap_or_else(|e| panic!("{path} is not YAML: {e}"))
}

/// `line` split into words as a shell would for the plain commands used here (no quotes).
fn words(line: &str) -> Vec<String> {
    line.split_whitespace().map(str::to_string).collect()
}

/// `stagegen` with `args` parses with the real CLI definitions.
fn assert_parses(args: &[String], whence: &str) {
    assert_eq!(
        args.first().map(String::as_str),
        Some("stagegen"),
        "{whence}"
    );
    if let Err(e) = Cli::try_parse_from(args) {
        panic!(
            "{whence}: `{}` is not a stagegen command line: {e}",
            args.join(" ")
        );
    }
}

#[test]
fn licence_files_match_the_manifest() {
    let manifest: toml::Table = toml::from_str(&read("Cargo.toml")).expect("Cargo.toml");
    let license = manifest["package"]["license"].as_str().expect("license");
    assert_eq!(
        license, "MIT OR Apache-2.0",
        "update the LICENSE-* files too"
    );
    assert!(read("LICENSE-MIT").starts_with("MIT License\n"));
    let apache = read("LICENSE-APACHE");
    assert!(apache.contains("Apache License\n                        Version 2.0, January 2004"));
    assert!(apache.contains("END OF TERMS AND CONDITIONS"));
    let readme = read("README.md");
    assert!(
        readme.contains("[LICENSE-MIT](LICENSE-MIT)")
            && readme.contains("[LICENSE-APACHE](LICENSE-APACHE)")
    );
}

#[test]
fn the_changelog_has_the_current_version() {
    let changelog = read("CHANGELOG.md");
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        changelog.starts_with("# Changelog\n"),
        "CHANGELOG.md: a `# Changelog` title"
    );
    assert!(
        changelog.contains("## [Unreleased]"),
        "CHANGELOG.md: an `## [Unreleased]` section"
    );
    assert!(
        changelog.contains(&format!("## [{version}]")),
        "CHANGELOG.md has no `## [{version}]` section"
    );
}

#[test]
fn the_pre_commit_hook_names_a_real_command_and_works() {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hooks = hooks.as_array().expect("a list of hooks");
    let hook = hooks
        .iter()
        .find(|h| h["id"] == "stagegen-dockerfile-check")
        .expect("the stagegen-dockerfile-check hook");
    for key in ["name", "entry", "language"] {
        assert!(hook[key].is_string(), "the hook needs `{key}`");
    }
    // pre-commit builds a `language: rust` hook with `cargo install` from this repository.
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["pass_filenames"], false);
    let entry = words(hook["entry"].as_str().unwrap_or_default());
    assert_eq!(entry, ["stagegen", "dockerfile", "--check"]);
    assert_parses(&entry, ".pre-commit-hooks.yaml");

    // Run it as pre-commit would, in an app: it passes when the files are current, fails on drift.
    let app = tempfile::tempdir().expect("tempdir");
    let case = root().join("tests/cases/go-stdlib");
    for name in ["build.toml", "go.mod", "main.go"] {
        std::fs::copy(case.join(name), app.path().join(name)).expect("copy");
    }
    let run = |args: &[String]| {
        Command::new(env!("CARGO_BIN_EXE_stagegen"))
            .args(args)
            .current_dir(app.path())
            .env("NO_COLOR", "1")
            .output()
            .expect("stagegen runs")
    };
    let hook_run = || run(&entry[1..]);
    assert_eq!(hook_run().status.code(), Some(1), "no Dockerfile yet");
    let write = run(&words("dockerfile -o Dockerfile"));
    assert!(write.status.success());
    assert_eq!(hook_run().status.code(), Some(0));
    let dockerfile: PathBuf = app.path().join("Dockerfile");
    let mut text = std::fs::read_to_string(&dockerfile).expect("Dockerfile");
    text.push_str("RUN echo edited by hand\n");
    std::fs::write(&dockerfile, text).expect("edit");
    let out = hook_run();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("-RUN echo edited by hand"));
}

#[test]
fn the_example_ci_workflow_runs_real_commands() {
    let path = "docs/ci/github-actions.yml";
    let workflow = yaml(path);
    let steps = workflow["jobs"]["check"]["steps"]
        .as_array()
        .expect("steps");
    let mut commands = 0;
    for step in steps {
        let Some(run) = step["run"].as_str() else {
            continue;
        };
        for line in run.lines().map(str::trim) {
            if line.starts_with("stagegen ") {
                assert_parses(&words(line), path);
                commands += 1;
            }
        }
    }
    assert!(commands >= 2, "{path} runs stagegen check and --check");
    assert!(read("README.md").contains("(docs/ci/github-actions.yml)"));
}
