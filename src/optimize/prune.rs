//! Pass `prune`: drop the stages the target does not need (when a target was named) and put the
//! rest in build order, target last.

use crate::ir::BuildGraph;
use crate::optimize::Options;

pub fn run(graph: &mut BuildGraph, options: &Options) {
    if options.prune_to_target {
        let keep = graph.reachable(&[graph.target.as_str()]);
        graph.stages.retain(|s| keep.contains(&s.name));
    }
    graph.sort();
}
