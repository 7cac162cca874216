//! `stagegen build --engine buildah` next to Docker: the same spec built by both makes images
//! with the same configuration (user, entrypoint, cmd, env, labels, exposed ports,
//! healthcheck, workdir), and Buildah honours the ignore rules too. Base images are copied
//! from Docker's store into Buildah's with `skopeo` (the machine is offline). Each test prints
//! why it skips when Docker, Buildah, skopeo or a base image is missing.

#![allow(clippy::unwrap_used, reason = "test helpers: a panic is the failure")]

mod support;

use std::path::Path;
use std::process::{Command, Output};

fn run(program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"))
}

fn ok(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The images `dir`'s spec starts from, from its Dockerfile's `FROM` lines.
fn base_images(dir: &Path) -> Vec<String> {
    let out = support::run(dir, &["dockerfile"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let stages: Vec<&str> = out
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("FROM "))
        .filter_map(|l| l.split(" AS ").nth(1))
        .collect();
    let mut images: Vec<String> = out
        .stdout
        .lines()
        .filter_map(|l| l.strip_prefix("FROM "))
        .filter_map(|l| l.split(' ').next())
        .filter(|i| !stages.contains(i) && *i != "scratch")
        .map(str::to_string)
        .collect();
    images.sort();
    images.dedup();
    images
}

/// Docker's fully qualified name for `image` (`debian:x` is `docker.io/library/debian:x`).
fn qualified(image: &str) -> String {
    let first = image.split('/').next().unwrap_or_default();
    if !image.contains('/') {
        format!("docker.io/library/{image}")
    } else if first.contains('.') || first.contains(':') || first == "localhost" {
        image.to_string()
    } else {
        format!("docker.io/{image}")
    }
}

/// Why this machine cannot build `dir` with both engines, after copying its base images into
/// Buildah's store.
fn prepare(dir: &Path) -> Option<String> {
    if !ok("docker", &["info", "--format", "{{.ServerVersion}}"]) {
        return Some("no running Docker engine".to_string());
    }
    for tool in ["buildah", "skopeo"] {
        if !ok(tool, &["--version"]) {
            return Some(format!(
                "`{tool}` is not installed (Debian: `apt-get install {tool}`)"
            ));
        }
    }
    for image in base_images(dir)
        .iter()
        .map(String::as_str)
        .chain(["docker/dockerfile:1"])
    {
        if !ok("docker", &["image", "inspect", image]) {
            return Some(format!("the base image `{image}` is not in Docker's store"));
        }
        if image == "docker/dockerfile:1" {
            continue;
        }
        let storage = format!("containers-storage:{}", qualified(image));
        if ok(
            "buildah",
            &["inspect", "--type", "image", &qualified(image)],
        ) {
            continue;
        }
        let copied = run(
            "skopeo",
            &[
                "copy",
                "--quiet",
                &format!("docker-daemon:{image}"),
                &storage,
            ],
        );
        if !copied.status.success() {
            return Some(format!(
                "skopeo cannot copy `{image}` into Buildah's store: {}",
                String::from_utf8_lossy(&copied.stderr)
            ));
        }
    }
    None
}

/// The image configuration both engines must agree on, from `docker inspect`.
fn config(image: &str) -> serde_json::Value {
    let out = run("docker", &["image", "inspect", image]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut c = all[0]["Config"].clone();
    // Buildah signs its work; nothing else of the labels may differ.
    if let Some(labels) = c["Labels"].as_object_mut() {
        labels.remove("io.buildah.version");
    }
    let or_null = |v: &serde_json::Value| {
        // An empty list or map and none at all mean the same.
        match v {
            serde_json::Value::Array(a) if a.is_empty() => serde_json::Value::Null,
            serde_json::Value::Object(o) if o.is_empty() => serde_json::Value::Null,
            other => other.clone(),
        }
    };
    // The environment is a set: Docker keeps a variable where the base had it, Buildah may not.
    if let Some(env) = c["Env"].as_array_mut() {
        env.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    }
    serde_json::json!({
        "User": or_null(&c["User"]),
        "Entrypoint": or_null(&c["Entrypoint"]),
        "Cmd": or_null(&c["Cmd"]),
        "Env": or_null(&c["Env"]),
        "Labels": or_null(&c["Labels"]),
        "ExposedPorts": or_null(&c["ExposedPorts"]),
        "Healthcheck": or_null(&c["Healthcheck"]),
        "WorkingDir": or_null(&c["WorkingDir"]),
    })
}

/// Build `dir` with Docker into its store and with Buildah into a tar loaded into Docker's
/// store; the two tags.
fn build_both(dir: &Path, name: &str) -> Result<(String, String), String> {
    let pid = std::process::id();
    let docker_tag = format!("stagegen-test-{name}:docker-{pid}");
    let buildah_tag = format!("stagegen-test-{name}:buildah-{pid}");
    let by_docker = support::run(
        dir,
        &[
            "build",
            "--engine",
            "docker",
            "--progress",
            "plain",
            "-t",
            &docker_tag,
        ],
    );
    if by_docker.code != 0 {
        return Err(format!("docker: {}", by_docker.stderr));
    }
    let out = tempfile::tempdir().unwrap();
    let tar = out.path().join("image.tar");
    let by_buildah = support::run(
        dir,
        &[
            "build",
            "--engine",
            "buildah",
            "-t",
            &buildah_tag,
            "--output",
            &format!("tar:{}", tar.display()),
        ],
    );
    if by_buildah.code != 0 {
        return Err(format!("buildah: {}", by_buildah.stderr));
    }
    assert!(
        by_buildah.stderr.contains("building `"),
        "{}",
        by_buildah.stderr
    );
    let loaded = run("docker", &["load", "--input", tar.to_str().unwrap()]);
    if !loaded.status.success() {
        return Err(String::from_utf8_lossy(&loaded.stderr).into_owned());
    }
    // The tarball names the image twice: as tagged, and as Buildah stores it (`localhost/...`).
    let said = String::from_utf8_lossy(&loaded.stdout);
    let names: Vec<&str> = said
        .lines()
        .filter_map(|l| l.strip_prefix("Loaded image: "))
        .collect();
    assert!(names.contains(&buildah_tag.as_str()), "{said}");
    for name in names.iter().filter(|n| **n != buildah_tag) {
        run("docker", &["rmi", name]);
    }
    run("buildah", &["rmi", &buildah_tag]);
    let loaded_as = buildah_tag;
    Ok((docker_tag, loaded_as))
}

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

#[test]
fn buildah_and_docker_make_the_same_image_config_and_honour_the_ignore_rules() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            (
                "build.toml",
                r#"version = 1
ignore = ["secret.txt"]

[[stage]]
name = "app"
image = "debian:bookworm-slim"
workdir = "/app"
user = "65534:65534"
env = { GREETING = "hello" }
ports = [8080]
labels = { "org.opencontainers.image.title" = "both" }
cmd = ["ls", "-A", "/app"]
steps = [{ copy = ["."], to = "./" }]

[stage.healthcheck]
cmd = ["true"]
interval = "30s"
"#,
            ),
            ("keep.txt", "kept\n"),
            ("secret.txt", "never in the image\n"),
        ],
    );
    if let Some(why) = prepare(dir.path()) {
        eprintln!("skipping: {why}");
        return;
    }
    let (docker_tag, buildah_tag) = build_both(dir.path(), "both").unwrap();
    let (a, b) = (config(&docker_tag), config(&buildah_tag));
    let listed = run("docker", &["run", "--rm", &buildah_tag]);
    for tag in [&docker_tag, &buildah_tag] {
        run("docker", &["rmi", tag]);
    }
    assert_eq!(a, b, "docker's image config, then buildah's");
    assert_eq!(a["User"], "65534:65534");
    let files = String::from_utf8_lossy(&listed.stdout);
    let files: Vec<&str> = files.lines().collect();
    assert!(files.contains(&"keep.txt"), "{files:?}");
    assert!(
        !files.contains(&"secret.txt"),
        "buildah copied an ignored file: {files:?}"
    );
}

/// One example per preset: what a local `cargo test` compares (122 s with warm caches). CI
/// (scripts/test.sh) sets `STAGEGEN_BUILDAH_EXAMPLES=all`: all 16 examples took 982 s with warm
/// caches on 2 shared cores, the slowest `python-poetry` (183 s) and `node-frontend-go` (161 s).
const PER_PRESET: &str = "go-http,java-maven-http,node-express,python-flask,static-site";

/// The examples both engines build: `STAGEGEN_BUILDAH_EXAMPLES` names them, comma-separated, or
/// `all`; the default is [`PER_PRESET`].
#[test]
fn examples_build_with_docker_and_buildah_to_the_same_image_config() {
    let root = support::repo().join("examples");
    let wanted = std::env::var("STAGEGEN_BUILDAH_EXAMPLES").unwrap_or_else(|_| PER_PRESET.into());
    let names: Vec<String> = if wanted == "all" {
        let mut all: Vec<String> = std::fs::read_dir(&root)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.path().join("build.toml").is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        all.sort();
        all
    } else {
        wanted.split(',').map(str::to_string).collect()
    };
    for name in names {
        let dir = root.join(&name);
        if let Some(why) = prepare(&dir) {
            eprintln!("skipping {name}: {why}");
            continue;
        }
        let started = std::time::Instant::now();
        let (docker_tag, buildah_tag) =
            build_both(&dir, &name).unwrap_or_else(|e| panic!("{name}: {e}"));
        // How long each example takes, for choosing the set CI runs (`--nocapture` shows it).
        eprintln!(
            "{name}: built with both engines in {:.0?}",
            started.elapsed()
        );
        let (a, b) = (config(&docker_tag), config(&buildah_tag));
        for tag in [&docker_tag, &buildah_tag] {
            run("docker", &["rmi", tag]);
        }
        assert_eq!(a, b, "{name}: docker's image config, then buildah's");
    }
}
