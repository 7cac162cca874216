//! The whole build: stages in order, the target, build arguments, secrets and the ignore list;
//! plus graph queries (dependencies, reachability, topological order).

use std::collections::{BTreeSet, HashSet};

use schemars::JsonSchema;
use serde::Serialize;

use crate::ir::{Base, Stage};

/// Version of the plan format (the JSON form of [`BuildGraph`]).
pub const PLAN_VERSION: u32 = 1;

/// A multi-stage build: what stagegen compiles `build.toml` into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[schemars(title = "stagegen build plan")]
pub struct BuildGraph {
    /// Plan format version.
    pub plan_version: u32,
    /// The stage built when no other target is asked for; always the last stage.
    pub target: String,
    /// Build arguments and their defaults.
    pub args: Vec<BuildArg>,
    /// Secrets the build may mount.
    pub secrets: Vec<Secret>,
    /// Stages in build order: a stage comes after every stage it uses.
    pub stages: Vec<Stage>,
    /// Patterns of files of the build context the build never sees (`.dockerignore` syntax).
    pub ignore: Vec<String>,
    /// What the preset read from the app, and from which file.
    pub detected: Vec<String>,
}

/// A build argument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct BuildArg {
    pub name: String,
    pub default: String,
}

/// A build secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Secret {
    pub id: String,
    /// Where the secret appears inside a step; `None` means `/run/secrets/<id>`.
    pub target: Option<String>,
    pub required: bool,
}

impl BuildGraph {
    pub fn stage(&self, name: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| s.name == name)
    }

    /// Names of the stages `stage` uses directly (its base and the stages it copies or mounts
    /// from), in first-use order.
    pub fn dependencies(stage: &Stage) -> Vec<&str> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        let base = match &stage.base {
            Base::Stage(name) => Some(name.as_str()),
            Base::Image(_) => None,
        };
        for name in base
            .into_iter()
            .chain(stage.steps.iter().flat_map(|s| s.stage_inputs()))
        {
            if seen.insert(name) {
                out.push(name);
            }
        }
        out
    }

    /// The stages `roots` need, themselves included.
    pub fn reachable(&self, roots: &[&str]) -> HashSet<String> {
        let mut seen: HashSet<String> = HashSet::new();
        let mut todo: Vec<String> = roots.iter().map(|r| r.to_string()).collect();
        while let Some(name) = todo.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            if let Some(stage) = self.stage(&name) {
                todo.extend(Self::dependencies(stage).into_iter().map(str::to_string));
            }
        }
        seen
    }

    /// Put stages in build order, keeping the given order where dependencies allow, and the
    /// target last. Stages in a cycle (rejected earlier by validation) keep their order.
    pub fn sort(&mut self) {
        let target = self.target.clone();
        let mut remaining: Vec<Stage> = std::mem::take(&mut self.stages);
        // The target goes last: move it (and only it) to the end before sorting.
        if let Some(i) = remaining.iter().position(|s| s.name == target) {
            let t = remaining.remove(i);
            remaining.push(t);
        }
        let mut placed: HashSet<String> = HashSet::new();
        let mut sorted = Vec::with_capacity(remaining.len());
        while !remaining.is_empty() {
            let ready = remaining.iter().position(|s| {
                Self::dependencies(s).iter().all(|d| {
                    placed.contains(*d) || !remaining.iter().any(|r| r.name == *d) || *d == s.name
                })
            });
            let i = ready.unwrap_or(0);
            let stage = remaining.remove(i);
            placed.insert(stage.name.clone());
            sorted.push(stage);
        }
        self.stages = sorted;
    }
}
