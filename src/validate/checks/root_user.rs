//! SG401 root-user (warning): an image set to run as root.

use crate::diagnostics::{codes, Diagnostic};
use crate::validate::checks::settings;
use crate::validate::Cx;

pub(crate) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    for (pointer, s) in settings(cx) {
        let Some(user) = &s.user else { continue };
        let name = user.split(':').next().unwrap_or_default();
        if name == "root" || name == "0" {
            out.push(
                Diagnostic::warning(codes::ROOT_USER, format!("the container runs as `{user}`"))
                    .at(cx.doc.value_span(&format!("{pointer}/user")), "root")
                    .help("a non-root user limits what a compromised app can do; e.g. `user = \"65532:65532\"`"),
            );
        }
    }
}
