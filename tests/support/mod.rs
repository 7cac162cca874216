//! What the integration tests share: running the binary, comparing with expected files (and
//! re-blessing them with `BLESS=1`), copying fixtures, listing fixture folders.
#![allow(dead_code)] // each test binary uses a part

use std::path::{Path, PathBuf};
use std::process::Command;

/// The binary under test.
pub(crate) fn stagegen() -> &'static str {
    env!("CARGO_BIN_EXE_stagegen")
}

pub(crate) fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// What a run printed.
pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Run stagegen in `dir` with `args` (colour off).
pub(crate) fn run(dir: &Path, args: &[&str]) -> Run {
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

/// The sub-folders of `under` (relative to the repository) that hold `marker`, sorted.
pub(crate) fn fixture_dirs(under: &str, marker: Option<&str>) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(repo().join(under))
        .unwrap_or_else(|e| panic!("{under}: {e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir() && marker.is_none_or(|m| p.join(m).is_file()))
        .collect();
    dirs.sort();
    dirs
}

/// The folder's name.
pub(crate) fn name_of(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

pub(crate) fn blessing() -> bool {
    std::env::var_os("BLESS").is_some()
}

/// Compare `actual` with `dir/name` (or write it when blessing; `None` removes it). Returns a
/// failure message.
pub(crate) fn expect(dir: &Path, name: &str, actual: Option<&str>) -> Option<String> {
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
        (None, Some(a)) => Some(format!("{name} is missing; stagegen produced:\n{a}")),
        (Some(_), None) => Some(format!("{name} is expected but stagegen produced none")),
        (Some(e), Some(a)) => Some(format!(
            "{name} differs (BLESS=1 to accept):\n{}",
            similar::TextDiff::from_lines(e, a)
                .unified_diff()
                .header("expected", "actual")
        )),
    }
}

/// Copy a folder tree.
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Split `args` like a shell would for simple double-quoted words.
pub(crate) fn words(text: &str) -> Vec<String> {
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

/// A trial's result from a list of failures.
pub(crate) fn outcome(failures: Vec<String>) -> Result<(), libtest_mimic::Failed> {
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n\n").into())
    }
}
