//! Multi-platform builds for real: the Go examples' binaries cross-compiled for linux/arm64 on
//! this (amd64) machine, exported from the build stage with `--output type=local` and checked to
//! be ARM aarch64 ELF files (e_machine 183). There is no arm64 base image or emulator here, so
//! only the build stage runs, on the builder's platform: which is what cross-compiling means.
//! Prints why it skips when Docker (with BuildKit) or a base image is missing.

#![allow(clippy::unwrap_used, reason = "test helpers: a panic is the failure")]

mod support;

use std::path::Path;
use std::process::Command;

/// ELF machine numbers (`e_machine`, the little-endian u16 at byte 18).
const EM_X86_64: u16 = 62;
const EM_AARCH64: u16 = 183;

/// A stage that holds only the build stage's `/out/`, so that `--output type=local` exports the
/// binary and not the toolchain; set on the command line, the example's spec is left as it is.
const EXPORT_STAGE: &str = r#"stage=[{name = "binary", image = "scratch", steps = [{copy = ["/out/"], from = "build", to = "/"}]}]"#;

fn ok(args: &[&str]) -> bool {
    Command::new("docker")
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Why `example` cannot be cross-built here, if it cannot.
fn missing(dockerfile: &str) -> Option<String> {
    if !ok(&["info", "--format", "{{.ServerVersion}}"]) {
        return Some("no running Docker engine".to_string());
    }
    let builder = dockerfile
        .lines()
        .find_map(|l| l.strip_prefix("FROM --platform=$BUILDPLATFORM "))
        .and_then(|l| l.split(' ').next())
        .unwrap_or_default();
    for image in [builder, "docker/dockerfile:1"] {
        if !ok(&["image", "inspect", image]) {
            return Some(format!("the image `{image}` is not in Docker's store"));
        }
    }
    None
}

/// The `e_machine` of the ELF file at `path`.
fn elf_machine(path: &Path) -> u16 {
    let bytes = std::fs::read(path).unwrap();
    assert!(
        bytes.len() > 20 && bytes.starts_with(b"\x7fELF"),
        "{} is not an ELF file",
        path.display()
    );
    assert_eq!(bytes[5], 1, "{}: little-endian", path.display());
    u16::from_le_bytes([bytes[18], bytes[19]])
}

/// Cross-build `example`'s binary for `platform`; the `e_machine` of every file exported.
fn cross_build(example: &str, platform: &str) -> Option<Vec<(String, u16)>> {
    let spec = format!("examples/{example}/build.toml");
    let out = support::run(
        support::repo(),
        &[
            "dockerfile",
            "-f",
            &spec,
            "--platform",
            platform,
            "--target",
            "binary",
            "--set",
            EXPORT_STAGE,
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("FROM --platform=$BUILDPLATFORM golang:")
            && out
                .stdout
                .contains("GOOS=$TARGETOS GOARCH=$TARGETARCH go build"),
        "the build stage cross-compiles:\n{}",
        out.stdout
    );
    if let Some(why) = missing(&out.stdout) {
        eprintln!("skipping {example} for {platform}: {why}");
        return None;
    }
    let scratch = tempfile::tempdir().unwrap();
    let dockerfile = scratch.path().join("Dockerfile");
    std::fs::write(&dockerfile, &out.stdout).unwrap();
    let dest = scratch.path().join("out");
    let built = Command::new("docker")
        .args([
            "build",
            "--platform",
            platform,
            "--target",
            "binary",
            "--output",
        ])
        .arg(format!("type=local,dest={}", dest.display()))
        .arg("-f")
        .arg(&dockerfile)
        .arg(support::repo().join("examples").join(example))
        .env("DOCKER_BUILDKIT", "1")
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&built.stderr);
    assert!(built.status.success(), "docker build failed:\n{log}");
    let mut found: Vec<(String, u16)> = std::fs::read_dir(&dest)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                elf_machine(&p),
            )
        })
        .collect();
    found.sort();
    assert!(!found.is_empty(), "nothing exported from /out/");
    Some(found)
}

#[test]
fn go_examples_cross_compile_for_arm64_on_the_builders_platform() {
    for example in ["go-http", "go-vendored"] {
        let Some(found) = cross_build(example, "linux/arm64") else {
            continue;
        };
        for (name, machine) in found {
            assert_eq!(
                machine, EM_AARCH64,
                "{example}: `{name}` is not an aarch64 binary (e_machine {machine})"
            );
        }
    }
}

#[test]
fn the_same_spec_builds_for_amd64_too() {
    let Some(found) = cross_build("go-http", "linux/amd64") else {
        return;
    };
    for (name, machine) in found {
        assert_eq!(machine, EM_X86_64, "`{name}` (e_machine {machine})");
    }
}
