//! The suite's typed input files: `examples/<name>/e2e.toml` (`e2e`), the corpus apps'
//! `tests/realworld/<app>/corpus.toml` (`corpus`) and `bench/bench.toml` (`bench`). Each is read
//! with `deny_unknown_fields`, so a misspelled key is an error instead of a check that silently
//! never runs, and then validated; every message names the file and the key.
//!
//! Imports nothing of the rest of the crate.

pub mod bench;
pub mod corpus;
pub mod e2e;

use std::path::Path;

use serde::de::DeserializeOwned;

/// Reads and parses a TOML file; `shown` is the path as messages print it (relative to the
/// repository).
pub fn load<T: DeserializeOwned>(path: &Path, shown: &str) -> Result<T, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("{shown}: cannot read it: {e}"))?;
    parse(&text, shown)
}

pub fn parse<T: DeserializeOwned>(text: &str, shown: &str) -> Result<T, String> {
    toml::from_str(text).map_err(|e| {
        let message = e.message().trim_end();
        match e.span() {
            Some(span) => {
                let (line, col) = line_col(text, span.start);
                let source_line = text.lines().nth(line - 1).unwrap_or_default();
                let width = text[span.clone()].lines().next().map_or(1, |l| l.chars().count().max(1));
                let gutter = " ".repeat(line.to_string().len());
                format!(
                    "{shown}:{line}:{col}: {message}\n {gutter} |\n {line} | {source_line}\n {gutter} | {}{}",
                    " ".repeat(col - 1),
                    "^".repeat(width)
                )
            }
            None => format!("{shown}: {message}"),
        }
    })
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Collects a file's semantic errors: `file: key \`k\`: message`.
#[derive(Debug, Default)]
pub struct Problems {
    pub list: Vec<String>,
}

impl Problems {
    pub fn key(&mut self, shown: &str, key: &str, message: impl std::fmt::Display) {
        self.list.push(format!("{shown}: `{key}`: {message}"));
    }

    pub fn into_result(self) -> Result<(), String> {
        if self.list.is_empty() {
            Ok(())
        } else {
            Err(self.list.join("\n"))
        }
    }
}

/// Every entry of a list of strings must say something.
pub(crate) fn non_empty_entries(problems: &mut Problems, shown: &str, key: &str, list: &[String]) {
    if list.iter().any(|s| s.trim().is_empty()) {
        problems.key(shown, key, "has an empty entry");
    }
}
