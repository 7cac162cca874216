//! SG217 unknown-arg: a stage uses a build argument `[args]` does not declare.

use crate::diagnostics::{codes, Diagnostic};
use crate::validate::{did_you_mean, Cx};

pub(crate) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    let declared: Vec<&str> = cx.build.args.keys().map(String::as_str).collect();
    for (i, stage) in cx.build.stage.iter().enumerate() {
        for (k, name) in stage.args.iter().enumerate() {
            if declared.contains(&name.as_str()) {
                continue;
            }
            let d = Diagnostic::error(
                codes::UNKNOWN_ARG,
                format!("build argument `{name}` is not declared"),
            )
            .at(
                cx.doc.value_span(&format!("/stage/{i}/args/{k}")),
                "unknown argument",
            );
            out.push(match did_you_mean(name, declared.iter().copied()) {
                Some(m) => d.help(format!("did you mean `{m}`?")),
                None => d.help(format!(
                    "declare it with its default in `[args]`: `{name} = \"...\"`"
                )),
            });
        }
    }
}
