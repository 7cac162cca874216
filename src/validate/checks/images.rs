//! SG214 invalid-image-reference: `image` of stages and copies, and `[runtime] base` when it is
//! not a flavour, must be image references (`name[:tag][@digest]`), never `latest`.

use crate::diagnostics::{codes, Diagnostic};
use crate::presets::common::Flavour;
use crate::validate::checks::steps;
use crate::validate::Cx;

/// The runtime flavours `[runtime] base` takes besides image references.
const FLAVOURS: &[&str] = Flavour::NAMES;

/// Why `reference` is not a usable image reference, if it is not.
pub(crate) fn problem(reference: &str) -> Option<&'static str> {
    if reference == "scratch" {
        return None;
    }
    let (name, digest) = match reference.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (reference, None),
    };
    let (repo, tag) = match name.rfind(':') {
        Some(i) if !name[i..].contains('/') => (&name[..i], Some(&name[i + 1..])),
        _ => (name, None),
    };
    let repo_ok = !repo.is_empty()
        && repo.split('/').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-:".contains(c))
        });
    if !repo_ok {
        return Some("an image name holds lowercase letters, digits, `.`, `_`, `-` and `/`");
    }
    if let Some(t) = tag {
        if t.is_empty()
            || t.len() > 128
            || !t
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        {
            return Some("a tag holds letters, digits, `.`, `_` and `-`");
        }
    }
    if let Some(d) = digest {
        let ok = d.split_once(':').is_some_and(|(alg, hex)| {
            !alg.is_empty() && hex.len() >= 32 && hex.chars().all(|c| c.is_ascii_hexdigit())
        });
        if !ok {
            return Some("a digest looks like `sha256:<64 hex digits>`");
        }
    }
    if tag == Some("latest") || (tag.is_none() && digest.is_none()) {
        return Some("pin a version: an untagged or `latest` image changes under you (hadolint DL3006, DL3007)");
    }
    None
}

pub(crate) fn check(cx: &Cx<'_>, out: &mut Vec<Diagnostic>) {
    let mut refs: Vec<(String, &str)> = Vec::new();
    for (i, s) in cx.build.stage.iter().enumerate() {
        if let Some(image) = &s.image {
            refs.push((format!("/stage/{i}/image"), image));
        }
    }
    for (pointer, step, _) in steps(cx) {
        if let Some(image) = &step.image {
            refs.push((format!("{pointer}/image"), image));
        }
    }
    if let Some(base) = cx.build.runtime.as_ref().and_then(|r| r.base.as_deref()) {
        if !FLAVOURS.contains(&base) {
            refs.push(("/runtime/base".to_string(), base));
        }
    }
    for (pointer, reference) in refs {
        if let Some(why) = problem(reference) {
            let mut d = Diagnostic::error(
                codes::INVALID_IMAGE,
                format!("`{reference}` is not a usable image reference"),
            )
            .at(cx.doc.value_span(&pointer), "invalid image")
            .help(why);
            if pointer == "/runtime/base" {
                if let Some(m) = crate::validate::did_you_mean(reference, FLAVOURS.iter().copied())
                {
                    d = d.help(format!("did you mean the flavour `{m}`? ({why})"));
                }
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_references() {
        assert_eq!(problem("golang:1.22"), None);
        assert_eq!(problem("gcr.io/distroless/static-debian12:nonroot"), None);
        assert_eq!(problem("localhost:5000/x/y:1"), None);
        assert_eq!(problem("scratch"), None);
        assert_eq!(problem(&format!("debian@sha256:{}", "a".repeat(64))), None);
        assert!(problem("golang").is_some());
        assert!(problem("golang:latest").is_some());
        assert!(problem("Golang:1").is_some());
        assert!(problem("a b:1").is_some());
        assert!(problem("x:1\nRUN id").is_some());
        assert!(problem("").is_some());
    }
}
