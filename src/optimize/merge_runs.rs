//! Pass `merge-runs`: `run` steps that follow each other in a stage become one step (one
//! layer), their commands joined with `&&` and their mounts united. Steps with `inputs` keep their
//! layer, and so does a step after one that changes its shell's state (`cd`, `export`): each
//! step runs in a fresh shell, and joining them would change what the second one sees. Fewer layers, and hadolint's DL3059 stays quiet.

use crate::ir::{BuildGraph, Step};
use crate::optimize::Options;

pub fn run(graph: &mut BuildGraph, _: &Options) {
    for stage in &mut graph.stages {
        let mut merged: Vec<Step> = Vec::with_capacity(stage.steps.len());
        for step in std::mem::take(&mut stage.steps) {
            if let (Some(Step::Run(prev)), Step::Run(next)) = (merged.last_mut(), &step) {
                let keeps_state = prev
                    .commands
                    .iter()
                    .chain(&next.commands)
                    .any(|c| c.changes_shell_state());
                if prev.inputs.is_empty() && next.inputs.is_empty() && !keeps_state {
                    prev.commands.extend(next.commands.iter().cloned());
                    for m in &next.mounts {
                        if !prev.mounts.contains(m) {
                            prev.mounts.push(m.clone());
                        }
                    }
                    continue;
                }
            }
            merged.push(step);
        }
        stage.steps = merged;
    }
}
