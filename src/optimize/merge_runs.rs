//! Pass `merge-runs`: `run` steps that follow each other in a stage become one step (one
//! layer, and hadolint's DL3059 stays quiet) when, and only when, the merged RUN is provably
//! the same as the separate ones.
//!
//! # What differs between separate RUNs and one
//! Each RUN is a fresh `/bin/sh -c` in a fresh container process: it starts in the stage's
//! workdir with the stage's environment, umask, options (`set -e` off), no traps, functions or
//! aliases, no positional parameters and `$?` 0, and when it ends, every process it left running
//! is killed and its files become a layer. Joined with `&&` in one shell, a command sees what the
//! ones before it left: the directory of a `cd` (also one inside an `if`), variables, `export`,
//! `set` options, `umask`, traps, functions, `$_`; a background job runs on into the next
//! commands; a `# comment` swallows the rest of the line; `a &` or `a;` before `&&` is a syntax
//! error and `x && a || b` runs `b` when `x` fails. And every mount of the merged RUN is
//! there for every command in it: a secret one step declared is readable by the others, and what
//! a step writes under another step's cache target goes to the cache instead of the image.
//!
//! # The rule
//! Two adjacent runs merge when both
//! - have no `inputs` (those keep their own layer: that is what `hoist-inputs` moved them for),
//! - have exactly the same mounts, in the same order (cache, secret, anything else: never a
//!   secret or a cache target a step did not declare), and
//! - consist only of shell commands that [`crate::ir::Command::sharing_hazard`] clears: one line
//!   that the shell reader ([`crate::shell::syntax`], a tokenizer for POSIX sh, not first-word
//!   matching) reads exactly, with nothing anywhere in it (compound commands, `&&` lists,
//!   command substitutions are all read) that changes its shell or reads what an earlier
//!   command left: no `cd`, `export`, `set`, `eval`, `command`/`builtin`, `exec`, `exit`,
//!   `trap`, assignment, function, alias, `${X:=}`, background job, `$_`, comment, here-doc, ...
//!
//! Such commands behave the same in any shell they share, so joining them is the same as running
//! them apart; the emitter puts braces around a list (`{ a || b; }`) so `&&` joins it whole.
//! Anything else keeps its own RUN, which is exactly what the user wrote.
//!
//! # Why not isolate every step instead
//! Wrapping each step in a subshell, `( a ) && ( b )`, keeps `cd` and `export` in, but is not the
//! same either: POSIX ignores `set -e` inside any command of an `&&` list but the last, so a step
//! written as `set -e; x; y` would run `y` after `x` failed. `sh -c '...'` per step avoids that
//! but changes `$$`, ignores a base image's `SHELL`, and still lets background jobs and daemons
//! run on. Merging only what is provably equivalent gives the same layers for the common case
//! (installs, builds, `mkdir && cp`) and readable output.
//!
//! # Known limits (documented, not detected)
//! - A daemon a command starts (`service x start`) outlives its step when merged; apart, it
//!   would be killed at the end of its RUN.
//! - The shell remembers where it found a program: a program installed by one merged step in an
//!   earlier `PATH` folder than one already run under the same name is not picked up until the
//!   next RUN. (A step that replaces the shell itself is detected: `/bin/sh`, `dash`, `bash`.)
//! - Files written and deleted again within a merged RUN are in no layer (smaller images; the
//!   final file system is the same).
//!
//! Linear in the steps and the length of their commands: each run is read once.

use crate::ir::{BuildGraph, Run, Step};
use crate::optimize::Options;

pub(super) fn run(graph: &mut BuildGraph, _: &Options) {
    for stage in &mut graph.stages {
        let steps = std::mem::take(&mut stage.steps);
        let mut merged: Vec<Step> = Vec::with_capacity(steps.len());
        // The last step in `merged` is a run that later runs may join.
        let mut open = false;
        for step in steps {
            let Step::Run(next) = step else {
                open = false;
                merged.push(step);
                continue;
            };
            let shareable = is_shareable(&next);
            if shareable && open {
                if let Some(Step::Run(prev)) = merged.last_mut() {
                    if prev.mounts == next.mounts {
                        prev.commands.extend(next.commands);
                        continue;
                    }
                }
            }
            open = shareable;
            merged.push(Step::Run(next));
        }
        stage.steps = merged;
    }
}

/// A run whose commands may share a shell with another run's.
pub(crate) fn is_shareable(run: &Run) -> bool {
    run.inputs.is_empty()
        && !run.commands.is_empty()
        && run.commands.iter().all(|c| c.sharing_hazard().is_none())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Base, CacheSharing, Command, Copy, Mount, Stage};

    fn graph(steps: Vec<Step>) -> BuildGraph {
        let mut stage = Stage::new("app", "", Base::Image("debian".into()));
        stage.steps = steps;
        BuildGraph {
            plan_version: 1,
            context: None,
            target: "app".into(),
            platforms: Vec::new(),
            args: vec![],
            secrets: vec![],
            stages: vec![stage],
            ignore: vec![],
            detected: vec![],
        }
    }

    fn sh(s: &str) -> Step {
        Step::Run(Run::shell(s))
    }

    fn secret(id: &str) -> Mount {
        Mount::Secret {
            id: id.into(),
            target: None,
            required: false,
        }
    }

    fn with_mounts(s: &str, mounts: Vec<Mount>) -> Step {
        let mut run = Run::shell(s);
        run.mounts = mounts;
        Step::Run(run)
    }

    /// The commands of each step after the pass.
    fn merged(steps: Vec<Step>) -> Vec<Vec<String>> {
        let mut g = graph(steps);
        run(&mut g, &Options::default());
        g.stages[0]
            .steps
            .iter()
            .map(|s| match s {
                Step::Run(r) => r
                    .commands
                    .iter()
                    .map(|c| match c {
                        Command::Shell(s) => s.clone(),
                        Command::Exec(w) => format!("exec {w:?}"),
                    })
                    .collect(),
                Step::Copy(c) => vec![format!("COPY {:?}", c.paths)],
            })
            .collect()
    }

    fn v(items: &[&[&str]]) -> Vec<Vec<String>> {
        items
            .iter()
            .map(|s| s.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn adjacent_self_contained_runs_become_one() {
        assert_eq!(
            merged(vec![
                sh("apt-get update"),
                sh("apt-get install -y curl"),
                sh("rm -rf /var/lib/apt/lists/*"),
            ]),
            v(&[&[
                "apt-get update",
                "apt-get install -y curl",
                "rm -rf /var/lib/apt/lists/*"
            ]])
        );
    }

    #[test]
    fn a_copy_between_runs_keeps_them_apart() {
        assert_eq!(
            merged(vec![
                sh("a"),
                Step::Copy(Copy::context(["x"], "./")),
                sh("b")
            ]),
            v(&[&["a"], &["COPY [\"x\"]"], &["b"]])
        );
    }

    #[test]
    fn merge_runs_cd_in_if_keeps_its_own_run() {
        // The bug: the `cd` carried into the next step, which deleted the wrong folder.
        assert_eq!(
            merged(vec![
                sh("mkdir -p sub/keep"),
                sh("if [ -d sub ]; then cd sub; fi"),
                sh("rm -rf keep"),
            ]),
            v(&[
                &["mkdir -p sub/keep"],
                &["if [ -d sub ]; then cd sub; fi"],
                &["rm -rf keep"]
            ])
        );
    }

    #[test]
    fn merge_runs_comment_keeps_its_own_run() {
        assert_eq!(
            merged(vec![sh("echo one # the first"), sh("echo two")]),
            v(&[&["echo one # the first"], &["echo two"]])
        );
    }

    #[test]
    fn merge_runs_state_hidden_from_first_words() {
        for hidden in [
            "eval 'cd /tmp'",
            "command cd /tmp",
            "builtin export X=1",
            "greet() { echo hi; }",
            "true && export X=1",
            ": ${X:=1}",
            "sleep 1 &",
        ] {
            assert_eq!(
                merged(vec![sh("echo before"), sh(hidden), sh("echo after")]),
                v(&[&["echo before"], &[hidden], &["echo after"]]),
                "{hidden}"
            );
        }
    }

    #[test]
    fn merge_runs_trailing_operators_merge_and_join_whole() {
        // `a;` and `a || b` are self-contained; the emitter puts them in braces.
        assert_eq!(
            merged(vec![sh("echo a;"), sh("false || echo b"), sh("echo c")]),
            v(&[&["echo a;", "false || echo b", "echo c"]])
        );
    }

    #[test]
    fn merge_runs_different_secrets_stay_apart() {
        assert_eq!(
            merged(vec![
                with_mounts("fetch-private", vec![secret("token")]),
                sh("cp -r /root /out"),
            ]),
            v(&[&["fetch-private"], &["cp -r /root /out"]])
        );
        assert_eq!(
            merged(vec![
                with_mounts("a", vec![secret("one")]),
                with_mounts("b", vec![secret("two")]),
            ]),
            v(&[&["a"], &["b"]])
        );
    }

    #[test]
    fn merge_runs_cache_targets_stay_apart() {
        let cache = |t: &str| Mount::Cache {
            target: t.into(),
            id: None,
            sharing: CacheSharing::Shared,
        };
        assert_eq!(
            merged(vec![
                with_mounts("npm ci", vec![cache("/root/.npm")]),
                sh("cp -r /root/.npm/_logs /out"),
            ]),
            v(&[&["npm ci"], &["cp -r /root/.npm/_logs /out"]])
        );
        // Same mounts in another order: kept apart too (the order is not proven irrelevant).
        assert_eq!(
            merged(vec![
                with_mounts("a", vec![cache("/x"), cache("/y")]),
                with_mounts("b", vec![cache("/y"), cache("/x")]),
            ]),
            v(&[&["a"], &["b"]])
        );
    }

    #[test]
    fn identical_mounts_merge_and_keep_one_set() {
        let mut g = graph(vec![
            with_mounts("a", vec![secret("s")]),
            with_mounts("b", vec![secret("s")]),
        ]);
        run(&mut g, &Options::default());
        let [Step::Run(r)] = g.stages[0].steps.as_slice() else {
            panic!("expected one run: {:?}", g.stages[0].steps)
        };
        assert_eq!(r.mounts, vec![secret("s")]);
        assert_eq!(r.commands.len(), 2);
    }

    #[test]
    fn runs_with_inputs_and_exec_runs_keep_their_layer() {
        assert_eq!(
            merged(vec![
                sh("a"),
                Step::Run(Run::shell("go mod download").inputs(["go.mod"])),
                sh("b"),
            ]),
            v(&[&["a"], &["go mod download"], &["b"]])
        );
        assert_eq!(
            merged(vec![sh("a"), Step::Run(Run::exec(["/app", "-x"])), sh("b")]),
            v(&[&["a"], &["exec [\"/app\", \"-x\"]"], &["b"]])
        );
    }

    #[test]
    fn a_stateful_step_splits_a_long_run_of_steps() {
        assert_eq!(
            merged(vec![sh("a"), sh("b"), sh("cd x"), sh("c"), sh("d"),]),
            v(&[&["a", "b"], &["cd x"], &["c", "d"]])
        );
    }

    #[test]
    fn a_run_whose_own_commands_share_state_is_not_joined() {
        // A preset's step may share state between its own commands (`set --` then `$#`).
        let mut step = Run::shell("set -- a b");
        step.commands.push(Command::Shell("echo $#".into()));
        assert_eq!(
            merged(vec![sh("before"), Step::Run(step), sh("after")]),
            v(&[&["before"], &["set -- a b", "echo $#"], &["after"]])
        );
    }

    #[test]
    fn merging_is_idempotent() {
        let steps = vec![
            sh("a"),
            sh("b"),
            sh("cd x"),
            with_mounts("c", vec![secret("s")]),
            with_mounts("d", vec![secret("s")]),
            sh("e"),
        ];
        let mut once = graph(steps);
        run(&mut once, &Options::default());
        let mut twice = once.clone();
        run(&mut twice, &Options::default());
        assert_eq!(once, twice);
    }
}
