//! `stagegen init` on a corpus of app layouts: each folder under `tests/init/` is an app (no
//! build.toml), with `args` (extra flags) and the expected `build.toml.expected` (stdout of
//! `init --stdout`) and `stderr.expected`. Folders named `err-*` must fail. `BLESS=1` rewrites.
//! Every generated file must also compile (`stagegen dockerfile`) in a copy of the app.

use std::path::{Path, PathBuf};
use std::process::Command;

fn stagegen() -> &'static str {
    env!("CARGO_BIN_EXE_stagegen")
}

fn corpus() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/init");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .expect("tests/init")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// Split `args` like a shell would for simple double-quoted words.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in text.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            c if c.is_whitespace() && !quoted => {
                if any {
                    out.push(std::mem::take(&mut current));
                    any = false;
                }
            }
            c => {
                current.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(current);
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn expect(dir: &Path, name: &str, actual: Option<&str>, failures: &mut Vec<String>) {
    let path = dir.join(name);
    if std::env::var_os("BLESS").is_some() {
        match actual {
            Some(t) => std::fs::write(&path, t).unwrap(),
            None => {
                let _ = std::fs::remove_file(&path);
            }
        }
        return;
    }
    let expected = std::fs::read_to_string(&path).ok();
    if expected.as_deref() != actual {
        failures.push(format!(
            "{}: {name}: expected {:?}\n--- got ---\n{}",
            dir.display(),
            expected,
            actual.unwrap_or("(nothing)")
        ));
    }
}

#[test]
fn init_writes_the_expected_build_toml_for_each_layout() {
    let mut failures = Vec::new();
    for dir in corpus() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let args = words(&std::fs::read_to_string(dir.join("args")).unwrap_or_default());
        // Run on a copy: the corpus folders hold only the app.
        let tmp = tempfile::tempdir().unwrap();
        let app = tmp.path().join(&name);
        copy_dir(&dir, &app);
        for f in ["args", "build.toml.expected", "stderr.expected"] {
            let _ = std::fs::remove_file(app.join(f));
        }
        let out = Command::new(stagegen())
            .arg("init")
            .arg("--stdout")
            .args(&args)
            .current_dir(&app)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr)
            .into_owned()
            .replace(&app.display().to_string(), "<app>");
        let ok = out.status.success();
        if ok == name.starts_with("err-") {
            failures.push(format!("{name}: exit {:?}: {stderr}", out.status.code()));
        }
        expect(
            &dir,
            "build.toml.expected",
            ok.then_some(stdout.as_str()),
            &mut failures,
        );
        expect(
            &dir,
            "stderr.expected",
            Some(stderr.as_str()),
            &mut failures,
        );
        if ok {
            // Written for real, the file compiles unchanged.
            let written = Command::new(stagegen())
                .arg("init")
                .args(&args)
                .current_dir(&app)
                .output()
                .unwrap();
            assert!(
                written.status.success(),
                "{name}: {}",
                String::from_utf8_lossy(&written.stderr)
            );
            assert_eq!(
                std::fs::read_to_string(app.join("build.toml")).unwrap(),
                stdout,
                "{name}: written != printed"
            );
            let df = Command::new(stagegen())
                .arg("dockerfile")
                .current_dir(&app)
                .output()
                .unwrap();
            if !df.status.success() {
                failures.push(format!(
                    "{name}: the generated build.toml does not compile: {}",
                    String::from_utf8_lossy(&df.stderr)
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn init_never_overwrites_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/init/go-single"),
        tmp.path(),
    );
    std::fs::write(tmp.path().join("build.toml"), "# mine\n").unwrap();
    let out = Command::new(stagegen())
        .arg("init")
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("exists: pass `--force` to replace it"));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("build.toml")).unwrap(),
        "# mine\n"
    );
    let out = Command::new(stagegen())
        .args(["init", "--force"])
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(std::fs::read_to_string(tmp.path().join("build.toml"))
        .unwrap()
        .starts_with("#:schema "));
}

#[test]
fn init_of_a_missing_folder_is_a_usage_error() {
    let out = Command::new(stagegen())
        .args(["init", "/nonexistent/app"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
