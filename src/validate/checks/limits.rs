//! SG221 too-many: more stages or steps than [`crate::limits`] allows. Checked before the
//! schema and every other check, which then do not run: each pass is measured up to these
//! limits (`cargo bench --bench passes`), not past them.

use crate::config::Document;
use crate::diagnostics::{codes, Diagnostic};
use crate::limits::{MAX_STAGES, MAX_STEPS};

/// The limits `doc` is past, if any.
pub(crate) fn check(doc: &Document) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let stages = doc
        .value
        .get("stage")
        .and_then(|s| s.as_array())
        .map(Vec::as_slice)
        .unwrap_or_default();
    if stages.len() > MAX_STAGES {
        out.push(
            Diagnostic::error(
                codes::TOO_MANY,
                format!(
                    "the file has {} stages; a build spec may have at most {MAX_STAGES}",
                    stages.len()
                ),
            )
            .at(
                doc.value_span(&format!("/stage/{MAX_STAGES}")),
                "one stage too many",
            )
            .help("a build needs a few stages: is this file generated? split the build into several specs"),
        );
    }
    // Steps in the order the file lists them: `[runtime]`'s, then each stage's.
    let lists = std::iter::once(("/runtime".to_string(), doc.value.get("runtime")))
        .chain(
            stages
                .iter()
                .enumerate()
                .map(|(i, s)| (format!("/stage/{i}"), Some(s))),
        )
        .filter_map(|(at, table)| {
            let n = table?.get("steps")?.as_array()?.len();
            Some((at, n))
        });
    let mut total = 0usize;
    let mut first_past: Option<String> = None;
    for (at, n) in lists {
        if first_past.is_none() && total + n > MAX_STEPS {
            first_past = Some(format!("{at}/steps/{}", MAX_STEPS - total));
        }
        total += n;
    }
    if let Some(pointer) = first_past {
        out.push(
            Diagnostic::error(
                codes::TOO_MANY,
                format!("the file has {total} steps; a build spec may have at most {MAX_STEPS}"),
            )
            .at(doc.value_span(&pointer), "one step too many")
            .help("a build needs far fewer steps: is this file generated? join commands into one `run`, or split the build"),
        );
    }
    out
}
