//! The checks of the `[preset]` knobs' values: the package names of the common knobs, then the
//! preset's own checks (each preset's codes). Run with the other checks so that every mistake of
//! the file is reported at once. Which knobs a preset takes is the schema's job; what the app's
//! files say is the resolver's.

use crate::config::preset_diagnostics;
use crate::diagnostics::Diagnostic;
use crate::validate::Cx;

pub(crate) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    if let Some(p) = &cx.build.preset {
        let mut errors = crate::presets::common::check_package_knobs(&p.common);
        errors.extend(p.preset.check_options(&p.options));
        out.extend(preset_diagnostics(errors, cx.doc, "/preset", p.name()));
    }
}
