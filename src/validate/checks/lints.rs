//! `[lints]`: each key must be the code or the name of a warning (SG220), and the levels it
//! gives are applied to what the checks found ([`apply`]): `allow` drops a warning, `deny`
//! makes it an error. Errors take no level: what makes them errors would make the output wrong.

use crate::config::{pointer_join, TomlBuild, TomlLintLevel};
use crate::diagnostics::{codes, Code, Diagnostic, Severity};
use crate::validate::{did_you_mean, Cx};

pub(crate) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    for key in cx.build.lints.keys() {
        let at = pointer_join("/lints", key);
        match find(key) {
            Some(code) if codes::is_warning(code) => {}
            Some(code) => out.push(
                Diagnostic::error(
                    codes::UNKNOWN_LINT,
                    format!("`{key}` is an error, not a warning: it takes no level"),
                )
                .at(
                    cx.doc.key_span(&at),
                    format!("`{}` is always an error", code.id),
                )
                .help(format!("only warnings take a level: {}", warnings_list())),
            ),
            None => {
                let names = codes::WARNINGS
                    .iter()
                    .flat_map(|c| [c.id, c.name])
                    .collect::<Vec<_>>();
                let d = Diagnostic::error(
                    codes::UNKNOWN_LINT,
                    format!("`{key}` is not the code or name of a warning"),
                )
                .at(cx.doc.key_span(&at), "no such warning");
                out.push(match did_you_mean(key, names) {
                    Some(m) => d.help(format!(
                        "did you mean `{m}`? (the warnings: {})",
                        warnings_list()
                    )),
                    None => d.help(format!("the warnings are: {}", warnings_list())),
                });
            }
        }
    }
}

/// The level `build` gives each warning in `diagnostics`: `allow` removes it, `deny` makes it
/// an error.
pub(crate) fn apply(build: &TomlBuild, diagnostics: &mut Vec<Diagnostic>) {
    if build.lints.is_empty() {
        return;
    }
    let level = |code: Code| {
        build
            .lints
            .iter()
            .find(|(k, _)| find(k) == Some(code))
            .map(|(_, l)| *l)
    };
    diagnostics.retain(|d| d.is_error() || level(d.code) != Some(TomlLintLevel::Allow));
    for d in diagnostics.iter_mut() {
        if !d.is_error() && level(d.code) == Some(TomlLintLevel::Deny) {
            d.severity = Severity::Error;
            let why = format!("`[lints]` denies `{}`: it is an error here", d.code.name);
            d.help = Some(match d.help.take() {
                Some(help) => format!("{help}\n{why}"),
                None => why,
            });
        }
    }
}

/// The code a `[lints]` key names: an id (`SG401`, any case) or a name (`root-user`).
fn find(key: &str) -> Option<Code> {
    codes::ALL
        .iter()
        .copied()
        .chain(crate::presets::registry::codes())
        .find(|c| c.id.eq_ignore_ascii_case(key) || c.name == key)
}

fn warnings_list() -> String {
    codes::WARNINGS
        .iter()
        .map(|c| format!("`{}` ({})", c.id, c.name))
        .collect::<Vec<_>>()
        .join(", ")
}
