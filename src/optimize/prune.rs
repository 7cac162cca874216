//! Pass `prune`: drop the stages the target does not need (when a target was named) and put the
//! rest in build order, target last.
//!
//! Without a named target every stage stays, so `docker build --target test` works on the
//! emitted file, except the stages built on top of the target (a `debug` stage `from` the
//! runtime, say): they would have to come after it, and `docker build` builds the last stage.
//! They are left out; `stagegen dockerfile --target <stage>` emits them.

use crate::ir::BuildGraph;
use crate::optimize::Options;

pub fn run(graph: &mut BuildGraph, options: &Options) {
    let needed = graph.reachable(&[graph.target.as_str()]);
    if options.prune_to_target {
        graph.stages.retain(|s| needed.contains(&s.name));
    } else {
        let target = graph.target.clone();
        let names: Vec<String> = graph.stages.iter().map(|s| s.name.clone()).collect();
        let on_top: Vec<String> = names
            .into_iter()
            .filter(|n| !needed.contains(n) && graph.reachable(&[n.as_str()]).contains(&target))
            .collect();
        graph.stages.retain(|s| !on_top.contains(&s.name));
    }
    graph.sort();
}
