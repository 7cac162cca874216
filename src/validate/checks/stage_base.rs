//! SG212 stage-base: a stage starts from exactly one of `image` or `from`.

use crate::diagnostics::{codes, Diagnostic};
use crate::validate::Cx;

pub(crate) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    for (i, stage) in cx.build.stage.iter().enumerate() {
        match (&stage.image, &stage.from) {
            (Some(_), Some(_)) => out.push(
                Diagnostic::error(codes::STAGE_BASE, format!("stage `{}` has both `image` and `from`", stage.name))
                    .at(cx.doc.key_span(&format!("/stage/{i}/from")), "one too many")
                    .also(cx.doc.key_span(&format!("/stage/{i}/image")), "")
                    .help("a stage starts from an image (`image`) or from another stage (`from`), not both"),
            ),
            (None, None) => out.push(
                Diagnostic::error(codes::STAGE_BASE, format!("stage `{}` has no `image` or `from`", stage.name))
                    .at(cx.doc.value_span(&format!("/stage/{i}/name")), "starts from nothing")
                    .help("add `image = \"debian:bookworm-slim\"` (any image, or `scratch`) or `from = \"<earlier stage>\"`"),
            ),
            _ => {}
        }
    }
}
