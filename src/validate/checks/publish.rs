//! What `bake` and `compose` publish: `tags` must be image references (SG214; an untagged name
//! means `latest`, which is fine for a name you push, unlike a base you build on), `platforms`
//! must be `os/arch` or `os/arch/variant` (SG104), and a workspace member's `name` must be a
//! name bake targets and compose services take (SG213).

use crate::diagnostics::{codes, Diagnostic};
use crate::validate::checks::images;
use crate::validate::Cx;

pub(crate) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    for (i, tag) in cx.build.tags.iter().enumerate() {
        let pinned = if tag.contains(':') || tag.contains('@') {
            tag.clone()
        } else {
            format!("{tag}:x")
        };
        let why = images::problem(&pinned).filter(|_| !tag.ends_with(":latest"));
        if let Some(why) = why {
            out.push(
                Diagnostic::error(
                    codes::INVALID_IMAGE,
                    format!("`{tag}` is not a usable image tag"),
                )
                .at(cx.doc.value_span(&format!("/tags/{i}")), "invalid tag")
                .help(why),
            );
        }
    }
    for (i, platform) in cx.build.platforms.iter().enumerate() {
        if !platform_ok(platform) {
            out.push(
                Diagnostic::error(
                    codes::INVALID_VALUE,
                    format!("`{platform}` is not a platform"),
                )
                .at(cx.doc.value_span(&format!("/platforms/{i}")), "not `os/arch`")
                .help("a platform is `os/arch` or `os/arch/variant`, e.g. `linux/amd64`, `linux/arm64`, `linux/arm/v7`"),
            );
        }
    }
    if let Some(name) = &cx.build.name {
        if !name_ok(name) {
            out.push(
                Diagnostic::error(
                    codes::INVALID_NAME,
                    format!("`{name}` is not a member name"),
                )
                .at(cx.doc.value_span("/name"), "invalid name")
                .help("a member's name is lowercase letters, digits, `-`, `_` and `.`, starting with a letter or digit: it names a bake target and a compose service"),
            );
        }
    }
}

/// `os/arch[/variant]`, each part lowercase letters, digits and `_`.
pub(crate) fn platform_ok(p: &str) -> bool {
    let parts: Vec<&str> = p.split('/').collect();
    (2..=3).contains(&parts.len())
        && parts.iter().all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
}

/// A name a bake target and a compose service both take.
pub(crate) fn name_ok(name: &str) -> bool {
    name.chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
        && name.len() <= 63
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms() {
        assert!(platform_ok("linux/amd64"));
        assert!(platform_ok("linux/arm/v7"));
        assert!(!platform_ok("linux"));
        assert!(!platform_ok("Linux/amd64"));
        assert!(!platform_ok("linux//amd64"));
    }

    #[test]
    fn member_names() {
        assert!(name_ok("api"));
        assert!(name_ok("billing-v2.1"));
        assert!(!name_ok("Api"));
        assert!(!name_ok("-api"));
        assert!(!name_ok(""));
    }
}
