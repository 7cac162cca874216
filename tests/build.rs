//! `stagegen build` with a real engine: the ignore rules are honoured, nothing is written into
//! the app's folder, a failing step is named with its command and its last lines, and the
//! outputs land where asked. A test that needs Docker prints why it skips when the engine (or
//! the base image) is missing; the one that needs no engine always runs.

#![allow(clippy::unwrap_used, reason = "test helpers: a panic is the failure")]

mod support;

use std::path::Path;
use std::process::Command;

/// The base image of the test apps: one of the offline stand-ins, and small.
const BASE: &str = "debian:bookworm-slim";

/// The Dockerfile frontend stagegen's Dockerfiles name (`# syntax=`).
const FRONTEND: &str = "docker/dockerfile:1";

/// Why Docker cannot run these tests here, if it cannot.
fn docker_missing() -> Option<String> {
    let ok = |args: &[&str]| {
        Command::new("docker")
            .args(args)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !ok(&["info", "--format", "{{.ServerVersion}}"]) {
        return Some("no running Docker engine".to_string());
    }
    if !ok(&["image", "inspect", BASE]) {
        return Some(format!("the base image `{BASE}` is not in Docker's store"));
    }
    if !ok(&["image", "inspect", FRONTEND]) {
        return Some(format!(
            "the frontend image `{FRONTEND}` is not in Docker's store"
        ));
    }
    None
}

macro_rules! need_docker {
    () => {
        if let Some(why) = docker_missing() {
            eprintln!("skipping: {why}");
            return;
        }
    };
}

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// Every path under `dir`, sorted.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            out.push(p.strip_prefix(dir).unwrap().display().to_string());
            if p.is_dir() {
                todo.push(p);
            }
        }
    }
    out.sort();
    out
}

fn tag(name: &str) -> String {
    format!("stagegen-test-{name}:{}", std::process::id())
}

fn docker(args: &[&str]) -> std::process::Output {
    Command::new("docker").args(args).output().unwrap()
}

fn spec(steps: &str) -> String {
    format!(
        "version = 1\nignore = [\"secret.txt\", \"logs/\"]\n\n[[stage]]\nname = \"app\"\nimage = \"{BASE}\"\nworkdir = \"/app\"\nuser = \"65534:65534\"\ncmd = [\"ls\", \"-A\", \"/app\"]\nsteps = [\n{steps}\n]\n"
    )
}

#[test]
fn no_engine_is_a_clear_error_naming_what_to_install() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[("build.toml", &spec("  { copy = [\".\"], to = \"./\" },"))],
    );
    let empty = tempfile::tempdir().unwrap();
    let out = Command::new(support::stagegen())
        .args(["build"])
        .current_dir(dir.path())
        .env("PATH", empty.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error: no container engine was found"),
        "{stderr}"
    );
    assert!(stderr.contains("help: install one of Docker"), "{stderr}");
    assert!(stderr.contains("`apt-get install buildah`"), "{stderr}");
    let out = Command::new(support::stagegen())
        .args(["build", "--engine", "podman"])
        .current_dir(dir.path())
        .env("PATH", empty.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error: `--engine podman`: no `podman` program was found"),
        "{stderr}"
    );
}

#[test]
fn usage_errors_come_before_any_engine_runs() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[("build.toml", &spec("  { copy = [\".\"], to = \"./\" },"))],
    );
    for (args, want) in [
        (
            &["build", "--push"][..],
            "error: `--push` needs a name to push to",
        ),
        (
            &["build", "--secret", "id=tok,src=nope.txt"][..],
            "error: `--secret id=tok`: `nope.txt` is not a file",
        ),
        (
            &["build", "--secret", "id=tok"][..],
            "`--secret id=tok` names no `src=PATH` or `env=VAR`",
        ),
        (
            &["build", "--output", "zip:x"][..],
            "`--output zip:x` is not an output stagegen knows",
        ),
        (
            &["build", "--target", "nope"][..],
            "error: --target `nope` is not a stage",
        ),
        (
            &["build", "--platform", "linux/amd64,arm64"][..],
            "error: `--platform arm64` is not a platform",
        ),
    ] {
        let run = support::run(dir.path(), args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(want), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn the_ignore_rules_are_honoured_and_nothing_is_written_into_the_app() {
    need_docker!();
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("build.toml", &spec("  { copy = [\".\"], to = \"./\" },")),
            ("keep.txt", "kept\n"),
            ("secret.txt", "never in the image\n"),
            ("logs/today.log", "noise\n"),
        ],
    );
    let before = tree(dir.path());
    let image = tag("ignore");
    let run = support::run(dir.path(), &["build", "-t", &image, "--progress", "plain"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("building `app` with docker"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("found by `--engine auto`"),
        "{}",
        run.stderr
    );
    assert_eq!(
        tree(dir.path()),
        before,
        "stagegen wrote into the app's folder"
    );
    let listed = docker(&["run", "--rm", &image]);
    docker(&["rmi", &image]);
    let files = String::from_utf8_lossy(&listed.stdout);
    let files: Vec<&str> = files.lines().collect();
    assert!(files.contains(&"keep.txt"), "{files:?}");
    assert!(
        !files.contains(&"secret.txt"),
        "an ignored file is in the image: {files:?}"
    );
    assert!(
        !files.contains(&"logs"),
        "an ignored folder is in the image: {files:?}"
    );
    assert!(!files.contains(&"build.toml"), "{files:?}");
}

#[test]
fn a_failing_step_is_named_with_its_command_and_last_lines() {
    need_docker!();
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[(
            "build.toml",
            &spec("  { run = \"echo first-line && echo the-last-line && exit 3\" },"),
        )],
    );
    for progress in ["plain", "json"] {
        let run = support::run(dir.path(), &["build", "--progress", progress]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stderr.contains(
                "error: the build failed at step 3/3 of stage `app`: `RUN echo first-line && echo the-last-line && exit 3`"
            ),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("  | the-last-line"), "{}", run.stderr);
        assert!(
            run.stderr.contains("help: the engine ran: docker"),
            "{}",
            run.stderr
        );
        if progress == "json" {
            let events: Vec<serde_json::Value> = run
                .stderr
                .lines()
                .filter(|l| l.starts_with('{'))
                .map(|l| serde_json::from_str(l).unwrap())
                .collect();
            assert!(
                events
                    .iter()
                    .any(|e| e["event"] == "error" && e["stage"] == "app"),
                "{}",
                run.stderr
            );
            assert!(
                events
                    .iter()
                    .any(|e| e["event"] == "log" && e["line"] == "the-last-line"),
                "{}",
                run.stderr
            );
        }
    }
}

#[test]
fn a_tar_output_is_an_image_docker_loads() {
    need_docker!();
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "build.toml",
                &spec("  { copy = [\"keep.txt\"], to = \"./\" },"),
            ),
            ("keep.txt", "kept\n"),
        ],
    );
    let out = tempfile::tempdir().unwrap();
    let tar = out.path().join("app.tar");
    let run = support::run(
        dir.path(),
        &["build", "--output", &format!("tar:{}", tar.display())],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let loaded = docker(&["load", "--input", tar.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&loaded.stdout).into_owned();
    assert!(loaded.status.success(), "{said}");
    // An untagged build exports under a name of its own, removed from the store afterwards.
    let id = said.trim().rsplit(' ').next().unwrap().to_string();
    assert!(said.contains("stagegen-build"), "{said}");
    let listed = docker(&["run", "--rm", &id]);
    docker(&["rmi", &id]);
    assert_eq!(String::from_utf8_lossy(&listed.stdout), "keep.txt\n");
}

#[test]
fn a_plan_written_elsewhere_says_its_context_from_its_own_folder() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[(
            "app/build.toml",
            &spec("  { copy = [\".\"], to = \"./\" },"),
        )],
    );
    std::fs::create_dir(dir.path().join("plans")).unwrap();
    let run = support::run(
        dir.path(),
        &["plan", "-f", "app/build.toml", "-o", "plans/plan.json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let plan = std::fs::read_to_string(dir.path().join("plans/plan.json")).unwrap();
    let plan: serde_json::Value = serde_json::from_str(&plan).unwrap();
    assert_eq!(plan["context"], "../app");
    // Printed, the plan says it from the spec's folder: there, the context is that folder.
    let run = support::run(dir.path(), &["plan", "-f", "app/build.toml"]);
    assert!(!run.stdout.contains("\"context\":"), "{}", run.stdout);
}

#[test]
fn a_plan_that_cannot_be_built_says_where_and_why() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[("build.toml", &spec("  { copy = [\".\"], to = \"./\" },"))],
    );
    let run = support::run(dir.path(), &["plan", "-o", "plan.json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let good = std::fs::read_to_string(dir.path().join("plan.json")).unwrap();
    std::fs::write(
        dir.path().join("bad.json"),
        good.replace("\"target\"", "\"targt\""),
    )
    .unwrap();
    let run = support::run(dir.path(), &["build", "--plan", "bad.json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("error: bad.json:3:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("unknown field `targt`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("help: "), "{}", run.stderr);
    let run = support::run(
        dir.path(),
        &["build", "--plan", "plan.json", "--target", "ap"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("did you mean `app`?"), "{}", run.stderr);
    let run = support::run(dir.path(), &["build", "--plan", "missing.json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("cannot read `missing.json`: no such file"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_plan_builds_from_its_context_with_its_ignore_rules() {
    need_docker!();
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "app/build.toml",
                &spec("  { copy = [\".\"], to = \"./\" },"),
            ),
            ("app/keep.txt", "kept\n"),
            ("app/secret.txt", "never in the image\n"),
        ],
    );
    std::fs::create_dir(dir.path().join("plans")).unwrap();
    let run = support::run(
        dir.path(),
        &["plan", "-f", "app/build.toml", "-o", "plans/plan.json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Built from elsewhere: the plan alone says what to build and from where.
    let image = tag("plan");
    let run = support::run(
        &dir.path().join("plans"),
        &[
            "build",
            "--plan",
            "plan.json",
            "-t",
            &image,
            "--progress",
            "plain",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let listed = docker(&["run", "--rm", &image]);
    docker(&["rmi", &image]);
    let files = String::from_utf8_lossy(&listed.stdout);
    let files: Vec<&str> = files.lines().collect();
    assert!(files.contains(&"keep.txt"), "{files:?}");
    assert!(!files.contains(&"secret.txt"), "{files:?}");
}

#[test]
fn an_oci_output_is_an_image_layout_folder() {
    need_docker!();
    if !Command::new("skopeo")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        eprintln!("skipping: `skopeo` is not installed (Debian: `apt-get install skopeo`)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "build.toml",
                &spec("  { copy = [\"keep.txt\"], to = \"./\" },"),
            ),
            ("keep.txt", "kept\n"),
        ],
    );
    let out = tempfile::tempdir().unwrap();
    let layout = out.path().join("oci");
    let run = support::run(
        dir.path(),
        &["build", "--output", &format!("oci:{}", layout.display())],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let marker = std::fs::read_to_string(layout.join("oci-layout")).unwrap();
    assert!(marker.contains("imageLayoutVersion"), "{marker}");
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(layout.join("index.json")).unwrap()).unwrap();
    assert_eq!(
        index["manifests"].as_array().map(Vec::len),
        Some(1),
        "{index}"
    );
    // The temporary name it was exported under is gone from Docker's store.
    let images = docker(&[
        "images",
        "--format",
        "{{.Repository}}",
        "localhost/stagegen-build",
    ]);
    assert_eq!(String::from_utf8_lossy(&images.stdout).trim(), "");
}
