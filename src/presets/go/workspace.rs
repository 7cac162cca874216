//! go.work workspaces: a root with `go.work` and no `go.mod`, whose `use` directives name the
//! modules. The image is built from the root (workspace mode), for the one main package of the
//! workspace's modules, or the one the `main` knob names.

use crate::presets::go::codes;
use crate::presets::go::packages::main_packages_in;
use crate::presets::{Blame, PresetError};
use crate::project::ProjectFiles;

/// The parts of `go.work` the preset uses.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(super) struct GoWork {
    /// The `go` line (`1.22`).
    pub go: Option<String>,
    /// The modules' folders, as written in `use` (`./api`).
    pub uses: Vec<String>,
}

impl GoWork {
    pub(super) fn parse(text: &str) -> GoWork {
        let mut w = GoWork::default();
        let mut in_use_block = false;
        for line in text.lines() {
            let line = line.split("//").next().unwrap_or("").trim();
            let mut words = line.split_whitespace();
            match (in_use_block, words.next()) {
                (true, Some(")")) => in_use_block = false,
                (true, Some(dir)) => w.uses.push(dir.trim_matches('"').to_string()),
                (false, Some("go")) => w.go = words.next().map(str::to_string),
                (false, Some("use")) => match words.next() {
                    Some("(") => in_use_block = true,
                    Some(dir) => w.uses.push(dir.trim_matches('"').to_string()),
                    None => {}
                },
                _ => {}
            }
        }
        w
    }

    /// The modules' folders relative to the context, without `./` (`api`).
    pub(super) fn module_dirs(&self) -> Vec<String> {
        self.uses
            .iter()
            .map(|u| u.trim_start_matches("./").trim_end_matches('/').to_string())
            .filter(|d| !d.is_empty() && d != "." && !d.starts_with(".."))
            .collect()
    }

    /// The main packages of the workspace's modules (each module's root, or under its `cmd/`).
    pub(super) fn main_packages(&self, files: &ProjectFiles) -> Vec<String> {
        self.module_dirs()
            .iter()
            .flat_map(|d| main_packages_in(files, d))
            .collect()
    }
}

/// Several modules of the workspace have a main package: the image is for one program, and
/// init cannot know which, so it refuses and names the knob that decides.
pub(super) fn several_mains(several: &[String]) -> PresetError {
    PresetError::new(
        codes::SEVERAL_MAIN_PACKAGES,
        Blame::Table,
        format!(
            "the go.work workspace has several main packages: {}",
            several.join(", ")
        ),
    )
    .help(format!(
        "choose the program the image runs with `main = \"{}\"` in `[preset]` (`stagegen init --main {}`)",
        several[0], several[0]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_go_work() {
        let w =
            GoWork::parse("go 1.22\n\nuse (\n\t./api // the server\n\t./greet\n)\nuse ./tools\n");
        assert_eq!(w.go.as_deref(), Some("1.22"));
        assert_eq!(w.uses, vec!["./api", "./greet", "./tools"]);
        assert_eq!(w.module_dirs(), vec!["api", "greet", "tools"]);
        let outside = GoWork::parse("use ../lib\nuse .\n");
        assert!(outside.module_dirs().is_empty());
    }
}
