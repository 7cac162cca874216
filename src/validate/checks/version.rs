//! SG201 unsupported-version: the file's `version` is not one this stagegen reads.

use crate::config::{Document, SUPPORTED_VERSIONS};
use crate::diagnostics::{codes, Diagnostic};
use crate::validate::Cx;

pub(crate) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    let v = i64::from(cx.build.version);
    if !SUPPORTED_VERSIONS.contains(&cx.build.version) {
        out.push(unsupported(cx.doc, v));
    }
}

pub(crate) fn unsupported(doc: &Document, v: i64) -> Diagnostic {
    let supported: Vec<String> = SUPPORTED_VERSIONS
        .iter()
        .map(|v| format!("`{v}`"))
        .collect();
    Diagnostic::error(
        codes::UNSUPPORTED_VERSION,
        format!("format version `{v}` is not supported"),
    )
    .at(doc.value_span("/version"), "unknown format version")
    .help(format!(
        "this stagegen reads versions {}; write `version = 1`, or upgrade stagegen for newer files",
        supported.join(", ")
    ))
}
