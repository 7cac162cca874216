//! SG213 invalid-name (stage names) and SG202 duplicate-stage: stage names must be valid
//! Dockerfile stage names, not one the engine reserves (`scratch`, `context`, in any case), and
//! unique, the preset's stage names included.

use std::collections::BTreeMap;

use crate::diagnostics::{codes, Diagnostic};
use crate::validate::checks::preset_stages;
use crate::validate::Cx;

/// Stage names BuildKit reserves (its `ReservedStageName` check): `FROM scratch` is the empty
/// image and `context` names the build context in `--from` and `--build-context`.
pub(crate) const RESERVED_STAGE_NAMES: &[&str] = &["scratch", "context"];

/// Dockerfile stage names: a letter, then letters, digits, `-`, `_` and `.`; lowercase.
pub(crate) fn is_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
        && name.len() <= 128
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    let mut first: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, stage) in cx.build.stage.iter().enumerate() {
        let pointer = format!("/stage/{i}/name");
        let reserved = RESERVED_STAGE_NAMES
            .iter()
            .find(|r| r.eq_ignore_ascii_case(&stage.name));
        if let Some(r) = reserved {
            out.push(
                Diagnostic::error(
                    codes::INVALID_NAME,
                    format!("`{}` is a stage name the engine reserves", stage.name),
                )
                .at(cx.doc.value_span(&pointer), "reserved name")
                .help(format!(
                    "rename the stage: to the engine `{r}` means {}",
                    if *r == "scratch" {
                        "the empty image"
                    } else {
                        "the build context"
                    }
                )),
            );
        } else if !is_stage_name(&stage.name) {
            out.push(
                Diagnostic::error(codes::INVALID_NAME, format!("`{}` is not a valid stage name", stage.name))
                    .at(cx.doc.value_span(&pointer), "invalid stage name")
                    .help("stage names start with a lowercase letter and hold only lowercase letters, digits, `-`, `_` and `.`"),
            );
        }
        if preset_stages(cx).contains(&stage.name.as_str()) {
            let by_frontend =
                cx.build.frontend.is_some() && stage.name == crate::presets::FRONTEND_STAGE;
            let preset = cx
                .build
                .preset
                .as_ref()
                .map(|p| p.name())
                .unwrap_or_default();
            let (maker, maker_key, maker_label) = if by_frontend {
                (
                    "`[frontend]`".to_string(),
                    "/frontend",
                    "`[frontend]` makes it",
                )
            } else {
                (
                    format!("the `{preset}` preset"),
                    "/preset/name",
                    "this preset makes it",
                )
            };
            out.push(
                Diagnostic::error(
                    codes::DUPLICATE_STAGE,
                    format!("stage `{}` is already made by {maker}", stage.name),
                )
                .at(cx.doc.value_span(&pointer), "duplicate stage name")
                .also(cx.doc.key_span(maker_key), maker_label)
                .help(if by_frontend {
                    "rename your stage: `[frontend]` writes the `frontend` stage".to_string()
                } else {
                    format!(
                        "rename your stage; the preset's stages are {}",
                        preset_stages(cx)
                            .iter()
                            .map(|s| format!("`{s}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }),
            );
        }
        match first.get(stage.name.as_str()) {
            Some(&j) => out.push(
                Diagnostic::error(
                    codes::DUPLICATE_STAGE,
                    format!("stage `{}` is defined twice", stage.name),
                )
                .at(cx.doc.value_span(&pointer), "second definition")
                .also(
                    cx.doc.value_span(&format!("/stage/{j}/name")),
                    "first defined here",
                )
                .help("give each stage its own name"),
            ),
            None => {
                first.insert(&stage.name, i);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_name_rules() {
        assert!(is_stage_name("build-2.x_y"));
        assert!(!is_stage_name("Build"));
        assert!(!is_stage_name("2build"));
        assert!(!is_stage_name(""));
        assert!(!is_stage_name("a b"));
    }
}
