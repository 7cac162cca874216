//! The limits of the README's "Limits" section as a user meets them (issue 13): inputs built
//! in the test (never checked in), run through the real binary, each ending in a diagnostic
//! and exit 1 (never a crash, a hang or a read without end), and the README listing every
//! limit of `stagegen::limits`. Each test is named after the bug it pins.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_stagegen")
}

fn write(dir: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{}: {e}", parent.display()));
    }
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// Run stagegen in `dir`, failing the test when it takes longer than `limit`.
fn run_within(dir: &Path, args: &[&str], limit: Duration) -> Output {
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("spawn stagegen: {e}"));
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if start.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("stagegen {args:?} took longer than {limit:?}");
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => panic!("wait: {e}"),
        }
    }
    child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("stagegen output: {e}"))
}

fn run(dir: &Path, args: &[&str]) -> Output {
    run_within(dir, args, Duration::from_secs(60))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `init`, `check`, `dockerfile` and `plan` on the app in `dir` (init in a copy without
/// build.toml): each must exit 1 with `code` in its message.
fn every_command_refuses(dir: &Path, spec: &str, code: &str) {
    let init = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{e}")) {
        let entry = entry.unwrap_or_else(|e| panic!("{e}"));
        let name = entry.file_name();
        if name != "build.toml" && entry.path().is_file() {
            std::fs::copy(entry.path(), init.path().join(&name))
                .unwrap_or_else(|e| panic!("copy: {e}"));
        }
    }
    let out = run(init.path(), &["init"]);
    assert_eq!(out.status.code(), Some(1), "init: {}", stderr(&out));
    assert!(stderr(&out).contains(code), "init: {}", stderr(&out));
    write(dir, "build.toml", spec);
    for cmd in ["check", "dockerfile", "plan"] {
        let out = run(dir, &[cmd, "-f", "build.toml"]);
        assert_eq!(out.status.code(), Some(1), "{cmd}: {}", stderr(&out));
        assert!(stderr(&out).contains(code), "{cmd}: {}", stderr(&out));
    }
}

/// A 450 KB `pom.xml` of 150,000 nested elements overflowed the stack (exit 134) in `init`,
/// `check`, `dockerfile` and `plan`, when the tree was dropped.
#[test]
fn pom_of_150000_nested_elements_is_a_diagnostic_not_a_crash() {
    let app = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    write(
        app.path(),
        "pom.xml",
        format!("<project>\n{}", "<a>".repeat(150_000)),
    );
    every_command_refuses(
        app.path(),
        "version = 1\n[preset]\nname = \"java\"\n",
        "SG818",
    );
}

/// JSON and TOML of the app nest as deep as their parsers allow (128 and 80 levels): deeper is
/// the app's file reported as invalid, never a crash.
#[test]
fn deeply_nested_package_json_and_pyproject_are_diagnostics_not_crashes() {
    let node = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let deep = format!(
        "{{\"name\":\"a\",\"x\":{}1{}}}",
        "[".repeat(150_000),
        "]".repeat(150_000)
    );
    write(node.path(), "package.json", &deep);
    write(node.path(), "package-lock.json", "{}");
    every_command_refuses(
        node.path(),
        "version = 1\n[preset]\nname = \"node\"\n",
        "package.json",
    );

    let python = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let deep = format!(
        "[project]\nname = \"a\"\nx = {}1{}\n",
        "[".repeat(150_000),
        "]".repeat(150_000)
    );
    write(python.path(), "pyproject.toml", &deep);
    every_command_refuses(
        python.path(),
        "version = 1\n[preset]\nname = \"python\"\n",
        "pyproject.toml",
    );
}

/// The README's "Limits" table lists every limit of `stagegen::limits`, with its value.
#[test]
fn the_readme_lists_every_limit() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .unwrap_or_else(|e| panic!("README.md: {e}"));
    let section = readme
        .split("\n## Limits\n")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .unwrap_or_else(|| panic!("README.md has no `## Limits` section"));
    for (name, value) in stagegen::limits::ALL {
        let row = format!("| {name} | {value} ");
        assert!(
            section.lines().any(|l| l.starts_with(&row)),
            "README.md's Limits table has no row `{row}...`"
        );
    }
}

/// `-f /dev/zero` read until memory ran out: the size limit was checked after reading.
#[test]
fn spec_from_dev_zero_is_refused_without_reading_it_all() {
    if !Path::new("/dev/zero").exists() {
        return;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    for cmd in ["check", "dockerfile", "plan"] {
        let out = run_within(
            dir.path(),
            &[cmd, "-f", "/dev/zero"],
            Duration::from_secs(20),
        );
        assert_eq!(out.status.code(), Some(1), "{cmd}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("SG003") && stderr(&out).contains("more than 1048576 bytes"),
            "{cmd}: {}",
            stderr(&out)
        );
    }
    // A huge regular file is refused from its size, not read: a sparse 8 GiB file.
    let big = dir.path().join("build.toml");
    let file = std::fs::File::create(&big).unwrap_or_else(|e| panic!("{e}"));
    file.set_len(8 << 30).unwrap_or_else(|e| panic!("{e}"));
    let out = run_within(
        dir.path(),
        &["check", "-f", "build.toml"],
        Duration::from_secs(20),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the file is 8589934592 bytes"),
        "{}",
        stderr(&out)
    );
}
