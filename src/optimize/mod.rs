//! Optimizer passes over the IR, each in its own file, run in the order of [`PASSES`]. Every
//! pass is idempotent (a test runs the pipeline twice) and linear or n log n in its input
//! (`cargo bench --bench passes`, bench/RESULTS.md). May import: ir.

mod hoist_inputs;
mod merge_runs;
mod prune;

use crate::ir::BuildGraph;

/// What the caller asked for.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Keep only the stages the target needs (when the user named a target). Without it every
    /// stage stays, so `--target test` and `--target dev` work on the emitted file.
    pub prune_to_target: bool,
}

type Pass = fn(&mut BuildGraph, &Options);

/// The passes, in order:
/// 1. `hoist-inputs` first: it needs the naive order presets and users write (copy all, then
///    install) to find installs that read only their manifests, and moves them ahead of the
///    copy, so a source change keeps the dependency layer.
/// 2. `merge-runs` after hoisting, so a hoisted install keeps its own layer; it joins the runs
///    that follow each other into one layer (fewer layers, hadolint's DL3059) when that is
///    provably the same as running them apart: equal mounts, and commands that leave nothing
///    in their shell (see its module doc).
/// 3. `prune` last: it drops stages the target does not need and puts the rest in build order
///    with the target last, which every emitter relies on.
pub const PASSES: &[(&str, Pass)] = &[
    ("hoist-inputs", hoist_inputs::run),
    ("merge-runs", merge_runs::run),
    ("prune", prune::run),
];

/// Run every pass.
pub fn optimize(graph: &mut BuildGraph, options: &Options) {
    for (_, pass) in PASSES {
        pass(graph, options);
    }
}
