//! SG219 nothing-to-build: no preset and no stage.

use crate::diagnostics::{codes, Diagnostic};
use crate::validate::Cx;

pub(crate) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    if cx.build.preset.is_none() && cx.build.stage.is_empty() {
        let mut d = Diagnostic::error(
            codes::NOTHING_TO_BUILD,
            "nothing to build: no `[preset]` and no `[[stage]]`",
        )
        .at(
            cx.doc.value_span("/version"),
            "this file describes no stage",
        )
        .help("add a preset (`[preset]` with `name = \"go\"`) or stages of your own (`[[stage]]`)");
        if cx.build.runtime.is_some() {
            d = d.also(
                cx.doc.key_span("/runtime"),
                "`[runtime]` configures a preset's image",
            );
        }
        out.push(d);
    }
}
