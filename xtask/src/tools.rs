//! The programs the suite runs besides docker: stagegen (built by cargo, or `$STAGEGEN`),
//! hadolint; and copying an app into a build context.
//!
//! Imports `engine` (for `Output`).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::engine::{output_with_timeout, Output};

/// The stagegen binary under test.
pub struct Stagegen {
    pub bin: PathBuf,
}

impl Stagegen {
    /// `$STAGEGEN`, else `cargo build --bin stagegen` (the dev profile: `cargo test` has built
    /// most of it already; the suite times the engine, not the compiler).
    pub fn locate(repo: &Path) -> Result<Stagegen, String> {
        if let Some(bin) = std::env::var_os("STAGEGEN").filter(|s| !s.is_empty()) {
            return Ok(Stagegen {
                bin: PathBuf::from(bin),
            });
        }
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut child = Command::new(cargo)
            .current_dir(repo)
            .args([
                "build",
                "--locked",
                "--quiet",
                "--package",
                "stagegen",
                "--bin",
                "stagegen",
            ])
            .arg("--message-format=json-render-diagnostics")
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        let mut bin = None;
        if let Some(out) = child.stdout.take() {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let Ok(msg) = serde_json::from_str::<serde_json::Value>(&line) else {
                    continue;
                };
                if msg["reason"] == "compiler-artifact" && msg["target"]["name"] == "stagegen" {
                    if let Some(exe) = msg["executable"].as_str() {
                        bin = Some(PathBuf::from(exe));
                    }
                }
            }
        }
        let status = child.wait().map_err(|e| e.to_string())?;
        match (status.success(), bin) {
            (true, Some(bin)) => Ok(Stagegen { bin }),
            (true, None) => Err("cargo build printed no stagegen executable".to_string()),
            (false, _) => Err(format!("cargo build --bin stagegen failed ({status})")),
        }
    }

    fn run(&self, args: &[&std::ffi::OsStr]) -> Output {
        let mut c = Command::new(&self.bin);
        c.args(args).env("NO_COLOR", "1").stdin(Stdio::null());
        output_with_timeout(c, Duration::from_secs(60))
    }

    /// `stagegen <args>` run in folder `dir` (the workspace commands find stagegen.toml there).
    pub fn in_dir(&self, dir: &Path, args: &[&str]) -> Output {
        let mut c = Command::new(&self.bin);
        c.args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        output_with_timeout(c, Duration::from_secs(120))
    }

    /// `stagegen dockerfile -f <build.toml> -o <out>`
    pub fn dockerfile(&self, build_toml: &Path, out: &Path) -> Output {
        self.run(&[
            "dockerfile".as_ref(),
            "-f".as_ref(),
            build_toml.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
        ])
    }

    /// `stagegen plan -f <build.toml>`: the plan on stdout
    pub fn plan(&self, build_toml: &Path) -> Output {
        self.run(&["plan".as_ref(), "-f".as_ref(), build_toml.as_os_str()])
    }

    /// `stagegen init <dir>` (no flags)
    pub fn init(&self, dir: &Path) -> Output {
        self.run(&["init".as_ref(), dir.as_os_str()])
    }
}

/// `hadolint --no-color <Dockerfile>` in the repository (its settings apply): `Ok` when it
/// reports nothing, else its lines.
pub fn hadolint(repo: &Path, dockerfile: &Path) -> Result<(), Vec<String>> {
    let mut c = Command::new("hadolint");
    c.current_dir(repo)
        .arg("--no-color")
        .arg(dockerfile)
        .stdin(Stdio::null());
    let out = output_with_timeout(c, Duration::from_secs(60));
    let text = format!("{}{}", out.stdout, out.stderr);
    if out.success() && text.trim().is_empty() {
        Ok(())
    } else if out.status.is_none() && text.contains("cannot run") {
        Err(vec![
            "hadolint is not installed (scripts/engine.sh hadolint installs it)".to_string(),
        ])
    } else {
        Err(text.lines().map(str::to_string).collect())
    }
}

/// Copies `src` into `dst` like `cp -a` (symlinks stay links, modes are kept), leaving out the
/// top-level entries named in `skip`.
pub fn copy_tree(src: &Path, dst: &Path, skip: &[&str]) -> Result<(), String> {
    fn walk(src: &Path, dst: &Path, skip: &[&str]) -> std::io::Result<()> {
        std::fs::create_dir_all(dst)?;
        let mut entries: Vec<_> = std::fs::read_dir(src)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name();
            if name.to_str().is_some_and(|n| skip.contains(&n)) {
                continue;
            }
            let from = e.path();
            let to = dst.join(&name);
            let kind = e.file_type()?;
            if kind.is_symlink() {
                std::os::unix::fs::symlink(std::fs::read_link(&from)?, &to)?;
            } else if kind.is_dir() {
                walk(&from, &to, &[])?;
            } else {
                std::fs::copy(&from, &to)?;
            }
        }
        Ok(())
    }
    walk(src, dst, skip)
        .map_err(|e| format!("cannot copy {} to {}: {e}", src.display(), dst.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_tree_keeps_links_and_skips_top_level_names() {
        let src = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(src.path().join("a/b")).unwrap();
        std::fs::write(src.path().join("a/b/f"), "x").unwrap();
        std::fs::write(src.path().join("build.toml"), "y").unwrap();
        std::fs::create_dir_all(src.path().join("c")).unwrap();
        std::fs::write(src.path().join("c/build.toml"), "kept: not top level").unwrap();
        std::os::unix::fs::symlink("a/b/f", src.path().join("link")).unwrap();
        let dst = tempfile::tempdir().unwrap();
        copy_tree(src.path(), &dst.path().join("ctx"), &["build.toml"]).unwrap();
        let ctx = dst.path().join("ctx");
        assert_eq!(std::fs::read_to_string(ctx.join("a/b/f")).unwrap(), "x");
        assert!(!ctx.join("build.toml").exists());
        assert!(ctx.join("c/build.toml").exists());
        assert_eq!(
            std::fs::read_link(ctx.join("link")).unwrap(),
            Path::new("a/b/f")
        );
    }
}
