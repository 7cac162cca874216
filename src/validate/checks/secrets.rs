//! SG216 unknown-secret: a step or the preset mounts a secret `[secrets]` does not declare, or a
//! secret id holds characters a mount cannot carry.

use crate::config::pointer_join;
use crate::diagnostics::{codes, Diagnostic};
use crate::validate::checks::steps;
use crate::validate::{did_you_mean, Cx};

pub(crate) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    let declared: Vec<&str> = cx.build.secrets.keys().map(String::as_str).collect();
    for id in &declared {
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        {
            out.push(
                Diagnostic::error(
                    codes::UNKNOWN_SECRET,
                    format!("`{id}` is not a valid secret id"),
                )
                .at(cx.doc.key_span(&pointer_join("/secrets", id)), "invalid id")
                .help("secret ids hold letters, digits, `.`, `_` and `-`"),
            );
        }
    }
    let mut uses: Vec<(String, &str)> = Vec::new();
    for (pointer, step, _) in steps(cx) {
        for (k, id) in step.secrets.iter().enumerate() {
            uses.push((format!("{pointer}/secrets/{k}"), id));
        }
    }
    if let Some(p) = &cx.build.preset {
        for (k, id) in p.common.secrets.iter().enumerate() {
            uses.push((format!("/preset/secrets/{k}"), id));
        }
    }
    for (pointer, id) in uses {
        if !declared.contains(&id) {
            let d = Diagnostic::error(
                codes::UNKNOWN_SECRET,
                format!("secret `{id}` is not declared"),
            )
            .at(cx.doc.value_span(&pointer), "unknown secret");
            out.push(match did_you_mean(id, declared.iter().copied()) {
                Some(m) => d.help(format!("did you mean `{m}`?")),
                None => d.help(format!("declare it: `[secrets.{id}]`, then pass it with `docker build --secret id={id},src=FILE`")),
            });
        }
    }
}
