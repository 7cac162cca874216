//! The plan emitter: the graph as JSON (`schemas/plan.schema.json`), the contract that
//! `stagegen build` and other tools execute.

use crate::ir::BuildGraph;

pub fn render(graph: &BuildGraph) -> String {
    let mut text = serde_json::to_string_pretty(graph).unwrap_or_else(|_| "{}".to_string());
    text.push('\n');
    text
}
