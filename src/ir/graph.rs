//! The whole build: stages in order, the target, build arguments, secrets and the ignore list;
//! plus graph queries (dependencies, reachability both ways, topological order), each
//! O((stages + steps) log stages).

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::ir::{Base, Stage};

/// Version of the plan format (the JSON form of [`BuildGraph`]).
pub const PLAN_VERSION: u32 = 1;

/// A multi-stage build: what stagegen compiles `build.toml` into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[schemars(title = "stagegen build plan")]
#[serde(deny_unknown_fields)]
pub struct BuildGraph {
    /// Plan format version.
    pub plan_version: u32,
    /// The build context, relative to the spec's folder, when the spec names one
    /// (`context = "../.."`); absent: the spec's own folder. A plan written to a file
    /// (`stagegen plan -o`) says it from the plan file's folder instead, absent when it is that
    /// folder, so that `stagegen build --plan` builds it from there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// The stage built when no other target is asked for; always the last stage.
    pub target: String,
    /// The platforms the image is built for (`os/arch[/variant]`), e.g. `linux/amd64` and
    /// `linux/arm64`; absent: the builder's own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub platforms: Vec<String>,
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BuildArg {
    pub name: String,
    pub default: String,
}

/// A build secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
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

    /// Where each stage name first appears in `stages`.
    fn positions(stages: &[Stage]) -> BTreeMap<&str, usize> {
        let mut at = BTreeMap::new();
        for (i, s) in stages.iter().enumerate() {
            at.entry(s.name.as_str()).or_insert(i);
        }
        at
    }

    /// The stages `roots` need, themselves included (and any name they use that is no stage).
    pub fn reachable(&self, roots: &[&str]) -> BTreeSet<String> {
        let at = Self::positions(&self.stages);
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut todo: Vec<&str> = roots.to_vec();
        while let Some(name) = todo.pop() {
            if seen.contains(name) {
                continue;
            }
            seen.insert(name.to_string());
            if let Some(&i) = at.get(name) {
                todo.extend(Self::dependencies(&self.stages[i]));
            }
        }
        seen
    }

    /// The stages that need one of `roots`, directly or through others, `roots` included.
    pub fn dependents(&self, roots: &[&str]) -> BTreeSet<String> {
        let mut users: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for stage in &self.stages {
            for dep in Self::dependencies(stage) {
                users.entry(dep).or_default().push(stage.name.as_str());
            }
        }
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut todo: Vec<&str> = roots.to_vec();
        while let Some(name) = todo.pop() {
            if seen.contains(name) {
                continue;
            }
            seen.insert(name.to_string());
            if let Some(u) = users.get(name) {
                todo.extend(u);
            }
        }
        seen
    }

    /// Put stages in build order, keeping the given order where dependencies allow, and the
    /// target last. Stages in a cycle (rejected earlier by validation) keep their order.
    ///
    /// The order is the one "repeatedly take the first stage whose dependencies are all
    /// placed, or the first stage left when none is" gives, computed with a heap of ready
    /// stages (Kahn's algorithm) in O((stages + dependencies) log stages).
    pub fn sort(&mut self) {
        let mut stages: Vec<Stage> = std::mem::take(&mut self.stages);
        // The target goes last: move it (and only it) to the end before sorting.
        if let Some(i) = stages.iter().position(|s| s.name == self.target) {
            let t = stages.remove(i);
            stages.push(t);
        }
        let n = stages.len();
        let at = Self::positions(&stages);
        let mut waiting_on = vec![0usize; n];
        let mut users: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, stage) in stages.iter().enumerate() {
            for dep in Self::dependencies(stage) {
                if let Some(&j) = at.get(dep) {
                    if j != i && dep != stage.name {
                        waiting_on[i] += 1;
                        users[j].push(i);
                    }
                }
            }
        }
        let mut ready: BinaryHeap<Reverse<usize>> = (0..n)
            .filter(|&i| waiting_on[i] == 0)
            .map(Reverse)
            .collect();
        let mut placed = vec![false; n];
        let mut order = Vec::with_capacity(n);
        // The first stage not placed yet, for when a cycle leaves none ready.
        let mut first_left = 0;
        while order.len() < n {
            let i = match ready.pop() {
                Some(Reverse(i)) if placed[i] => continue,
                Some(Reverse(i)) => i,
                None => {
                    while placed[first_left] {
                        first_left += 1;
                    }
                    first_left
                }
            };
            placed[i] = true;
            order.push(i);
            for &u in &users[i] {
                waiting_on[u] = waiting_on[u].saturating_sub(1);
                if waiting_on[u] == 0 && !placed[u] {
                    ready.push(Reverse(u));
                }
            }
        }
        let mut slots: Vec<Option<Stage>> = stages.into_iter().map(Some).collect();
        self.stages = order.into_iter().filter_map(|i| slots[i].take()).collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Copy, Run, Step};

    /// A stage `name` on `base` (a stage name, or an image when `None`) that copies from `from`.
    fn stage(name: &str, base: Option<&str>, from: &[&str]) -> Stage {
        let base = match base {
            Some(b) => Base::Stage(b.into()),
            None => Base::Image("debian".into()),
        };
        let mut s = Stage::new(name, "", base);
        s.steps.push(Step::Run(Run::shell("true")));
        for f in from {
            s.steps
                .push(Step::Copy(Copy::from_stage(*f, &["/x"], "/x")));
        }
        s
    }

    fn graph(target: &str, stages: Vec<Stage>) -> BuildGraph {
        BuildGraph {
            plan_version: PLAN_VERSION,
            context: None,
            target: target.into(),
            platforms: Vec::new(),
            args: vec![],
            secrets: vec![],
            stages,
            ignore: vec![],
            detected: vec![],
        }
    }

    fn names(g: &BuildGraph) -> Vec<&str> {
        g.stages.iter().map(|s| s.name.as_str()).collect()
    }

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn dependencies_are_the_base_then_copies_in_first_use_order() {
        let s = stage("app", Some("base"), &["b", "a", "b", "base"]);
        assert_eq!(BuildGraph::dependencies(&s), vec!["base", "b", "a"]);
        assert!(BuildGraph::dependencies(&stage("x", None, &[])).is_empty());
    }

    #[test]
    fn reachable_follows_bases_and_copies_and_nothing_else() {
        let g = graph(
            "runtime",
            vec![
                stage("deps", None, &[]),
                stage("build", Some("deps"), &[]),
                stage("assets", None, &[]),
                stage("runtime", None, &["build", "assets"]),
                stage("test", Some("build"), &[]),
                stage("unrelated", None, &[]),
            ],
        );
        assert_eq!(
            g.reachable(&["runtime"]),
            set(&["runtime", "build", "deps", "assets"])
        );
        assert_eq!(g.reachable(&["test"]), set(&["test", "build", "deps"]));
        assert_eq!(g.reachable(&["nope"]), set(&["nope"]));
        assert_eq!(g.dependents(&["build"]), set(&["build", "runtime", "test"]));
        assert_eq!(g.dependents(&["unrelated"]), set(&["unrelated"]));
    }

    #[test]
    fn reachable_survives_cycles() {
        let g = graph(
            "a",
            vec![stage("a", Some("b"), &[]), stage("b", None, &["a"])],
        );
        assert_eq!(g.reachable(&["a"]), set(&["a", "b"]));
        assert_eq!(g.dependents(&["a"]), set(&["a", "b"]));
    }

    #[test]
    fn sort_keeps_the_order_where_it_can_and_puts_the_target_last() {
        let mut g = graph(
            "runtime",
            vec![
                stage("runtime", None, &["build"]),
                stage("dev", None, &[]),
                stage("test", Some("build"), &[]),
                stage("build", Some("deps"), &[]),
                stage("deps", None, &[]),
            ],
        );
        g.sort();
        assert_eq!(names(&g), vec!["dev", "deps", "build", "test", "runtime"]);
    }

    #[test]
    fn sort_leaves_a_cycle_in_its_order_after_the_ready_stages() {
        let mut g = graph(
            "c",
            vec![
                stage("b", Some("a"), &[]),
                stage("a", Some("b"), &[]),
                stage("c", None, &[]),
            ],
        );
        g.sort();
        assert_eq!(names(&g), vec!["c", "b", "a"]);
    }

    /// The quadratic sort this replaces, as the oracle for the order.
    fn reference_sort(g: &mut BuildGraph) {
        let target = g.target.clone();
        let mut remaining: Vec<Stage> = std::mem::take(&mut g.stages);
        if let Some(i) = remaining.iter().position(|s| s.name == target) {
            let t = remaining.remove(i);
            remaining.push(t);
        }
        let mut placed: BTreeSet<String> = BTreeSet::new();
        let mut sorted = Vec::new();
        while !remaining.is_empty() {
            let ready = remaining.iter().position(|s| {
                BuildGraph::dependencies(s).iter().all(|d| {
                    placed.contains(*d) || !remaining.iter().any(|r| r.name == *d) || *d == s.name
                })
            });
            let stage = remaining.remove(ready.unwrap_or(0));
            placed.insert(stage.name.clone());
            sorted.push(stage);
        }
        g.stages = sorted;
    }

    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            // splitmix64
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            ((z ^ (z >> 31)) % n as u64) as usize
        }
    }

    #[test]
    fn sort_gives_the_reference_order_on_random_graphs() {
        let mut rng = Rng(13);
        for round in 0..400 {
            let n = 1 + rng.below(12);
            let name = |i: usize| format!("s{i}");
            let stages: Vec<Stage> = (0..n)
                .map(|i| {
                    let base = (rng.below(3) == 0).then(|| name(rng.below(n + 1)));
                    let from: Vec<String> =
                        (0..rng.below(3)).map(|_| name(rng.below(n + 1))).collect();
                    let from: Vec<&str> = from.iter().map(String::as_str).collect();
                    stage(&name(i), base.as_deref(), &from)
                })
                .collect();
            let mut g = graph(&name(rng.below(n)), stages);
            let mut want = g.clone();
            reference_sort(&mut want);
            g.sort();
            assert_eq!(names(&g), names(&want), "round {round}");
        }
    }
}
