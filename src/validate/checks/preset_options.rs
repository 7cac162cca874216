//! SG210 preset-option-mismatch: a `[preset]` knob the named preset does not take, or
//! `[runtime]` without a preset.

use crate::diagnostics::{codes, Diagnostic};
use crate::validate::Cx;

pub fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    let Some(p) = &cx.build.preset else {
        if cx.build.runtime.is_some() && !cx.build.stage.is_empty() {
            out.push(
                Diagnostic::error(codes::PRESET_OPTION, "`[runtime]` needs a `[preset]`")
                    .at(cx.doc.key_span("/runtime"), "configures the preset's final image")
                    .help("without a preset, put these settings on the `[[stage]]` that is your final image"),
            );
        }
        return;
    };
    let preset = crate::presets::preset(p.name);
    let accepted = preset.options();
    let Some(table) = cx.doc.value.get("preset").and_then(|v| v.as_object()) else {
        return;
    };
    for key in table.keys().filter(|k| *k != "name") {
        if !accepted.contains(&key.as_str()) {
            out.push(
                Diagnostic::error(
                    codes::PRESET_OPTION,
                    format!("the `{}` preset does not take `{key}`", preset.name()),
                )
                .at(
                    cx.doc.key_span(&format!("/preset/{key}")),
                    "not a knob of this preset",
                )
                .help(format!(
                    "the `{}` preset takes: {}",
                    preset.name(),
                    accepted
                        .iter()
                        .map(|o| format!("`{o}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
    }
}
