//! SG210 preset-option-mismatch: `[runtime]` beside stages of your own but no `[preset]`.
//! (Which knobs a preset takes is the schema's job: each preset's branch of `[preset]` lists
//! them.)

use crate::diagnostics::{codes, Diagnostic};
use crate::validate::Cx;

pub(crate) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    if cx.build.preset.is_none() && cx.build.runtime.is_some() && !cx.build.stage.is_empty() {
        out.push(
            Diagnostic::error(codes::PRESET_OPTION, "`[runtime]` needs a `[preset]`")
                .at(cx.doc.key_span("/runtime"), "configures the preset's final image")
                .help("without a preset, put these settings on the `[[stage]]` that is your final image"),
        );
    }
}
