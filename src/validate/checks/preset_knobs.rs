//! The preset's own checks of its knobs' values (each preset's codes): run with the other
//! checks so that every mistake of the file is reported at once. Which knobs a preset takes is
//! the schema's job; what the app's files say is the resolver's.

use crate::config::preset_diagnostics;
use crate::diagnostics::Diagnostic;
use crate::validate::Cx;

pub fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    if let Some(p) = &cx.build.preset {
        let errors = p.preset.check_options(&p.options);
        out.extend(preset_diagnostics(errors, cx.doc, "/preset", p.name()));
    }
}
