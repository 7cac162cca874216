//! Where the base images come from. Where `../shared/standins/standins.sh` exists (beside the
//! repository, or beside the main checkout of this worktree) no registry is reachable: missing
//! images are built as local stand-ins (`scripts/engine.sh standins` runs the script, or waits
//! for the copy already running). Elsewhere the engine pulls the official images from their
//! registries. Either way the images a run needs are checked before anything is built.
//! `STAGEGEN_STANDINS=<dir>` names the stand-ins' folder; `STAGEGEN_STANDINS=none` pulls even
//! where stand-ins exist.
//!
//! Imports `engine`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::engine::Engine;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `standins.sh` builds them from Debian packages
    StandIns { script: PathBuf },
    /// `docker pull`
    Registry,
}

impl Source {
    pub fn detect(repo: &Path) -> Source {
        if let Some(dir) = std::env::var_os("STAGEGEN_STANDINS").filter(|d| !d.is_empty()) {
            if dir == "none" {
                return Source::Registry;
            }
            let script = PathBuf::from(dir).join("standins.sh");
            if script.is_file() {
                return Source::StandIns { script };
            }
        }
        let mut roots = vec![repo.to_path_buf()];
        if let Some(main) = main_checkout(repo) {
            roots.push(main);
        }
        for root in roots {
            let script = root.join("../shared/standins/standins.sh");
            if script.is_file() {
                let script = script.canonicalize().unwrap_or(script);
                return Source::StandIns { script };
            }
        }
        Source::Registry
    }

    pub fn describe(&self) -> String {
        match self {
            Source::StandIns { script } => {
                format!("offline stand-ins, built by {} where missing", script.display())
            }
            Source::Registry => {
                "the official ones, pulled from their registries where missing (no ../shared/standins/)".to_string()
            }
        }
    }
}

/// The main checkout of a git worktree (`git rev-parse --git-common-dir` is its `.git`).
fn main_checkout(repo: &Path) -> Option<PathBuf> {
    let out = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["rev-parse", "--git-common-dir"])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let common = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    let common = if common.is_absolute() {
        common
    } else {
        repo.join(common)
    };
    common.canonicalize().ok()?.parent().map(Path::to_path_buf)
}

/// Makes the images present, as `source` says; returns those still missing, with why.
pub fn ensure(
    engine: &Engine,
    repo: &Path,
    source: &Source,
    images: &BTreeSet<String>,
    log: &mut dyn FnMut(String),
) -> Vec<(String, String)> {
    let missing: Vec<&String> = images.iter().filter(|i| !engine.image_exists(i)).collect();
    if missing.is_empty() {
        return Vec::new();
    }
    let names = missing
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    match source {
        Source::StandIns { script } => {
            log(format!(
                "missing: {names}; building the stand-ins ({}, about 15 min from nothing)",
                script.display()
            ));
            let status = Command::new(repo.join("scripts/engine.sh"))
                .arg("standins")
                .env(
                    "STAGEGEN_STANDINS",
                    script.parent().unwrap_or(Path::new(".")),
                )
                .status();
            let why = match status {
                Ok(s) if s.success() => {
                    "not among the stand-ins (../shared/standins/README.md lists them)".to_string()
                }
                Ok(s) => format!("scripts/engine.sh standins failed ({s})"),
                Err(e) => format!("cannot run scripts/engine.sh: {e}"),
            };
            images
                .iter()
                .filter(|i| !engine.image_exists(i))
                .map(|i| (i.clone(), why.clone()))
                .collect()
        }
        Source::Registry => {
            let mut still = Vec::new();
            for image in missing {
                log(format!("docker pull {image}"));
                if let Err(e) = engine.pull(image) {
                    still.push((image.clone(), format!("docker pull failed: {e}")));
                }
            }
            still
        }
    }
}
