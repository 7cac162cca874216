//! Pass `prune`: drop the stages the target does not need (when a target was named) and put the
//! rest in build order, target last.
//!
//! Without a named target every stage stays, so `docker build --target test` works on the
//! emitted file, except the stages built on top of the target (a `debug` stage `from` the
//! runtime, say): they would have to come after it, and `docker build` builds the last stage.
//! They are left out; `stagegen dockerfile --target <stage>` emits them.
//!
//! O((stages + steps) log stages): one walk each way from the target, then the sort.

use crate::ir::BuildGraph;
use crate::optimize::Options;

pub(super) fn run(graph: &mut BuildGraph, options: &Options) {
    let needed = graph.reachable(&[graph.target.as_str()]);
    if options.prune_to_target {
        graph.stages.retain(|s| needed.contains(&s.name));
    } else {
        // The stages built on top of the target: those that need it, less those it needs.
        let on_top = graph.dependents(&[graph.target.as_str()]);
        graph
            .stages
            .retain(|s| needed.contains(&s.name) || !on_top.contains(&s.name));
    }
    graph.sort();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Base, Copy, Stage, Step};

    fn stage(name: &str, base: Option<&str>, from: &[&str]) -> Stage {
        let mut s = Stage::new(
            name,
            "",
            match base {
                Some(b) => Base::Stage(b.into()),
                None => Base::Image("debian".into()),
            },
        );
        for f in from {
            s.steps
                .push(Step::Copy(Copy::from_stage(*f, &["/out"], "/out")));
        }
        s
    }

    fn graph() -> BuildGraph {
        BuildGraph {
            plan_version: 1,
            context: None,
            target: "runtime".into(),
            platforms: Vec::new(),
            args: vec![],
            secrets: vec![],
            stages: vec![
                stage("runtime", None, &["build"]),
                stage("build", None, &[]),
                stage("test", Some("build"), &[]),
                stage("dev", None, &[]),
                stage("debug", Some("runtime"), &[]),
                stage("debug-tools", Some("debug"), &[]),
            ],
            ignore: vec![],
            detected: vec![],
        }
    }

    fn pruned(options: Options) -> Vec<String> {
        let mut g = graph();
        run(&mut g, &options);
        let names: Vec<String> = g.stages.iter().map(|s| s.name.clone()).collect();
        let mut again = g.clone();
        run(&mut again, &options);
        assert_eq!(again, g, "prune is not idempotent");
        names
    }

    #[test]
    fn a_named_target_keeps_only_what_it_needs() {
        assert_eq!(
            pruned(Options {
                prune_to_target: true
            }),
            vec!["build", "runtime"]
        );
    }

    #[test]
    fn without_a_target_only_the_stages_on_top_of_it_go() {
        // `debug` and what builds on it would have to come after the target.
        assert_eq!(
            pruned(Options::default()),
            vec!["build", "test", "dev", "runtime"]
        );
    }
}
