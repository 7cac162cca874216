//! SG211 step-shape: a step is exactly a `run` or a `copy`, with only the keys that kind takes;
//! no path of it (`copy`, `to`, `inputs`, `cache`) is empty (the engine cannot read `COPY a ""`).

use crate::diagnostics::{codes, Diagnostic};
use crate::validate::checks::steps;
use crate::validate::Cx;

const RUN_ONLY: &[&str] = &["cache", "secrets", "inputs"];
const COPY_ONLY: &[&str] = &["to", "from", "image", "chown"];

pub(crate) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    for (pointer, step, _) in steps(cx) {
        let present = |key: &str| cx.doc.value.pointer(&format!("{pointer}/{key}")).is_some();
        match (&step.run, &step.copy) {
            (Some(_), Some(_)) => out.push(
                Diagnostic::error(codes::STEP_SHAPE, "a step has both `run` and `copy`")
                    .at(cx.doc.key_span(&format!("{pointer}/copy")), "second action")
                    .help("split it into two steps, one `run` and one `copy`"),
            ),
            (None, None) => out.push(
                Diagnostic::error(codes::STEP_SHAPE, "a step needs `run` or `copy`")
                    .at(cx.doc.value_span(&pointer), "does nothing")
                    .help(
                        "write `{ run = \"command\" }` or `{ copy = [\"src\"], to = \"/dest\" }`",
                    ),
            ),
            (Some(_), None) => {
                for (k, p) in step.inputs.iter().enumerate() {
                    if p.is_empty() {
                        out.push(empty(
                            cx,
                            &format!("{pointer}/inputs/{k}"),
                            "an `inputs` path",
                        ));
                    }
                }
                for key in COPY_ONLY.iter().filter(|k| present(k)) {
                    out.push(
                        Diagnostic::error(
                            codes::STEP_SHAPE,
                            format!("`{key}` belongs to `copy` steps, not `run` steps"),
                        )
                        .at(
                            cx.doc.key_span(&format!("{pointer}/{key}")),
                            "not for `run`",
                        )
                        .help("remove it, or make this a `copy` step"),
                    );
                }
            }
            (None, Some(paths)) => {
                for key in RUN_ONLY.iter().filter(|k| present(k)) {
                    out.push(
                        Diagnostic::error(
                            codes::STEP_SHAPE,
                            format!("`{key}` belongs to `run` steps, not `copy` steps"),
                        )
                        .at(
                            cx.doc.key_span(&format!("{pointer}/{key}")),
                            "not for `copy`",
                        )
                        .help("remove it, or make this a `run` step"),
                    );
                }
                if paths.is_empty() {
                    out.push(
                        Diagnostic::error(codes::STEP_SHAPE, "`copy` lists no files")
                            .at(cx.doc.value_span(&format!("{pointer}/copy")), "empty")
                            .help("name what to copy, e.g. `copy = [\".\"]` for the whole context"),
                    );
                }
                for (k, p) in paths.iter().enumerate() {
                    if p.is_empty() {
                        out.push(empty(cx, &format!("{pointer}/copy/{k}"), "a `copy` path"));
                    }
                }
                if step.to.as_deref() == Some("") {
                    out.push(empty(cx, &format!("{pointer}/to"), "`to`"));
                }
                if step.to.is_none() {
                    out.push(
                        Diagnostic::error(codes::STEP_SHAPE, "`copy` needs `to`, the destination")
                            .at(cx.doc.key_span(&format!("{pointer}/copy")), "copies to where?")
                            .help("add `to = \"/app/\"` (or a path relative to the stage's `workdir`)"),
                    );
                }
                if step.from.is_some() && step.image.is_some() {
                    out.push(
                        Diagnostic::error(codes::STEP_SHAPE, "`copy` has both `from` and `image`")
                            .at(cx.doc.key_span(&format!("{pointer}/image")), "one too many")
                            .help(
                                "copy from a stage (`from`) or from an image (`image`), not both",
                            ),
                    );
                }
            }
        }
    }
}

fn empty(cx: &Cx<'_>, pointer: &str, what: &str) -> Diagnostic {
    Diagnostic::error(codes::STEP_SHAPE, format!("{what} is empty"))
        .at(cx.doc.value_span(pointer), "empty path")
        .help("name a file or folder, e.g. `.` for the whole context or `./` for the `workdir`")
}
