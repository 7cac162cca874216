//! The `.dockerignore` emitter: the graph's ignore patterns under a header.

use crate::emit::GENERATED_MARK;
use crate::ir::BuildGraph;

pub fn render(graph: &BuildGraph, source_name: &str) -> String {
    let mut out = format!(
        "# {GENERATED_MARK} from {}: edit `ignore` there, then run `stagegen dockerfile -o Dockerfile`.\n",
        crate::emit::escape::comment(source_name)
    );
    for pattern in &graph.ignore {
        out.push_str(&crate::emit::escape::comment(pattern));
        out.push('\n');
    }
    out
}
