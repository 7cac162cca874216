//! `stagegen init` on a corpus of app layouts: one test per folder under `tests/init/`, named
//! after it (`cargo test --test init go-single`). Each folder is an app (no build.toml), with
//! `args` (extra flags) and the expected `build.toml.expected` (stdout of `init --stdout`) and
//! `stderr.expected`. Folders named `err-*` must fail. `BLESS=1` rewrites. Every generated file
//! must also compile (`stagegen dockerfile`) in a copy of the app, and be what `init` writes.

mod support;

use std::path::Path;
use std::process::Command;

use libtest_mimic::{Arguments, Failed, Trial};
use support::{copy_dir, expect, fixture_dirs, name_of, outcome, repo, stagegen, words};

fn main() {
    let args = Arguments::from_args();
    let mut trials: Vec<Trial> = fixture_dirs("tests/init", None)
        .into_iter()
        .map(|dir| Trial::test(name_of(&dir), move || layout(&dir)))
        .collect();
    trials.push(Trial::test(
        "init_never_overwrites_without_force",
        init_never_overwrites_without_force,
    ));
    trials.push(Trial::test(
        "init_of_a_missing_folder_is_a_usage_error",
        init_of_a_missing_folder_is_a_usage_error,
    ));
    libtest_mimic::run(&args, trials).exit();
}

fn layout(dir: &Path) -> Result<(), Failed> {
    let name = name_of(dir);
    let args = words(&std::fs::read_to_string(dir.join("args")).unwrap_or_default());
    // Run on a copy: the corpus folders hold only the app.
    let tmp = tempfile::tempdir()?;
    let app = tmp.path().join(&name);
    copy_dir(dir, &app);
    for f in ["args", "build.toml.expected", "stderr.expected"] {
        let _ = std::fs::remove_file(app.join(f));
    }
    let out = Command::new(stagegen())
        .arg("init")
        .arg("--stdout")
        .args(&args)
        .current_dir(&app)
        .output()?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr)
        .into_owned()
        .replace(&app.display().to_string(), "<app>");
    let ok = out.status.success();
    let mut failures = Vec::new();
    if ok == name.starts_with("err-") {
        failures.push(format!("exit {:?}: {stderr}", out.status.code()));
    }
    failures.extend(expect(
        dir,
        "build.toml.expected",
        ok.then_some(stdout.as_str()),
    ));
    failures.extend(expect(dir, "stderr.expected", Some(stderr.as_str())));
    if ok {
        failures.extend(written_and_compiles(&app, &args, &stdout));
    }
    outcome(failures)
}

/// Written for real, the file is what `--stdout` printed, and compiles unchanged.
fn written_and_compiles(app: &Path, args: &[String], printed: &str) -> Vec<String> {
    let written = Command::new(stagegen())
        .arg("init")
        .args(args)
        .current_dir(app)
        .output();
    match written {
        Ok(w) if w.status.success() => {}
        Ok(w) => {
            return vec![format!(
                "init failed: {}",
                String::from_utf8_lossy(&w.stderr)
            )]
        }
        Err(e) => return vec![format!("init does not run: {e}")],
    }
    let mut failures = Vec::new();
    if std::fs::read_to_string(app.join("build.toml")).unwrap_or_default() != printed {
        failures.push("the written build.toml is not what --stdout printed".to_string());
    }
    match Command::new(stagegen())
        .arg("dockerfile")
        .current_dir(app)
        .output()
    {
        Ok(df) if df.status.success() => {}
        Ok(df) => failures.push(format!(
            "the generated build.toml does not compile: {}",
            String::from_utf8_lossy(&df.stderr)
        )),
        Err(e) => failures.push(format!("dockerfile does not run: {e}")),
    }
    failures
}

fn init_never_overwrites_without_force() -> Result<(), Failed> {
    let tmp = tempfile::tempdir()?;
    copy_dir(&repo().join("tests/init/go-single"), tmp.path());
    std::fs::write(tmp.path().join("build.toml"), "# mine\n")?;
    let out = Command::new(stagegen())
        .arg("init")
        .current_dir(tmp.path())
        .output()?;
    if out.status.code() != Some(2)
        || !String::from_utf8_lossy(&out.stderr).contains("exists: pass `--force` to replace it")
    {
        return Err(format!("init over a file of the user's: {out:?}").into());
    }
    if std::fs::read_to_string(tmp.path().join("build.toml"))? != "# mine\n" {
        return Err("init replaced the user's build.toml without --force".into());
    }
    let out = Command::new(stagegen())
        .args(["init", "--force"])
        .current_dir(tmp.path())
        .output()?;
    let text = std::fs::read_to_string(tmp.path().join("build.toml"))?;
    if !out.status.success() || !text.starts_with("#:schema ") {
        return Err(format!("init --force did not write a build.toml: {out:?}").into());
    }
    Ok(())
}

fn init_of_a_missing_folder_is_a_usage_error() -> Result<(), Failed> {
    let out = Command::new(stagegen())
        .args(["init", "/nonexistent/app"])
        .output()?;
    match out.status.code() {
        Some(2) => Ok(()),
        code => Err(format!("exit {code:?}, expected 2").into()),
    }
}
