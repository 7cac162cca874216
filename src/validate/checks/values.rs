//! SG215 unsafe-value: values that a Dockerfile line cannot hold literally. Control characters
//! (a newline would end the instruction) anywhere but in `run` and `description`; `$` in paths,
//! where the engine would expand it as a variable; `\` in paths, which the engine reads as an
//! escape (and, in a `copy` pattern, as quoting the next character); in cache and secret
//! targets, which reach the engine inside a `--mount` flag, anything but the characters
//! [`is_mount_char`] allows; a `chown` that is not `user[:group]` of portable names or ids.
//! `src/emit/escape.rs` describes the layers each value goes through.

use crate::config::pointer_join;
use crate::diagnostics::{codes, Diagnostic};
use crate::validate::checks::{settings, steps};
use crate::validate::Cx;

pub(crate) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    let mut plain: Vec<(String, &str)> = Vec::new();
    let mut paths: Vec<(String, &str)> = Vec::new();
    let mut owners: Vec<(String, &str)> = Vec::new();
    // Pointers of the paths that reach the engine inside a `--mount` flag.
    let mut mounts: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for (pointer, s) in settings(cx) {
        for (k, v) in &s.env {
            plain.push((pointer_join(&format!("{pointer}/env"), k), v));
        }
        for (k, v) in &s.labels {
            plain.push((pointer_join(&format!("{pointer}/labels"), k), v));
        }
        if let Some(u) = &s.user {
            plain.push((format!("{pointer}/user"), u));
        }
        if let Some(w) = &s.workdir {
            paths.push((format!("{pointer}/workdir"), w));
        }
    }
    for (k, v) in &cx.build.args {
        plain.push((pointer_join("/args", k), v));
    }
    if let Some(p) = &cx.build.preset {
        for (k, v) in &p.common.build_env {
            plain.push((pointer_join("/preset/build-env", k), v));
        }
    }
    if let Some(f) = &cx.build.frontend {
        paths.push(("/frontend/dir".to_string(), &f.dir));
        paths.push(("/frontend/to".to_string(), &f.to));
        if let Some(o) = &f.output {
            paths.push(("/frontend/output".to_string(), o));
        }
    }
    for (pointer, step, _) in steps(cx) {
        for (k, p) in step.copy.iter().flatten().enumerate() {
            paths.push((format!("{pointer}/copy/{k}"), p));
        }
        for (k, p) in step.inputs.iter().enumerate() {
            paths.push((format!("{pointer}/inputs/{k}"), p));
        }
        for (k, p) in step.cache.iter().enumerate() {
            mounts.insert(format!("{pointer}/cache/{k}"));
            paths.push((format!("{pointer}/cache/{k}"), p));
        }
        if let Some(to) = &step.to {
            paths.push((format!("{pointer}/to"), to));
        }
        if let Some(c) = &step.chown {
            owners.push((format!("{pointer}/chown"), c));
        }
    }
    for (id, s) in &cx.build.secrets {
        if let Some(t) = &s.target {
            let pointer = format!("{}/target", pointer_join("/secrets", id));
            mounts.insert(pointer.clone());
            paths.push((pointer, t));
        }
    }
    for (pointer, value) in plain.iter().chain(paths.iter()) {
        if let Some(c) = value.chars().find(|c| c.is_control()) {
            out.push(
                Diagnostic::error(
                    codes::UNSAFE_VALUE,
                    format!(
                        "this value holds a control character ({})",
                        crate::diagnostics::describe_char(c)
                    ),
                )
                .at(
                    cx.doc.value_span(pointer),
                    "cannot be written on one Dockerfile line",
                )
                .help("remove it; only `run` and `description` may span several lines"),
            );
        }
    }
    for (pointer, value) in &paths {
        if value.contains('\\') {
            out.push(
                Diagnostic::error(
                    codes::UNSAFE_VALUE,
                    format!("`{value}` holds `\\`, which the engine reads as an escape in a path"),
                )
                .at(cx.doc.value_span(pointer), "`\\` is not a path separator here")
                .help("separate folders with `/`; a file whose name holds `\\` cannot be named here: rename it, or copy the folder that holds it"),
            );
        }
    }
    for (pointer, value) in &paths {
        let is_mount = mounts.contains(pointer);
        let bad = value
            .chars()
            .find(|&c| !is_mount_char(c) && !c.is_control() && c != '$' && c != '\\');
        if let (true, Some(c)) = (is_mount, bad) {
            out.push(
                Diagnostic::error(
                    codes::UNSAFE_VALUE,
                    format!("`{value}` holds {}, which a `--mount` option cannot carry", describe(c)),
                )
                .at(cx.doc.value_span(pointer), "not allowed in a mount target")
                .help("cache and secret targets hold printable ASCII characters other than space, `,`, `\"`, `'`, `\\` and `$`"),
            );
        }
    }
    for (pointer, value) in owners {
        if !is_owner(value) {
            out.push(
                Diagnostic::error(
                    codes::UNSAFE_VALUE,
                    format!("`{value}` is not an owner `--chown` can name"),
                )
                .at(cx.doc.value_span(&pointer), "not `user`, `user:group`, `uid` or `uid:gid`")
                .help("names and ids hold ASCII letters, digits, `.`, `_` and `-` and do not start with `-`; the owner is literal (no variables)"),
            );
        }
    }
    for (pointer, value) in paths {
        if value.contains('$') {
            out.push(
                Diagnostic::error(
                    codes::UNSAFE_VALUE,
                    format!("`{value}` holds `$`, which the engine would expand in a path"),
                )
                .at(
                    cx.doc.value_span(&pointer),
                    "variables are not expanded here",
                )
                .help("paths are literal: write the path itself"),
            );
        }
    }
}

/// Whether a cache or secret target may hold `c`: printable ASCII but space, `,` (it ends a
/// CSV field), `"` and `'` (quotes for the flag lexer, the CSV reader and the shell-word
/// expansion), `\` (an escape in all three) and `$` (a variable). `src/emit/escape.rs` escapes
/// these too; they are refused because a mount target holding them is almost surely a mistake
/// and no test of ours proves what each engine version makes of them.
pub(crate) fn is_mount_char(c: char) -> bool {
    c.is_ascii_graphic() && !matches!(c, ',' | '"' | '\'' | '\\' | '$')
}

/// `user`, `user:group`, `uid` or `uid:gid`: each part ASCII letters, digits, `.`, `_` and `-`,
/// not starting with `-` (the portable user name set of POSIX).
pub(crate) fn is_owner(value: &str) -> bool {
    let part = |p: &str| {
        !p.is_empty()
            && !p.starts_with('-')
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
    };
    match value.split_once(':') {
        Some((user, group)) => part(user) && part(group),
        None => part(value),
    }
}

/// A character as a message shows it: `` `,` ``, "a space", or its code point and itself.
fn describe(c: char) -> String {
    match c {
        ' ' => "a space".to_string(),
        c if c.is_ascii() => format!("`{c}`"),
        c => format!("{} (`{c}`)", crate::diagnostics::describe_char(c)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mount_characters() {
        for c in "/azAZ09._-+@:~%=#;&|()*?[]{}<>!^`".chars() {
            assert!(is_mount_char(c), "{c:?}");
        }
        for c in " ,\"'\\$\t\né\u{a0}".chars() {
            assert!(!is_mount_char(c), "{c:?}");
        }
    }

    #[test]
    fn owners() {
        for ok in [
            "app",
            "1000",
            "1000:1000",
            "app:app",
            "www-data:www-data",
            "a.b_c",
        ] {
            assert!(is_owner(ok), "{ok}");
        }
        for bad in [
            "", ":", "app:", ":app", "$OWNER", "-u", "a b", "a:b:c", "é", "app,x",
        ] {
            assert!(!is_owner(bad), "{bad}");
        }
    }
}
