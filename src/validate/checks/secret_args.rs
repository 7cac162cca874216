//! SG222 secret-in-arg-or-env: a build argument, an environment variable or a preset
//! `build-env` named after a declared `[secrets]` id: a value passed that way is kept in the
//! image's history or config, which is what a build secret avoids. SG402 (warning): a name that
//! BuildKit's `SecretsUsedInArgOrEnv` check flags (a word such as `TOKEN`, `PASSWORD` or `KEY`,
//! unless `PUBLIC`, `FILE` or `VERSION` is one too), so the Dockerfile builds without its warning.

use crate::config::pointer_join;
use crate::diagnostics::{codes, Diagnostic};
use crate::validate::checks::settings;
use crate::validate::Cx;

/// The words of BuildKit's deny pattern (`dockerfile2llb/validations.go`, `getSecretsRegex`).
const SECRET_WORDS: &[&str] = &[
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "password",
    "pword",
    "passwd",
    "secret",
    "token",
];

/// Its allow pattern: a name with one of these words is not flagged.
const ALLOW_WORDS: &[&str] = &["public", "file", "version"];

/// Whether BuildKit flags `name`: a deny word as the whole name, its first or its last `_` word
/// (`(?:_|^)(?:word)(?:_|$)`), and no allow word so placed.
pub(crate) fn looks_secret(name: &str) -> bool {
    let has = |words: &[&str]| {
        let lower = name.to_ascii_lowercase();
        words.iter().any(|w| {
            lower.match_indices(w).any(|(i, _)| {
                let before = i == 0 || lower.as_bytes()[i - 1] == b'_';
                let end = i + w.len();
                let after = end == lower.len() || lower.as_bytes()[end] == b'_';
                before && after
            })
        })
    };
    has(SECRET_WORDS) && !has(ALLOW_WORDS)
}

/// A secret id and a variable name are the same when they differ only in case and `-`/`.`
/// against `_` (`[secrets.npm-token]` and `NPM_TOKEN`).
fn same_name(id: &str, name: &str) -> bool {
    let norm = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                '-' | '.' => '_',
                c => c.to_ascii_lowercase(),
            })
            .collect()
    };
    norm(id) == norm(name)
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    let mut names: Vec<(String, &str, &str)> = Vec::new();
    for (pointer, s) in settings(cx) {
        for key in s.env.keys() {
            names.push((pointer_join(&format!("{pointer}/env"), key), key, "ENV"));
        }
    }
    if let Some(p) = &cx.build.preset {
        for key in p.common.build_env.keys() {
            names.push((pointer_join("/preset/build-env", key), key, "ENV"));
        }
    }
    for key in cx.build.args.keys() {
        names.push((pointer_join("/args", key), key, "ARG"));
    }
    for (pointer, name, instruction) in names {
        let secret = cx.build.secrets.keys().find(|id| same_name(id, name));
        if let Some(id) = secret {
            out.push(
                Diagnostic::error(
                    codes::SECRET_IN_ARG_OR_ENV,
                    format!("`{name}` passes the secret `{id}` as {instruction}"),
                )
                .at(cx.doc.key_span(&pointer), "kept in the image")
                .also(
                    cx.doc.key_span(&pointer_join("/secrets", id)),
                    "declared a secret here",
                )
                .help(format!(
                    "an {instruction} value stays in the image's history and config; remove `{name}` and mount the secret in the step that needs it: `secrets = [\"{id}\"]`"
                )),
            );
        } else if looks_secret(name) {
            out.push(
                Diagnostic::warning(
                    codes::SECRET_LIKE_NAME,
                    format!("`{name}` looks like a secret passed as {instruction}"),
                )
                .at(cx.doc.key_span(&pointer), "kept in the image")
                .help(format!(
                    "an {instruction} value stays in the image's history and config, and the engine warns (SecretsUsedInArgOrEnv); declare a `[secrets]` entry and mount it in the step that needs it, or rename the variable if it holds no secret"
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buildkit_pattern() {
        for flagged in [
            "TOKEN",
            "NPM_TOKEN",
            "api_key",
            "DATABASE_PASSWORD",
            "secret_MESSAGE",
            "AUTH",
            "GITHUB_TOKEN_X",
        ] {
            assert!(looks_secret(flagged), "{flagged}");
        }
        for fine in [
            "TOKENS",
            "KEYBOARD",
            "MONKEY",
            "PUBLIC_KEY",
            "KEY_FILE",
            "NODE_VERSION",
            "GOFLAGS",
            "PASSWORDLESS",
        ] {
            assert!(!looks_secret(fine), "{fine}");
        }
    }

    #[test]
    fn secret_ids_match_names() {
        assert!(same_name("npm-token", "NPM_TOKEN"));
        assert!(same_name("netrc", "NETRC"));
        assert!(!same_name("npm", "NPM_TOKEN"));
    }
}
