//! SG213 invalid-name: environment variable, build argument and label names.

use crate::config::pointer_join;
use crate::diagnostics::{codes, Diagnostic};
use crate::validate::checks::settings;
use crate::validate::Cx;

/// Shell variable names: a letter or `_`, then letters, digits and `_`.
pub(crate) fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Label keys: reverse-DNS style, letters, digits, `.`, `-`, `_` and `/`.
pub(crate) fn is_label_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c))
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    let mut variables: Vec<(String, &str)> = Vec::new();
    for (pointer, s) in settings(cx) {
        for key in s.env.keys() {
            variables.push((pointer_join(&format!("{pointer}/env"), key), key));
        }
        for key in s.labels.keys() {
            if !is_label_key(key) {
                out.push(
                    Diagnostic::error(codes::INVALID_NAME, format!("`{key}` is not a valid label key"))
                        .at(cx.doc.key_span(&pointer_join(&format!("{pointer}/labels"), key)), "invalid label key")
                        .help("label keys hold letters, digits, `.`, `-`, `_` and `/`, e.g. `org.opencontainers.image.source`"),
                );
            }
        }
    }
    if let Some(p) = &cx.build.preset {
        for key in p.common.build_env.keys() {
            variables.push((pointer_join("/preset/build-env", key), key));
        }
    }
    for key in cx.build.args.keys() {
        variables.push((pointer_join("/args", key), key));
    }
    for (pointer, key) in variables {
        if !is_variable_name(key) {
            out.push(
                Diagnostic::error(
                    codes::INVALID_NAME,
                    format!("`{key}` is not a valid variable name"),
                )
                .at(cx.doc.key_span(&pointer), "invalid name")
                .help("names start with a letter or `_` and hold only letters, digits and `_`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_rules() {
        assert!(is_variable_name("GO_FLAGS2"));
        assert!(is_variable_name("_x"));
        assert!(!is_variable_name("2X"));
        assert!(!is_variable_name("A-B"));
        assert!(!is_variable_name(""));
        assert!(is_label_key("org.opencontainers.image.title"));
        assert!(!is_label_key("a b"));
    }
}
