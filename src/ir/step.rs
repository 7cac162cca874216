//! Steps: run a command, or copy files from the context, a stage or an image.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::shell::syntax::{analyze, Effect, Unsupported};

/// One step of a stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    Run(Run),
    Copy(Copy),
}

/// Run commands in the stage, one after another; the step fails at the first that fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[serde(deny_unknown_fields)]
pub struct Run {
    pub commands: Vec<Command>,
    pub mounts: Vec<Mount>,
    /// The only files of the build context the commands read. When set, the optimizer copies
    /// them just before this step and moves it ahead of wider copies.
    pub inputs: Vec<String>,
}

/// A command.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Command {
    /// A shell script for `/bin/sh -c`.
    Shell(String),
    /// A program and its arguments, run without a shell.
    Exec(Vec<String>),
}

/// A mount available while a step runs; nothing of it lands in the image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Mount {
    /// A cache folder kept between builds.
    Cache {
        target: String,
        /// Cache id; `None` means the target path.
        id: Option<String>,
        sharing: CacheSharing,
    },
    /// A secret file.
    Secret {
        id: String,
        target: Option<String>,
        required: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CacheSharing {
    /// Concurrent builds share the cache.
    Shared,
    /// One build at a time uses the cache (needed for apt's lock files).
    Locked,
}

/// Copy files into the stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[serde(deny_unknown_fields)]
pub struct Copy {
    pub source: CopySource,
    pub paths: Vec<String>,
    /// Destination, absolute or relative to the workdir; a folder when it ends in `/`.
    pub dest: String,
    pub chown: Option<String>,
}

/// Where copied files come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CopySource {
    /// The build context.
    Context,
    /// Another stage, by name.
    Stage(String),
    /// An image.
    Image(String),
}

/// Why a command cannot share its RUN (its shell) with the commands of other steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SharingHazard {
    /// A program run without a shell: joining it to others needs one, which the image may lack.
    Exec,
    /// The script cannot be joined with others on one line, or the reader refuses it.
    Syntax(Unsupported),
    /// The script leaves state in its shell (a `cd`, an `export`, ...), or reads state an
    /// earlier command left (`$_`).
    Effect(Effect),
}

impl Command {
    /// What stops this command from sharing its shell with the commands of another step, or
    /// `None` when it can: it is one line that [`crate::shell::syntax`] reads, it changes
    /// nothing in its shell that a later command could see (no `cd`, `export`, `set`,
    /// assignment, function, alias, trap, background job, ... anywhere in it, not only in
    /// first words), and reads nothing an earlier command left. Conservative: when the reader
    /// is unsure, it says no.
    pub fn sharing_hazard(&self) -> Option<SharingHazard> {
        let Command::Shell(script) = self else {
            return Some(SharingHazard::Exec);
        };
        if !crate::shell::is_simple_line(script) {
            return Some(SharingHazard::Syntax(Unsupported::MultiLine));
        }
        match analyze(script) {
            Err(why) => Some(SharingHazard::Syntax(why)),
            Ok(a) => a.effects.into_iter().next().map(SharingHazard::Effect),
        }
    }

    /// True when the command may leave state behind in its shell, read state an earlier
    /// command left, or cannot be proven not to: see [`Command::sharing_hazard`].
    pub fn changes_shell_state(&self) -> bool {
        self.sharing_hazard().is_some()
    }
}

impl Step {
    /// Stages this step reads from.
    pub fn stage_inputs(&self) -> impl Iterator<Item = &str> {
        match self {
            Step::Copy(Copy {
                source: CopySource::Stage(name),
                ..
            }) => Some(name.as_str()),
            _ => None,
        }
        .into_iter()
    }

    /// For a copy of one whole folder of the build context (`.` or `web/`), that folder as a
    /// prefix of context paths: `""` for the whole context, `"web/"` for `web/`.
    pub fn context_folder(&self) -> Option<String> {
        let Step::Copy(c) = self else { return None };
        if c.source != CopySource::Context {
            return None;
        }
        let [path] = c.paths.as_slice() else {
            return None;
        };
        let path = path.trim_start_matches("./");
        if path.is_empty() || path == "." {
            Some(String::new())
        } else if path.ends_with('/') && !path.contains(['*', '?', '[']) {
            Some(path.to_string())
        } else {
            None
        }
    }
}

impl Run {
    /// One shell command.
    pub fn shell(command: impl Into<String>) -> Self {
        Run {
            commands: vec![Command::Shell(command.into())],
            mounts: Vec::new(),
            inputs: Vec::new(),
        }
    }

    /// One program with its arguments, run without a shell (images that have none).
    pub fn exec<S: Into<String>>(words: impl IntoIterator<Item = S>) -> Self {
        Run {
            commands: vec![Command::Exec(words.into_iter().map(Into::into).collect())],
            mounts: Vec::new(),
            inputs: Vec::new(),
        }
    }

    /// Keep `target` as a cache between builds (shared).
    pub fn cache(mut self, target: impl Into<String>) -> Self {
        self.mounts.push(Mount::Cache {
            target: target.into(),
            id: None,
            sharing: CacheSharing::Shared,
        });
        self
    }

    /// Declare the only context files the command reads.
    pub fn inputs<I: IntoIterator<Item = S>, S: Into<String>>(mut self, inputs: I) -> Self {
        self.inputs.extend(inputs.into_iter().map(Into::into));
        self
    }
}

impl Copy {
    /// Copy `paths` of the build context to `dest`.
    pub fn context<I: IntoIterator<Item = S>, S: Into<String>>(
        paths: I,
        dest: impl Into<String>,
    ) -> Self {
        Copy {
            source: CopySource::Context,
            paths: paths.into_iter().map(Into::into).collect(),
            dest: dest.into(),
            chown: None,
        }
    }

    /// Copy `paths` of stage `stage` to `dest`.
    pub fn from_stage(stage: impl Into<String>, paths: &[&str], dest: impl Into<String>) -> Self {
        Copy {
            source: CopySource::Stage(stage.into()),
            paths: paths.iter().map(|p| p.to_string()).collect(),
            dest: dest.into(),
            chown: None,
        }
    }
}

impl From<Run> for Step {
    fn from(run: Run) -> Step {
        Step::Run(run)
    }
}

impl From<Copy> for Step {
    fn from(copy: Copy) -> Step {
        Step::Copy(copy)
    }
}
